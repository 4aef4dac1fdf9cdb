# Two entry points: `make run` (the shell on a local sandbox with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench soak clean

run: $(VENV)/installed
	$(BIN)/python -m bot shell

test: $(VENV)/installed-test
	$(BIN)/python -m pytest -q

lint: $(VENV)/installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# `make bench`: every benchmarks/bench_*.py, each with BENCH_RESULTS set to one file, then ONE table
# of every figure recorded (measure, figure, target, verdict). Sizes suited to a shared two-core
# machine by default (a script's BENCH_ARGS_<name> below); `make bench FULL=1` runs each script at
# its own defaults (the full sizes: bench_nudges' 2,000 officers take about 34 minutes).
# A missed target or a failed script does not stop the others; the exit status says it.
BENCH_RESULTS ?= benchmarks/out/results.jsonl
BENCH_ARGS_bench_nudges ?= --officers 200
bench_args = $(if $(FULL),,$(BENCH_ARGS_$(basename $(notdir $(1)))))

bench: $(VENV)/installed-test
	@mkdir -p $(dir $(BENCH_RESULTS)) && rm -f $(BENCH_RESULTS); status=0; \
	$(foreach b,$(sort $(wildcard benchmarks/bench_*.py)),\
	echo "== $(b) $(call bench_args,$(b))"; \
	BENCH_RESULTS=$(abspath $(BENCH_RESULTS)) $(BIN)/python $(b) $(call bench_args,$(b)) \
	|| { echo "== $(b) exited with $$?"; status=1; };) \
	echo; $(BIN)/python benchmarks/_report.py $(BENCH_RESULTS) $(wildcard benchmarks/bench_*.py); exit $$status

# `make soak`: ten minutes of mixed commands from 60 members while a nudge campaign runs and feeds
# are polled (benchmarks/soak.py; not a bench_*.py, so `make bench` does not run it), then the
# table of its figures (SOAK_RESULTS). SOAK_ARGS="--minutes 2" for a shorter run.
SOAK_RESULTS ?= benchmarks/out/soak.jsonl
SOAK_ARGS ?=

soak: $(VENV)/installed-test
	@mkdir -p $(dir $(SOAK_RESULTS)) && rm -f $(SOAK_RESULTS); status=0; \
	BENCH_RESULTS=$(abspath $(SOAK_RESULTS)) $(BIN)/python benchmarks/soak.py $(SOAK_ARGS) || status=1; \
	echo; $(BIN)/python benchmarks/_report.py $(SOAK_RESULTS) benchmarks/soak.py; exit $$status

$(VENV)/installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/installed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
