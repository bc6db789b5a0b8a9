# agentsim: `make demo` runs the whole system locally, `make test` runs every check.
# Everything installs from the lock files (uv.lock, tools/*/uv.lock) with `uv sync --frozen`;
# uv itself is bootstrapped from the package index into .uv, so a fresh machine needs only Python.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
UV_HOME := .uv
UV := $(UV_HOME)/bin/uv
VENV := .venv
STAMP := $(VENV)/.installed
LINT_VENV := .venv-lint
LINT_STAMP := $(LINT_VENV)/.installed
MINISTACK_VENV := .venv-ministack
MINISTACK_STAMP := $(MINISTACK_VENV)/.installed
LAYER_REQUIREMENTS := layers/agentsim/requirements.txt
# pytest-xdist workers for `make test`: two per core, since most local-stack tests wait on the
# workflow with the CPUs idle (2 cores: 2 workers 595 s, 3 470 s, 4 445 s); `--dist loadfile`
# runs each module whole on one worker (a module's own stack deploys once).
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) * 2 )))

# Python 3.13 (what Lambda runs): PATH first, then pyenv's installs.
PYTHON ?= $(shell for p in python3.13 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.13*/bin/python3 2>/dev/null); do \
	$$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1 && { command -v $$p || echo $$p; } && break; done)

# uv never downloads an interpreter: it uses the one found above.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
export UV_NO_PROGRESS := 1

# Packages the Lambda Python runtime already has: never shipped in the layer.
LAYER_EXCLUDES := boto3 botocore s3transfer urllib3 jmespath python-dateutil six

.PHONY: help venv ministack demo bench test lint typecheck template-lint unit format clean \
	layer-requirements layer floors asl browser

help:
	@echo "make demo    run every provider end to end on a local AWS (ministack; no account, no Docker)"
	@echo "make test    ruff, mypy, template checks and the whole pytest suite"
	@echo "make bench   figures: cold imports, warm poll, layer sizes, install time, concurrent runs"
	@echo "make layer   build the Lambda layer as 'sam build' does and print its sizes"
	@echo "make floors  run the unit suite on the lowest versions pyproject.toml allows"

$(UV):
	@test -n "$(PYTHON)" || { echo "error: Python 3.13 not found (set PYTHON=/path/to/python3.13)"; exit 1; }
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-extras --quiet
	touch $@

venv: $(STAMP)

# Template scanners pin their own dependency trees, so they have a lock and a venv of their own.
$(LINT_STAMP): tools/template-lint/uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(abspath $(LINT_VENV)) $(UV) sync --frozen --quiet --project tools/template-lint
	touch $@

# The local AWS (ministack) pins an exact botocore and runs as a server of its own: a lock and a
# venv of its own too. Its interpreter also runs the Lambda workers (boto3 as the runtime has it).
$(MINISTACK_STAMP): tools/ministack/uv.lock | $(UV)
	UV_PROJECT_ENVIRONMENT=$(abspath $(MINISTACK_VENV)) $(UV) sync --frozen --quiet --project tools/ministack
	touch $@

ministack: $(MINISTACK_STAMP)

# The layer's pins, exported from uv.lock (tests/test_layer_requirements.py fails when stale).
layer-requirements: | $(UV)
	$(UV) export --frozen --quiet --no-dev --no-emit-project --format requirements.txt \
		$(addprefix --no-emit-package ,$(LAYER_EXCLUDES)) --output-file $(LAYER_REQUIREMENTS)

# The state machine template.yaml deploys, generated from its YAML source with the aliases resolved
# (tests/runs/test_runs_template_contract.py fails while the two differ).
ASL := statemachine/run_simulation.asl statemachine/deliver_notifications.asl statemachine/run_suite.asl
asl: $(STAMP)
	for asl in $(ASL); do \
		$(VENV)/bin/python -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), indent=2))' \
			$$asl.yaml > $$asl.json || exit 1; \
	done

layer: $(STAMP)
	$(VENV)/bin/agentsim layer

demo: $(STAMP) $(MINISTACK_STAMP)
	$(VENV)/bin/agentsim demo

bench: $(STAMP) $(MINISTACK_STAMP)
	$(VENV)/bin/agentsim bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Each function is a top-level `app` beside its own modules (Lambda's /var/task), so mypy checks
# them one directory at a time, after the layer and the local tooling.
typecheck: $(STAMP)
	$(VENV)/bin/mypy
	for dir in functions/*/; do $(VENV)/bin/mypy "$$dir" || exit 1; done

template-lint: $(STAMP) $(LINT_STAMP)
	$(VENV)/bin/cfn-lint template.yaml
	$(LINT_VENV)/bin/sam validate --lint --template template.yaml --region us-east-1
	$(LINT_VENV)/bin/checkov --config-file .checkov.yaml -f template.yaml

# Debian's chromium for the report page's browser tests; where it cannot be installed (not root,
# no apt) they are skipped, saying so.
browser:
	@command -v chromium >/dev/null || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium is not installed: the browser tests will be skipped"

unit: $(STAMP) $(MINISTACK_STAMP) browser
	$(VENV)/bin/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

# The checks run side by side (each one's output kept together), then the tests: mypy and the
# template scanners take about a minute each and share two cores well.
test: $(STAMP) $(LINT_STAMP) $(MINISTACK_STAMP)
	@$(MAKE) --no-print-directory -j3 --output-sync=target lint typecheck template-lint
	@$(MAKE) --no-print-directory unit

# The floors in pyproject.toml are true: the suite passes on the lowest direct versions allowed.
floors: | $(UV)
	rm -rf .venv-floors && $(UV) venv --quiet .venv-floors
	$(UV) pip compile --quiet pyproject.toml --all-extras --group dev --resolution lowest-direct \
		--output-file .venv-floors/requirements.txt
	$(UV) pip sync --quiet --python .venv-floors .venv-floors/requirements.txt
	$(UV) pip install --quiet --python .venv-floors --no-deps -e .
	.venv-floors/bin/python -m pytest -q -p no:cacheprovider

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(UV_HOME) $(VENV) $(LINT_VENV) $(MINISTACK_VENV) .venv-floors .aws-sam .mypy_cache .pytest_cache .ruff_cache
