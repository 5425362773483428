"""A broken rules/ at start-up: its problems are logged and the last good version is served.

`migrate` (which imports rules/), `import_rules` and `make serve` once crashed on a pack with a
5,000-digit number (SECURITY.md row 22); a file that is not UTF-8 was not named.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests import support as _support

MINI = _support.MINI
HUGE = "questions.yaml:34:10: error: a number of 5000 digits; numbers in packs have at most 18"


def broken_copy(tmp_path: Path) -> Path:
    pack = tmp_path / "broken"
    shutil.copytree(MINI, pack)
    questions = pack / "questions.yaml"
    questions.write_text(questions.read_text().replace("max: 500", "max: " + "7" * 5000))
    return pack


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=_support.REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.django_db
def test_import_rules_lists_the_problems_of_a_huge_number_and_exits_1(tmp_path: Path) -> None:
    call_command("import_rules", str(MINI), stdout=StringIO())
    out = StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_rules", str(broken_copy(tmp_path)), stdout=out)

    assert failure.value.returncode == 1
    assert HUGE in out.getvalue().splitlines()
    assert "the published version is unchanged" in str(failure.value)


@pytest.mark.django_db
def test_import_rules_names_the_file_that_is_not_utf8(tmp_path: Path) -> None:
    pack = tmp_path / "latin1"
    shutil.copytree(MINI, pack)
    (pack / "practices.yaml").write_bytes("practices: []  # caf\xe9\n".encode("latin-1"))
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_rules", str(pack), stdout=out)

    assert (
        "practices.yaml:1:1: error: file is not UTF-8 text (invalid continuation byte)"
        in out.getvalue().splitlines()
    )


def test_migrate_with_a_broken_rules_folder_logs_and_keeps_serving_the_last_good_version(
    tmp_path: Path,
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(_support.DEFAULT_RULES, rules)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "RULES_DIR": str(rules)}
    assert manage("migrate", "--noinput", env=env).returncode == 0

    questions = rules / "questions.yaml"
    questions.write_text(questions.read_text().replace("max: 500\n", "max: " + "7" * 5000 + "\n"))
    migrate = manage("migrate", "--noinput", env=env)
    served = manage(
        "shell",
        "--verbosity=0",
        "--command",
        "from django.test import Client; r = Client(HTTP_HOST='localhost')"
        ".get('/api/v1/questionnaire', secure=True); print(r.status_code, r.json()['pack'])",
        env=env,
    )

    assert migrate.returncode == 0, migrate.stderr
    assert "ERROR advisor.packs [-]: pack at" in migrate.stderr
    assert (
        "questions.yaml:122:10: error: a number of 5000 digits; numbers in packs have at most 18"
        in migrate.stderr
    )
    assert "Traceback" not in migrate.stderr
    last_line = served.stdout.strip().splitlines()[-1]
    assert last_line.startswith("200 {'id': 'default', "), served.stderr
    assert last_line.endswith("'revision': 1}")
