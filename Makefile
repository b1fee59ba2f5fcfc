# Two set-up commands: `make up` runs the center, `make test` runs the suite.
# Each first installs whatever is missing into .venv.

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: up test bench bench-quick install clean protos certs demo-cascade

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,bench]'
	@rm -f $(VENV)/.installed-*
	@touch $@

up: $(STAMP)
	$(PY) -m serve.main

# The browser tests drive Debian's chromium; Playwright never downloads one. A CJK
# font and an emoji font so the zh-CN screenshots and the emoji picker show text and
# pictures, not boxes.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
BROWSER_PACKAGES := chromium fonts-wqy-microhei fonts-noto-color-emoji
SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES)

$(CHROMIUM) $(CJK_FONT) $(EMOJI_FONT):
	$(APT_INSTALL) || ( $(SUDO) apt-get update -qq && $(APT_INSTALL) )

test: $(STAMP) $(CHROMIUM) $(CJK_FONT) $(EMOJI_FONT)
	$(PY) -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(PY) -m benchmarks.run $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(PY) -m benchmarks.run --quick $(BENCH_ARGS)

# Three linked centers (hq 8000, branch 8001, partner 8002), see README "Linked centers".
demo-cascade: $(STAMP)
	$(PY) -m federation.demo

# A demo CA and link certificates for centers named by CENTERS, under var/certs.
CENTERS ?= hq branch partner
certs: $(STAMP)
	$(PY) -m federation.certificates var/certs $(CENTERS)

# The link's generated code (committed; a unit test checks it is current).
protos: $(STAMP)
	$(PY) -m federation.codegen

clean:
	rm -rf $(VENV) var
