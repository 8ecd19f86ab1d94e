"""Layout helpers for list pages: texts that may wrap where a person would break them."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

LONG_NUMBER = 24  # characters: the usual invoice number (FV/2026/11/000111) has 17-21


@register.filter
def breakable(value: object) -> SafeString:
    """Allow a line break after each "/" of a document number (FV/2026/11/000111) in narrow columns.

    Numbers are one long word to the browser, so a list table could not be narrower than its longest
    number; <wbr> marks the places where it may wrap without changing the copied text.
    """
    text = conditional_escape("" if value is None else value)
    breaks = str(text).replace("/", "/<wbr>")
    if len(str(value or "")) > LONG_NUMBER:
        # Kept on one line on a desktop where a usual number fits; a long one may wrap there too, or its
        # column would push the row's actions out of the table.
        return mark_safe(f'<span class="long-number">{breaks}</span>')  # noqa: S308 - escaped above
    return mark_safe(breaks)  # noqa: S308 - escaped above
