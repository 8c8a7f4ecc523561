# Two commands for a fresh machine: `make run` and `make test` (see README).
VENV ?= .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/solidaire
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=
# `make run PORT=8300`; SITE_ROOT (links in e-mails, feeds, bulletins) follows unless given.
PORT ?= 8000
# The slowest tests of each run, to keep an eye on the suite's time.
DURATIONS := --durations=15

.PHONY: run test install install-test install-faults chromium postgres nginx lint test-sqlite test-postgres test-e2e test-faults deploy-local test-deploy bench bench-alerts bench-scale clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $$(python3 scripts/deps.py main)
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml tests/oidc/node_modules/.package-lock.json
	$(PY) -m pip install --quiet $$(python3 scripts/deps.py test)
	touch $@

# The OpenID Connect provider the ProConnect tests start on loopback (Node.js 18 or later,
# the npm package oidc-provider at the version of tests/oidc/package-lock.json).
tests/oidc/node_modules/.package-lock.json: tests/oidc/package.json tests/oidc/package-lock.json
	@command -v npm >/dev/null || { echo "npm introuvable : installez Node.js (18 ou plus) et npm (paquets Debian nodejs et npm), puis relancez 'make test'."; exit 1; }
	cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error

$(VENV)/.installed-faults: $(VENV)/.installed-test pyproject.toml
	$(PY) -m pip install --quiet $$(python3 scripts/deps.py faults)
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-faults: $(VENV)/.installed-faults

# The development profile: the embedded defaults (secret key, hosts, plain HTTP) are
# accepted and load_demo runs; production refuses them (see README, "Production").
run test-sqlite test-postgres test-e2e bench bench-alerts: export DJANGO_ENV = dev
run: export SITE_ROOT ?= http://127.0.0.1:$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_territory
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serveur : http://127.0.0.1:$(PORT) (SITE_ROOT=$$SITE_ROOT ; e-mails dans var/mail/ ; Ctrl+C pour arrêter)"
	@echo "Processus web, worker et scheduler de Procfile.dev lancés par honcho : si l'un s'arrête, honcho arrête les autres."
	@# honcho ends with status 0 after Ctrl+C and after a process exited alike: the trap tells them apart.
	@trap 'STOPPED_BY_USER=1' INT TERM; \
	  PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/honcho -f Procfile.dev start -p $(PORT); \
	  test -n "$$STOPPED_BY_USER" && { echo "make run : arrêté."; exit 0; }; \
	  echo "make run : un processus s'est arrêté (ligne « stopped » ci-dessus) et honcho a arrêté les autres. Lisez son message d'erreur, corrigez, puis relancez make run."; \
	  exit 1

# Debian packages the tests need: Chromium for the browser tests, pdftoppm to look at
# the bulletin PDF, fonts for WeasyPrint.
chromium:
	@(test -x $(CHROMIUM) && command -v pdftoppm >/dev/null) || (command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null)) || \
	  { echo "Chromium ou poppler-utils introuvable et impossible à installer : lancez 'sudo apt-get install chromium poppler-utils' (Debian) puis relancez 'make test'."; exit 1; }
	@test -x $(CHROMIUM) || { echo "Chromium introuvable à $(CHROMIUM) : installez le paquet Debian 'chromium'."; exit 1; }

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start || \
	  { echo "PostgreSQL ne répond pas sur 127.0.0.1:5432 et n'a pas pu être démarré."; exit 1; }
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; \
	  echo "PostgreSQL ne répond pas sur 127.0.0.1:5432."; exit 1

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-sqlite: install-test chromium
	$(VENV)/bin/pytest -q -m "not e2e" $(DURATIONS) $(PYTEST_ARGS)

test-postgres: install-test postgres chromium
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -m "not e2e" $(DURATIONS) $(PYTEST_ARGS)

test-e2e: install-test chromium
	DJANGO_ALLOW_ASYNC_UNSAFE=1 $(VENV)/bin/pytest -q -m e2e tests/e2e $(DURATIONS) $(PYTEST_ARGS)

test: lint test-sqlite test-postgres test-e2e

# Not part of `make test`: a production-like stack on loopback under faults, a few minutes
# (FAULTS_SECONDS=60 of submissions by default); needs root and the PostgreSQL server binaries.
test-faults: install-faults
	$(PY) bench/faults.py

# Not part of `make test` either: the multi-server layout of docs/deploy.md on loopback (nginx,
# two app servers, worker, scheduler, Redis, a private PostgreSQL primary and its streaming
# replica). deploy-local runs it until Ctrl+C; test-deploy runs its checks, then stops it.
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || \
	  (DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq nginx >/dev/null) || \
	  { echo "nginx introuvable et impossible à installer : lancez 'sudo apt-get install nginx' (Debian) puis relancez."; exit 1; }

deploy-local: install-faults nginx
	$(PY) deploy/local.py

test-deploy: install-faults nginx
	$(PY) deploy/test_deploy.py

bench: install-test
	$(PY) bench/finder.py
	$(PY) bench/import_eval.py
	$(PY) bench/bulletin_pdf.py
	$(PY) bench/opendata.py
	$(PY) bench/typography.py
	$(PY) bench/erasure.py

# A day's alerts for 100,000 subscriptions over 1,000,000 initiatives, beside the naive way:
# minutes, on a throwaway local PostgreSQL database (ALERTS_BENCH_DB), not in `make bench`.
ALERTS_BENCH_DB ?= solidaire_alerts_bench
bench-alerts: install-test postgres
	psql -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $(ALERTS_BENCH_DB)" -c "CREATE DATABASE $(ALERTS_BENCH_DB)"
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(ALERTS_BENCH_DB) $(PY) bench/alerts.py

# Not part of `make test`: the public pages at 10,000 to 1,000,000 initiatives on PostgreSQL
# beside a bare Django app (see README, "Mesure à l'échelle nationale"); needs wrk.
SCALE_SIZES ?= 10000,100000,1000000
bench-scale: install-test postgres
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq wrk >/dev/null) || \
	  { echo "wrk introuvable et impossible à installer : lancez 'sudo apt-get install wrk' puis relancez 'make bench-scale'."; exit 1; }
	$(PY) bench/scale.py --sizes $(SCALE_SIZES)

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3 db.sqlite3-*
