# tipkg — every target wraps the `tipkg` command or a script; `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help setup run build validate query test lint typecheck fmt fmt-check reference vocab clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP) ## create .venv and install tipkg with its development tools

run: $(STAMP) ## set up, build the graph from data/sources, validate it, print a summary
	$(BIN)/tipkg build
	$(BIN)/tipkg validate
	@echo
	@echo "Try: $(BIN)/tipkg query recommendations --format csv"

build: $(STAMP) ## extract every source into dist/
	$(BIN)/tipkg build

validate: $(STAMP) ## run the checks (QC rules, OWL consistency with HermiT)
	$(BIN)/tipkg validate

test: $(STAMP) lint typecheck fmt-check ## set up and run every test, linter and check
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff (lint and format check)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: $(STAMP) ## mypy --strict over the package
	$(BIN)/mypy

fmt: $(STAMP) ## rewrite hand-edited Turtle in canonical form, regenerate the README's rule list
	$(BIN)/python scripts/fmt_turtle.py
	$(BIN)/python scripts/readme_rules.py

fmt-check: $(STAMP) ## fail if any hand-edited Turtle is not canonical, or a generated file is stale
	$(BIN)/python scripts/fmt_turtle.py --check
	$(BIN)/python scripts/readme_rules.py --check

reference: $(STAMP) ## regenerate data/reference from packaged sources
	$(BIN)/python scripts/make_states.py
	$(BIN)/python scripts/make_instruments.py

vocab: $(STAMP) ## regenerate src/tipkg/vocab.py from ontology/
	$(BIN)/python scripts/gen_vocab.py

clean: ## remove build outputs (not .venv)
	rm -rf dist .dist-* .pytest_cache .mypy_cache .ruff_cache
