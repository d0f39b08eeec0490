# Lärportalen – the one command surface. `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: screenshots dev run test lint format bench services services-stop demo clean check-deploy check-test-settings check-migrations backup restore verify-backup messages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## Set everything up (virtualenv, packages, database, demo content) and serve on http://127.0.0.1:$(PORT)/
## as in production: gunicorn, DEBUG off, WhiteNoise, the Swedish error pages, the page cache
## (portal/settings/run.py: only the TLS settings differ). `make dev` is the autoreloading debug server.
RUN_ENV = DJANGO_SETTINGS_MODULE=portal.settings.run SECRET_KEY="$$(cat var/secret-key)" \
	WAGTAILADMIN_BASE_URL=http://127.0.0.1:$(PORT)
WORKERS ?= 3
# Threads per worker (gunicorn's gthread): keep-alive connections, so a page-cache hit does not pay
# for a new TCP connection on every request (the sync worker closes each one).
THREADS ?= 4

var/secret-key:
	@mkdir -p var && umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(64))' > $@

run: $(VENV)/.installed var/secret-key
	$(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(PY) manage.py build_demo_content --admin
	$(RUN_ENV) $(PY) manage.py rebuild_search_index
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py page_cache
	@echo ""
	@echo "Lärportalen: http://127.0.0.1:$(PORT)/  (gunicorn, produktionsinställningar, sidcache på)"
	@echo "Redaktörsgränssnittet: http://127.0.0.1:$(PORT)/admin/  användarnamn admin, lösenord lärportalen-dev"
	@echo ""
	$(RUN_ENV) exec $(VENV)/bin/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--worker-class gthread --threads $(THREADS) --access-logfile - --forwarded-allow-ips 127.0.0.1

## The autoreloading debug server (DEBUG on, no page cache) for development.
dev: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py build_demo_content --admin
	$(PY) manage.py rebuild_search_index
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py build_demo_content --admin

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djhtml templates

check-deploy: $(VENV)/.installed
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" ALLOWED_HOSTS=larportalen.example.se \
		DATABASE_URL=postgres://larportalen@127.0.0.1:5432/larportalen \
		$(PY) manage.py check --deploy --fail-level WARNING --settings=portal.settings.production

check-test-settings: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check --fail-level WARNING

check-migrations: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

## The whole suite: lint, Django checks, migrations check, pytest on SQLite, and again on
## PostgreSQL when POSTGRES_TEST_URL is set (make services prints it). pytest runs on
## PYTEST_WORKERS parallel workers (pytest-xdist; `auto`: one per CPU, 0: none), whole test files
## per worker (--dist loadfile) so that a module's shared content is built once, the slowest files
## first (tests/conftest.py; --no-loadscope-reorder keeps that order). PYTEST_ARGS is
## passed on to both passes. Each pass prints its slowest tests and its wall time, which also
## goes to .test-results/tider.txt (.ci/run shows it).
PYTEST_WORKERS ?= auto
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25 $(PYTEST_ARGS)

# The three Django checks each start Django (about 2 s); they run side by side, each one's output
# kept together (-Otarget).
test: lint
	$(MAKE) --no-print-directory -j3 -Otarget check-deploy check-test-settings check-migrations
	@mkdir -p .test-results && rm -f .test-results/tider.txt
	@start=$$SECONDS; \
		env -u TEST_DATABASE_URL $(PYTEST) --junitxml=.test-results/sqlite.xml; status=$$?; \
		echo "SQLite-varvet: $$(( SECONDS - start )) s" | tee -a .test-results/tider.txt; exit $$status
	@if [ -n "$$POSTGRES_TEST_URL" ]; then \
		echo "== Samma svit mot PostgreSQL (utom webbläsartesterna, som körts ovan) =="; \
		start=$$SECONDS; \
		TEST_DATABASE_URL="$$POSTGRES_TEST_URL" $(PYTEST) -m "not browser" --junitxml=.test-results/postgresql.xml; \
		status=$$?; echo "PostgreSQL-varvet: $$(( SECONDS - start )) s" | tee -a .test-results/tider.txt; exit $$status; \
	else echo "POSTGRES_TEST_URL är inte satt: sviten kördes bara mot SQLite (starta PostgreSQL med make services)."; fi

## Draw the README's admin screenshots (docs/screenshots/) again from the editor journeys in Chromium;
## needs the services (make services). An ordinary `make test` writes them to .test-results/ instead.
screenshots: $(VENV)/.installed
	UPDATE_SCREENSHOTS=1 $(VENV)/bin/pytest -n 0 tests/test_editor_journeys.py

## Compile the project's own Swedish translations (locale/sv/LC_MESSAGES/django.po → .mo, checked in
## so that make run, gunicorn and CI need no gettext); needs msgfmt (Debian's gettext).
messages:
	msgfmt --check -o locale/sv/LC_MESSAGES/django.mo locale/sv/LC_MESSAGES/django.po

bench: $(VENV)/.installed
	$(PY) bench/run_all.py

## Back up the database and the media files to one archive: backups/larportalen-<UTC time>.tar.gz,
## or ARCHIVE=…. Settings come from the environment as in operation (DJANGO_SETTINGS_MODULE,
## DATABASE_URL, MEDIA_ROOT); without them, the `make run` portal (db.sqlite3, media/).
## No $(VENV)/.installed prerequisite here: a scheduled backup or a restore must never start a pip install.
backup:
	$(PY) manage.py backup $(if $(ARCHIVE),--output "$(ARCHIVE)")

## Restore ARCHIVE=… into an empty database and an empty media folder, migrate, rebuild the search indexes.
restore:
	@test -n "$(ARCHIVE)" || { echo "Ange arkivet: make restore ARCHIVE=backups/larportalen-<tid>.tar.gz" >&2; exit 2; }
	$(PY) manage.py restore "$(ARCHIVE)"

## Check ARCHIVE=… completely (checksums, format, migrations) without touching the portal.
verify-backup:
	@test -n "$(ARCHIVE)" || { echo "Ange arkivet: make verify-backup ARCHIVE=backups/larportalen-<tid>.tar.gz" >&2; exit 2; }
	$(PY) manage.py restore --verify-only "$(ARCHIVE)"

## Start PostgreSQL, Elasticsearch 8, Redis and Chromium/axe-core on loopback; then: eval "$$(scripts/services.sh env)"
services:
	scripts/services.sh start all
	@scripts/services.sh env

services-stop:
	scripts/services.sh stop all

clean:
	rm -rf $(VENV) .test-results .pytest_cache .ruff_cache .hypothesis
