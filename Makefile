# phatngon — two commands on a fresh Debian machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Debian packages: HarfBuzz subsetting (fast WeasyPrint), poppler (pdfsig/pdftoppm checks),
# gettext (compile translations), WeasyPrint's Pango stack.
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils gettext
# Tests also drive a real browser (Playwright with Debian's chromium), check signatures with
# pdfsig trusting the dev root (NSS certutil) and sign through a PKCS#11 token (SoftHSM2, opensc).
# faketime runs the date-sensitive apps again with the clock moved (make test-dates).
DEB_TEST_PACKAGES := $(DEB_PACKAGES) chromium libnss3-tools softhsm2 opensc faketime

.PHONY: demo test test-fast test-dates install install-dev system-deps system-test-deps lint format messages \
        migrate seed serve clean help prod-check

help:
	@echo "make demo   install, migrate, load demo data, serve http://127.0.0.1:$(PORT) with a worker"
	@echo "make test   install and run the whole suite (ruff + pytest: fast lane, then slow lane)"
	@echo "make test-fast  the fast lane only (no browser, real worker, fuzzing, live server)"
	@echo "make test-dates  the date-sensitive apps again with the clock in Tet 2027 (faketime)"
	@echo "make prod-check  the production topology (nginx, gunicorn, 2 worker nodes, beat), drills, backup"

demo: system-deps install messages
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true $(BIN)/python manage.py make_dev_pki
	DEBUG=true $(BIN)/python manage.py seed_demo_statements
	DEBUG=true $(BIN)/python manage.py seed_demo_reports
	DEBUG=true $(BIN)/python manage.py audit_anchor
	DEBUG=true $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=true PORT=$(PORT) bin/demo-serve

# Two lanes (tests/conftest.py marks the slow one): the fast lane, then the slow lane serially — a real Chromium, real Celery
# workers on the test database, the API fuzzer, the live-server tests. Both lanes run even when
# the first fails; each writes its JUnit XML into $(JUNIT_DIR) (.ci/run reads them all).
# A lane that PYTEST_ARGS leaves empty (pytest's exit 5) is no failure.
# XDIST='-n 2 --dist loadfile' runs the fast lane (and test-dates) on pytest-xdist, one test
# database per worker. Off by default: on an idle 2-core machine it was slower (SQLite 177 s
# serial vs 202 s, PostgreSQL 299 s vs 310 s); it only won while other jobs loaded the machine.
JUNIT_DIR ?= test-artifacts
XDIST ?=
PYTEST := $(BIN)/python -m pytest
lane = $(PYTEST) $(2) --junitxml=$(JUNIT_DIR)/junit-$(1).xml $(PYTEST_ARGS) || [ $$? -eq 5 ]

test: system-test-deps install-dev messages lint
	@mkdir -p $(JUNIT_DIR)
	status=0; \
	$(call lane,fast,-m 'not slow' $(XDIST)) || status=1; \
	$(call lane,slow,-m slow) || status=1; \
	exit $$status

# The fast lane alone, for developers: no lint, no Debian test packages installed.
# XDIST='-n 2 --dist loadfile' when the machine is busy with other jobs.
test-fast: install-dev messages
	$(PYTEST) -m 'not slow' $(XDIST) $(PYTEST_ARGS)

# The date-sensitive apps again, with the process clock moved into Tết 2027 (libfaketime):
# no test may depend on the day it runs. FAKETIME_AT picks another instant.
FAKETIME_AT ?= 2027-02-08 10:00:00
test-dates: system-test-deps install-dev messages
	@mkdir -p $(JUNIT_DIR)
	faketime '$(FAKETIME_AT)' $(PYTEST) tests/audit tests/workflows tests/release $(XDIST) \
	  --junitxml=$(JUNIT_DIR)/junit-dates.xml $(PYTEST_ARGS)

# The production topology on this machine, broken on purpose and checked (docs/operations.md);
# not part of `make test`; about 15 minutes. Its own PostgreSQL cluster (this machine's
# PostgreSQL 15 binaries), Redis, SMTP sink and nginx: the shared servers are never touched.
# PRODCHECK_ARGS='--drills 1,backup' runs some drills only; '--keep' keeps the run's logs.
PROD_CHECK_PACKAGES := nginx redis-server postgresql-15
prod-check: system-deps install messages
	@bin/ensure-debian-packages $(PROD_CHECK_PACKAGES)
	VENV_PYTHON=$(BIN)/python bin/prod-check $(PRODCHECK_ARGS)

# ------------------------------------------------------------------ installation
system-deps:
	@bin/ensure-debian-packages $(DEB_PACKAGES)

system-test-deps:
	@bin/ensure-debian-packages $(DEB_TEST_PACKAGES)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "phatngon needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: requirements.lock $(BIN)/uv
	$(BIN)/uv pip install --quiet -p $(BIN)/python -r requirements.lock
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed

# Re-lock after changing pyproject.toml: make lock. requirements.lock (with the dev group) is
# what `make demo`/`make test` install; requirements.prod.lock (no test or lint tools) is what
# production installs (README, Production deployment).
lock: $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --group dev -o requirements.lock -q
	$(BIN)/uv pip compile pyproject.toml -o requirements.prod.lock -q

messages: install
	DEBUG=true $(BIN)/python manage.py compilemessages -v0 --ignore=.venv

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var media
