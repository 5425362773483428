"""`make test` draws fewer hypothesis examples than `make test-slow`, never none."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests.support import examples


@pytest.fixture
def profile() -> Iterator[None]:
    before = settings.default
    yield
    settings.register_profile("_restored", before)
    settings.load_profile("_restored")


@pytest.mark.parametrize(
    ("name", "thorough", "drawn"),
    [("dev", 1000, 1000), ("dev", 30, 30), ("ci", 1000, 100), ("ci", 300, 30), ("ci", 40, 10)],
)
def test_examples_follow_the_loaded_profile(profile, name, thorough, drawn):
    settings.load_profile(name)
    assert examples(thorough) == drawn


def test_both_profiles_have_no_deadline():
    """Timings on a shared machine are noise: no test fails for being slow."""
    assert settings.get_profile("ci").deadline is None
    assert settings.get_profile("dev").deadline is None
