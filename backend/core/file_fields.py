"""The one file of an upload endpoint (the request and message attachment uploads take one file a call).

A multipart body with two parts named `file` stored the last and dropped the first without a word: the
client believed both were uploaded. A second part is refused at the field instead.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class OneFileField(serializers.FileField):
    default_error_messages = {
        "several": _("Send one file per upload: each file is uploaded on its own and gets its own id."),
    }

    def get_value(self, dictionary):
        if hasattr(dictionary, "getlist") and len(dictionary.getlist(self.field_name)) > 1:
            return dictionary.getlist(self.field_name)  # refused in to_internal_value, at this field
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, list):
            self.fail("several")
        return super().to_internal_value(data)
