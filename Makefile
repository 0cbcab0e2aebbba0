# The two commands of the README: `make demo` and `make test`, on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install assets messages chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

assets:
	scripts/fetch-assets.sh

messages: install
	$(BIN)/pybabel compile --statistics -D django -d laoxiao/locale

var/laoxiao.env:
	mkdir -p -m 700 var
	$(PYTHON) scripts/make-env.py > $@
	chmod 600 $@

demo: install assets messages var/laoxiao.env
	$(BIN)/laoxiao migrate --verbosity 0
	$(BIN)/laoxiao demo-setup --scale $(or $(SCALE),0.05)
	$(BIN)/laoxiao runserver --insecure 127.0.0.1:$(or $(PORT),8000)  # --insecure: serve static files without DEBUG

chromium:
	scripts/ensure-chromium.sh

test: install assets messages chromium
	scripts/test-all.sh

clean:
	rm -rf $(VENV) var staticfiles laoxiao/static/vendor
