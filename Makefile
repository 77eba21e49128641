# Quick start: `make demo` and `make test` on a fresh clone (Python 3.11 + PyPI).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: demo test install lock bench clean system

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(TESTSTAMP): $(STAMP)
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/ghatna demo

# Debian packages the tests use for real (Chromium, PostgreSQL server).
system:
	bash scripts/system_packages.sh

test: $(TESTSTAMP) system
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/throughput.py

# Re-resolve the pinned set after changing pyproject.toml.
lock:
	rm -rf /tmp/ghatna-lock && $(PYTHON) -m venv /tmp/ghatna-lock
	/tmp/ghatna-lock/bin/pip install --quiet -e ".[test]"
	/tmp/ghatna-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) build dist src/*.egg-info
