#!/usr/bin/env python
"""Django's command-line utility for Portal Klienta."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
    from django.core.management import execute_from_command_line

    from backend.core.env import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        # A variable the portal cannot use, or an unsafe production setting: its message, no traceback.
        sys.exit(f"Configuration error: {error}")
