# Two entry points, each bootstrapping a local virtualenv first:
#   make run   - open the app on the bundled sample journal (this folder)
#   make test  - ruff, mypy and the whole pytest suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "mljournal needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# An editable install leaves src/ uncompiled; compile it once so the app starts fast even where
	@# PYTHONDONTWRITEBYTECODE keeps Python from caching bytecode itself.
	$(BIN)/python -m compileall -q src
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/mljournal --journal .

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/index_bench.py
	$(BIN)/python bench/tui_bench.py

clean:
	rm -rf $(VENV) .mljournal .pytest_cache .mypy_cache .ruff_cache
