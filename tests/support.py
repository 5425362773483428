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


# Characters the engine refuses in text answers: C0 and C1 controls (tab, newline and carriage
# return excepted), DEL, bidi embeddings/overrides/isolates and noncharacters.
REFUSED_IN_TEXT = "".join(
    map(
        chr,
        [
            *range(0x09),
            0x0B,
            0x0C,
            *range(0x0E, 0x20),
            *range(0x7F, 0xA0),
            *range(0x202A, 0x202F),
            *range(0x2066, 0x206A),
            *range(0xFDD0, 0xFDF0),
            *(plane * 0x10000 + end for plane in range(17) for end in (0xFFFE, 0xFFFF)),
        ],
    )
)
