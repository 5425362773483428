"""Problems found in a pack, and the error that carries them.

Every message names a file, line and column, so a consultant can jump straight to it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


class PackError(Exception):
    """A pack that cannot be used; `problems` lists every error and warning found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems)
        errors = [p for p in self.problems if p.is_error]
        first = str(errors[0]) if errors else "no errors"
        super().__init__(f"{len(errors)} error(s) in pack; first: {first}")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix naming the nearest valid id, or a list of the valid ones."""
    ordered = sorted(set(choices))
    close = difflib.get_close_matches(str(word), ordered, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if 0 < len(ordered) <= 8:
        return f"; expected one of: {', '.join(ordered)}"
    return ""
