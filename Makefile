# One entry point for people and CI: `make run` and `make test` install what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.installed-dev-stamp
# The sentence-transformers tests need torch: the CPU build, first and alone, so that nothing
# else resolves torch to a multi-GB CUDA build.  Running the app needs neither.
TORCH := torch==2.13.0

.PHONY: install install-dev run test lint quality eval bench clean e2e-deps

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[web]'
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(PY) -m pip install --quiet $(TORCH)
	$(PY) -m pip install --quiet -e '.[web,dev,st]'
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

run: install
	$(PY) app.py

lint: install-dev
	$(PY) -m ruff check src tests eval bench app.py

# The browser test drives Debian's chromium; install it when we are allowed to (root, apt).
e2e-deps:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: the browser test will be skipped"; }

# Quality guard: coopbot alone on the frozen test set and the growth set; fails when answerable accuracy on
# either falls more than 3 points below the figures committed in eval/report.json (nothing is timed).
quality: install-dev
	$(VENV)/bin/coopbot eval --fast --set test --set growth --against eval/report.json --max-drop 0.03

test: lint e2e-deps quality
	$(PY) -m pytest

eval: install
	$(VENV)/bin/coopbot eval

bench: install
	$(PY) bench/bench_ask.py

clean:
	rm -rf $(VENV) .coopbot
