"""The API's page-number pagination: `{"count", "next", "previous", "results"}`, 25 rows a page.

Its paginator reads the page first. A page shorter than a full one is the last: the count is known
without asking, the rows before the page plus the page's own. So the last page of a list, and the only
page of a short one, cost one statement instead of a COUNT(*) and a SELECT (#18); after a full page the
count is a COUNT(*) as before. Answers, counts and errors are those of Django's Paginator (a page past
the end is still "Invalid page.", 404).

`page` and `page_size` are checked before any row is read: anything but a whole number from 1 (or `last`
for the page) is a 400 in the error shape naming the parameter. A page that is not a number was a 404
"Invalid page." as if the list had ended, and a wrong page size was ignored but copied into the `next` and
`previous` links. A page size over the maximum (200) is cut to it, by design: the OpenAPI description and
the 400's message say so, and the `next` and `previous` links carry the size used.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import replace_query_param

# SQLite and PostgreSQL take a 64-bit OFFSET; a page number beyond it is Django's "Invalid page." (404).
_LARGEST_OFFSET = 2**63 - 1


class LastPageCountingPaginator(Paginator):
    def page(self, number):
        if self.orphans or "count" in self.__dict__:
            return super().page(number)  # orphans move rows between pages; a known count needs no guess
        number = self._whole_positive(number)
        bottom = (number - 1) * self.per_page
        if bottom + self.per_page > _LARGEST_OFFSET:
            return super().page(number)  # past any real list, and past what the database's OFFSET takes
        rows = list(self.object_list[bottom : bottom + self.per_page])
        # A full page: more rows may follow, so the count, when asked, is a COUNT(*) as before.
        if len(rows) < self.per_page:
            if rows or (number == 1 and self.allow_empty_first_page):
                self.count = bottom + len(rows)  # the last page: nothing follows its rows
            else:
                self.validate_number(number)  # nothing here: Django's answer (past the end: EmptyPage)
        return self._get_page(rows, number, self)

    def _whole_positive(self, number) -> int:
        """Django's validate_number without the upper bound (that one needs the count)."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number


def _whole_number_from_one(raw: str) -> int | None:
    """ASCII digits making 1 or more, else None ("1.5", "-1", "abc", a full-width "１")."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        return None
    return int(text)


class PortalPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = LastPageCountingPaginator

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        size = _whole_number_from_one(raw)
        if size is None:
            message = _("Enter a whole number from 1 (a page holds at most %(max)d rows).") % {
                "max": self.max_page_size
            }
            raise ValidationError({self.page_size_query_param: [message]})
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "")
        if raw == "":
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        if _whole_number_from_one(raw) is None:
            message = _('Enter a page number: a whole number from 1, or "last".')
            raise ValidationError({self.page_query_param: [message]})
        return raw  # past the last page: the paginator's 404

    def _with_used_page_size(self, url: str | None) -> str | None:
        if url is None or self.page_size_query_param not in self.request.query_params:
            return url
        return replace_query_param(url, self.page_size_query_param, self.page.paginator.per_page)

    def get_next_link(self) -> str | None:
        return self._with_used_page_size(super().get_next_link())

    def get_previous_link(self) -> str | None:
        return self._with_used_page_size(super().get_previous_link())

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1)
                parameter["description"] = _(
                    "Rows per page, a whole number from 1; more than %(max)d gives %(max)d (the next and "
                    "previous links carry the size used)."
                ) % {"max": self.max_page_size}
            elif parameter["name"] == self.page_query_param:
                parameter["description"] = _('A page number from 1, or "last".')
                # "last" is a value too: not an integer-only parameter.
                parameter["schema"] = {
                    "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["last"]}]
                }
        return parameters
