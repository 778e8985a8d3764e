# Two commands a newcomer needs: `make run` and `make test`. Both are idempotent:
# the venv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LINT_PATHS := $(wildcard ctdesk tests benchmarks scripts resources)

.PHONY: run test lint format screenshot bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/ctdesk

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

test: $(VENV)/.installed-test lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

screenshot: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot.py docs/screenshot.png

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.bench_demo
	$(BIN)/python -m benchmarks.bench_search
	$(BIN)/python -m benchmarks.bench_gui
	$(BIN)/python -m benchmarks.bench_export

clean:
	rm -rf $(VENV) build dist *.egg-info
