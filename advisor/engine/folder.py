"""Reading a pack folder from disk: only its own YAML files, each bounded in size.

A pack folder may come from anyone who can commit to it, so a link that leads out of it
(`rules/x.yaml -> /etc/passwd`) is refused before anything is read: the foreign file's content
never reaches a message. Every failure is a Problem at the file it concerns.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .problems import PackError, Problem
from .yamlsafe import MAX_FILE_BYTES

MAX_FILES = 300
SUFFIXES = (".yaml", ".yml")
OUTSIDE = "a link that leads outside the pack folder; packs are read only from their own folder"


def read_folder(root: Path) -> dict[str, bytes]:
    """The pack's YAML files by relative POSIX path; PackError on anything we refuse."""
    if not root.is_dir():
        raise PackError([_problem(str(root), "not a folder: a pack is a folder of YAML files")])
    real_root = root.resolve()
    problems: list[Problem] = []
    paths: list[tuple[str, Path]] = []
    for name, path in _candidates(root):
        refusal = _link_refusal(path, real_root)
        if refusal:
            problems.append(_problem(name, refusal))
        elif path.is_file():
            paths.append((name, path))
    if not paths and not problems:
        problems.append(_problem(str(root), "no .yaml files in this folder"))
    if len(paths) > MAX_FILES:
        problems.append(_problem(str(root), f"{len(paths)} files; the limit is {MAX_FILES}"))
    files = {} if problems else _read_all(paths, problems)
    if problems:
        raise PackError(problems)
    return files


def _candidates(root: Path) -> Iterator[tuple[str, Path]]:
    """YAML files and links to folders, hidden names left out; links are never followed."""
    for folder, subfolders, names in os.walk(root, followlinks=False):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        linked = [d for d in subfolders if (here / d).is_symlink()]
        for name in sorted(linked + [n for n in names if n.endswith(SUFFIXES)]):
            if not name.startswith("."):
                yield (here / name).relative_to(root).as_posix(), here / name


def _link_refusal(path: Path, real_root: Path) -> str:
    """Why a link cannot be read ("" for a plain file or a link that stays inside)."""
    if not path.is_symlink():
        return ""
    target = path.resolve()
    if not target.is_relative_to(real_root):
        return OUTSIDE
    if not target.exists():
        return "a link to a file that does not exist"
    return "" if target.is_file() else "a link to a folder; put the files in the pack folder"


def _read_all(paths: list[tuple[str, Path]], problems: list[Problem]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for name, path in paths:
        try:
            with path.open("rb") as handle:  # never read more than we would accept
                files[name] = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            problems.append(_problem(name, f"the file cannot be read ({exc.strerror or exc})"))
    return files


def _problem(file: str, message: str) -> Problem:
    return Problem(file, 1, 1, "error", message)
