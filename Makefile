# Latent Lexicon: the single entry point for setting up, building, serving, testing, benchmarking.
#   make serve   set up, then build and serve the site on http://127.0.0.1:8000/; an edit re-renders
#                the edited page (and what shows it), keeping the rest (scripts/lexicon/incremental.py)
#   make test    set up, then run the whole test suite (unit, build, built site, browser)
#   make build   set up, then build the site into site/ (strict; the old site/ survives a failed build)
#   make bench   set up, then measure builds, page weight, Lighthouse and the explorer into bench/results.json
#   make offline set up, then build the offline bundle dist/latent-lexicon-offline.zip (works from file://)
#   make publish after make build and make offline: copy the zip into site/downloads/, where the
#                instructors page links it (what the Pages workflow uploads)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: setup build serve test bench offline publish clean

setup: $(STAMP) node_modules/.package-lock.json

$(STAMP): requirements.txt requirements-dev.txt requirements-nodeps.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed" or 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -r requirements-nodeps.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (Node.js 18+): install nodejs and npm"; exit 1; }
	npm ci --omit=dev --no-audit --no-fund   # with the tests' tools (optional dependencies): vnu-jar, axe-core

# Lighthouse (a dev dependency) only for the bench.
node_modules/.bin/lighthouse: package.json package-lock.json
	npm ci --no-audit --no-fund

build: setup
	$(BIN)/python -m lexicon.safe_build

serve: setup
	$(BIN)/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:8000

test: setup
	@command -v java >/dev/null || { echo "Java is needed for the HTML checker: apt-get install default-jre-headless"; exit 1; }
	$(BIN)/python -m pytest

offline: setup
	$(BIN)/python -m lexicon.offline_bundle --out dist/latent-lexicon-offline.zip

publish: setup
	$(BIN)/python -m lexicon.offline_bundle --out dist/latent-lexicon-offline.zip --publish site

bench: setup node_modules/.bin/lighthouse
	$(BIN)/python bench/run.py
	$(BIN)/python bench/evaluator.py

clean:
	rm -rf site .cache dist bench/results.json bench/evaluator.json
