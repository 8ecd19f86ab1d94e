"""Case-insensitive text search on SQLite for every letter, not only ASCII.

Django's `icontains` (and `iexact`, `istartswith`, `iendswith`) is SQLite's LIKE, which ignores the case
of ASCII letters only: "łódź" did not find "Łódź" nor "PRZEDSIĘBIORSTWO" "przedsiębiorstwo", in every
list's search and filter. SQLite lets an application replace LIKE (`X LIKE Y ESCAPE Z` calls
`like(Y, X, Z)`), so each SQLite connection gets `like` (`register_sqlite_like`) that compares the
lower-cased texts; every lookup built on LIKE is fixed in one place. PostgreSQL compares UPPER() of
both sides already and is unchanged.

Polish letters (`contains_text`, the other texts the staff task list and inbox search: subjects, message
bodies, contact persons): staff type "pawlowski" or "zolta" for "Pawłowski" or "żółta" (a keyboard without
Polish layout, a habit). A query without any Polish letter is compared with the column's text with its
Polish letters replaced by their base letters (nested REPLACE: the same SQL on SQLite and PostgreSQL,
whatever the database's locale); a query that has one is the plain case-insensitive match, so "łódź"
still finds only "Łódź".

A pattern is turned into a matcher once (cached): `%text%`, `text%`, `%text` and a bare text use
Python's substring tests; others a regular expression.

Names of clients and users, in every staff search that matches them (`name_key_field`, `name_key_words`:
customer service's client search, the task list's and the inbox's search and client filter, the activation
page): the company's name and a user's first and last name are kept folded in a stored, database-computed
key (LOWER of the name with its Polish letters replaced, the same SQL on SQLite and PostgreSQL); each typed
word folded the same way in Python is looked up with the key's `folded` lookup (`contains`: LIKE '%word%',
its wildcards escaped; the admin's search_fields use it too), so the per-row work is one LIKE per word over
a narrow column, no REPLACE. Folding both sides, "łódź" finds "Lodz" too, and the same words find the same
names in every search; under the portal's LIKE (SQLite) and a UTF-8 PostgreSQL, case is ignored for every
letter.

E-mail addresses (`email_key_field`, `email_domain_key_field`, `number_keys.TextStartsWith`): customer service types an
address read out on the phone from its start, so the address is found by its start (or whole) through a
stored, database-computed lower-case key and its index, and by its domain's start ("firma.pl") through a
second key; a fragment from the middle ("krol@firma", "zolnierczyk.p") no longer matches. SQLite's LOWER()
folds ASCII letters only, so a non-ASCII capital in an address is matched only as stored (PostgreSQL folds it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from django.db.models import Expression, F, GeneratedField, Q, TextField, Value
from django.db.models.functions import Concat, Lower, Replace, StrIndex, Substr
from django.db.models.lookups import Contains, IContains

from backend.core.number_keys import stored_key_field

# Polish letters and the base letter a query typed without them has (both cases: no LOWER() is needed
# before the REPLACE, whose result then goes through icontains like any column).
POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
BASE_LETTERS = "acelnoszzACELNOSZZ"
_FOLD = str.maketrans(POLISH_LETTERS, BASE_LETTERS)

_ANY = object()  # "%"
_ONE = object()  # "_"


def _parts(pattern: str, escape: str | None) -> list:
    parts: list = []
    literal: list[str] = []
    chars = iter(pattern)
    for char in chars:
        if escape is not None and char == escape:
            literal.append(next(chars, ""))
        elif char in "%_":
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(_ANY if char == "%" else _ONE)
        else:
            literal.append(char)
    if literal:
        parts.append("".join(literal))
    return parts


@lru_cache(maxsize=1024)
def _matcher(pattern: str, escape: str | None) -> Callable[[str], bool]:
    """A test of a lower-cased text against the LIKE pattern."""
    parts = _parts(pattern.lower(), escape)
    texts = [part for part in parts if isinstance(part, str)]
    if _ONE not in parts and len(texts) <= 1:  # the usual shapes: a substring test, no regex
        text = texts[0] if texts else ""
        if _ANY not in parts:
            return lambda value: value == text
        leading, trailing = parts[0] is _ANY, parts[-1] is _ANY
        if (leading and trailing) or not text:
            return lambda value: text in value
        if trailing:
            return lambda value: value.startswith(text)
        return lambda value: value.endswith(text)
    regex = "".join(".*" if part is _ANY else "." if part is _ONE else re.escape(part) for part in parts)
    compiled = re.compile(regex, re.DOTALL)
    return lambda value: compiled.fullmatch(value) is not None


def like(pattern, value, escape=None) -> bool | None:
    """SQLite's like(pattern, value[, escape]): NULL in, NULL out; numbers compare as their text."""
    if pattern is None or value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return _matcher(str(pattern), escape)(str(value).lower())


