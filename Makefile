# Portal Klienta. Set-up is two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Every Python package pinned to the versions the suite last passed with; `make lock` refreshes it.
LOCK := requirements.lock
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-fast lint bench fuzz lock seed clean

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	@echo "==> Creating the virtual environment in $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

# `make run` needs only the portal's own packages; the test tools (Playwright alone is 165 MB) come with
# `make test`.
$(RUN_STAMP): pyproject.toml $(LOCK) | $(PY)
	@echo "==> Installing the portal's Python packages (pinned in $(LOCK); the first time takes a minute or two)"
	@$(PY) -m pip install -q -c $(LOCK) -r <($(PY) scripts/requirements.py)
	@touch $@

$(TEST_STAMP): $(RUN_STAMP)
	@echo "==> Installing the test tools (pytest, Playwright, schemathesis, ...)"
	@$(PY) -m pip install -q -c $(LOCK) -r <($(PY) scripts/requirements.py test)
	@touch $@

run: $(RUN_STAMP)
	@bash scripts/run-portal.sh

test: $(TEST_STAMP)
	@bash scripts/system-deps.sh test
	@bash scripts/test.sh

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

bench: $(TEST_STAMP)
	@bash scripts/system-deps.sh test
	$(PY) bench/run.py

# The schemathesis run of `make test` with a larger budget per operation (PORTAL_FUZZ_EXAMPLES, default 50).
fuzz: $(TEST_STAMP)
	PORTAL_FUZZ_EXAMPLES=$${PORTAL_FUZZ_EXAMPLES:-50} PORTAL_VAR_DIR=$$(mktemp -d /tmp/portal-fuzz.XXXXXX) \
		$(PY) -m pytest -q -p no:cacheprovider tests/security/test_schemathesis.py tests/security/test_page_forms.py

# Re-resolve every dependency from pyproject.toml in a scratch environment and pin what it installed.
lock:
	@bash scripts/lock.sh $(PYTHON) $(LOCK)

clean:
	rm -rf var .venv
