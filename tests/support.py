"""Paths every test layer shares: the repository, the default pack and the mini fixture pack."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RULES = REPO / "rules"
MINI = REPO / "tests" / "fixtures" / "packs" / "mini"
