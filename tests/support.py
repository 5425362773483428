"""What every test layer shares: the repository, the default pack, the mini fixture pack, and
how many examples a property test draws."""

from __future__ import annotations

from pathlib import Path

from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RULES = REPO / "rules"
MINI = REPO / "tests" / "fixtures" / "packs" / "mini"


def examples(thorough: int) -> int:
    """How many examples a property test draws: `thorough` under the `dev` profile (`make
    test-slow`), and as many fewer under `ci` (`make test`) as that profile asks for, at
    least 10. The profiles are registered and loaded in tests/conftest.py."""
    share = settings.default.max_examples / settings.get_profile("dev").max_examples
    return max(10, round(thorough * min(share, 1.0)))
