# Seva Mitra: every entry point. `make dev` and `make test` set up a fresh machine themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
STAGE ?= dev

export PYTHONPATH := layers/common/python:functions/register:functions/match:functions/book:functions/complaint:functions/verify:functions/notify:functions/jobs:functions/ondc:.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export CDK_DISABLE_VERSION_CHECK := true
export CDK_DISABLE_CLI_TELEMETRY := true
export POWERTOOLS_TRACE_DISABLED ?= true

LAYER_DIR := build/layer
# The layer build also holds the functions' compiled code (infra/layer.py), so their sources count.
LAYER_SOURCES := pyproject.toml infra/layer.py $(shell find layers/common/python/sevamitra data functions -type f -not -path '*/__pycache__/*' -not -name '*.pyc')

.PHONY: help install web browser dev demo test fuzz check lint format typecheck openapi layer synth bench load deploy diff clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,infra]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## create .venv and install everything pyproject.toml lists

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error

# The web portal (web/): npm packages pinned by web/package-lock.json, built by Vite into web/dist.
WEB_SOURCES := web/index.html web/vite.config.js $(shell find web/src -type f 2>/dev/null)

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npx --no-install vite build --logLevel warn

web: web/dist/index.html ## build the web portal into web/dist (npm ci, vite build)

# Chromium and a Devanagari font (without one, Hindi is drawn as empty boxes) for the portal's
# browser tests: installed with apt-get where make runs as root (CI), else explained.
browser: ## install Chromium and a Devanagari font for the browser tests (apt-get as root; else says how)
	@if { [ -n "$$CHROMIUM_PATH" ] || [ -x /usr/bin/chromium ]; } && fc-list :lang=hi 2>/dev/null | grep -q .; then \
		exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium and fonts-lohit-deva for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-lohit-deva >/dev/null && fc-cache -f; \
	else \
		echo "browser tests need Chromium and a Devanagari font: sudo apt-get install chromium fonts-lohit-deva" \
			"(or .venv/bin/playwright install chromium); without a browser they are skipped"; \
	fi

dev: install web ## serve the API and the web portal (/app/) locally on moto with demo data (PORT, default 3000)
	$(PY) -m local.server

demo: install ## the whole story, step by step, against a running `make dev` (DEMO_ARGS="--lang hi" for Hindi)
	$(PY) -m local.walkthrough $(DEMO_ARGS)

test: install web browser ## run the whole test suite (the portal in a real browser too) with the branch-coverage floor
	$(PY) -m pytest -n 2 --dist loadfile --cov --cov-report=term

FUZZ_EXAMPLES ?= 500

fuzz: install ## schemathesis against a local stack: FUZZ_EXAMPLES (default 500) cases per operation
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/e2e/test_fuzz.py -q -o timeout=3600

check: lint typecheck test ## lint, types and tests: green before you stop

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: install ## mypy over the layer, functions, infra, local stack and benchmarks
	$(VENV)/bin/mypy layers/common/python functions infra local benchmarks

openapi: install ## regenerate the served OpenAPI document from the pydantic models
	$(PY) -m local.openapi

$(LAYER_DIR)/.stamp: $(LAYER_SOURCES) | $(STAMP)
	$(PY) -m infra.layer $(LAYER_DIR)
	touch $@

layer: $(LAYER_DIR)/.stamp ## build the Lambda layer (arm64 wheels via pip --platform; needs PyPI)

synth: install node_modules/.package-lock.json $(LAYER_DIR)/.stamp ## synthesize the CDK app offline (cdk-nag on), then cfn-lint it
	rm -rf cdk.out
	npx cdk synth --quiet --context stage=$(STAGE)
	$(VENV)/bin/cfn-lint --non-zero-exit-code error --ignore-checks W3005 -- cdk.out/*.template.json

bench: install web browser ## run the benchmarks: match cost, cold start, the portal's first load on slow 4G, notification latency, capacity and cost (benchmarks/results/*.json)
	$(PY) benchmarks/match_bench.py
	$(PY) benchmarks/cold_start.py
	$(PY) benchmarks/portal_bench.py
	$(PY) benchmarks/notify_latency.py
	$(PY) benchmarks/capacity.py

load: install ## load and races on loopback (own local stack), then the stored data's invariants
	$(PY) benchmarks/load.py

# make deploy STAGE=prod [ALARM_EMAIL=a@b] [ALLOWED_ORIGINS=https://x,https://y] [PARAMETERS="Name=value ..."]
DEPLOY_CONTEXT = --context stage=$(STAGE) $(if $(ALARM_EMAIL),--context alarm_email=$(ALARM_EMAIL)) \
	$(if $(ALLOWED_ORIGINS),--context allowed_origins=$(ALLOWED_ORIGINS))

deploy: install node_modules/.package-lock.json $(LAYER_DIR)/.stamp web ## deploy the stage STAGE (default dev) to the current AWS account, then publish the portal (docs/deploy.md)
	mkdir -p .local
	npx cdk deploy SevaMitra-$(STAGE) $(DEPLOY_CONTEXT) $(foreach p,$(PARAMETERS),--parameters SevaMitra-$(STAGE):$(p)) \
		--require-approval broadening --outputs-file .local/outputs-$(STAGE).json
	$(PY) -m infra.publish_portal .local/outputs-$(STAGE).json

diff: install node_modules/.package-lock.json $(LAYER_DIR)/.stamp ## what `make deploy` would change in the stage STAGE
	npx cdk diff SevaMitra-$(STAGE) $(DEPLOY_CONTEXT)

clean: ## remove build output (keeps .venv)
	rm -rf cdk.out build .local .pytest_cache .mypy_cache .ruff_cache .coverage web/dist
