# The two commands a newcomer needs: `make chat` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BUILD_OUT ?= dist
# the chat's locale: make chat LOCALE=es-US
LOCALE ?= en-US

.PHONY: install node-install chat sim test floor build build-SkillFunction lint bench voice-report clean

$(STAMP): requirements-dev.txt lambda/requirements.txt skill/web/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# The AWS SAM CLI lives in its own venv (.venv-sam): it pins its own boto3. Used offline only (validate, build).
SAM_VENV ?= .venv-sam
SAM := SAM_CLI_TELEMETRY=0 $(SAM_VENV)/bin/sam
SAM_STAMP := $(SAM_VENV)/.installed

$(SAM_STAMP):
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check aws-sam-cli==1.170.0
	touch $(SAM_STAMP)

install: $(STAMP) $(SAM_STAMP)

# The npm tools, each exactly as its lock says (npm ci, no install scripts); without npm what needs them skips:
# - tools/virtual-alexa: the NLU evaluation's exact matcher (tests/test_nlu_eval.py, python -m skill nlu-eval);
# - tools/simulator-web: axe-core, the simulator's accessibility check (tests/test_simulator.py);
# - tools/ask-cli: ask-cli 2.30.7, antlr4ts held at 0.5.0-alpha.4, which deploys the skill package
#   (tools/ask-cli/deploy, tests/test_deploy_ask_cli.py, docs/deploy.md).
VIRTUAL_ALEXA_STAMP := tools/virtual-alexa/node_modules/.installed
SIMULATOR_WEB_STAMP := tools/simulator-web/node_modules/.installed
ASK_CLI_STAMP := tools/ask-cli/node_modules/.installed

tools/%/node_modules/.installed: tools/%/package.json tools/%/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tools/$* --ignore-scripts --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: tools/$* not installed; the tests that need it will skip"; \
	fi

node-install: $(VIRTUAL_ALEXA_STAMP) $(SIMULATOR_WEB_STAMP) $(ASK_CLI_STAMP)

chat: $(STAMP)
	$(PY) -m skill chat --locale $(LOCALE)

# The skill in a browser (python -m skill simulate): prints a local URL. make sim PORT=0 picks a free port.
PORT ?= 8765
sim: $(STAMP)
	$(PY) -m skill simulate --port $(PORT)

test: $(STAMP) $(VIRTUAL_ALEXA_STAMP) $(SIMULATOR_WEB_STAMP) $(SAM_STAMP)
	$(PY) -m pytest

# virtual-alexa's floor on the NLU evaluation sets make test leaves out (it runs the first blind pair and the newest)
floor: $(STAMP) $(VIRTUAL_ALEXA_STAMP)
	$(PY) -m pytest -m every_floor tests/test_nlu_eval.py

# dist/lambda.zip: the deployment artifact (needs the template's runtime Python for its bytecode; see skill/local/build.py)
build: $(STAMP)
	$(PY) -m skill build --out $(BUILD_OUT)

# What `sam build` runs (BuildMethod: makefile in template.yaml): the same artifact, unpacked into SAM's folder.
build-SkillFunction: $(STAMP)
	$(PY) -m skill build --out $(BUILD_OUT) --artifacts-dir "$(ARTIFACTS_DIR)"

bench: $(STAMP)
	$(PY) benchmarks/bench.py

# How much the skill says in every locale, each number beside issue 13's limit (exits 1 when one fails).
voice-report: $(STAMP)
	$(PY) -m skill voice-report

CHECKOV_VENV ?= .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed

$(CHECKOV_STAMP):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check checkov==3.3.30
	touch $(CHECKOV_STAMP)

# Static checks: style and bugs (ruff), types (mypy), security (bandit; each skip says why inline), the template
# (cfn-lint, sam validate, and checkov: each skipped rule is justified in template.yaml's Metadata).
lint: $(STAMP) $(CHECKOV_STAMP) $(SAM_STAMP)
	$(VENV)/bin/ruff check skill tests lambda benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit --quiet --recursive skill lambda
	$(VENV)/bin/cfn-lint template.yaml
	$(SAM) validate --lint --template template.yaml
	$(CHECKOV_VENV)/bin/checkov --file template.yaml --framework cloudformation --skip-download --compact --quiet

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) $(SAM_VENV) dist .aws-sam .pytest_cache .hypothesis .ruff_cache .mypy_cache tools/*/node_modules
