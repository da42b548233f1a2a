# Two entry points, each bootstrapping a local virtualenv first:
#   make run   - open the app on the bundled sample journal (this folder)
#   make test  - ruff, mypy and the whole pytest suite
# Both install from lock files with hashes (requirements.lock for the app, requirements-test.lock for the app
# and the test tools), so a fresh clone gets exactly the versions the suite passed with. `make lock` refreshes
# them from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed
# pip must not take anything the lock doesn't name, nor a newer copy of what it does.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
UV_VERSION := 0.13.8

.PHONY: run test lint bench lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "mljournal needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(PIP_INSTALL) -r requirements.lock
	@# No build isolation: the locked setuptools in the venv builds the editable install, so that step
	@# fetches nothing unlocked either.
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# An editable install leaves src/ uncompiled; compile it once so the app starts fast even where
	@# PYTHONDONTWRITEBYTECODE keeps Python from caching bytecode itself.
	$(BIN)/python -m compileall -q src
	@touch $(APP_STAMP)

$(TEST_STAMP): requirements-test.lock $(APP_STAMP)
	$(PIP_INSTALL) -r requirements-test.lock
	@touch $(TEST_STAMP)

run: $(APP_STAMP)
	$(BIN)/mljournal --journal .

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: $(APP_STAMP)
	$(BIN)/python bench/index_bench.py
	$(BIN)/python bench/tui_bench.py

# Re-resolve both locks from pyproject.toml (newest versions that fit it), with a pinned uv in a throwaway
# virtualenv. Run `make test` afterwards: a refreshed lock lands only with a green suite.
lock:
	rm -rf $(VENV)/lock-tool
	$(PYTHON) -m venv $(VENV)/lock-tool
	$(VENV)/lock-tool/bin/python -m pip install --quiet uv==$(UV_VERSION)
	UV_PYTHON_DOWNLOADS=never $(VENV)/lock-tool/bin/uv pip compile pyproject.toml --group build \
		--generate-hashes --universal --python-version 3.11 --no-header --quiet -o requirements.lock
	UV_PYTHON_DOWNLOADS=never $(VENV)/lock-tool/bin/uv pip compile pyproject.toml --group build --extra test \
		--generate-hashes --universal --python-version 3.11 --no-header --quiet -o requirements-test.lock
	rm -rf $(VENV)/lock-tool

clean:
	rm -rf $(VENV) .mljournal .pytest_cache .mypy_cache .ruff_cache
