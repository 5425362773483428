# Architecture Decision Advisor. Every target can be run again safely.
# `make run` serves the app on SQLite; `make test` runs every test. Both install what they need.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
SYSDEPS := scripts/ensure-system-deps.sh

.PHONY: help setup venv node sysdeps run serve test test-slow test-postgres test-redis lint fmt bench clean

help:
	@echo "make run     serve the app for development on http://127.0.0.1:$${PORT:-8000}/"
	@echo "make test    run every test on SQLite (property tests with a tenth of their examples)"
	@echo "make test-slow  every test, property tests with all their examples"
	@echo "make test-postgres  every test again on PostgreSQL 15 (starts it; root installs it)"
	@echo "make test-redis     cache, throttle and health tests on Redis (starts redis-server)"
	@echo "make lint    check style (ruff), layers (import-linter) and types (mypy);  make fmt  reformat and fix"
	@echo "make serve   production-like: gunicorn, WhiteNoise, DEBUG off (needs SECRET_KEY)"
	@echo "make bench   run the benchmarks in bench/"
	@echo "make setup   install everything (virtualenv, requirements, Node tools, Graphviz, Chromium, wrk)"
	@echo "make clean   remove the virtualenv, caches and generated files"

# The virtualenv is (re)installed only when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt
	@PYTHON=$(PYTHON) $(SYSDEPS) python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(STAMP)

# Node tools for the tests (Spectral, mermaid-cli, markdownlint-cli2), from package-lock.json.
# No install scripts: puppeteer would download a browser; mermaid-cli uses the system Chromium.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@$(SYSDEPS) node
	PUPPETEER_SKIP_DOWNLOAD=true npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

node: $(NODE_STAMP)

sysdeps:
	@$(SYSDEPS) graphviz chromium wrk

setup: venv node sysdeps

run: venv
	@$(SYSDEPS) graphviz
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput
	@# migrate already stores rules/ when it changed; this says which version is served, and
	@# a broken pack only prints its problems: the last good version keeps being served.
	-@DEBUG=$${DEBUG:-1} $(MANAGE) import_rules rules --message "make run"
	@echo "Serving on http://127.0.0.1:$${PORT:-8000}/"
	@echo "To edit rules in the browser (/editor/), make an editor account in another shell:"
	@echo "  DEBUG=1 $(MANAGE) create_editor YOUR_NAME"
	@DEBUG=$${DEBUG:-1} $(MANAGE) runserver 127.0.0.1:$${PORT:-8000}

# gunicorn.conf.py reads WEB_CONCURRENCY, PORT, BEHIND_PROXY, FORWARDED_ALLOW_IPS, ...
serve: venv
	@$(SYSDEPS) graphviz
	DEBUG=0 $(MANAGE) migrate --noinput
	-@DEBUG=0 $(MANAGE) import_rules "$${RULES_DIR:-rules}" --message "make serve"
	DEBUG=0 $(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Serving on http://$${HOST:-127.0.0.1}:$${PORT:-8000}/ with $${WEB_CONCURRENCY:-2} workers"
	@DEBUG=0 LOG_FORMAT=$${LOG_FORMAT:-json} exec $(BIN)/gunicorn -c gunicorn.conf.py

# Property tests draw a tenth of their examples here (hypothesis profile `ci`, tests/conftest.py);
# `make test-slow` runs the same tests with every example (profile `dev`).
test: venv node
	@$(SYSDEPS) graphviz chromium
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/pytest -n auto $(PYTEST_ARGS)

test-slow: venv node
	@$(SYSDEPS) graphviz chromium
	HYPOTHESIS_PROFILE=dev $(BIN)/pytest -n auto $(PYTEST_ARGS)

# The whole suite on a throwaway PostgreSQL database (pytest-django makes test_* copies of it).
test-postgres: venv node
	@$(SYSDEPS) graphviz chromium postgresql
	DATABASE_URL=$$(scripts/services.sh postgres advisor_ci) HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} \
		$(BIN)/pytest -n auto $(PYTEST_ARGS)

# Cache and throttle tests on Redis, one process (they share the Redis database), plus the
# tests marked `services`: their own redis-server under gunicorn with 2 workers, `nginx -t`.
REDIS_TESTS := tests/api/test_throttle.py tests/site/test_healthz.py tests/site/test_redis.py \
	tests/site/test_deploy_config.py tests/exports/test_diagrams.py tests/api/test_diagrams.py
test-redis: venv
	@$(SYSDEPS) graphviz redis nginx
	REDIS_URL=$$(scripts/services.sh redis 15) HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(BIN)/pytest -p no:xdist -m "services or not services" \
		$(REDIS_TESTS) $(PYTEST_ARGS)

# ruff for style; import-linter for the layers (pyproject.toml); mypy, strict on the engine.
# mypy's Django plugin reads the settings, which want DEBUG or a SECRET_KEY.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/mypy

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: venv
	@$(SYSDEPS) graphviz wrk postgresql redis
	@shopt -s nullglob; scripts=(bench/bench_*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "no benchmarks yet"; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		echo "== $$script"; $(BIN)/python "$$script" || exit 1; \
	done

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .hypothesis test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
