# Learning to Resize: every entry point a user needs. Needs only Python >= 3.11 and make.
#   make lab    set up, then open JupyterLab on notebooks/
#   make run    set up, then run the course end to end, headless, on the offline default
#   make test   set up, then run every check (ruff, pytest on TF and JAX, nbval, browser test)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PROFILE ?= quick
# pytest-xdist processes for the test stages (the CI machine has 2 cores)
WORKERS ?= 2

.PHONY: setup lab run test lint pytest pytest-jax nbval handouts nbval-handouts colab bounds browser sync clean
setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# As root (a container, a cloud VM) Jupyter refuses to start without --allow-root.
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

run: setup
	RESIZER_PROFILE=$(PROFILE) $(BIN)/python -m resizer_lib compare --profile $(PROFILE) --data synthetic --name course_$(PROFILE)
	RESIZER_PROFILE=$(PROFILE) $(BIN)/python tools/run_notebooks.py --out build/notebooks notebooks/*.ipynb
	@echo "Executed notebooks are in build/notebooks/; results in results/."

test: setup lint pytest pytest-jax nbval-handouts colab bounds browser

lint:
	$(BIN)/ruff check resizer_lib tests benchmarks notebooks tools
	$(BIN)/python tools/check_notebooks.py notebooks
	$(BIN)/python tools/sync_notebooks.py
	for f in tools/*.sh .ci/run; do bash -n $$f || exit 1; done

pytest:
	MPLBACKEND=Agg KERAS_BACKEND=tensorflow $(BIN)/python -m pytest -q -n $(WORKERS) -m "not browser" tests

pytest-jax:
	MPLBACKEND=Agg KERAS_BACKEND=jax $(BIN)/python -m pytest -q -n $(WORKERS) -m "multibackend and not slow and not browser" \
	    tests/test_resizer.py tests/test_classifier.py tests/test_runner.py tests/test_loading.py tests/test_batchnorm.py \
	    tests/test_augment.py tests/test_layer_contract.py tests/test_record.py tests/test_checks.py \
	    tests/test_walk.py tests/test_network.py tests/test_spec.py tests/test_folder.py tests/test_pipeline.py \
	    tests/test_tfds_source.py tests/test_config.py tests/test_batches.py tests/test_arms.py tests/test_precise_bn.py \
	    tests/test_batching.py tests/test_muller.py tests/test_studies.py tests/test_profiles.py \
	    tests/test_sampling.py tests/test_normalisation.py tests/test_warm_start.py tests/test_cli_studies.py \
	    tests/test_segmentation.py tests/test_transposed.py

# Every notebook, the two longest first: each runs in one kernel on one worker, so they should not start last.
LONGEST := notebooks/06_training_with_and_without.ipynb notebooks/08_plug_and_play.ipynb
NOTEBOOKS := $(LONGEST) $(filter-out $(LONGEST),$(sort $(wildcard notebooks/*.ipynb)))

# Every cell of every notebook runs under nbval in `make test`, in two stages that split the work:
# `colab` runs the full notebooks (solutions included) from the wheel, outside the checkout;
# `nbval-handouts` runs the student copies (solutions removed) in the checkout, where the
# photos beside it exist, so the cells that use them run too. `make nbval` runs the full
# notebooks in the checkout (not part of `make test`: the two stages above cover it).
nbval:
	RESIZER_PROFILE=smoke KERAS_BACKEND=tensorflow $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadscope \
	    --nbval-lax --nbval-current-env $(NOTEBOOKS)

# Student copies: every notebook without its solution cells, into build/handouts (not committed).
handouts: setup
	$(BIN)/python tools/make_handouts.py --out build/handouts

HANDOUTS = $(patsubst notebooks/%,build/handouts/%,$(NOTEBOOKS))
nbval-handouts: handouts
	RESIZER_PROFILE=smoke KERAS_BACKEND=tensorflow $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadscope \
	    --nbval-lax --nbval-current-env $(HANDOUTS)

# Colab, played on Colab's own runtime: a fresh environment on its Python from its pins
# (tools/colab/colab-<date>.txt; a wheelhouse keeps the downloads), the wheel installed as an
# install cell does it, failing if pip would change any pin, then every notebook once under nbval,
# alone in an empty folder beside ../shared, with a stub google.colab (tools/colab_stage.sh).
# When Colab moves: python tools/colab/refresh_pins.py PIP_FREEZE_FILE --date D --python X.Y.Z
colab:
	WORKERS=$(WORKERS) BIN=$(BIN) NOTEBOOKS="$(NOTEBOOKS)" bash tools/colab_stage.sh

# The lowest versions pyproject.toml allows (tools/bounds/lowest.txt): a few fast tests and one
# notebook on them (tools/bounds_stage.sh).
bounds:
	BIN=$(BIN) bash tools/bounds_stage.sh

browser:
	bash tools/setup_browser.sh
	RESIZER_PROFILE=smoke $(BIN)/python -m pytest -q -m browser tests/test_browser.py

# Regenerate what is generated: the badges and install cells (from pyproject.toml), the package's
# copies of the committed study summaries (from results/), then the .ipynb files from their
# jupytext .py sources (the source of truth).
sync:
	$(BIN)/python tools/sync_notebooks.py --write
	$(BIN)/jupytext --update --to ipynb notebooks/*.py  # --update keeps cell ids

clean:
	rm -rf $(VENV) build .pytest_cache
