"""The engine's boundaries, read from the source (every import, also those inside functions):
only workflows/ imports SpiffWorkflow, and workflows/ imports no domain app (backend.core only)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = ["backend", "portal_ui", "notifications", "scripts"]  # bench/ compares against bare SpiffWorkflow


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def python_files(*folders: str) -> list[Path]:
    return [
        path
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_only_workflows_imports_spiffworkflow():
    offenders = {
        str(path.relative_to(ROOT))
        for path in python_files(*APP_CODE)
        if any(name.split(".")[0] == "SpiffWorkflow" for name in imported_modules(path))
    }
    assert offenders == set()


def test_workflows_imports_no_domain_app():
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in python_files("workflows")
        for name in imported_modules(path)
        if name.startswith("backend.") and not name.startswith("backend.core")
    }
    assert offenders == set()


def test_the_boundary_check_sees_imports_inside_functions(tmp_path):
    # A check that cannot fail is no check: a function-level import of a domain app is found.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from backend.requests_app.models import RequestEvent\n", encoding="utf-8"
    )
    assert "backend.requests_app.models" in imported_modules(sample)
