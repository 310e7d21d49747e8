# Appraise: two commands for a newcomer (make run, make test), plus lint, services and bench.
# Every target sets up what it needs first and is safe to run twice.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# make run serves the portal as it runs in production (DEBUG off, gunicorn, WhiteNoise), locally.
# (Static files hashed but not pre-compressed locally: compressing them takes minutes on 2 cores.)
LOCAL_ENV = SECRET_KEY="$$(cat .local-secret-key)" ALLOWED_HOSTS="127.0.0.1,localhost" DEBUG=false \
	STATICFILES_BACKEND=django.contrib.staticfiles.storage.ManifestStaticFilesStorage \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 SITE_URL="http://$(HOST):$(PORT)"

# Threads, so that a burst of sign-ins (PBKDF2 holds a core, not the GIL) does not stall every other page
# as two sync workers did; bench/load.py measures it. The Procfile's web line uses the same flags.
GUNICORN_WORKERS = --workers 2 --worker-class gthread --threads 32

.PHONY: setup run dev demo test test-fast lint format services worker bench clean

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium (browser tests) and poppler-utils (reading PDFs back); Playwright's own
# browser download does not work on a closed network.
.system-packages:
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    chromium poppler-utils fonts-dejavu-core fonts-liberation >/dev/null; \
	fi
	touch $@

.local-secret-key:
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

setup: $(VENV)/.installed node_modules/.installed

demo: setup .local-secret-key
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input -v0
	$(LOCAL_ENV) $(PY) manage.py import_organisations
	$(LOCAL_ENV) $(PY) manage.py seed_demo

# The web server, one Celery worker for every queue and beat (Procfile.local), on the local-disk broker
# (kombu's filesystem transport in var/broker) unless REDIS_URL is set: tasks run outside the request.
run: demo
	$(LOCAL_ENV) $(PY) manage.py collectstatic --no-input -v0
	@echo "Appraise is at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(LOCAL_ENV) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PORT=$(PORT) HOST=$(HOST) $(VENV)/bin/honcho -f Procfile.local start

dev: demo
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# Tests that start real Celery worker processes run first and alone: a worker consumes whatever is
# on the shared broker queue, so no other test process may be sending tasks meanwhile. Then the
# rest, on two cores.
test: setup .system-packages
	$(PY) -m pytest -m services -n 0 $(PYTEST_ARGS)
	$(PY) -m pytest -m "not services" $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Web + Celery worker + beat against PostgreSQL and Redis (set DATABASE_URL and REDIS_URL).
services: demo
	@test -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { echo "Set DATABASE_URL and REDIS_URL (see README)"; exit 1; }
	$(LOCAL_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(LOCAL_ENV) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PORT=$(PORT) HOST=$(HOST) $(VENV)/bin/honcho start

# The scorecard and export benchmarks (bench/run.py), the contractor-file imports (bench/imports.py: SQLite
# and PostgreSQL), the pages under load (bench/web.py, driven by Debian's wrk), then respondents through the
# journey (bench/load.py, an asyncio client). BENCH_ONLY=web, load, imports or exports runs only that part.
bench: setup
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	@if [ -z "$(BENCH_ONLY)" ] || [ "$(BENCH_ONLY)" = exports ]; then $(PY) bench/run.py; fi
	@if [ -z "$(BENCH_ONLY)" ] || [ "$(BENCH_ONLY)" = imports ]; then $(PY) bench/imports.py; fi
	@if [ -z "$(BENCH_ONLY)" ] || [ "$(BENCH_ONLY)" = web ]; then $(PY) bench/web.py; fi
	@if [ -z "$(BENCH_ONLY)" ] || [ "$(BENCH_ONLY)" = load ]; then BENCH_LOAD_GUNICORN="$(GUNICORN_WORKERS)" $(PY) bench/load.py; fi

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 var .system-packages test-artifacts
