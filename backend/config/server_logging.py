"""uvicorn's logging as scripts/serve_web.py starts it: its level for everything, except that a web process
uvicorn's supervisor restarted is said at WARNING ("The web process [pid] stopped, started again"), as the
worker says it, instead of its "Child process [pid] died" at INFO, which `--log-level warning` hid.

A filter rather than a supervisor of our own: uvicorn keeps restarting its processes itself.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

_DIED = re.compile(r"Child process \[(\d+)\] died")


class SupervisorRestarts(logging.Filter):
    """On `uvicorn.error` (set to INFO): records at `level` or above, and the supervisor's restarts."""

    def __init__(self, level: str = "WARNING") -> None:
        super().__init__()
        self.level = logging.getLevelNamesMapping()[level.upper()]

    def filter(self, record: logging.LogRecord) -> bool:
        died = _DIED.fullmatch(record.getMessage())
        if died:
            record.msg, record.args = "The web process [%s] stopped, started again", (died[1],)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            return True
        return record.levelno >= self.level


def logging_config(level: str) -> dict[str, Any]:
    """uvicorn's own LOGGING_CONFIG, its loggers at `level`, the supervisor's restarts let through."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"restarts": {"()": f"{__name__}.SupervisorRestarts", "level": level}}
    config["loggers"]["uvicorn.error"] = {"level": "INFO", "filters": ["restarts"]}
    config["loggers"]["uvicorn.access"]["level"] = level.upper()
    return config
