# The two set-up commands: `make run` and `make test`. Each installs what it needs itself.
.PHONY: run test lint unit hapi-jar clean

VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

hapi-jar: $(STAMP)
	$(BIN)/oneplan hapi build

run: hapi-jar
	$(BIN)/oneplan serve --start-hapi --load-fixtures

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# pytest exits 5 when it collects nothing; that is not a failure of the code under test.
test: lint hapi-jar
	$(BIN)/pytest; status=$$?; if [ $$status -eq 5 ]; then echo "no tests collected"; \
	  status=0; fi; exit $$status

unit: lint
	$(BIN)/pytest -m "not hapi"

clean:
	rm -rf $(VENV) hapi/target .data
