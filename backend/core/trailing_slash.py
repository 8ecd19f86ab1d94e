"""Django's CommonMiddleware without the slash redirect of an unsafe API call.

APPEND_SLASH answers a path that lacks its slash with a 301 to the path with it. Clients follow a 301 of a
POST with a GET: `POST /api/requests` read the request list and created nothing, with a 2xx at the end.
Under /api/ a POST, PUT, PATCH or DELETE without the slash is now a 404 in the error shape that names the
path with the slash (handler404, backend/core/exceptions.py); a GET or HEAD is still redirected, and pages
outside /api/ are as before.
"""

from __future__ import annotations

from django.middleware.common import CommonMiddleware
from rest_framework.permissions import SAFE_METHODS

from backend.core.exceptions import is_api_request


class PortalCommonMiddleware(CommonMiddleware):
    def should_redirect_with_slash(self, request) -> bool:
        if request.method not in SAFE_METHODS and is_api_request(request):
            return False
        return super().should_redirect_with_slash(request)
