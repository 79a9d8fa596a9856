# Learning to Resize: every entry point a user needs. Needs only Python >= 3.11 and make.
#   make lab    set up, then open JupyterLab on notebooks/
#   make run    set up, then run the course end to end, headless, on the offline default
#   make test   set up, then run every check (ruff, pytest on TF and JAX, nbval, browser test)
#   make site   set up, then build the course's website into build/site/ (python -m http.server -d build/site)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PROFILE ?= quick
# pytest-xdist processes for the test stages (the CI machine has 2 cores)
WORKERS ?= 2

.PHONY: setup lab run figures times test lint pytest pytest-jax nbval handouts handout colab bounds browser sync clean
setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# uv (pip-installed into the environment) installs the same packages as pip in about a third
	# of the time; where uv cannot (an index that only pip's configuration names), pip does it
	$(BIN)/python -m pip install --quiet uv && $(BIN)/uv pip install --python $(BIN)/python --quiet \
	    --compile-bytecode --upgrade pip -e ".[lab,test,site]" \
	|| { echo "setup: uv could not install; pip will" >&2; \
	     $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e ".[lab,test,site]"; }
	# the lab (resizer_lab/, not in the wheel) importable from this environment wherever it runs
	$(BIN)/python -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()['purelib'], 'resizer_lab.pth').write_text('$(CURDIR)\\n')"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# As root (a container, a cloud VM) Jupyter refuses to start without --allow-root.
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

