"""Task forms: JSON Schemas in bpmn/forms/<form key>.json (or in bpmn/forms/shared/), checked with jsonschema.

A user task names its form with the spiffworkflow property `formKey`; the schema is copied into the
ProcessVersion when it is deployed, so a later edit of the file never changes a running version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from jsonschema import Draft202012Validator, ValidationError

from backend.core.exceptions import PortalValidationError

if TYPE_CHECKING:
    from workflows.models import ProcessVersion


def forms_dir() -> Path:
    return Path(settings.BASE_DIR) / "bpmn" / "forms"


SHARED = "shared"  # bpmn/forms/shared/<name>.json: the form of every type whose folder has no <name>.json


def form_path(form_key: str) -> Path | None:
    """Return the schema file of a form key, or None when the key is malformed or missing.

    `<kind>/<name>` is the kind's own file, else the shared one when the kind has a folder of forms: the
    BPMN keeps naming `<kind>/client_reply` (as any modeler shows it) while identical forms live once.
    """
    base = forms_dir().resolve()
    path = (base / f"{form_key}.json").resolve()
    if base not in path.parents:
        return None
    if path.is_file():
        return path
    shared = base / SHARED / path.name
    if path.parent.parent == base and path.parent.is_dir() and shared.is_file():
        return shared
    return None


def form_keys() -> list[str]:
    """Every form key a user task may name: each kind's own files and the shared forms it takes."""
    base = forms_dir()
    kinds = [path.name for path in base.iterdir() if path.is_dir() and path.name != SHARED]
    own = {f"{kind}/{path.stem}" for kind in kinds for path in (base / kind).glob("*.json")}
    shared = [path.stem for path in (base / SHARED).glob("*.json")]
    return sorted(own | {f"{kind}/{name}" for kind in kinds for name in shared})


def form_exists(form_key: str) -> bool:
    return form_path(form_key) is not None


def load_form(form_key: str) -> dict:
    path = form_path(form_key)
    if path is None:
        raise FileNotFoundError(form_key)
    return json.loads(path.read_text(encoding="utf-8"))


def version_form(version: ProcessVersion, form_key: str) -> dict:
    """The form a version's task is checked against (and which the API shows): its deploy-time copy with
    each `if` over properties applying only when those properties are given (rules_on_given_values).

    The one reader of `version.forms` for a task: a version deployed before its files gained the
    `required` keeps its stored copy (and checksum) as it was, yet behaves as its analyst meant.

    Normalised once per process and version (a step reads it on every save): the cached copy is shared,
    so callers read it and never change it. The stored copy it came from is kept beside it and compared
    (a C-level dict comparison, cheaper than the walk), so a row whose forms were rewritten in place is
    never answered from a stale entry.
    """
    stored = version.forms.get(form_key, {})
    key = (version.pk, version.checksum, form_key)
    cached = _version_forms.get(key)
    if cached is not None and cached[0] == stored:
        return cached[1]
    normalised = rules_on_given_values(stored)
    if version.pk is not None:
        _version_forms[key] = (stored, normalised)
    return normalised


# (version id, checksum, form key) -> (the stored schema, its normalised copy). One entry per task form of
# a deployed version: a few hundred at most; a plain dict's item assignment is atomic across threads.
_version_forms: dict[tuple[int | None, str, str], tuple[Any, dict]] = {}


# The keywords whose value is a schema, a list of schemas, or schemas by name (JSON Schema 2020-12).
_SUBSCHEMA = ("if", "then", "else", "not", "items", "contains", "additionalProperties", "propertyNames")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")


def rules_on_given_values(schema: Any) -> Any:
    """`schema` (a copy; the input is left as it is) with every `if` that tests properties also requiring
    them.

    JSON Schema's `properties` holds for an object without the property, so `if: {properties: {decision:
    {const: "reject"}}}` holds when no decision is given, and its `then` demands the reason beside the one
    real error, "decision is required". Analysts write such a rule meaning "when the decision is reject"
    (bpmn/forms now say so with `required`); a rule meant for a missing value says `not: {required: [...]}`.
    """
    if not isinstance(schema, dict):
        return schema
    copied = dict(schema)
    for key in _SUBSCHEMA:
        if key in schema:
            copied[key] = rules_on_given_values(schema[key])
    for key in _SUBSCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            copied[key] = [rules_on_given_values(item) for item in schema[key]]
    for key in _SUBSCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            copied[key] = {name: rules_on_given_values(item) for name, item in schema[key].items()}
    condition = copied.get("if")
    if isinstance(condition, dict) and isinstance(condition.get("properties"), dict):
        required = list(condition.get("required", []))
        tested = [name for name in condition["properties"] if name not in required]
        copied["if"] = {**condition, "required": required + tested}
    return copied


