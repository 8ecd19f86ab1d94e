"""The page saying a form was not sent (a stale CSRF token, too many posts in a short time, too many files
at once): what happened, what to do, and the way back to the form's page, where the text the tab kept is
offered again (the note tagged NOT_SENT_TAG, read by forms.js and drafts.js). One template for all three."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from backend.core.next_url import safe_next_url


def page_of_the_form(request: HttpRequest) -> str:
    """The page the form was sent from (its Referer) when it is the portal's, else the home page."""
    return safe_next_url(request, request.headers.get("Referer"), reverse("home"))


def not_sent_page(
    request: HttpRequest, *, status: int, title: str, paragraphs: list[str], testid: str, back_testid: str
) -> HttpResponse:
    """The page itself (`testid` names the section, `back_testid` its link back to the form's page)."""
    context = {
        "title": title,
        "paragraphs": paragraphs,
        "testid": testid,
        "back_testid": back_testid,
        "back_url": page_of_the_form(request),
    }
    return render(request, "portal_ui/not_sent.html", context, status=status)
