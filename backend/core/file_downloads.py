"""The API's file downloads (PDF, CSV, XLSX, XML, ZIP, stored attachments): what their Accept may name.

DRF negotiates a view's renderers before anything else, and a view that answers a file has only the JSON
renderer its errors need: `Accept: application/pdf` (what the docs' "Try it out" and most HTTP clients
send for a PDF) was 406 before authentication or the object's lookup. A file view names the types it
serves instead (`file_media_types`); an Accept that takes one of them, JSON (the type of its errors, which
some clients send on every call) or `*/*` passes, and the view's errors are still JSON in the error shape.
An Accept that takes none of them (`image/png` for a PDF) is 406 `not_acceptable`, in the error shape.
"""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView


class FileDownloadNegotiation(DefaultContentNegotiation):
    """Accept the view's `file_media_types` (and JSON); render what the view answers as JSON: its errors."""

    def select_renderer(self, request, renderers, format_suffix=None):
        view = request.parser_context.get("view")
        served = [*getattr(view, "file_media_types", ()), JSONRenderer.media_type]
        if request.get_preferred_type(served) is None:  # Django's reading of Accept (q-values, wildcards)
            raise NotAcceptable(
                _("This address answers %(types)s; the Accept header names none of them.")
                % {"types": ", ".join(served)}
            )
        renderer = next(r for r in renderers if isinstance(r, JSONRenderer))
        return renderer, renderer.media_type


class FileDownloadApi(APIView):
    """Base of the API views that answer a file: set `file_media_types` to the types the view serves."""

    renderer_classes: ClassVar[list] = [JSONRenderer]
    content_negotiation_class = FileDownloadNegotiation
    file_media_types: ClassVar[tuple[str, ...]] = ()
