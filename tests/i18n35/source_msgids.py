"""The texts the code marks for translation, read from its source the way makemessages reads them: the
literal arguments of the gettext family in Python, and the literal `translate` / `blocktranslate` tags of
the templates (a tag whose context is a variable is skipped: its context is only known at run time)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_FOLDERS = ("backend", "portal_ui", "workflows", "notifications")
# name -> (index of the context argument or None, index of the singular, index of the plural or None)
_GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_STRING = r'(?:"([^"]*)"|\'([^\']*)\')'
_TRANSLATE_TAG = re.compile(
    r"{%\s*(?:translate|trans)\s+" + _STRING + r"(?:\s+context\s+(?:" + _STRING + r"|(\w+)))?"
)
_BLOCK_TAG = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b(.*?)%}(.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}", re.S
)
_BLOCK_CONTEXT = re.compile(r"\bcontext\s+" + _STRING)
_VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


@dataclass(frozen=True)
class Msgid:
    text: str
    context: str | None
    plural: str | None
    where: str


def python_msgids() -> Iterator[Msgid]:
    for folder in SOURCE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # verbose names of past schemas: the models' own texts are read instead
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and (found := _gettext_call(node)):
                    yield Msgid(*found, where=f"{path.relative_to(ROOT)}:{node.lineno}")


def _gettext_call(node: ast.Call) -> tuple[str, str | None, str | None] | None:
    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
    if name not in _GETTEXT_CALLS:
        return None
    context_at, text_at, plural_at = _GETTEXT_CALLS[name]
    wanted = [i for i in (context_at, text_at, plural_at) if i is not None]
    if len(node.args) <= max(wanted):
        return None
    literals = {i: node.args[i].value for i in wanted if isinstance(node.args[i], ast.Constant)}
    if set(literals) != set(wanted) or not all(isinstance(v, str) for v in literals.values()):
        return None  # a variable's text (translated where it was written) or a call of another `_`
    context = literals[context_at] if context_at is not None else None
    plural = literals[plural_at] if plural_at is not None else None
    return literals[text_at], context, plural


def template_msgids() -> Iterator[Msgid]:
    for folder in SOURCE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("templates/**/*")):
            if path.suffix not in {".html", ".txt", ".xml", ".js"} or not path.is_file():
                continue
            source = path.read_text(encoding="utf-8")
            where = str(path.relative_to(ROOT))
            for match in _TRANSLATE_TAG.finditer(source):
                if match.group(5):
                    continue  # a context held in a variable
                text = match.group(1) if match.group(1) is not None else match.group(2)
                context = match.group(3) if match.group(3) is not None else match.group(4)
                # Django looks a literal up with its % doubled (template.base.Variable), as makemessages writes it.
                yield Msgid(text.replace("%", "%%"), context, None, where)
            for match in _BLOCK_TAG.finditer(source):
                if (found := _block_msgid(*match.groups())) is not None:
                    yield Msgid(*found, None, where)


def _block_msgid(options: str, body: str) -> tuple[str, str | None] | None:
    """The msgid of a `blocktranslate` as Django looks it up: % doubled, each {{ name }} as %(name)s."""
    if re.search(r"\b(?:count|plural)\b", options) or "{% plural" in body or "{%" in body:
        return None  # plural forms and nested tags: left to the page crawl
    if re.search(r"\bcontext\s+\w", options) and not _BLOCK_CONTEXT.search(options):
        return None  # a context held in a variable
    context_match = _BLOCK_CONTEXT.search(options)
    context = None
    if context_match:
        context = context_match.group(1) if context_match.group(1) is not None else context_match.group(2)
    text = _VARIABLE.sub(r"%(\1)s", body.replace("%", "%%"))
    if re.search(r"\btrimmed\b", options):
        text = " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return text, context
