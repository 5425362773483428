"""The app's settings, with URLs that add the web benchmark's reference page."""

from __future__ import annotations

import os
from pathlib import Path

from advisor.settings import *  # noqa: F403
from advisor.settings import TEMPLATES

ROOT_URLCONF = "bench.web_site.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
# Pages need the hashed static files, as in production: the benchmark collects them here.
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT))  # noqa: F405
