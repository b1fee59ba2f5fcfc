# Two set-up commands: `make up` runs the center, `make test` runs the suite.
# Each first installs whatever is missing into .venv.

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: up test bench bench-quick install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,bench]'
	@rm -f $(VENV)/.installed-*
	@touch $@

up: $(STAMP)
	$(PY) -m serve.main

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(PY) -m benchmarks.run $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(PY) -m benchmarks.run --quick $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
