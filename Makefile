# One entry point for people and CI: `make run` and `make test` install what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint eval bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[web,dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) app.py

lint: install
	$(PY) -m ruff check src tests eval bench app.py

test: lint
	$(PY) -m pytest

eval: install
	$(VENV)/bin/coopbot eval

bench: install
	$(PY) bench/bench_ask.py

clean:
	rm -rf $(VENV) .coopbot
