# Veracast developer commands. Everything runs from the repository root with `platform/` on the path.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR):$(CURDIR)/platform

.PHONY: demo test serve worker beat bench lint typecheck check setup test-deps clean catalogs messages

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-nodeps.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (apt-get install python3.11 python3.11-venv)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	$(VENV)/bin/pip install --quiet --no-deps -r requirements-nodeps.txt
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	@$(MAKE) --no-print-directory catalogs

## node_modules: test-only JavaScript (axe-core, which the Chromium accessibility test injects into each page; nothing
## is served to users from it). Reinstalled exactly from package-lock.json whenever either file is newer; install
## scripts are never run. Needs node and npm (Debian's nodejs npm; scripts/ensure-system-deps node says so).
node_modules/.installed: package.json package-lock.json
	@bash scripts/ensure-system-deps node
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund && touch $@; \
	else echo "npm is missing: node_modules not installed, the accessibility test fails and says so"; fi

## make catalogs: compile the message catalogs (locale/*/LC_MESSAGES/*.po -> .mo; the .mo files are build outputs,
## never committed). Needs msgfmt (Debian's gettext). See docs/i18n.md.
catalogs: $(VENV)/.installed
	@bash scripts/ensure-system-deps catalogs
	@if command -v msgfmt >/dev/null; then \
		$(PY) manage.py compilemessages --ignore '.*' --ignore var --ignore node_modules -v 0; \
	else echo "msgfmt is missing: catalogs not compiled, pages stay English (the i18n tests fail and say so)"; fi

## make messages: re-extract every marked string into the zh-Hans catalogs after changing templates or code; then
## translate the new msgids (empty msgstr) and clear any "fuzzy" flag (docs/i18n.md).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l zh_Hans --no-location -i 'var/*' -i 'tests/*' -i 'bench/*' -i 'test-artifacts/*'
	$(PY) manage.py makemessages -d djangojs -l zh_Hans --no-location -i 'var/*' -i 'tests/*' -i 'bench/*' \
		-i 'test-artifacts/*' -i '*/vendor/*'

## make demo: set up, then run the main job end to end on the embedded defaults (SQLite, in-process worker).
demo: setup
	@bash scripts/ensure-system-deps demo
	$(PY) manage.py demo

## make test: set up and run the whole suite (PostgreSQL and Redis on their standard local ports), in two passes:
## the quick tests on TEST_WORKERS processes (pytest-xdist; each has its own test database and Redis database), then
## the slow and browser tests one at a time, alone on the machine, because they measure real time (paced streams,
## revocation within 2 s, a fake camera's actions in their windows) and a second process stealing the cores makes
## them miss. Both passes always run; the target fails if either did. Each prints its slowest tests (where the
## suite's time goes).
TEST_WORKERS ?= 2
test: setup
	@bash scripts/ensure-system-deps test
	@quick=0; $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 -m "not slow and not browser" || quick=$$?; \
	slow=0; $(PY) -m pytest --durations=30 -m "slow or browser" || slow=$$?; \
	echo "make test: quick tests exit $$quick, slow and browser tests exit $$slow"; \
	test $$quick -eq 0 -a $$slow -eq 0

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy platform consent render streaming compliance interaction

check: lint typecheck test

## make serve: the portal with an in-process worker on the embedded default.
serve: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py runserver 127.0.0.1:8000

## make worker: a real Celery worker on both queues (needs REDIS_URL).
worker: setup
	@test -n "$$REDIS_URL" || { echo "REDIS_URL must be set for a real worker (e.g. redis://127.0.0.1:6379/0)"; exit 1; }
	VERACAST_INPROCESS_WORKER=0 $(VENV)/bin/celery -A config worker -Q default,render --loglevel INFO --concurrency 1

beat: setup
	@test -n "$$REDIS_URL" || { echo "REDIS_URL must be set for celery beat"; exit 1; }
	VERACAST_INPROCESS_WORKER=0 $(VENV)/bin/celery -A config beat --loglevel INFO

## make bench: the benchmarks in bench/, results written to docs/benchmarks.md.
bench: setup
	$(PY) bench/run.py

clean:
	rm -rf node_modules var/demo var/veracast.sqlite3 .pytest_cache .mypy_cache .ruff_cache
