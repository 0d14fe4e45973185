# Every target creates .venv on first use and installs the pinned dependencies from the
# package registries (constraints.txt is the lock). Nothing is downloaded at run time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint eval bench fuzz robustness install lock clean browser

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "sitrep needs Python 3.11"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/sitrep demo

# The browser tests drive Debian's chromium (never a downloaded browser): installed here when
# missing, so a fresh Debian machine runs them; when it cannot be installed the tests fail.
BROWSER := /usr/bin/chromium

$(BROWSER):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

browser: $(BROWSER)

test: $(STAMP) $(BROWSER)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

eval: $(STAMP)
	$(BIN)/sitrep eval

bench: $(STAMP) $(BROWSER)
	$(BIN)/sitrep bench

# A million fuzzed inputs through the readers and parsers (atheris, else Hypothesis; ~20 min).
fuzz: $(STAMP)
	$(BIN)/python -m sitrep.evaluate.fuzz --runs 1000000 --doc docs/performance.md

# The hostile corpus and 10 kill -9 trials of `sitrep run` (~12 min).
robustness: $(STAMP)
	$(BIN)/python -m sitrep.evaluate.robustness --trials 10 --doc docs/performance.md

# Re-resolve the lock from pyproject.toml (run by a developer, never by CI).
lock:
	rm -rf /tmp/sitrep-lock && $(PYTHON) -m venv /tmp/sitrep-lock
	/tmp/sitrep-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/sitrep-lock/bin/pip freeze --exclude-editable | grep -v '^sitrep' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache sitrep.duckdb
