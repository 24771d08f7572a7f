# The two commands a newcomer needs: `make chat` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install node-install chat test build lint bench clean

$(STAMP): requirements-dev.txt lambda/requirements.txt skill/web/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# virtual-alexa for the NLU evaluation (tests/test_nlu_eval.py, python -m skill nlu-eval), exactly as locked.
# Without npm the evaluation's virtual-alexa part is skipped, not failed.
VIRTUAL_ALEXA := tools/virtual-alexa
VIRTUAL_ALEXA_STAMP := $(VIRTUAL_ALEXA)/node_modules/.installed

$(VIRTUAL_ALEXA_STAMP): $(VIRTUAL_ALEXA)/package.json $(VIRTUAL_ALEXA)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(VIRTUAL_ALEXA) --ignore-scripts --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: the NLU evaluation will skip virtual-alexa"; \
	fi

node-install: $(VIRTUAL_ALEXA_STAMP)

chat: $(STAMP)
	$(PY) -m skill chat

test: $(STAMP) $(VIRTUAL_ALEXA_STAMP)
	$(PY) -m pytest

build: $(STAMP)
	$(PY) -m skill build

bench: $(STAMP)
	$(PY) benchmarks/bench.py

CHECKOV_VENV ?= .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed

$(CHECKOV_STAMP):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check checkov==3.3.30
	touch $(CHECKOV_STAMP)

# Static checks: style and bugs (ruff), security (bandit; each skip says why inline), the template
# (cfn-lint, and checkov: each skipped rule is justified in template.yaml's Metadata).
lint: $(STAMP) $(CHECKOV_STAMP)
	$(VENV)/bin/ruff check skill tests lambda benchmarks
	$(VENV)/bin/bandit --quiet --recursive skill lambda
	$(VENV)/bin/cfn-lint template.yaml
	$(CHECKOV_VENV)/bin/checkov --file template.yaml --framework cloudformation --skip-download --compact --quiet

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) dist .aws-sam .pytest_cache .hypothesis .ruff_cache $(VIRTUAL_ALEXA)/node_modules
