"""Stage labels read from the deployed BPMN, not from a table in the code.

A stage is a user task or an end event (ProcessInstance.stage); its label is the element's `name`
(Polish) and its `titleEn` property (English) in the version the request runs on. An analyst who
renames a task in the modeler sees the new label on every page, API answer and e-mail after deploy.

Deployed versions never change, so each process keeps a version's titles after reading it once: a
label of a known version costs no query. Committed version ids are never reused (only a rolled-back
insert's id can come back on SQLite, which the test suite clears with `forget`).
"""

from __future__ import annotations

import threading
from collections import Counter

from workflows.models import ProcessVersion
from workflows.versioning import current_versions, element_infos, parsed

Titles = dict[str, tuple[str, str]]  # stage id → (Polish name, English titleEn)

_titles: dict[int, Titles] = {}
_element_names: dict[int, dict[str, str]] = {}
_lock = threading.Lock()


def version_titles(version_id: int) -> Titles:
    """The stage titles of one deployed version: read and parsed once per process, then cached."""
    titles = _titles.get(version_id)
    if titles is None:
        version = ProcessVersion.objects.filter(pk=version_id).first()
        if version is None:
            return {}
        # The spec cache of versioning.parsed: a version is parsed once per process.
        titles = parsed(version).stage_titles
        with _lock:
            _titles[version_id] = titles
    return titles


def element_names(version_id: int) -> dict[str, str]:
    """Every named element of one deployed version (a service task, a timer, an end event…) by its id: its
    name in the diagram, which a message about the element (an incident's reason) says instead of the id."""
    names = _element_names.get(version_id)
    if names is None:
        version = ProcessVersion.objects.filter(pk=version_id).first()
        if version is None:
            return {}
        names = {
            key: info["name"] for key, info in element_infos(version.bpmn_xml).items() if info.get("name")
        }
        with _lock:
            _element_names[version_id] = names
    return names


def current_names(process_key: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Every name each stage has in the current version of one process (or of every process): each
    (Polish, English) pair once, the one most processes give first (ties: the first process by id).

    A stage id across processes (staff_review) may be renamed in one of them: its filter option and
    dashboard column name it as every request page does, not by a vote that hides the new name. Two
    queries for the current version ids (they change with deploys and rollbacks); call it once per page.
    """
    votes: dict[str, Counter] = {}
    for key, version_id in sorted(current_versions().items()):
        if process_key is None or key == process_key:
            for stage_id, pair in version_titles(version_id).items():
                votes.setdefault(stage_id, Counter())[pair] += 1
    return {stage_id: [pair for pair, _count in counter.most_common()] for stage_id, counter in votes.items()}


def pick(pair: tuple[str, str] | None, language: str) -> str | None:
    if pair is None:
        return None
    polish, english = pair
    return english if language == "en" else polish


def title(
    stage_id: str,
    *,
    language: str = "pl",
    version_id: int | None = None,
    process_key: str | None = None,
) -> str | None:
    """The label of a stage in `language`: from the version given, else from the current version of the
    process (or of any process). None when no such version names the stage."""
    if not stage_id:
        return None
    if version_id is not None:
        found = pick(version_titles(version_id).get(stage_id), language)
        if found is not None:
            return found
    names = current_names(process_key).get(stage_id)
    return pick(names[0], language) if names else None


def forget() -> None:
    """Drop the cached titles (tests: SQLite hands a rolled-back version's id to the next one)."""
    with _lock:
        _titles.clear()
        _element_names.clear()
