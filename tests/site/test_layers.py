"""Every module of advisor/ has a place in the layer contract (pyproject.toml), or is wiring.

import-linter checks only the modules a contract names, so a new top-level module would be
free to import anything; this test makes its author choose its layer.
"""

from __future__ import annotations

import re
import tomllib

from tests.support import REPO

# Configuration and plumbing that sit outside the one-way flow.
WIRING = {"settings", "urls", "apps", "asgi", "wsgi", "middleware", "logs", "migrations"}


def layered_modules() -> set[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [layers] = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return {name for layer in layers["layers"] for name in re.findall(r"\w+", layer)}


def top_level_modules() -> set[str]:
    root = REPO / "advisor"
    modules = {p.stem for p in root.glob("*.py") if p.stem != "__init__"}
    packages = {p.parent.name for p in root.glob("*/__init__.py")}
    return modules | packages


def test_every_module_has_a_layer_or_is_wiring():
    assert top_level_modules() - WIRING - layered_modules() == set()


def test_the_contract_names_only_modules_that_exist_or_are_optional():
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    optional = set(re.findall(r"\((\w+)\)", config))
    assert layered_modules() - optional <= top_level_modules()
