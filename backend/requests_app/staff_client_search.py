"""Customer service's search of clients (the staff client list): whatever the caller reads out on the phone.

Each handle is one query over its own column and says what matched ("NIP", "contract LF/2025/…"), and
reads a key the database computes and stores (a generated column: no writer, bulk insert or admin edit
can leave it stale); each but names is an index range, so its cost does not grow with the clients and users:
- NIP and REGON as digits typed with dashes, spaces or the "PL" prefix: the whole identifier or its start
  (stored as digits; a run of digits from its middle no longer finds it);
- phone numbers of the company and of its users by their end, digit by digit (the "+48"/"0048" prefix
  optional, at least six digits): the key is the digits reversed (core.number_keys.phone_key_field), so the
  last digits read out are a prefix of it; the start of a number alone no longer finds it;
- contract and invoice numbers and serial numbers (VIN, engine number) by their end, without slashes,
  dashes and spaces: the whole number, the number without its letters or its last digits ("004242"),
  through the keys of core.number_keys, only for a query of letters and digits with at least one digit;
- e-mail of the company or of a user by its start (the whole address, "katarzyna.krol@") or its domain's
  start ("firma.pl", "@firma"), lower-case keys (core.text_search.email_key_field); a fragment from the
  middle ("krol@firma") no longer matches: an address read out is typed from its start;
- the company's or a user's name word by word (each word must match, anywhere in the name), with or without
  Polish letters, through a folded key (core.text_search.name_key_field: lower-case, Polish letters
  replaced; the user's first and last name in one); not for a query with an "@", which is an address.

Names are still a scan, of the narrow folded key: one LIKE '%word%' per row and word, no REPLACE at query
time. An index for a word anywhere in a name would be a word index (PostgreSQL trigrams, SQLite FTS5),
which the two databases do not share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.translation import gettext as _

from backend.accounts.models import User
from backend.clients.models import Client, ClientMembership
from backend.contracts.models import Contract, SerialNumber
from backend.core.identifiers import format_nip
from backend.core.number_keys import (
    PHONE_SEPARATORS,
    KeyStartsWith,
    TextStartsWith,
    compact,
    typed_number_key,
    typed_phone_key,
)
from backend.core.text_search import name_key_words
from backend.invoices.models import Invoice

MIN_QUERY = 3
MAX_CLIENTS = 50
# Rows each handle reads at most: a short query may match many invoices of one client.
_HANDLE_ROWS = 200
_MIN_PHONE_DIGITS = 6


@dataclass
class ClientMatch:
    """A client found, with what matched it (each said once, in the order the handles found them)."""

    client: Client
    matches: list[str] = field(default_factory=list)


def _digits(query: str) -> str:
    """The query's digits when it is a number typed with separators or the "PL" prefix, else ""."""
    text = re.sub(r"^\s*PL", "", query, flags=re.IGNORECASE)
    text = compact(text, PHONE_SEPARATORS)
    return text if text.isdigit() else ""


def _phone_digits(digits: str) -> str:
    """A Polish number's nine digits without the country code ("+48 600…" and "600…" find each other)."""
    if len(digits) == 11 and digits.startswith("48"):
        return digits[2:]
    if len(digits) == 13 and digits.startswith("0048"):
        return digits[4:]
    return digits


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
        by_nip = Client.objects.filter(KeyStartsWith(F("nip"), digits))
        for client_id, nip in by_nip.values_list("pk", "nip")[:_HANDLE_ROWS]:
            add(client_id, _("NIP %(nip)s") % {"nip": format_nip(nip)})
        by_regon = Client.objects.filter(KeyStartsWith(F("regon"), digits))
        for client_id in by_regon.values_list("pk", flat=True)[:_HANDLE_ROWS]:
            add(client_id, _("REGON"))
        phone = _phone_digits(digits)
        if len(phone) >= _MIN_PHONE_DIGITS:
            _search_phones(typed_phone_key(phone), add)
    key = typed_number_key(query)
    if len(key) >= MIN_QUERY and any(char.isdigit() for char in key):
        _search_numbers(key, add)
    if not digits:
        _search_e_mails(query, add)
        if "@" not in query:  # an address: no name has an "@", and names are the handle that scans
            _search_names(query, add)
    clients = Client.objects.filter(pk__in=list(found)).order_by("name", "pk")[:MAX_CLIENTS]
    return [ClientMatch(client, found[client.pk]) for client in clients]


def _search_phones(key: str, add) -> None:
    """Phones of the company and of its client users ending with the typed digits (`key`: reversed)."""
    company = Client.objects.filter(KeyStartsWith(F("phone_key"), key))
    for client_id in company.values_list("pk", flat=True)[:_HANDLE_ROWS]:
        add(client_id, _("company phone"))
    members = ClientMembership.objects.filter(
        KeyStartsWith(F("user__phone_key"), key), user__role=User.Role.CLIENT
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


def _e_mail_condition(query: str, prefix: str) -> Q:
    """The address starting with the query, or its domain with the query's part after an "@" (or all of
    it, when it has no "@"): "jan.nowak@fir", "@firma.pl", "firma.pl"."""
    text = query.lower()
    condition = Q(TextStartsWith(F(f"{prefix}email_key"), text))
    domain = text[1:] if text.startswith("@") else text
    if "@" not in domain and domain:
        condition |= Q(TextStartsWith(F(f"{prefix}email_domain_key"), domain))
    return condition


def _search_e_mails(query: str, add) -> None:
    """E-mail addresses of the company and of its client users; an address has no space."""
    if any(char.isspace() for char in query):
        return
    companies = Client.objects.filter(_e_mail_condition(query, ""))
    for client_id in companies.values_list("pk", flat=True)[:_HANDLE_ROWS]:
        add(client_id, _("company e-mail"))
    people = ClientMembership.objects.filter(_e_mail_condition(query, "user__"), user__role=User.Role.CLIENT)
    _add_people(people, add)


def _search_names(query: str, add) -> None:
    """Names, word by word: the company's and its client users'."""
    companies = Client.objects.filter(name_key_words(query, "name_key"))
    for client_id in companies.values_list("pk", flat=True)[:_HANDLE_ROWS]:
        add(client_id, _("company name"))
    people = ClientMembership.objects.filter(
        name_key_words(query, "user__name_key"), user__role=User.Role.CLIENT
    )
    _add_people(people, add)


def _add_people(people, add) -> None:
    rows = people.values_list("client_id", "user__first_name", "user__last_name", "user__email")
    for client_id, first, last, email in rows[:_HANDLE_ROWS]:
        add(client_id, _("user %(user)s") % {"user": f"{first} {last}".strip() or email})
