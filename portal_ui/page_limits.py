"""The API's per-user limits on the pages that do the same work (backend/core/throttling.py).

A message, a request, a duplicate, an invitation sent from a page counts in the same scope as the API's
call, so neither way passes the limit (60 comment posts of the page went through in a second while the
API answered 429). Over the limit the post is not done: a page says so and when to try again, with the
way back to the form's page, where forms.js and drafts.js offer back what this tab kept of the form (the
note tagged NOT_SENT_TAG, as after a refused CSRF check).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from backend.core.exceptions import throttled_message
from backend.core.throttling import take_action
from portal_ui.not_sent import not_sent_page
from portal_ui.post_only_pages import NOT_SENT_TAG

View = Callable[..., HttpResponse]


def counted(scope: str) -> Callable[[View], View]:
    """Count each POST of the view in `scope` (a key of API_THROTTLE_RATES); other methods are not counted.

    Put it next to the view function, under the access checks: a post they refuse is not counted."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def limited_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                refused = over_limit(request, scope)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return limited_view

    return decorate


def over_limit(request: HttpRequest, scope: str) -> HttpResponse | None:
    """Count this post in `scope`: None within the limit, else the page saying so (429). For a view that
    does several actions, only some of them limited (a staff thread's reply, not its assignment)."""
    if not request.user.is_authenticated:
        return None
    wait = take_action(request.user.pk, scope)
    if wait is None:
        return None
    seconds = math.ceil(wait)
    response = not_sent_page(
        request,
        status=429,
        title=_("Too many in a short time"),
        paragraphs=[
            throttled_message(seconds),
            _("Nothing was sent this time; what was sent before is kept."),
        ],
        testid="too-many",
        back_testid="too-many-back",
    )
    response["Retry-After"] = str(seconds)
    # Added after the page is drawn, so it waits for the next page: the form's, where the kept text is offered.
    messages.info(
        request,
        _("The form was not sent: too many of these were sent in a short time. Check what you typed."),
        extra_tags=NOT_SENT_TAG,
        fail_silently=True,
    )
    return response
