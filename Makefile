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

lint: $(STAMP)
	$(VENV)/bin/cfn-lint template.yaml

clean:
	rm -rf $(VENV) dist .aws-sam .pytest_cache .hypothesis
