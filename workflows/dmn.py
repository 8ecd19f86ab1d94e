"""DMN decision tables shipped with a process version (business-rule tasks).

A BPMN business-rule task names its table with `<spiffworkflow:calledDecisionId>`; the DMN files live in
bpmn/dmn/ and are copied into the process version at deploy (`ProcessVersion.dmn`: decision id → XML),
so a version keeps the rules it was tested with, and the parsed spec is cached per version like the BPMN.

Here: reading a DMN file into plain data (`read_table`, for the deploy checks and the analysts' table
editor) and the checks a table must pass before it may be deployed (`dmn_problems`, run through
deploy_rules.deploy_checks); engine.parse_bpmn hands the tables to SpiffWorkflow's parser itself.

SpiffWorkflow 3.2 evaluates each input entry against its input expression: a plain value means
`input == value`, an entry starting with an operator is appended (`< 90`), and `?` stands for the input
(`not set(?) <= {"DE"}`); `-` or an empty cell matches anything. Output entries are Python expressions.
Hit policies: UNIQUE and FIRST give the first matching rule's outputs, COLLECT lists every match.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from lxml import etree

from backend.core.language import quoted
from workflows.engine import (
    DMN_NAMESPACES,
    BpmnProblem,
    BpmnValidationError,
    dmn_schema_problems,
    expression_problem,
    xml_syntax_message,
)

DMN13_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"
SUPPORTED_HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")
# How the engine names the input inside an entry that uses `?` (DMNEngine.evaluate).
_INPUT_PLACEHOLDER = "dmninputexpr"
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


@dataclass(frozen=True)
class DecisionInput:
    id: str
    label: str
    expression: str


@dataclass(frozen=True)
class DecisionOutput:
    id: str
    label: str
    name: str


@dataclass(frozen=True)
class DecisionRule:
    id: str
    description: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class DecisionTable:
    decision_id: str
    name: str
    table_id: str
    hit_policy: str
    inputs: tuple[DecisionInput, ...]
    outputs: tuple[DecisionOutput, ...]
    rules: tuple[DecisionRule, ...] = field(default_factory=tuple)

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(o.name or o.label for o in self.outputs)

    def to_dict(self) -> dict:
        return {
            "decision_id": self.decision_id,
            "name": self.name,
            "table_id": self.table_id,
            "hit_policy": self.hit_policy,
            "inputs": [{"id": i.id, "label": i.label, "expression": i.expression} for i in self.inputs],
            "outputs": [{"id": o.id, "label": o.label, "name": o.name} for o in self.outputs],
            "rules": [
                {
                    "id": r.id,
                    "description": r.description,
                    "inputs": list(r.inputs),
                    "outputs": list(r.outputs),
                }
                for r in self.rules
            ],
        }


def _line(element) -> int | None:
    return getattr(element, "sourceline", None)


def _root(xml: str | bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BpmnValidationError([BpmnProblem("", xml_syntax_message(exc, dmn=True), exc.lineno)]) from exc


def _child_text(element, local: str) -> str:
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == local:
            return (child.text or "").strip()
    return ""


def _children(element, local: str) -> list:
    return [c for c in element if isinstance(c.tag, str) and etree.QName(c).localname == local]


def read_table(xml: str | bytes) -> DecisionTable:
    """The first decision of the file and its table as plain data; BpmnValidationError when unreadable."""
    root = _root(xml)
    if etree.QName(root).localname != "definitions" or etree.QName(root).namespace not in DMN_NAMESPACES:
        message = _("The root element must be a DMN definitions element (DMN 1.1, 1.2 or 1.3).")
        raise BpmnValidationError([BpmnProblem("", message, _line(root))])
    decisions = _children(root, "decision")
    if len(decisions) != 1:
        message = _("The DMN file must hold exactly one decision (it holds %(count)d).") % {
            "count": len(decisions)
        }
        raise BpmnValidationError([BpmnProblem("", message, _line(root))])
    decision = decisions[0]
    tables = _children(decision, "decisionTable")
    if len(tables) != 1:
        message = _("The decision must hold exactly one decision table.")
        raise BpmnValidationError([BpmnProblem(decision.get("id", ""), message, _line(decision))])
    table = tables[0]
    inputs = tuple(
        DecisionInput(
            element.get("id", ""),
            element.get("label", ""),
            next((_child_text(e, "text") for e in _children(element, "inputExpression")), ""),
        )
        for element in _children(table, "input")
    )
    outputs = tuple(
        DecisionOutput(element.get("id", ""), element.get("label", ""), element.get("name", ""))
        for element in _children(table, "output")
    )
    rules = tuple(
        DecisionRule(
            element.get("id", ""),
            _child_text(element, "description"),
            tuple(_child_text(e, "text") for e in _children(element, "inputEntry")),
            tuple(_child_text(e, "text") for e in _children(element, "outputEntry")),
        )
        for element in _children(table, "rule")
    )
    return DecisionTable(
        decision.get("id", ""),
        decision.get("name", ""),
        table.get("id", ""),
        (table.get("hitPolicy") or "UNIQUE").upper(),
        inputs,
        outputs,
        rules,
    )


def _entry_source(entry: str) -> str:
    """The Python the engine evaluates for an input entry (with a stand-in name for the input)."""
    if _QUESTION_MARK.search(entry):
        return _QUESTION_MARK.sub(_INPUT_PLACEHOLDER, entry)
    try:
        ast.parse(entry, mode="eval")
        return f"({_INPUT_PLACEHOLDER}) == ({entry})"
    except SyntaxError:
        return f"{_INPUT_PLACEHOLDER} {entry}"


def column_title(label: str, fallback: str = "") -> str:
    """A column's title for messages: its label, of a label written "Polski / English" (the shipped
    tables' convention) the reader's half."""
    parts = [part.strip() for part in label.split(" / ")]
    if len(parts) == 2 and all(parts):
        return parts[1] if (get_language() or "").startswith("en") else parts[0]
    return label.strip() or fallback


def _where(rule_index: int | None, column: DecisionInput | DecisionOutput) -> str:
    """Where a cell is, as the table editor shows it: "Rule 7, column Days abroad"."""
    title = column_title(column.label, getattr(column, "name", "") or column.id)
    if rule_index is None:
        return _("Column %(column)s (input expression)") % {"column": title}
    return _("Rule %(row)d, column %(column)s") % {"row": rule_index + 1, "column": title}


def _cell_problem(source: str, cell: str) -> str:
    """Why a cell (`cell`, as the analyst wrote it; `source`, what the engine runs) cannot be deployed,
    in words without the engine's internals (its name for the input), or ""."""
    try:
        ast.parse(source, mode="eval")
    except SyntaxError:
        return _("the cell %(cell)s does not compile (a syntax error).") % {"cell": quoted(cell[:200])}
    reason = expression_problem(source, mode="eval")
    if reason:
        return _("the cell %(cell)s cannot be used: %(reason)s.") % {
            "cell": quoted(cell[:200]),
            "reason": reason,
        }
    return ""


