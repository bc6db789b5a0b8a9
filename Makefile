# agentsim: `make demo` runs the whole system locally, `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LINT_VENV := .venv-lint
LINT_STAMP := $(LINT_VENV)/.installed

# The first interpreter >= 3.12 found: PATH first, then pyenv's installs.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[3-9]*/bin/python3 $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3 2>/dev/null); do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p || echo $$p; } && break; done)

.PHONY: help venv demo bench test lint typecheck template-lint unit format clean

help:
	@echo "make demo   run every provider end to end on embedded AWS (no account, no Docker)"
	@echo "make test   ruff, mypy, template checks and the whole pytest suite"
	@echo "make bench  figures: deploy time, run durations, handler times"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.12 not found (set PYTHON=/path/to/python3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[local,dev]'
	touch $@

venv: $(STAMP)

# Template scanners pin their own dependency trees, so they live in a venv of their own.
$(LINT_STAMP): requirements-lint.txt
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.12 not found"; exit 1; }
	$(PYTHON) -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LINT_VENV)/bin/python -m pip install --quiet -r requirements-lint.txt
	touch $@

demo: $(STAMP)
	$(VENV)/bin/agentsim demo

bench: $(STAMP)
	$(VENV)/bin/agentsim bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

template-lint: $(STAMP) $(LINT_STAMP)
	$(VENV)/bin/cfn-lint template.yaml
	$(LINT_VENV)/bin/sam validate --lint --template template.yaml --region us-east-1
	$(LINT_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation -f template.yaml

unit: $(STAMP)
	$(PY) -m pytest

test: lint typecheck template-lint unit

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) $(LINT_VENV) .aws-sam .mypy_cache .pytest_cache .ruff_cache
