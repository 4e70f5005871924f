# The two commands that matter: `make run` (the demo on SQLite) and `make test` (everything).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
# The suite runs every database test on SQLite and on this PostgreSQL database, which it
# creates and drops itself. Set TEST_DATABASE_URL= (empty) to run on SQLite only.
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/campaign_app_test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export TEST_DATABASE_URL TEST_REDIS_URL

.PHONY: help install signer-keys browser-deps run admin worker test lint typecheck pytest bench fuzz messages translations clean

help:
	@echo "make run    - set up and serve the demo campaign on http://$(HOST):$(PORT) (SQLite)"
	@echo "make test   - lint, type-check and run the whole test suite (SQLite + PostgreSQL)"
	@echo "make bench  - the app against a bare Flask app, start-up, PDFs, exports, registry, mail, two nodes;"
	@echo "              results in bench/RESULTS.md (BENCH_QUICK=1 make bench: a short run)"
	@echo "make fuzz   - thousands of generated requests against the API, every URL and form"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Message catalogues: the .po files are in the repository, the compiled .mo files are built.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard campaign_app/translations/*/LC_MESSAGES/messages.po))
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

# A random SECRET_KEY for this checkout; plain-HTTP cookies because make run serves 127.0.0.1.
instance/config.py:
	@mkdir -p instance
	@$(PYTHON) -c 'import secrets; print("# Written by make run for local use. Do not use in production.\nSECRET_KEY = " + repr(secrets.token_hex(32)) + "\nSESSION_COOKIE_SECURE = False")' > $@
	@echo "Wrote instance/config.py with a new random SECRET_KEY."

# Random signer-data keys for this checkout, added to instance/config.py once (also to one
# written before they existed). Losing them makes the local signers' data unreadable.
SIGNER_KEYS := $(PYTHON) -c 'import base64, os; key = lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(); print("\n\# Signer data at rest (keep apart from database backups).\nSIGNER_DATA_KEYS = " + repr(key()) + "\nSIGNER_INDEX_KEY = " + repr(key()))'
signer-keys: instance/config.py
	@grep -q '^SIGNER_DATA_KEYS' instance/config.py || { $(SIGNER_KEYS) >> instance/config.py && \
	  echo "Added random SIGNER_DATA_KEYS and SIGNER_INDEX_KEY to instance/config.py."; }

run: install $(MO_FILES) signer-keys
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "Mail goes to instance/outbox/ and the confirmation links are logged below."
	@echo "Organiser area: http://$(HOST):$(PORT)/organise/ (first: make admin EMAIL=you@example.org)"
	@export CAMPAIGN_BASE_URL="$${CAMPAIGN_BASE_URL:-http://$(HOST):$(PORT)}"; \
	  $(FLASK) queue work & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host $(HOST) --port $(PORT)

# The first organiser account: asks for its password (twice) on the terminal.
admin: install signer-keys
	@test -n "$(EMAIL)" || { echo "Usage: make admin EMAIL=you@example.org"; exit 2; }
	$(FLASK) db upgrade
	$(FLASK) users create-admin "$(EMAIL)"

worker: install $(MO_FILES) signer-keys
	$(FLASK) queue work

lint: install
	$(BIN)/ruff format --check campaign_app tests $(wildcard bench) wsgi.py
	$(BIN)/ruff check campaign_app tests $(wildcard bench) wsgi.py

typecheck: install
	$(BIN)/mypy

# The browser tests (tests/browser) drive Debian's Chromium, /usr/bin/chromium (apt-get install
# chromium; .ci/run installs it; Playwright never downloads a browser), and inject axe-core from
# the npm registry, pinned by tests/browser/package-lock.json.
CHROMIUM := /usr/bin/chromium
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund
	touch $@

browser-deps: $(AXE)
	@test -x $(CHROMIUM) || { echo "The browser tests need Debian's Chromium at $(CHROMIUM):" \
	  "apt-get install chromium (or run pytest with -m 'not browser')." >&2; exit 1; }

pytest: install $(MO_FILES) browser-deps
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Thousands of generated requests per fuzz test (make test runs FUZZ_EXAMPLES=15), with counts.
FUZZ_EXAMPLES ?= 2000
fuzz: install $(MO_FILES)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider tests/test_fuzz.py \
	  --hypothesis-show-statistics -q $(PYTEST_ARGS)

# bench.run measures on SQLite and on PostgreSQL (BENCH_POSTGRES_URL, a scratch database it
# creates and drops). BENCH_QUICK=1: the short variant of each (smaller data sets, fewer rounds).
BENCH_SIGNATURES := $(if $(filter-out 0,$(BENCH_QUICK)),--signatures 100000)
bench: install $(MO_FILES)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.startup_bench
	$(BIN)/python -m bench.pdf_bench
	$(BIN)/python -m bench.stats_bench $(BENCH_SIGNATURES)
	$(BIN)/python -m bench.export_bench $(BENCH_SIGNATURES)
	$(BIN)/python -m bench.page_bench
	$(BIN)/python -m bench.registry_bench
	$(BIN)/python -m bench.mail_bench $(if $(filter-out 0,$(BENCH_QUICK)),--count 1000 --rounds 3)
	$(BIN)/python -m bench.nodes_bench $(if $(filter-out 0,$(BENCH_QUICK)),--per-client 15)

# Extract the marked strings and merge them into every language's catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _ln:1,2 -k lazy_ngettext:1,2 --ignore-dirs ".* .venv node_modules" --no-location --sort-output -o campaign_app/translations/messages.pot .
	$(BIN)/pybabel update -i campaign_app/translations/messages.pot -d campaign_app/translations --no-fuzzy-matching --ignore-obsolete

translations: $(MO_FILES)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
