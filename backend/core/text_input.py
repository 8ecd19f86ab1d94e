"""Multi-line text typed into a textarea, as the API and the pages take it.

A browser submits every line break of a textarea as CRLF (two characters) while its `maxlength` counts one:
a message of exactly the allowed length with line breaks was refused by the server. Line breaks are
therefore turned into "\\n" before the length is checked and before anything is stored, whatever sent them.
"""

from __future__ import annotations

from rest_framework import serializers


def normalize_line_breaks(text: str) -> str:
    """CRLF and lone CR (old Mac, some clients) become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class MultilineTextField(serializers.CharField):
    """A CharField for textarea text: line breaks normalized first, so `max_length` counts what the user sees."""

    def to_internal_value(self, data) -> str:
        return normalize_line_breaks(super().to_internal_value(data))
