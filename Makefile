# Portal Klienta. Set-up is two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench seed clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	@bash scripts/system-deps.sh run
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo --clients $${DEMO_CLIENTS:-40} --seed 1
	$(PY) manage.py seed_bank_links
	@bash scripts/run-portal.sh

test: $(STAMP)
	@bash scripts/system-deps.sh test
	@bash scripts/test.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(STAMP)
	@bash scripts/system-deps.sh test
	$(PY) bench/run.py

clean:
	rm -rf var .venv
