"""Faults of an operator's bad day, simulated in-process where a real kill or a full disk cannot be scripted."""

from __future__ import annotations

import errno

import pytest
from django.core.files.storage import FileSystemStorage

from tests.ops_walk14.conftest import queued  # noqa: F401  (the worker's queue, collected)


@pytest.fixture
def disk_full(monkeypatch) -> dict:
    """Every file write fails as a full disk does at close(): the file is created, then ENOSPC. `state["full"]`
    False frees the disk again."""
    state = {"full": True}
    real_save = FileSystemStorage._save

    def save(storage, name, content):
        stored = real_save(storage, name, content)
        if state["full"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return stored

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return state


def stored_files(root) -> list[str]:
    """The files under MEDIA_ROOT, by their path inside it."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
