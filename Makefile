# Two commands a newcomer needs: `make run` and `make test`. Both are idempotent:
# the venv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LINT_PATHS := $(wildcard ctdesk tests benchmarks scripts resources)

.PHONY: run test lint format screenshot guide bench clean dist dist-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-dist: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dist]'
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

# The user guide's pictures (docs/guide/*.png), from a demo workbook of made-up fieldwork.
guide: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/guide_screenshots.py docs/guide

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.bench_demo
	$(BIN)/python -m benchmarks.bench_search
	$(BIN)/python -m benchmarks.bench_gui
	$(BIN)/python -m benchmarks.bench_export
	$(BIN)/python -m benchmarks.bench_bundle

# The wheel (dist/ctdesk-*.whl) and the standalone application folder (dist/ctdesk/, and
# dist/ctdesk.app on macOS) made by PyInstaller from packaging/ctdesk.spec, for this platform.
dist: $(VENV)/.installed-dist
	rm -rf build dist
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/ctdesk.spec

# dist, then run what it built: the app's screenshot, CLI and data, and the wheel in a fresh venv.
dist-check: dist
	PYTHON=$(PYTHON) scripts/check_dist.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
