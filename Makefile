# Two commands do all the set-up on a fresh machine:
#   make demo   create the environment if needed, run the demo (one baseline run, and baseline
#               vs combination_punch with 20 replicates), write results/demo/
#   make test   create the environment if needed, run the test suite and the notebooks
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp

.PHONY: demo demo-sensitivity findings calibration validation explore test lint format bench env clean

env: $(STAMP)

$(STAMP): pyproject.toml
	@PY=$$(tools/find-python) || exit 1; \
	  test -x $(BIN)/python || { echo "creating $(VENV) with $$PY"; "$$PY" -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,app]'
	@# Byte-compile once: where PYTHONDONTWRITEBYTECODE is set, every worker process would
	@# otherwise recompile pandas, scipy and mesa on import (about 2.5 s each).
	@$(BIN)/python -m compileall -q -j 0 $(VENV)/lib > /dev/null 2>&1 || true
	@# Compile the model's engine once, here, so the first run, test or app page does not wait.
	$(BIN)/python -c "import sim; sim.simulate(seed=0, steps=1, preset='classroom')"
	@touch $@

demo: $(STAMP)
	$(BIN)/oasim run scenarios/baseline.toml --out results/demo/baseline --quiet
	$(BIN)/oasim compare scenarios/baseline.toml scenarios/combination_punch.toml \
	    --replicates 20 --out results/demo/compare --quiet

# The committed sensitivity analyses of the README (about 10 min on 2 cores); --resume continues
# one that was interrupted.
demo-sensitivity: $(STAMP)
	$(BIN)/oasim sensitivity scenarios/sensitivity/levers.toml --method sobol --samples 128 \
	    --out results/demo/sensitivity-levers-sobol --resume --quiet
	$(BIN)/oasim sensitivity scenarios/sensitivity/levers.toml --method morris \
	    --out results/demo/sensitivity-levers-morris --resume --quiet

# The committed calibration of the status quo to the targets of data/targets.toml (ABC-SMC, about
# 5 min on 2 cores); --resume continues one that was interrupted.
calibration: $(STAMP)
	$(BIN)/oasim calibrate scenarios/calibration/priors.toml --population 300 --generations 6 \
	    --workers 2 --seed 2025 --out results/calibration --resume --quiet

# The committed validation report, docs/VALIDATION.md with its figures (under a minute): the
# held-out targets and the article's patterns, and the calibration's predictive check.
validation: $(STAMP)
	$(BIN)/oasim validate --preset region --replicates 10 --seed 2025 \
	    --calibration results/calibration --quiet

# The committed findings report, docs/FINDINGS.md with its figures in docs/images/findings/
# (about 3 min on 2 cores; the same settings and seed give the same report); every table of
# it, as CSV, goes to results/findings/.
findings: $(STAMP)
	$(BIN)/oasim findings --preset region --replicates 20 --perturbations 20 --seed 2025 \
	    --out results/findings --docs docs/FINDINGS.md --quiet

# The committed exploration of robust policy (results/explore, about 14 min on 2 cores): six
# packages in 200 states of the world, the lever groups' interactions (second-order Sobol,
# N = 1,024), and the policy brief in both languages; --resume continues one that was interrupted.
POLICIES := quota_cut_no_oversight quota_cut_with_oversight result_with_campaigns devolve_full \
	    combination_realistic combination_punch
explore: $(STAMP)
	$(BIN)/oasim explore $(POLICIES) --scenarios 200 --interactions 1024 --seed 2025 \
	    --out results/explore --resume --quiet
	$(BIN)/oasim brief results/explore --lang en
	$(BIN)/oasim brief results/explore --lang zh

test: $(STAMP)
	$(BIN)/python -m pytest --nbmake tests notebooks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_floor.py
	$(BIN)/python benchmarks/bench_phases.py
	$(BIN)/python benchmarks/bench_app_load.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
