# The two set-up commands: `make run` and `make test`. Each installs what it needs itself.
.PHONY: run test lint unit fuzz hapi-jar clean sushi profiles postgres

VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

SUSHI_STAMP := profiles/node_modules/.installed

$(SUSHI_STAMP): profiles/package.json profiles/package-lock.json
	cd profiles && npm ci --no-audit --no-fund
	touch $@

# SUSHI (pinned in profiles/package-lock.json) and the FHIR packages it reads, offline.
sushi: $(SUSHI_STAMP)
	profiles/setup-packages.sh

# Rebuild profiles/fsh-generated from profiles/input/fsh; commit the result.
profiles: sushi
	cd profiles && npm_config_offline=true node_modules/.bin/sushi build .

# Debian's PostgreSQL server binaries, for the tests that start their own server
# (tests/postgres.py); installed only when no /usr/lib/postgresql/*/bin/initdb exists.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=; \
	  elif command -v sudo >/dev/null; then sudo=sudo; \
	  else echo "make postgres: installing postgresql needs root or sudo" >&2; exit 1; fi; \
	  set -x; $$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y --no-install-recommends postgresql; \
	fi

hapi-jar: $(STAMP)
	$(BIN)/oneplan hapi build

run: hapi-jar
	$(BIN)/oneplan serve --start-hapi --load-fixtures

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

# pytest exits 5 when it collects nothing; that is not a failure of the code under test.
test: lint hapi-jar sushi postgres
	$(BIN)/pytest; status=$$?; if [ $$status -eq 5 ]; then echo "no tests collected"; \
	  status=0; fi; exit $$status

unit: lint
	$(BIN)/pytest -m "not hapi"

# The schemathesis run over every operation of the OpenAPI (also part of `make test`), alone.
fuzz: $(STAMP)
	$(BIN)/pytest tests/gateway/http/test_schemathesis.py

clean:
	rm -rf $(VENV) hapi/target .data
