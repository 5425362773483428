"""Reading a pack never fails with anything but PackError (SECURITY.md rows 22 and 26).

Huge integers, unreadable files and links that leave the pack folder each become a problem at
file:line:column, and no message carries the content of a file that is not the pack's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.engine import PackError, load_pack
from advisor.engine.yamlsafe import YamlProblem, parse_yaml
from tests import support as _support

MINI = _support.MINI
SECRET = "root:x:0:0:secret-line-of-a-foreign-file:/root:/bin/bash"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(MINI, folder)
    return folder


def errors_of(source: Path | dict) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(source)
    return [str(p) for p in caught.value.problems if p.is_error]


# --- huge integers (row 22) ------------------------------------------------------------------


def test_a_5000_digit_integer_is_a_problem_at_its_position() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("q.yaml", "a: 1\nb:\n  c: " + "9" * 5000 + "\n")

    problem = caught.value
    assert (problem.line, problem.column) == (3, 6)
    assert problem.message == "a number of 5000 digits; numbers in packs have at most 18"


def test_a_huge_integer_in_a_pack_file_is_a_pack_error(pack: Path) -> None:
    questions = pack / "questions.yaml"
    questions.write_text(questions.read_text().replace("max: 500", "max: " + "7" * 5000))

    errors = errors_of(pack)

    # The questions' file is then unread, so references to its questions are reported as well.
    assert (
        "questions.yaml:34:10: error: a number of 5000 digits; numbers in packs have at most 18"
        in errors
    )


def test_a_huge_negative_integer_or_one_in_a_list_is_refused() -> None:
    for text in ["n: -" + "1" * 4400 + "\n", "[1, 2, " + "3" * 19 + "]\n"]:
        with pytest.raises(YamlProblem, match="numbers in packs have at most 18"):
            parse_yaml("x.yaml", text)


def test_integers_up_to_18_digits_still_read_as_numbers_and_keys_stay_text() -> None:
    key = "1" * 1000  # libyaml reads keys up to 1024 characters
    text = f"n: -999999999999999999\n{key}: x\n"

    assert parse_yaml("x.yaml", text).data == {"n": -999_999_999_999_999_999, key: "x"}


# --- links and unreadable files (row 26) -----------------------------------------------------


def test_a_link_to_a_file_outside_the_folder_is_refused_without_its_content(
    pack: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "passwd"
    foreign.write_text(SECRET + "\n")
    (pack / "passwd.yaml").symlink_to(foreign)

    errors = errors_of(pack)

    assert errors == [
        "passwd.yaml:1:1: error: a link that leads outside the pack folder; "
        "packs are read only from their own folder"
    ]


def test_a_link_to_etc_passwd_never_shows_its_lines(pack: Path) -> None:
    (pack / "rules" / "passwd.yaml").symlink_to("/etc/passwd")

    with pytest.raises(PackError) as caught:
        load_pack(pack)

    text = "\n".join(map(str, caught.value.problems)) + str(caught.value)
    assert "root:" not in text
    assert "rules/passwd.yaml:1:1: error: a link that leads outside the pack folder" in text


def test_a_linked_folder_outside_the_pack_is_refused(pack: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "leak.yaml").write_text(f"note: {SECRET}\n")
    (pack / "more").symlink_to(outside, target_is_directory=True)

    errors = errors_of(pack)

    assert errors == [
        "more:1:1: error: a link that leads outside the pack folder; "
        "packs are read only from their own folder"
    ]
    assert SECRET not in "".join(errors)


def test_a_link_that_stays_inside_the_folder_is_read(pack: Path) -> None:
    (pack / "rules" / "main.yaml").rename(pack / "rules" / "main.yml.txt")
    (pack / "rules" / "main.yaml").symlink_to("main.yml.txt")

    assert load_pack(pack).id == load_pack(MINI).id


def test_a_dangling_link_is_a_problem(pack: Path) -> None:
    (pack / "gone.yaml").symlink_to(pack / "nowhere.yaml")

    assert errors_of(pack) == ["gone.yaml:1:1: error: a link to a file that does not exist"]


def test_an_unreadable_file_is_a_problem_not_an_os_error(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open

    def refusing_open(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "pack.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refusing_open)

    assert errors_of(pack) == ["pack.yaml:1:1: error: the file cannot be read (Permission denied)"]


def test_a_folder_named_like_a_yaml_file_is_ignored(pack: Path) -> None:
    (pack / "odd.yaml").mkdir()

    assert load_pack(pack).id == load_pack(MINI).id


def test_an_unforeseen_failure_while_checking_is_a_pack_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_analysis(pack: object) -> list:
        raise ZeroDivisionError("a bug in a check")

    monkeypatch.setattr("advisor.engine.loader.analyse", broken_analysis)

    errors = errors_of(MINI)

    assert errors == [
        "components.yaml:1:1: error: the pack could not be checked (ZeroDivisionError); "
        "please report this"
    ]