def _names_read(source: str) -> list[str]:
    """The names an expression reads and does not bind itself (comprehension variables, lambdas)."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return []
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    bound |= {n.arg for n in ast.walk(tree) if isinstance(n, ast.arg)}
    read = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
    return [name for name in dict.fromkeys(read) if name not in bound and name != _INPUT_PLACEHOLDER]


def unknown_name_problems(table: DecisionTable, known: set[str]) -> list[BpmnProblem]:
    """Names a table's cells read that nothing provides (`known`: the variables of the process, the
    allowed functions): "> sześćdziesiąt" compiles, and would stop every request at run time.

    Input expressions under their column, input and output cells under their rule, each saying the row
    and the column. Cells that do not compile or are not allowed are table_problems' to report."""
    problems: list[BpmnProblem] = []

    def check(element_id: str, where: str, source: str) -> None:
        if not source or _cell_problem(source, source):
            return
        missing = [name for name in _names_read(source) if name not in known]
        if missing:
            names = ", ".join(quoted(name) for name in missing)
            message = ngettext("unknown name %(names)s", "unknown names %(names)s", len(missing)) % {
                "names": names
            }
            hint = _('Text goes in quotes ("text"); names must be variables of the process or functions.')
            problems.append(BpmnProblem(element_id, f"{where}: {message}. {hint}"))

    for column in table.inputs:
        check(column.id, _where(None, column), column.expression)
    for index, rule in enumerate(table.rules):
        if len(rule.inputs) != len(table.inputs) or len(rule.outputs) != len(table.outputs):
            continue
        for column, entry in zip(table.inputs, rule.inputs, strict=True):
            if entry and entry != "-":
                check(rule.id, _where(index, column), _entry_source(entry))
        for column, entry in zip(table.outputs, rule.outputs, strict=True):
            check(rule.id, _where(index, column), entry)
    return problems


def _element_lines(xml: str | bytes) -> dict[str, int | None]:
    return {e.get("id"): _line(e) for e in _root(xml).iter() if isinstance(e.tag, str) and e.get("id")}


