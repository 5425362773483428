#!/usr/bin/env python3
"""Django's command-line utility for the Architecture Decision Advisor."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advisor.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A configuration mistake deserves one line that says what to do, not a traceback.
        sys.exit(f"error: {exc}")


if __name__ == "__main__":
    main()
