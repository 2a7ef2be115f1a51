# Appraise: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

.PHONY: run serve test lint bench mutate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, create and seed the SQLite database on first run, serve on http://127.0.0.1:5000
run: $(VENV)/.installed
	$(FLASK) init-db
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

## serve: the production server (waitress) as configured; APPRAISE_ENV defaults to production here
serve: $(VENV)/.installed
	APPRAISE_ENV=$${APPRAISE_ENV:-production} $(FLASK) serve

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## test: lint, then the whole suite (DATABASE_URL picks the database; SQLite by default), on
## TEST_WORKERS processes (pytest-xdist; each has a database of its own)
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev node_modules/.installed lint
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

## bench: time every page against the floor and stock Flask-Admin (BENCH_SIZES, BENCH_RUNS, BENCH_DATABASE_URL)
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run

## mutate: mutation testing of the access policy, agreement workflow and links, and outbox (MODULE=services/mail/outbox.py for one); fails when a mutant survives that tests/mutation_equivalents.txt does not explain
mutate: $(VENV)/.installed-dev
	$(BIN)/python tools/mutate.py $(MODULE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
