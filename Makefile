# The two commands a newcomer needs: `make chat` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install chat test build lint bench clean

$(STAMP): requirements-dev.txt lambda/requirements.txt skill/web/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

chat: $(STAMP)
	$(PY) -m skill chat

test: $(STAMP)
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
	rm -rf $(VENV) $(CHECKOV_VENV) dist .aws-sam .pytest_cache .hypothesis .ruff_cache
