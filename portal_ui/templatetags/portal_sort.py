"""Sortable column headers of the list pages (see portal_ui/sorting.py).

{% load portal_sort %}
{% sort_header sort "issue_date" _("Issue date") %}
{% sort_header sort "gross_total" _("Gross amount") "num" within_currency=True %}
"""

from __future__ import annotations

from django import template

from portal_ui.sorting import Sort

register = template.Library()


@register.filter
def errors_of(errors, name: str) -> list:
    """A list filter's errors at its field: `filter_errors|errors_of:"status"` (no errors: none)."""
    return (errors or {}).get(name) or []


@register.inclusion_tag("portal_ui/client/_sort_header.html")
def sort_header(
    sort: Sort, key: str, label: str, css_class: str = "", *, within_currency: bool = False
) -> dict:
    """Render a column header whose link sorts the list by `key`, keeping the filters, from page 1;
    `within_currency`: an amount column (sorting.within_currency), whose link says so."""
    return {
        "label": label,
        "href": sort.link(key),
        "direction": sort.direction(key),
        "css_class": css_class,
        "within_currency": within_currency,
    }
