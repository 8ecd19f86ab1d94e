"""PreparedRead: the same instances as the QuerySet it is written as, its SQL compiled once per connection."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.clients.models import ClientMembership
from backend.contracts.models import Contract, ScheduleRow
from backend.core.prepared_reads import PreparedRead
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_instances_equal_the_querysets_own_with_converted_values(acme):
    # given: decimals, dates, an FSM status and a JSON-free model with every kind of column
    contract = ContractFactory(client=acme)
    read = PreparedRead(lambda pk: Contract.objects.filter(pk=pk)[:1], ints=("pk",))

    # when
    prepared = read.first(pk=contract.pk)

    # then
    assert field_values(prepared) == field_values(Contract.objects.get(pk=contract.pk))
    assert prepared._state.adding is False and prepared._state.db == "default"


def test_select_related_and_annotations_come_with_the_row_in_one_statement(client_user, acme):
    # given
    read = PreparedRead(
        lambda user_id: (
            ClientMembership.objects.select_related("client")
            .annotate(client_name=F("client__name"))
            .filter(user_id=user_id)[:1]
        ),
        ints=("user_id",),
    )

    # when
    with CaptureQueriesContext(connection) as queries:
        membership = read.first(user_id=client_user.pk)
        client = membership.client

    # then
    assert len(queries) == 1
    assert client == acme and client.name == acme.name
    assert membership.client_name == acme.name


def test_later_calls_reuse_the_compiled_sql_with_their_own_arguments(acme, other_company):
    # given
    first, second = ContractFactory(client=acme), ContractFactory(client=other_company)
    built = []

    def build(pk, client_id):
        built.append((pk, client_id))
        return Contract.objects.filter(pk=pk, client_id=client_id)[:1]

    read = PreparedRead(build, ints=("pk", "client_id"))

    # when
    found = [
        read.first(pk=first.pk, client_id=acme.pk),
        read.first(pk=second.pk, client_id=other_company.pk),
        read.first(pk=second.pk, client_id=acme.pk),  # another client's contract: nothing
    ]

    # then
    assert found == [first, second, None]
    assert len(built) == 1  # compiled with sample values once, never with a caller's


def test_string_arguments_are_parameters_not_sql(acme):
    # given
    contract = ContractFactory(client=acme)
    read = PreparedRead(lambda number: Contract.objects.filter(number=number)[:1], strs=("number",))

    # when
    found = read.first(number=contract.number)
    injected = read.first(number="x' OR '1'='1")

    # then
    assert found == contract
    assert injected is None


def test_date_time_arguments_compare_as_the_querysets_own(acme):
    # given: contracts made a moment apart, read by a bound of their creation time
    older, newer = ContractFactory(client=acme), ContractFactory(client=acme)
    Contract.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=2))
    read = PreparedRead(
        lambda client_id, until: Contract.objects.filter(client_id=client_id, created_at__lte=until).order_by(
            "-created_at", "-id"
        ),
        ints=("client_id",),
        datetimes=("until",),
    )

    for until in (timezone.now() - timedelta(hours=1), timezone.now(), timezone.now() - timedelta(days=1)):
        # when
        prepared = read.all(client_id=acme.pk, until=until)

        # then: what the ORM finds for the same bound (on SQLite a string comparison of adapted values)
        expected = list(
            Contract.objects.filter(client_id=acme.pk, created_at__lte=until).order_by("-created_at", "-id")
        )
        assert prepared == expected
    assert read.all(client_id=acme.pk, until=timezone.now()) == [newer, older]


def test_values_list_rows_equal_the_querysets_own_with_converted_values(acme):
    # given: installments with dates and decimals, read by a date bound
    contract = ContractFactory(client=acme)
    contract.schedule_rows.all().delete()
    for number, gross in ((1, "100.10"), (2, "200.20"), (3, "300.30")):
        money = dict.fromkeys(("capital", "interest", "net", "vat", "capital_remaining"), Decimal("1.00"))
        ScheduleRow.objects.create(
            contract=contract, number=number, due_date=date(2026, number, 10), gross=Decimal(gross), **money
        )
    read = PreparedRead(
        lambda contract_id, since: (
            ScheduleRow.objects.filter(contract_id=contract_id, due_date__gte=since)
            .order_by("number")
            .values_list("number", "due_date", "gross")
        ),
        ints=("contract_id",),
        dates=("since",),
    )

    for since in (date(2026, 2, 10), date(2025, 12, 31), date(2026, 3, 11)):
        # when
        rows = read.rows(contract_id=contract.pk, since=since)

        # then: the ORM's own tuples, dates as dates and money as Decimal
        expected = list(
            ScheduleRow.objects.filter(contract_id=contract.pk, due_date__gte=since)
            .order_by("number")
            .values_list("number", "due_date", "gross")
        )
        assert rows == expected
    assert read.rows(contract_id=contract.pk, since=date(2026, 2, 10)) == [
        (2, date(2026, 2, 10), Decimal("200.20")),
        (3, date(2026, 3, 10), Decimal("300.30")),
    ]
    with pytest.raises(TypeError, match="model instances"):
        read.all(contract_id=contract.pk, since=date(2026, 1, 1))


def test_a_naive_date_time_argument_is_refused(acme):
    read = PreparedRead(
        lambda until: Contract.objects.filter(created_at__lte=until)[:1], datetimes=("until",)
    )

    with pytest.raises(TypeError, match="aware"):
        read.first(until=timezone.now().replace(tzinfo=None))


def test_an_argument_that_does_not_reach_the_sql_is_refused(acme):
    # given: `client_id` is never used by the QuerySet
    read = PreparedRead(lambda pk, client_id: Contract.objects.filter(pk=pk)[:1], ints=("pk", "client_id"))

    # when / then
    with pytest.raises(TypeError, match="client_id"):
        read.first(pk=1, client_id=2)


def test_values_dict_querysets_are_refused(acme):
    read = PreparedRead(lambda pk: Contract.objects.filter(pk=pk).values("id")[:1], ints=("pk",))

    with pytest.raises(TypeError, match=r"no values\(\)"):
        read.first(pk=1)


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="SQLite locks by BEGIN IMMEDIATE")
@pytest.mark.django_db(transaction=True)  # outside the test's own transaction, as a request runs
def test_a_locking_read_outside_a_transaction_is_refused_as_django_refuses_it(acme):
    # given
    contract = ContractFactory(client=acme)
    read = PreparedRead(lambda pk: Contract.objects.select_for_update().filter(pk=pk)[:1], ints=("pk",))
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert read.first(pk=contract.pk) == contract
    assert "FOR UPDATE" in queries[-1]["sql"]

    # when / then
    with pytest.raises(TransactionManagementError):
        read.first(pk=contract.pk)
