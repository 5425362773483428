"""A Django site for bench/bench_api.py: the app's URLs plus two reference views."""

from __future__ import annotations
