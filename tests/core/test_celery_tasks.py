"""Every task the project defines is one the worker knows: a module left out of autodiscovery made the
worker drop its messages ("Received unregistered task … KeyError"), e.g. every invitation e-mail."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# What a starting worker knows: a fresh interpreter, so no module this test run imported counts.
WORKER_TASKS = """
import django, json
django.setup()
from backend.config.celery import app
app.loader.import_default_modules()
print(json.dumps(sorted(app.tasks)))
"""


def _task_names_defined_in(path: Path) -> list[str]:
    """The names of the @shared_task functions of a tasks.py, as Celery names them."""
    module = ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts)
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            target = call.func if call else decorator
            if getattr(target, "id", getattr(target, "attr", "")) != "shared_task":
                continue
            explicit = [k.value.value for k in (call.keywords if call else []) if k.arg == "name"]
            names.append(
                explicit[0] if explicit and isinstance(explicit[0], str) else f"{module}.{node.name}"
            )
    return names


def test_every_task_module_of_the_project_is_registered_with_the_worker():
    base = Path(settings.BASE_DIR)
    modules = [
        path
        for path in base.glob("**/tasks.py")
        if ".venv" not in path.parts and "tests" not in path.parts and "node_modules" not in path.parts
    ]
    assert len(modules) >= 6
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backend.config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", WORKER_TASKS], cwd=base, env=env, capture_output=True, text=True, check=True
    ).stdout
    registered = set(json.loads(out.strip().splitlines()[-1]))
    missing = {
        str(path.relative_to(base)): name
        for path in modules
        for name in _task_names_defined_in(path)
        if name not in registered
    }
    assert missing == {}
