# ior-pipeline: `make run` and `make test` are all the set-up there is on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# uv is used from PATH when present, else installed from PyPI and run as a module.
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: help bootstrap sync run test lint format bench catalogue clean

help:
	@echo "make run    start the local stack (embedded AWS, workers, scheduler) and run the pipeline"
	@echo "make test   install everything and run every test, with the lint and architecture guards"
	@echo "make lint   ruff, mypy (strict on contracts), import-linter"
	@echo "make bench  run every benchmark and print the figures"

bootstrap:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet --disable-pip-version-check uv

sync: bootstrap
	@$(UV) sync --all-packages --frozen --quiet

run: sync
	$(UV) run ior up

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy contracts/src
	$(UV) run mypy tools/src services
	$(UV) run lint-imports

test: lint
	$(UV) run pytest

format: sync
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

bench: sync
	$(UV) run python -m bench

catalogue: sync
	$(UV) run python -m ior_contracts.schema_files --write
	$(UV) run python -m ior_contracts.catalogue --write

clean:
	rm -rf .venv .ior .pytest_cache .mypy_cache .ruff_cache