def register_sqlite_like(sender, connection, **kwargs) -> None:
    """connection_created receiver: every SQLite connection's LIKE ignores case of every letter."""
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("like", 2, like, deterministic=True)
        raw.create_function("like", 3, like, deterministic=True)


def without_polish_letters(expression: Expression) -> Expression:
    """The text of `expression` with every Polish letter replaced by its base letter (SQL REPLACE)."""
    for letter, base in zip(POLISH_LETTERS, BASE_LETTERS, strict=True):
        expression = Replace(expression, Value(letter), Value(base), output_field=TextField())
    return expression


def contains_text(field: str | Expression, text: str) -> Q:
    """Rows whose `field` (a path or a text expression) contains `text`, ignoring case; a text typed
    without Polish letters also finds them ("zolta" finds "żółta"), one typed with them only them."""
    column = F(field) if isinstance(field, str) else field
    if any(letter in POLISH_LETTERS for letter in text):
        return Q(IContains(column, text))
    return Q(IContains(without_polish_letters(column), text))


def fold_text(text: str) -> str:
    """A typed text as `name_key_field` keeps a name: lower-case, Polish letters replaced ("Łódź" → "lodz")."""
    return text.translate(_FOLD).lower()


class FoldedContains(Contains):
    """`name_key__folded`: the key contains the typed text folded as the key is (`fold_text`), its % _ and \\
    plain characters (`contains` escapes them). Registered on every `name_key_field`, so the admin's
    `search_fields` ("client__name_key__folded") fold a typed word as the staff searches do."""

    lookup_name = "folded"

    def get_prep_lookup(self):
        if isinstance(self.rhs, str):
            self.rhs = fold_text(self.rhs)
        return super().get_prep_lookup()

    def get_rhs_op(self, connection, rhs):
        return connection.operators["contains"] % rhs  # the databases know the operator as "contains"


def name_key_words(text: str, key: str) -> Q:
    """Rows whose folded name key (a path to a `name_key_field`: "name_key", "client__name_key") holds every
    word of the typed text, anywhere and in any order, Polish letters optional both ways ("Łódź" finds
    "Lodz"). A text of no word is no condition (Q())."""
    condition = Q()
    for word in text.split():
        condition &= Q(**{f"{key}__{FoldedContains.lookup_name}": word})
    return condition


def name_key_field(*columns: str, max_length: int) -> GeneratedField:
    """The stored, database-computed key of a name: its columns joined by a space, then LOWER(REPLACE of
    each Polish letter); searched with its `folded` lookup, word by word (`name_key_words`; no word has a
    space, so none matches across two columns)."""
    parts: list[Expression] = [F(columns[0])]
    for column in columns[1:]:
        parts += [Value(" "), F(column)]
    joined = Concat(*parts, output_field=TextField()) if len(parts) > 1 else parts[0]
    key = stored_key_field(Lower(without_polish_letters(joined)), max_length=max_length)
    # This key's own lookup (instance lookups); a join reads the column as its output field.
    key.register_lookup(FoldedContains)
    key.output_field.register_lookup(FoldedContains)
    return key


EMAIL_KEY_LENGTH = 254


def email_key_field(column: str) -> GeneratedField:
    """The stored, database-computed key of an e-mail column: LOWER(the address); indexed in the model's Meta
    (number_keys.key_index), searched with number_keys.TextStartsWith."""
    return stored_key_field(Lower(column), max_length=EMAIL_KEY_LENGTH)


def email_domain_key_field(column: str) -> GeneratedField:
    """The stored key of an address's domain: LOWER(what follows the "@"), the whole text if it has none."""
    return stored_key_field(
        Lower(Substr(column, StrIndex(column, Value("@")) + 1)), max_length=EMAIL_KEY_LENGTH
    )