def table_problems(table: DecisionTable, xml: str | bytes) -> list[BpmnProblem]:
    """What makes the table unsafe to deploy, each problem under the DMN element it is in."""
    lines = _element_lines(xml)
    problems: list[BpmnProblem] = []

    def problem(element_id: str, message: str) -> None:
        problems.append(BpmnProblem(element_id, message, lines.get(element_id)))

    if table.hit_policy not in SUPPORTED_HIT_POLICIES:
        problem(
            table.table_id,
            _("The hit policy %(policy)s is not supported (supported: %(supported)s).")
            % {"policy": table.hit_policy, "supported": ", ".join(SUPPORTED_HIT_POLICIES)},
        )
    if not table.outputs:
        problem(table.table_id, _("The decision table has no output column."))
    if not table.rules:
        problem(table.table_id, _("The decision table has no rule."))
    for column in table.inputs:
        if not column.expression:
            problem(column.id, _("The input column %(label)s has no expression.") % {"label": column.label})
            continue
        reason = _cell_problem(column.expression, column.expression)
        if reason:
            problem(column.id, f"{_where(None, column)}: {reason}")
    names = [o.name or o.label for o in table.outputs]
    for output in table.outputs:
        name = output.name or output.label
        if not name or not all(part.isidentifier() for part in name.split(".")):
            problem(output.id, _("The output column needs a name that is a variable name (e.g. allowed)."))
        elif names.count(name) > 1:
            problem(output.id, _("Two output columns have the name %(name)s.") % {"name": name})
    for index, rule in enumerate(table.rules):
        if len(rule.inputs) != len(table.inputs) or len(rule.outputs) != len(table.outputs):
            problem(
                rule.id,
                _("Rule %(row)d: the rule must have one cell for each input and output column.")
                % {"row": index + 1},
            )
            continue
        for column, entry in zip(table.inputs, rule.inputs, strict=True):
            if entry and entry != "-":
                reason = _cell_problem(_entry_source(entry), entry)
                if reason:
                    problem(rule.id, f"{_where(index, column)}: {reason}")
        for column, entry in zip(table.outputs, rule.outputs, strict=True):
            if entry:
                reason = _cell_problem(entry, entry)
                if reason:
                    problem(rule.id, f"{_where(index, column)}: {reason}")
    return problems


def dmn_problems(xml: str | bytes) -> list[BpmnProblem]:
    """Problems of one DMN file: schema, shape and expressions (empty when it can be deployed)."""
    try:
        table = read_table(xml)
    except BpmnValidationError as exc:
        return exc.problems
    return dmn_schema_problems(_root(xml), table.decision_id) or table_problems(table, xml)


def element_ids(tables: dict[str, str]) -> set[str]:
    """The ids of the tables' elements (rules, columns, tables) and the decision ids: what a problem
    in a table is keyed by."""
    found = set(tables)
    for xml in tables.values():
        try:
            found |= set(_element_lines(xml))
        except BpmnValidationError:
            continue
    return found


def decision_tables(tables: dict[str, str]) -> dict[str, DecisionTable]:
    """Decision id → table of each readable file (unreadable ones are left out: dmn_problems names them)."""
    found = {}
    for xml in tables.values():
        try:
            table = read_table(xml)
        except BpmnValidationError:
            continue
        found[table.decision_id] = table
    return found


# --------------------------------------------------------------------------------------------------
# The tables a version ships: uploaded with the BPMN, or the repository's bpmn/dmn/<decision id>.dmn


def dmn_dir():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.BASE_DIR) / "bpmn" / "dmn"


def called_decisions(bpmn_xml: str | bytes) -> list[str]:
    """The decision ids the file's business-rule tasks call, in document order."""
    try:
        root = _root(bpmn_xml)
    except BpmnValidationError:
        return []
    found = [
        (e.text or "").strip()
        for e in root.iter("{http://spiffworkflow.org/bpmn/schema/1.0/core}calledDecisionId")
    ]
    return list(dict.fromkeys(d for d in found if d))


def tables_for_deploy(bpmn_xml: str, uploaded: dict[str, str] | None = None) -> dict[str, str]:
    """Decision id → DMN XML for the version: each called table from the upload (keyed by the decision
    id it holds), else the shipped bpmn/dmn/<id>.dmn; a table found nowhere is left out (the deploy
    rules then name the task that calls it)."""
    by_id: dict[str, str] = {}
    for xml in (uploaded or {}).values():
        try:
            by_id[read_table(xml).decision_id] = xml
        except BpmnValidationError:
            # Keep the broken upload under its key so that its problems are reported.
            by_id.setdefault(next(k for k, v in (uploaded or {}).items() if v is xml), xml)
    tables: dict[str, str] = {}
    for decision_id in called_decisions(bpmn_xml):
        if decision_id in by_id:
            tables[decision_id] = by_id[decision_id]
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}", decision_id):
            continue
        path = dmn_dir() / f"{decision_id}.dmn"
        if path.is_file():
            tables[decision_id] = path.read_text(encoding="utf-8")
    # Uploaded tables nobody calls are kept too: their problems are reported, not silently dropped.
    for key, xml in by_id.items():
        tables.setdefault(key, xml)
    return tables
