# tipkg — every target wraps the `tipkg` command or a script; `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help system system-test setup run build validate publish serve bench test lint typecheck fmt fmt-check reference vocab clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

system: ## install the Debian packages tipkg needs when missing: Java (HermiT), python3-venv
	@PYTHON=$(PYTHON) scripts/system-deps

system-test: ## the same, and Chromium for the browser tests (apt-get as root, else says what to run)
	@PYTHON=$(PYTHON) scripts/system-deps --test

$(STAMP): pyproject.toml | system
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP) ## create .venv and install tipkg with its development tools

run: $(STAMP) ## set up, build and check the graph, publish the site, serve both on 127.0.0.1:8000
	$(BIN)/tipkg build
	$(BIN)/tipkg publish
	@echo
	@echo "Try also: $(BIN)/tipkg query recommendations --format csv"
	$(BIN)/tipkg serve

build: $(STAMP) ## extract every source into dist/
	$(BIN)/tipkg build

validate: $(STAMP) ## run the gate over the last build (SHACL, QC, fidelity, OWL)
	$(BIN)/tipkg validate

publish: $(STAMP) ## write the static linked-data site of the last build into dist/site
	$(BIN)/tipkg publish

serve: $(STAMP) ## serve the last build: site at /, query page /query, SPARQL endpoint /sparql
	$(BIN)/tipkg serve

bench: $(STAMP) ## print the benchmarks (gate, endpoint, publish) with their baselines
	$(BIN)/python bench/run --sizes 10k
	$(BIN)/python bench/gate.py --plant
	$(BIN)/python bench/endpoint.py
	$(BIN)/python bench/publish.py

test: system-test $(STAMP) lint typecheck fmt-check ## set up and run every test, linter and check
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff (lint and format check)
	$(BIN)/ruff check src tests scripts bench bench/run
	$(BIN)/ruff format --check src tests scripts bench bench/run

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
