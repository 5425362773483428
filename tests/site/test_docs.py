"""Everything a user can set or write is documented (in the style of datasette's test_docs.py).

Each test reads the code for what exists (environment variables, condition operators,
management commands) and the documentation for what is described, so a new one that nobody
wrote down fails here rather than surprising a reader.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args

import pytest

from advisor.engine.conditions import LEAF_OPERATORS, NodeOperator
from tests.support import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
RULE_PACK = (REPO / "docs" / "rule-pack.md").read_text(encoding="utf-8")
SETTINGS = REPO / "advisor" / "settings.py"
COMMANDS = REPO / "advisor" / "management" / "commands"

# Functions whose first argument names the environment variable they read.
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "getenv", "get"}


def section(markdown: str, heading: str) -> str:
    """The text under `heading` up to the next heading of the same or a higher level (a `#`
    line inside a fenced code block is a comment, not a heading)."""
    level = len(heading.split(" ")[0])
    lines = markdown.splitlines()
    start = lines.index(heading)
    fenced = False
    for end in range(start + 1, len(lines)):
        fenced ^= lines[end].startswith("```")
        hashes = len(lines[end]) - len(lines[end].lstrip("#"))
        if not fenced and 0 < hashes <= level and lines[end][hashes : hashes + 1] == " ":
            return "\n".join(lines[start:end])
    return "\n".join(lines[start:])


def environment_variables_read(path: Path) -> set[str]:
    """Names settings.py reads through its env_* helpers, os.environ or dj_database_url."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "config" and getattr(func.value, "id", "") == "dj_database_url":
            names.add("DATABASE_URL")  # what dj_database_url.config() reads
        first = node.args[0] if node.args else None
        is_name = isinstance(first, ast.Constant) and isinstance(first.value, str)
        if name in ENV_READERS and is_name and first.value.isupper():
            names.add(first.value)
    return names


def documented_environment() -> set[str]:
    rows = section(README, "## Environment").splitlines()
    return {m.group(1) for row in rows if (m := re.match(r"\| `([A-Z_]+)` \|", row))}


def test_the_settings_read_environment_variables():
    """The reader below finds what it should (so the next test cannot pass on nothing)."""
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "THROTTLE_WRITES"} <= (
        environment_variables_read(SETTINGS)
    )


@pytest.mark.parametrize("name", sorted(environment_variables_read(SETTINGS)))
def test_every_environment_variable_is_in_the_readme_table(name):
    assert name in documented_environment()


@pytest.mark.parametrize("operator", [*get_args(NodeOperator), *LEAF_OPERATORS])
def test_every_condition_operator_is_in_the_rule_pack_docs(operator):
    conditions = section(RULE_PACK, "### Conditions")
    assert re.search(rf"(^|[{{ ]){operator}: ", conditions, re.MULTILINE), operator


def management_commands() -> list[str]:
    return sorted(p.stem for p in COMMANDS.glob("*.py") if not p.stem.startswith("_"))


def test_there_are_management_commands():
    assert "validate_rules" in management_commands()


@pytest.mark.parametrize("command", management_commands())
def test_every_management_command_is_in_the_readme(command):
    assert re.search(rf"manage\.py {command}\b", README), command


def layout_paths() -> list[str]:
    rows = section(README, "## Layout").splitlines()
    cells = [row.split(" | ")[0].lstrip("| ") for row in rows if row.startswith("| `")]
    return [path for cell in cells for path in re.findall(r"`([^`]+)`", cell)]


@pytest.mark.parametrize("path", layout_paths())
def test_every_path_in_the_readme_layout_exists(path):
    assert (REPO / path).exists(), path
