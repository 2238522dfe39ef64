# Two commands on a fresh machine with only Python 3.10+: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

run: $(STAMP)
	$(BIN)/broadsheet

test: $(STAMP)
	$(BIN)/ruff check index tui tests bench
	$(BIN)/python -m pytest

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --entities
	$(BIN)/python bench/plot.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