run: setup
	RESIZER_PROFILE=$(PROFILE) $(BIN)/python tools/run_notebooks.py --out build/notebooks notebooks/*.ipynb
	@echo "Executed notebooks are in build/notebooks/."

# The README's figure (the resizer's block diagram).
figures: setup
	$(BIN)/python tools/front_figure.py

# Each lesson's wall time under `quick`, recorded in results/lesson_times.json (the README's table).
times: setup
	RESIZER_PROFILE=quick $(BIN)/python tools/run_notebooks.py --out build/notebooks --times results/lesson_times.json notebooks/*.ipynb
	$(BIN)/python tools/lesson_table.py --write

# Stages joined by "+" run side by side (tools/run_stages.sh): the colab stage's notebooks leave
# about 40% of the 2 cores idle, which the JAX, bounds and handout stages fill; the two browser
# stages wait on servers and pages; lint is short. (The two pytest stages alone keep both cores
# busy: side by side they take as long as in turn.)
test:
	@bash tools/run_stages.sh setup lint+pytest colab+pytest-jax+bounds+handout browser+site-test

lint:
	$(BIN)/ruff check resizer_lib resizer_lab tests benchmarks notebooks tools
	$(BIN)/python tools/check_notebooks.py notebooks
	$(BIN)/python tools/sync_notebooks.py
	$(BIN)/python tools/lesson_table.py
	for f in tools/*.sh resizer_lab/scripts/*.sh .ci/run; do bash -n $$f || exit 1; done

pytest:
	MPLBACKEND=Agg KERAS_BACKEND=tensorflow $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal -p no:nbval -m "not browser" tests

# The same tests under JAX: every test marked `multibackend` (the marker says what runs here).
# Most of this stage's time is XLA compiling each new model: the tests check behaviour, not speed,
# so XLA's optimisation passes are left off (about a fifth less time on a cold cache). The
# compiled code is kept between runs on the same machine (tests/conftest.py: jax_cache_dir).
pytest-jax:
	MPLBACKEND=Agg KERAS_BACKEND=jax JAX_DISABLE_MOST_OPTIMIZATIONS=1 $(BIN)/python -m pytest -q -n $(WORKERS) --dist worksteal -p no:nbval -m "multibackend and not slow and not browser" tests

# Every notebook, the longest first: each runs in one kernel on one worker, so they should not start last.
LONGEST := notebooks/12_plug_and_play.ipynb notebooks/11_training_with_and_without.ipynb notebooks/06_transfer_learning.ipynb notebooks/09_learnable_resizer.ipynb
NOTEBOOKS := $(LONGEST) $(filter-out $(LONGEST),$(sort $(wildcard notebooks/*.ipynb)))

# Every cell of every notebook runs once in `make test`, in the `colab` stage: the notebooks with
# their solutions as code, from the wheel, on Colab's runtime; the website's test build renders
# those executions. `make nbval` runs the same notebooks in the checkout's environment (not part
# of `make test`).
nbval:
	$(BIN)/python tools/sync_notebooks.py --executable build/executable
	RESIZER_PROFILE=smoke KERAS_BACKEND=tensorflow $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadscope \
	    --nbval-lax --nbval-current-env $(patsubst notebooks/%,build/executable/%,$(NOTEBOOKS))

# Student copies: every notebook without its solution cells, into build/handouts (not committed).
handouts: setup
	$(BIN)/python tools/make_handouts.py --out build/handouts

# The student copies are checked statically by tests/test_handouts.py (no solution reaches them, no
# kept cell reads a name only a solution sets); one is executed here, in the checkout, where the
# real photos beside it exist: it is a lesson that shows them, so those cells run in CI too.
HANDOUT_RUN := build/handouts/04_pipelines_and_resizing.ipynb
handout: handouts
	RESIZER_PROFILE=smoke KERAS_BACKEND=tensorflow $(BIN)/python -m pytest -q -p no:cacheprovider \
	    --nbval-lax --nbval-current-env $(HANDOUT_RUN)

# Colab, played on Colab's own runtime: a fresh environment on its Python from its pins
# (tools/colab/colab-<date>.txt; a wheelhouse keeps the downloads), the wheel installed as an
# install cell does it, failing if pip would change any pin, then every notebook once, alone in an
# empty folder as on Colab, with a stub google.colab (tools/colab_stage.sh); the executed
# notebooks are kept in build/colab/executed for `make site-test`.
# When Colab moves: python tools/colab/refresh_pins.py PIP_FREEZE_FILE --date D --python X.Y.Z
colab:
	WORKERS=$(WORKERS) BIN=$(BIN) NOTEBOOKS="$(NOTEBOOKS)" bash tools/colab_stage.sh

# The lowest versions pyproject.toml allows (tools/bounds/lowest.txt): a few fast tests and one
# notebook on them (tools/bounds_stage.sh).
bounds:
	BIN=$(BIN) bash tools/bounds_stage.sh

browser:
	bash tools/setup_browser.sh
	# its two tests (JupyterLab 4 and ipywidgets 8; JupyterLab 3 and Colab's ipywidgets 7) side by side
	RESIZER_PROFILE=smoke $(BIN)/python -m pytest -q -n 2 -m browser tests/test_browser.py

# The course as a website (a book) in build/site/: every notebook executed under $(PROFILE) (cached in
# build/site-cache/: re-run only when its code or resizer_lib changes), without the licensed photos.
.PHONY: site site-test
site: setup
	$(BIN)/python tools/site/build_site.py --profile $(PROFILE) --workers $(WORKERS) --out build/site

# In `make test`: the site built from the notebooks the `colab` stage executed (under smoke, with
# no photos beside them), then opened in headless Chromium (tests/test_site.py).
site-test: setup
	test -d build/colab/executed || $(MAKE) --no-print-directory colab
	$(BIN)/python tools/site/build_site.py --profile smoke --executed build/colab/executed --out build/site-smoke
	bash tools/setup_browser.sh
	RESIZER_SITE=build/site-smoke $(BIN)/python -m pytest -q -m browser tests/test_site.py

# Regenerate what is generated: the badges and install cells (from pyproject.toml), the package's
# copies of the committed study summaries (from results/), then the .ipynb files from their
# jupytext .py sources (the source of truth).
sync:
	$(BIN)/python tools/sync_notebooks.py --write
	$(BIN)/python tools/lesson_table.py --write

clean:
	rm -rf $(VENV) build .pytest_cache
