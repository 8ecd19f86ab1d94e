"""backend.core.filters.DateRangeFilterSet builds its form class once per class, unless a filter reads
the request (#18: django-filter built a form class for every list request)."""

from __future__ import annotations

import django_filters
import pytest
from django.http import QueryDict
from django.test import RequestFactory

from backend.contracts.filters import ContractFilter
from backend.contracts.models import Contract
from backend.core.filters import DateRangeFilterSet
from backend.invoices.filters import InvoiceFilter
from backend.invoices.models import Invoice
from tests.factories import ContractFactory

INVERTED = {"issue_date_from": "2026-05-01", "issue_date_to": "2026-04-01"}


def test_the_form_class_is_built_once_per_filter_set_class():
    first = InvoiceFilter(data=QueryDict(""), queryset=Invoice.objects.none()).get_form_class()
    second = InvoiceFilter(data=QueryDict("status=paid"), queryset=Invoice.objects.none()).get_form_class()
    assert first is second
    other = ContractFilter(data=QueryDict(""), queryset=Contract.objects.none()).get_form_class()
    assert other is not first and "start_date_from" in other.base_fields


def test_each_request_still_gets_a_form_of_its_own():
    one = InvoiceFilter(data=QueryDict("status=paid"), queryset=Invoice.objects.none())
    two = InvoiceFilter(data=QueryDict(""), queryset=Invoice.objects.none())
    assert one.form is not two.form
    assert one.form.fields["status"] is not two.form.fields["status"]


def test_the_cached_form_still_reports_an_inverted_range():
    InvoiceFilter(data=QueryDict(""), queryset=Invoice.objects.none()).form  # builds and caches
    filterset = InvoiceFilter(data=INVERTED, queryset=Invoice.objects.none())
    assert not filterset.is_valid()
    assert list(filterset.form.errors) == ["issue_date_to"]


class ContractOfTheRequestFilter(DateRangeFilterSet):
    """A filter whose choices come from the request: its form class must not be shared."""

    contract = django_filters.ModelChoiceFilter(
        queryset=lambda request: Contract.objects.filter(client_id=request.client_id)
    )

    class Meta:
        model = Invoice
        fields = ["contract"]


@pytest.mark.django_db
def test_a_filter_that_reads_the_request_gets_a_form_class_per_request(acme, other_company):
    own, foreign = ContractFactory(client=acme), ContractFactory(client=other_company)

    def filterset_for(client, contract):
        request = RequestFactory().get("/")
        request.client_id = client.pk
        return ContractOfTheRequestFilter(
            data={"contract": str(contract.pk)}, queryset=Invoice.objects.all(), request=request
        )

    assert filterset_for(acme, own).is_valid()
    assert not filterset_for(acme, foreign).is_valid()  # the first request's choices are not kept
    assert filterset_for(other_company, foreign).is_valid()
    assert "_cached_form_class" not in ContractOfTheRequestFilter.__dict__


@pytest.mark.django_db
def test_the_api_answers_in_the_users_language_after_the_form_class_was_cached(api_as, client_user):
    api = api_as(client_user)
    polish = api.get("/api/invoices/", INVERTED)
    client_user.language = "en"
    client_user.save(update_fields=["language"])

    english = api.get("/api/invoices/", INVERTED)

    assert "Zakres dat jest odwrócony" in polish.json()["fields"]["issue_date_to"][0]
    assert "The date range is inverted" in english.json()["fields"]["issue_date_to"][0]


# --- PortalFilterBackend: no filter set for a list read without filters ----------------------------


def all_subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *all_subclasses(sub)]
    return found


@pytest.mark.django_db
def test_every_filter_set_that_says_so_leaves_an_unfiltered_queryset_as_it_is():
    from backend.documents.filters import DocumentFilter
    from backend.documents.models import Document
    from backend.messaging.filters import StaffInboxFilter
    from backend.messaging.models import MessageThread

    lists = {
        InvoiceFilter: Invoice,
        ContractFilter: Contract,
        DocumentFilter: Document,
        StaffInboxFilter: MessageThread,
    }
    flagged = {
        filterset_class
        for filterset_class in all_subclasses(DateRangeFilterSet)
        if filterset_class.__module__.startswith("backend.") and filterset_class.filters_nothing_without_query
    }
    assert flagged == set(lists)  # a new one: add it here, with the model it lists
    for filterset_class, model in lists.items():
        queryset = model.objects.order_by("-pk")
        filtered = filterset_class(data=QueryDict(""), queryset=queryset).qs
        assert str(filtered.query) == str(queryset.query), filterset_class
        assert filtered.query.order_by == queryset.query.order_by, filterset_class


@pytest.fixture
def built_filter_sets(monkeypatch):
    """The query strings InvoiceFilter was built for."""
    built = []
    original = InvoiceFilter.__init__

    def init(self, data=None, *args, **kwargs):
        built.append(data.urlencode())
        original(self, data, *args, **kwargs)

    monkeypatch.setattr(InvoiceFilter, "__init__", init)
    return built


@pytest.mark.django_db
def test_an_unfiltered_page_skips_the_filter_set_and_a_filtered_one_does_not(
    api_as, client_user, acme, built_filter_sets
):
    from tests.factories import InvoiceFactory

    InvoiceFactory.create_batch(3, client=acme)
    api = api_as(client_user)

    answers = [
        api.get("/api/invoices/", params).json()
        for params in ({}, {"page": "1", "page_size": "2"}, {"status": "paid"}, {"unknown": "1"})
    ]

    assert built_filter_sets == ["status=paid", "unknown=1"]  # what is not a page number is filtered
    assert [answer["count"] for answer in answers] == [3, 3, 0, 3]


@pytest.mark.django_db
def test_a_filter_set_that_filters_by_default_is_always_built(
    api_as, client_user, monkeypatch, built_filter_sets
):
    monkeypatch.setattr(InvoiceFilter, "filters_nothing_without_query", False)
    api_as(client_user).get("/api/invoices/")
    assert built_filter_sets == [""]
