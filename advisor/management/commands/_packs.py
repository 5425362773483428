"""Shared bit of the rule-pack commands: loading a pack folder with clear errors."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, OutputWrapper

from advisor.engine import Pack, PackError, load_pack


def load_or_fail(path: str | Path, out: OutputWrapper) -> Pack:
    """Load a pack; on failure print every problem as file:line:column and exit 1."""
    try:
        return load_pack(path)
    except PackError as exc:
        for problem in exc.problems:
            out.write(str(problem))
        errors = sum(p.is_error for p in exc.problems)
        raise CommandError(
            f"{path}: {errors} error(s); the pack was not loaded", returncode=1
        ) from None
