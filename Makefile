# The two commands: `make site` and `make test`. Each makes its own virtualenv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export NO_MKDOCS_2_WARNING := 1

.PHONY: site test lint serve clean bench mutants

$(STAMP): pyproject.toml
	@# A fresh Debian has python3 without venv/ensurepip: say what to install, not a traceback.
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
	  echo "make: '$(PYTHON) -m venv' cannot work here (no venv/ensurepip module)."; \
	  echo "Install what a fresh machine needs:  apt-get install python3-venv make"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(PY) -m generator build

test: $(STAMP)
	$(PY) -m ruff check generator tests overrides
	$(PY) -m pytest -q

serve: $(STAMP)
	$(PY) -m generator serve

bench: $(STAMP)
	$(PY) -m generator.tools.bench

# Mutation testing (not in CI; see TESTING.md). MUTANTS="generator.publish.write.x_safe_url*" runs
# only the mutants matching the pattern(s); results stay in mutants/ between runs.
MUTANTS ?=
mutants: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,mutation]'
	$(PY) -m mutmut run --max-children 2 $(MUTANTS)
	$(PY) -m mutmut results

clean:
	rm -rf mutants site dist docs/archive docs/searchindex docs/data .cache
