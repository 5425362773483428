"""Checking files for the editor: the cached, incremental path agrees with a plain load, and
the caches stay bounded however many drafts are checked."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import PackError, load_pack
from advisor.packs import cache, check_files, clear_caches
from advisor.packs.archive import files_from_folder
from tests.support import DEFAULT_RULES

FILES = files_from_folder(DEFAULT_RULES)
NAMES = sorted(FILES)


def plain(files: dict[str, str]) -> tuple[tuple, bool]:
    try:
        pack = load_pack(files)
    except PackError as exc:
        return tuple(exc.problems), False
    return tuple(pack.warnings), True


edits = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.integers(min_value=0, max_value=2_000),
        st.sampled_from(["x", " ", "\n", ":", "-", "'", "_"]),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=10, deadline=None)
@given(edits)
def test_the_incremental_check_agrees_with_a_plain_load(changes):
    files = dict(FILES)
    check_files(files)  # warm: every file's parse is cached
    for name, offset, char in changes:
        text = files[name]
        at = offset % (len(text) + 1)
        files[name] = text[:at] + char + text[at:]

    check = check_files(files)

    problems, valid = plain(files)
    assert check.problems == problems
    assert check.valid is valid


def test_the_caches_are_bounded():
    clear_caches()
    files = dict(FILES)
    for n in range(cache.COMPILED_MAX + 3):
        files["pack.yaml"] = FILES["pack.yaml"] + f"# draft {n}\n"
        check_files(files)

    assert len(cache.checks) == cache.COMPILED_MAX
    assert len(cache.compiled_packs) <= cache.COMPILED_MAX
    assert len(cache.checked_files) <= cache.FILES_MAX
