"""The API's page-number pagination: `{"count", "next", "previous", "results"}`, 25 rows a page.

Its paginator reads the page first. A page shorter than a full one is the last: the count is known
without asking, the rows before the page plus the page's own. So the last page of a list, and the only
page of a short one, cost one statement instead of a COUNT(*) and a SELECT (#18); after a full page the
count is a COUNT(*) as before. Answers, counts and errors are those of Django's Paginator (a page past
the end is still "Invalid page.", 404).
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from rest_framework.pagination import PageNumberPagination

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


class PortalPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = LastPageCountingPaginator
