"""Settings come from the environment; start-up stops with one clear line when they are wrong."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from advisor.settings import env_bool, env_int, env_list
from tests import support as _support

REPO_ROOT = _support.REPO
PRODUCTION_KEY = "x7Jq2mV9pL4sW8nR3tY6uB1cE5gH0kZ-aD_fQ2wS9eR4tY7uI1oP3lK6jH8gF5dS"


def manage(*args: str, env: dict[str, str], drop: tuple[str, ...] = ()):
    """Run manage.py in a fresh interpreter with `env` over the current environment."""
    # Tests need DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; the programs under test do not.
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", *drop}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(expression: str, *, env: dict[str, str]) -> str:
    """The value of `settings.<expression>` as a fresh process with `env` sees it."""
    code = f"from django.conf import settings; print(settings.{expression})"
    result = manage("shell", "--verbosity", "0", "--command", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", env={"DEBUG": "0"}, drop=("SECRET_KEY",))

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "error: SECRET_KEY is not set: export SECRET_KEY=... (or DEBUG=1 for development)"
    )


def test_it_starts_without_a_secret_key_when_debug_is_on():
    result = manage("check", env={"DEBUG": "1"}, drop=("SECRET_KEY",))

    assert result.returncode == 0, result.stderr


def test_it_stops_with_one_line_on_a_malformed_boolean():
    result = manage("check", env={"DEBUG": "maybe"})

    assert result.returncode != 0
    assert result.stderr.strip() == (
        "error: DEBUG must be 1 or 0 (or true/false, yes/no, on/off), not 'maybe'"
    )


def test_it_honours_database_url(tmp_path):
    db_file = tmp_path / "nested" / "advisor.sqlite3"
    db_file.parent.mkdir()
    env = {"DATABASE_URL": f"sqlite:///{db_file}"}

    migrate = manage("migrate", "--noinput", env=env)
    assert migrate.returncode == 0, migrate.stderr
    assert db_file.stat().st_size > 0

    assert setting("DATABASES['default']['NAME']", env=env) == str(db_file)


def test_it_uses_redis_for_the_cache_when_redis_url_is_set():
    env = {"REDIS_URL": "redis://127.0.0.1:6399/3"}

    assert setting("CACHES['default']['BACKEND']", env=env) == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert setting("CACHES['default']['LOCATION']", env=env) == "redis://127.0.0.1:6399/3"


def test_it_uses_a_local_memory_cache_without_redis(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_it_passes_the_deployment_checklist_with_the_documented_environment():
    env = {"DEBUG": "0", "SECRET_KEY": PRODUCTION_KEY, "ALLOWED_HOSTS": "advisor.example.com"}

    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=env, drop=("SECURE_SSL_REDIRECT",)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, False),
        ("", False),
        ("1", True),
        ("true", True),
        ("Yes", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("NO", False),
        ("off", False),
    ],
)
def test_it_reads_booleans(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("ADVISOR_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("ADVISOR_TEST_FLAG", value)

    assert env_bool("ADVISOR_TEST_FLAG", False) is expected


def test_it_reads_integers_and_refuses_others(monkeypatch):
    monkeypatch.setenv("ADVISOR_TEST_INT", "3")
    assert env_int("ADVISOR_TEST_INT", 0) == 3

    monkeypatch.setenv("ADVISOR_TEST_INT", "three")
    with pytest.raises(ImproperlyConfigured, match="ADVISOR_TEST_INT must be a whole number"):
        env_int("ADVISOR_TEST_INT", 0)


def test_it_reads_comma_separated_lists(monkeypatch):
    monkeypatch.setenv("ADVISOR_TEST_LIST", " a.example.com, ,b.example.com ,")

    assert env_list("ADVISOR_TEST_LIST") == ["a.example.com", "b.example.com"]
    assert env_list("ADVISOR_TEST_UNSET_LIST", "x,y") == ["x", "y"]
