# Two commands on a fresh machine with only Python 3.10+: `make run` and `make test`.
# Both install the exact versions of the lock files, hashes checked, then Broadsheet itself;
# `make lock` refreshes the lock files from pyproject.toml (README, "Set-up and the lock files").
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := uv==0.13.9
# Extra uv options for `make lock`, e.g. LOCK_UPGRADE=--upgrade or LOCK_UPGRADE="--upgrade-package textual".
LOCK_UPGRADE ?=
LOCK := UV_PYTHON_DOWNLOADS=never $(BIN)/uv pip compile pyproject.toml --group build --universal \
	--python-version 3.10 --generate-hashes --quiet --custom-compile-command "make lock" $(LOCK_UPGRADE)

.PHONY: run test bench lock clean

# The locked pip is installed on its own first: the pip a venv starts with may be too old to read the
# lock (pip 23.2 does not match justext's `lxml[html_clean]` to the locked `lxml` once PyPI has a newer
# lxml, and refuses the lock). Then the lock, with the locked setuptools, so that the project installs
# without fetching anything unlocked.
define install_locked
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	awk '/^pip==/ {keep = 1} keep && /^ *#/ {exit} keep' $(1) > $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/pip.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r $(1)
	$(BIN)/python -m pip install --quiet --no-build-isolation --no-deps -e .
	touch $@
endef

$(VENV)/.installed-run: requirements.lock pyproject.toml
	$(call install_locked,requirements.lock)

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml
	$(call install_locked,requirements-dev.lock)

$(VENV)/.installed-bench: requirements-bench.lock pyproject.toml
	$(call install_locked,requirements-bench.lock)

run: $(VENV)/.installed-run
	$(BIN)/broadsheet

test: $(VENV)/.installed-dev
	$(BIN)/ruff check index tui tests bench
	$(BIN)/python -m mypy  # the files and strictness are in pyproject.toml, [tool.mypy]
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py --entities
	$(BIN)/python bench/plot.py

# Each lock keeps the versions it already pins unless pyproject.toml excludes them (or LOCK_UPGRADE
# says otherwise); the dev lock is constrained by the runtime lock, the bench lock by the dev lock,
# so that the three agree on every package they share.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "$(UV)"
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev -c requirements.lock -o requirements-dev.lock
	$(LOCK) --extra dev --extra bench -c requirements-dev.lock -o requirements-bench.lock

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
