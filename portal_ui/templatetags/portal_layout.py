"""Layout helpers for list pages: texts that may wrap where a person would break them."""

from __future__ import annotations

import re

from django import template
from django.template.base import token_kwargs
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

LONG_NUMBER = 24  # characters: the usual invoice number (FV/2026/11/000111) has 17-21
DOCUMENT_NUMBER = re.compile(r"[^\s/]*/\S*")  # a word with a "/": FV/2026/11/000123


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


@register.filter
def breakable_email(value: object) -> SafeString:
    """An e-mail address that may wrap before its "@" in a squeezed column (the client users list at
    1,024 px), never inside its name or domain: "joanna.lewandowska" / "@grzegorz-1.pl"."""
    text = str(conditional_escape("" if value is None else value))
    local, at, domain = text.rpartition("@")
    if not at:
        return mark_safe(text)  # noqa: S308 - escaped above
    # Each part one word on a desktop (a hyphen of "grzegorz-1.pl" is a place a line may end too): client.css.
    return mark_safe(f'<span class="email-part">{local}</span><wbr><span class="email-part">@{domain}</span>')  # noqa: S308 - escaped above


class FilterBoxNode(template.Node):
    """Renders portal_ui/client/_filter_box.html around the fields written between the tags."""

    def __init__(self, nodelist: template.NodeList, extra: dict) -> None:
        self.nodelist = nodelist
        self.extra = extra

    def render(self, context: template.Context) -> str:
        values = {name: value.resolve(context) for name, value in self.extra.items()}
        fields = mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered by the template engine
        box = context.template.engine.get_template("portal_ui/client/_filter_box.html")
        with context.push(fields=fields, **values):
            return box.render(context)


@register.tag
def filter_box(parser: template.base.Parser, token: template.base.Token) -> FilterBoxNode:
    """`{% filter_box testid="…" label="…" %}…fields…{% endfilter_box %}`: a client list's filter form, the
    same box on every list (folded on a phone under a summary counting the filters on, see the partial)."""
    extra = token_kwargs(token.split_contents()[1:], parser)
    nodelist = parser.parse(("endfilter_box",))
    parser.delete_first_token()
    return FilterBoxNode(nodelist, extra)


@register.filter
def nowrap(value: object) -> SafeString:
    """The value kept on one line inside a sentence: an English month "2023-12" broke at its hyphen on a
    phone ("2023-" / "12"). Used inside {% blocktranslate %}, so the catalogue's text stays as it was."""
    return format_html('<span class="nowrap">{}</span>', "" if value is None else value)


@register.filter
def transfer_title(value: object) -> SafeString:
    """A transfer title with each document number in it kept whole on one line: a phone's card breaks a
    long value anywhere (lists.css), which cut "FV/2026/11/000123" where the client reads and copies it.
    One element (a card's cell lays out its children side by side), which goes under its label when the
    number does not fit beside it (lists.css). A number over LONG_NUMBER may still wrap, after a "/"."""

    def whole(match: re.Match) -> str:
        number = match.group(0)
        if len(number) > LONG_NUMBER:
            return number.replace("/", "/<wbr>")
        return f'<span class="nowrap">{number}</span>'

    text = str(conditional_escape("" if value is None else value))
    return mark_safe(f'<span class="transfer-title">{DOCUMENT_NUMBER.sub(whole, text)}</span>')  # noqa: S308 - escaped above
