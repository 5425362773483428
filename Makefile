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

.PHONY: help setup venv node sysdeps run serve test lint fmt bench clean

help:
	@echo "make run     serve the app for development on http://127.0.0.1:$${PORT:-8000}/"
	@echo "make test    run every test"
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
	@DEBUG=$${DEBUG:-1} $(MANAGE) runserver 127.0.0.1:$${PORT:-8000}

serve: venv
	@$(SYSDEPS) graphviz
	DEBUG=0 $(MANAGE) migrate --noinput
	-@DEBUG=0 $(MANAGE) import_rules rules --message "make serve"
	DEBUG=0 $(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Serving on http://127.0.0.1:$${PORT:-8000}/"
	@DEBUG=0 $(BIN)/gunicorn advisor.wsgi -w 2 -b 127.0.0.1:$${PORT:-8000}

test: venv node
	@$(SYSDEPS) graphviz chromium
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

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
	@$(SYSDEPS) graphviz wrk
	@shopt -s nullglob; scripts=(bench/bench_*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "no benchmarks yet"; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		echo "== $$script"; $(BIN)/python "$$script" || exit 1; \
	done

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .hypothesis test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
