# 评议督导 dashboard — `make run` serves the demo county, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8050
CODE := dashboard data layouts callbacks migrations

.PHONY: run test install install-test browser lint clean

$(BIN)/python:
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "需要 Python 3.11 或更新版本（当前：$$($(PY) --version)）"; exit 1; }
	$(PY) -m venv $(VENV)

$(RUN_STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/python -m compileall -q $(CODE)
	touch $@

$(TEST_STAMP): requirements-test.lock $(RUN_STAMP)
	$(BIN)/pip install -q -r requirements-test.lock
	touch $@

install: $(RUN_STAMP)
install-test: $(TEST_STAMP)

run: install
	$(BIN)/dashboard db upgrade
	$(BIN)/dashboard demo --if-empty
	$(BIN)/dashboard serve --host $(HOST) --port $(PORT)

# Browser tests need Chromium and CJK fonts, print tests LibreOffice Calc and poppler (pdftotext):
# installed with apt when running as root.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk libreoffice-calc-nogui poppler-utils >/dev/null; \
	  else \
	    echo "浏览器与打印测试需要 Chromium、中文字体、LibreOffice Calc 与 poppler：请先执行 sudo apt-get install -y chromium fonts-noto-cjk libreoffice-calc-nogui poppler-utils"; exit 1; \
	  fi; \
	fi

test: install-test browser
	$(BIN)/python -m pytest -W error

# Three sizes on SQLite (or DATABASE_URL's PostgreSQL), each ratio against its floor; the seeded
# databases are kept in bench/.cache (delete it to reseed). BENCH_ARGS="--sizes small" for one size.
.PHONY: bench
bench: install-test
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache
