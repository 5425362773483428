"""Packs in and out as zip archives or folders, so they can live in git.

Nothing from outside the pack is ever read or written: zip entries and folder paths that are
absolute, contain `..`, are links, or are not pack files are refused with a message naming
them, and archives and files over the size limits are refused before they are unpacked.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from advisor.engine import PackError, Problem
from advisor.engine.folder import MAX_FILES, read_folder
from advisor.engine.yamlsafe import MAX_FILE_BYTES
from advisor.packs.checking import file_name_problem

MAX_ARCHIVE_BYTES = 5_000_000  # the zip as uploaded
MAX_UNPACKED_BYTES = 20_000_000  # every file together, as written in the zip's directory


class ArchiveRefused(Exception):
    """The archive or folder cannot be imported; `problems` names every entry at fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


def _common_prefix(names: list[str]) -> str:
    """A single top folder that holds every file (as GitHub's zips have), to be stripped."""
    tops = {PurePosixPath(n).parts[0] for n in names}
    nested = all(len(PurePosixPath(n).parts) > 1 for n in names)
    return f"{tops.pop()}/" if len(tops) == 1 and nested and "pack.yaml" not in names else ""


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"{name}: links are not allowed in a pack"
    if name.startswith("/") or "\\" in name or ".." in PurePosixPath(name).parts:
        return f"{name}: entries must stay inside the pack (no absolute paths, no '..')"
    if info.file_size > MAX_FILE_BYTES:
        return f"{name}: larger than {MAX_FILE_BYTES:,} bytes"
    return None


def _is_hidden(info: zipfile.ZipInfo) -> bool:
    """Dot files and macOS resource forks, which zips of folders carry along."""
    parts = PurePosixPath(info.filename).parts
    return any(part.startswith((".", "__MACOSX")) and part != ".." for part in parts)


def files_from_zip(data: bytes) -> dict[str, str]:
    """The pack files of a zip archive, by their path inside the pack."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveRefused([f"the archive is larger than {MAX_ARCHIVE_BYTES:,} bytes"])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArchiveRefused(["this is not a zip archive"]) from None
    with archive:
        entries = [i for i in archive.infolist() if not i.is_dir()]
        problems = [p for i in entries if (p := _entry_problem(i))]
        entries = [i for i in entries if not _is_hidden(i)]
        if sum(i.file_size for i in entries) > MAX_UNPACKED_BYTES:
            problems.append(f"the files unpack to more than {MAX_UNPACKED_BYTES:,} bytes")
        if len(entries) > MAX_FILES:
            problems.append(f"{len(entries)} files; the limit is {MAX_FILES}")
        if problems:
            raise ArchiveRefused(problems)
        entries = [i for i in entries if i.filename.endswith((".yaml", ".yml"))]
        prefix = _common_prefix([i.filename for i in entries]) if entries else ""
        files = {i.filename[len(prefix) :]: _read_entry(archive, i) for i in entries}
    return _checked_names(files)


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    with archive.open(info) as handle:
        body = handle.read(MAX_FILE_BYTES + 1)  # the directory's size may lie
    if len(body) > MAX_FILE_BYTES:
        raise ArchiveRefused([f"{info.filename}: larger than {MAX_FILE_BYTES:,} bytes"])
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"file is not UTF-8 text ({exc.reason})"
        raise ArchiveRefused([str(Problem(info.filename, 1, 1, "error", message))]) from None


def _checked_names(files: dict[str, str]) -> dict[str, str]:
    problems = [p for name in files if (p := file_name_problem(name))]
    if not files:
        problems.append("no .yaml files in the archive")
    if problems:
        raise ArchiveRefused(problems)
    return dict(sorted(files.items()))


def files_from_folder(root: str | Path) -> dict[str, str]:
    """The pack files under a folder, read by the engine's reader (links out are refused)."""
    try:
        raw = read_folder(Path(root))
    except PackError as exc:
        raise ArchiveRefused([str(p) for p in exc.problems]) from None
    problems: list[str] = []
    files = {name: _text(name, body, problems) for name, body in raw.items()}
    if problems:
        raise ArchiveRefused(problems)
    return _checked_names(files)


def _text(name: str, body: bytes, problems: list[str]) -> str:
    if len(body) > MAX_FILE_BYTES:
        problems.append(f"{name}: larger than {MAX_FILE_BYTES:,} bytes")
        return ""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:  # worded as the engine words it
        problems.append(str(Problem(name, 1, 1, "error", f"file is not UTF-8 text ({exc.reason})")))
        return ""


def zip_of(files: Mapping[str, str], *, folder: str) -> bytes:
    """A zip archive of the files under one top folder (`folder/pack.yaml`, ...)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def write_folder(files: Mapping[str, str], root: str | Path) -> int:
    """Write the files under `root` (created if missing); refuses any path that leaves it."""
    base = Path(root).resolve()
    problems = [p for name in files if (p := file_name_problem(name))]
    if problems:
        raise ArchiveRefused(problems)
    for name, text in sorted(files.items()):
        target = (base / name).resolve()
        if not target.is_relative_to(base):
            raise ArchiveRefused([f"{name}: outside {base}"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return len(files)
