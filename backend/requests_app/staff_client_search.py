"""Customer service's search of clients (the staff client list): whatever the caller reads out on the phone.

Each handle is one query over its own column and says what matched ("NIP", "contract LF/2025/…"):
NIP and REGON as digits typed with dashes, spaces or the "PL" prefix; phone numbers compared digit by
digit (the "+48" prefix optional); contract and invoice numbers and serial numbers (VIN, engine number)
by their end, without slashes, dashes and spaces: the whole number, the number without its letters or its
last digits ("004242"), through the indexed keys of backend/core/number_keys.py (a scan of 1 M invoices
took seconds), and only for a query of letters and digits with at least one digit, which every such
number has; e-mail of the company or of a user; the company's or a user's name word by word (each word
must match), without Polish letters too.

Polish letters: core.text_search.contains_text folds them in SQL with nested REPLACE, the same statement
on SQLite and PostgreSQL, so no stored folded column is needed; the task list and inbox search so too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.db.models.lookups import IContains
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership
from backend.contracts.models import Contract, SerialNumber
from backend.core.identifiers import format_nip
from backend.core.number_keys import KeyStartsWith, compact, typed_number_key, without_separators
from backend.core.text_search import contains_text
from backend.invoices.models import Invoice

MIN_QUERY = 3
MAX_CLIENTS = 50
# Rows each handle reads at most: a short query may match many invoices of one client.
_HANDLE_ROWS = 200
_PHONE_SEPARATORS = " -()+./"
_MIN_PHONE_DIGITS = 6


@dataclass
class ClientMatch:
    """A client found, with what matched it (each said once, in the order the handles found them)."""

    client: Client
    matches: list[str] = field(default_factory=list)


def _digits(query: str) -> str:
    """The query's digits when it is a number typed with separators or the "PL" prefix, else ""."""
    text = re.sub(r"^\s*PL", "", query, flags=re.IGNORECASE)
    text = compact(text, _PHONE_SEPARATORS)
    return text if text.isdigit() else ""


def _phone_digits(digits: str) -> str:
    """A Polish number's nine digits without the country code ("+48 600…" and "600…" find each other)."""
    if len(digits) == 11 and digits.startswith("48"):
        return digits[2:]
    if len(digits) == 13 and digits.startswith("0048"):
        return digits[4:]
    return digits


def _name_condition(words: list[str], *columns: str) -> Q:
    """Every word in one of the columns (Polish letters optional)."""
    condition = Q()
    for word in words:
        any_column = Q()
        for column in columns:
            any_column |= contains_text(column, word)
        condition &= any_column
    return condition


def search_clients_for_staff(*, query: str) -> list[ClientMatch]:
    """Return the clients matching the query, by name, each with what matched; [] under MIN_QUERY characters."""
    query = query.strip()[:100]
    if len(query) < MIN_QUERY:
        return []
    found: dict[int, list[str]] = {}

    def add(client_id: int, label: str) -> None:
        labels = found.setdefault(client_id, [])
        if label not in labels:
            labels.append(label)

    digits = _digits(query)
    if digits:
        for client_id, nip in Client.objects.filter(nip__contains=digits).values_list("pk", "nip")[
            :_HANDLE_ROWS
        ]:
            add(client_id, _("NIP %(nip)s") % {"nip": format_nip(nip)})
        for client_id in Client.objects.filter(regon__startswith=digits).values_list("pk", flat=True)[
            :_HANDLE_ROWS
        ]:
            add(client_id, _("REGON"))
        phone = _phone_digits(digits)
        if len(phone) >= _MIN_PHONE_DIGITS:
            _search_phones(phone, add)
    key = typed_number_key(query)
    if len(key) >= MIN_QUERY and any(char.isdigit() for char in key):
        _search_numbers(key, add)
    if not digits:
        _search_texts(query, add)
    clients = Client.objects.filter(pk__in=list(found)).order_by("name", "pk")[:MAX_CLIENTS]
    return [ClientMatch(client, found[client.pk]) for client in clients]


def _search_phones(phone: str, add) -> None:
    company = Q(IContains(without_separators("phone", _PHONE_SEPARATORS), phone))
    for client_id in Client.objects.filter(company).values_list("pk", flat=True)[:_HANDLE_ROWS]:
        add(client_id, _("company phone"))
    members = ClientMembership.objects.filter(
        IContains(without_separators("user__phone", _PHONE_SEPARATORS), phone), user__role=User.Role.CLIENT
    )
    for client_id, email in members.values_list("client_id", "user__email")[:_HANDLE_ROWS]:
        add(client_id, _("phone of %(user)s") % {"user": email})


def _search_numbers(key: str, add) -> None:
    """Contract, invoice and serial numbers ending with the query (its key: core.number_keys)."""
    contracts = Contract.objects.filter(KeyStartsWith(F("number_key"), key))
    for client_id, number in contracts.values_list("client_id", "number")[:_HANDLE_ROWS]:
        add(client_id, _("contract %(number)s") % {"number": number})
    invoices = Invoice.objects.filter(KeyStartsWith(F("number_key"), key))
    for client_id, number in invoices.values_list("client_id", "number")[:_HANDLE_ROWS]:
        add(client_id, _("invoice %(number)s") % {"number": number})
    serials = SerialNumber.objects.filter(KeyStartsWith(F("value_key"), key))
    rows = serials.values_list("item__contract__client_id", "kind", "value", "item__contract__number")
    for client_id, kind, value, number in rows[:_HANDLE_ROWS]:
        add(
            client_id,
            _("%(kind)s %(value)s, contract %(number)s") % {"kind": kind, "value": value, "number": number},
        )


def _search_texts(query: str, add) -> None:
    """E-mail addresses and names: the company's and its users'."""
    for client_id in Client.objects.filter(email__icontains=query).values_list("pk", flat=True)[
        :_HANDLE_ROWS
    ]:
        add(client_id, _("company e-mail"))
    words = query.split()
    companies = Client.objects.filter(_name_condition(words, "name"))
    for client_id in companies.values_list("pk", flat=True)[:_HANDLE_ROWS]:
        add(client_id, _("company name"))
    people = ClientMembership.objects.filter(
        Q(user__email__icontains=query) | _name_condition(words, "user__first_name", "user__last_name"),
        user__role=User.Role.CLIENT,
    )
    for client_id, first, last, email in people.values_list(
        "client_id", "user__first_name", "user__last_name", "user__email"
    )[:_HANDLE_ROWS]:
        add(client_id, _("user %(user)s") % {"user": f"{first} {last}".strip() or email})
