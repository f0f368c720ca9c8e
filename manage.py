#!/usr/bin/env python
"""Django's command-line utility for Veracast.

`platform/` is a source root, not a package: it must never shadow the standard library's `platform`
module (uuid, torch and celery import it), so it goes on sys.path *after* the script directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def main() -> None:
    sys.path.insert(1, str(BASE_DIR / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
