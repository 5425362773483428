"""The app's settings, with URLs that add the benchmark's reference views."""

from __future__ import annotations

from advisor.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_site.urls"