# What a value of the wrong JSON type is asked to be, by the type the schema names ("yes" for a boolean).
TYPE_MESSAGES = {
    "boolean": lambda: _("Enter true or false."),
    "integer": lambda: _("Enter a whole number."),
    "number": lambda: _("Enter a number."),
    "string": lambda: _("Enter text."),
    "array": lambda: _("A list of values was expected here."),
    "object": lambda: _("An object (names with their values) was expected here."),
}


def _type_message(expected: str | list[str]) -> str:
    names = [expected] if isinstance(expected, str) else [t for t in expected if t != "null"]
    message = TYPE_MESSAGES.get(names[0] if names else "")
    return message() if message else _("Enter a valid value.")


def _message(error) -> str:
    if error.validator == "type":
        return _type_message(error.validator_value)
    if error.validator == "required":
        return _("This field is required.")
    if error.validator in {"enum", "const"}:
        return _("Select a valid choice.")
    limit = {"limit": error.validator_value}
    # Plural forms: Polish says "3 znaki", "5 znaków", "1 znak".
    if error.validator == "maxLength":
        return (
            ngettext(
                "Ensure this value has at most %(limit)d character.",
                "Ensure this value has at most %(limit)d characters.",
                error.validator_value,
            )
            % limit
        )
    if error.validator == "minLength":
        return (
            ngettext(
                "Ensure this value has at least %(limit)d character.",
                "Ensure this value has at least %(limit)d characters.",
                error.validator_value,
            )
            % limit
        )
    if error.validator == "additionalProperties":
        return _("This field is not expected here.")
    if error.validator == "maxItems":
        return (
            ngettext(
                "Ensure this list has at most %(limit)d item.",
                "Ensure this list has at most %(limit)d items.",
                error.validator_value,
            )
            % limit
        )
    return _("Enter a valid value.")


def _field(error) -> str:
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return ".".join([*(str(p) for p in error.absolute_path), missing]).strip(".")
    if error.validator == "additionalProperties":
        extra = error.message.split("'")[1] if "'" in error.message else ""
        return ".".join([*(str(p) for p in error.absolute_path), extra]).strip(".")
    return ".".join(str(p) for p in error.absolute_path) or "non_field_errors"


def _errors(schema: dict, data: dict) -> Iterator[ValidationError]:
    """The concrete errors of `data` against the schema (if/then errors come as nested contexts)."""
    for error in Draft202012Validator(schema).iter_errors(data):
        yield from [error, *error.context] if error.context else [error]


def schema_errors(schema: dict, data) -> dict[str, list[str]]:
    """The translated messages of what the schema refuses in `data`, by dotted field path ({}: it fits).

    A value of the wrong type says only that: "yes" for a declaration is not also "not a valid choice".
    """
    leaves: dict[str, list] = {}
    for leaf in _errors(schema, data):
        leaves.setdefault(_field(leaf), []).append(leaf)
    fields: dict[str, list[str]] = {}
    for field, found in leaves.items():
        typed = [leaf for leaf in found if leaf.validator == "type"]
        fields[field] = list(dict.fromkeys(_message(leaf) for leaf in typed or found))
    return fields


def validate_form_data(schema: dict, data: dict) -> None:
    """Raise PortalValidationError with a translated message per field unless `data` fits the schema."""
    fields = schema_errors(schema, data)
    if fields:
        raise PortalValidationError(fields=fields)


def missing_required(schema: dict, data: dict) -> set[str]:
    """The fields the schema requires of `data` (its if/then rules included) that `data` lacks: what
    validate_form_data refuses as "This field is required", for a page to mark them required up front."""
    return {_field(leaf) for leaf in _errors(schema, data) if leaf.validator == "required"}


def min_length(schema: dict, data: dict, field: str) -> int:
    """The fewest characters the schema lets `field` have beside `data` (0: no floor): the property's own
    `minLength` or one an if/then rule holding for `data` adds. A page's `minlength` says it up front."""
    rules = [rule for rule in [schema, *schema.get("allOf", [])] if "if" in rule]
    floors = [(schema.get("properties") or {}).get(field, {}).get("minLength", 0)]
    for rule in rules:
        if Draft202012Validator(rule["if"]).is_valid(data):
            floors.append(
                ((rule.get("then") or {}).get("properties") or {}).get(field, {}).get("minLength", 0)
            )
    return max(floors)
