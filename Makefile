# Everything a fresh machine needs: `make run` and `make test` build the
# virtual environment themselves and reinstall when pyproject.toml changes.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint sim clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/guanjia $(ARGS)

test: $(STAMP)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/lint-imports

sim: $(STAMP)
	$(VENV)/bin/guanjia sim

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis bench/out
