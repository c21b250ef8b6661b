# litreview: every set-up step a fresh machine needs lives here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench fuzz robustness docs clients clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

install: $(STAMP)

## make demo: run the whole pipeline on corpus/ and write build/
demo: $(STAMP)
	$(BIN)/litreview run

## make test: the suite, then litreview check on the shipped corpus
test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/litreview check

lint: $(STAMP)
	$(BIN)/ruff check litreview tests benchmarks scripts
	$(BIN)/ruff format --check litreview tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz LITREVIEW_SLOW=1 $(BIN)/python -m pytest tests/test_io.py tests/test_corpus.py tests/test_hostile.py tests/test_yamlio.py tests/test_journal.py -k "arbitrary or mutated or write_then_read or million or hundred_kills"

robustness: $(STAMP)
	$(BIN)/python scripts/robustness.py

## make clients: TeX, pandoc and headless Chromium for the real-client rendering tests
clients:
	sh scripts/install-clients.sh

docs: $(STAMP)
	$(BIN)/python scripts/gen_cli_reference.py > docs/cli.md
	$(BIN)/python scripts/gen_pictures.py
	$(BIN)/python scripts/screenshot_serve.py

clean:
	rm -rf $(VENV) build .litreview-cache
