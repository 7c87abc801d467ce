# SPDX-License-Identifier: MIT
# mk/link.mk : the link library (host/src/link/, link.h): frames and payloads, the transports
# (serial port and pty, libftdi, the simulated board), the link with its retries and baud
# rates, and the model upload.  host/run, the board tests, the fake board and the fault proxy
# all link it, plain or with sanitizers (link order: $(LINK_LIB) $(GOLDEN_LIB) $(LINK_LIBS)).

LINK_SRC     := $(wildcard host/src/link/*.c)
LINK_HDR     := $(wildcard host/src/link/*.h) protocol/snn_protocol.def protocol/snn_protocol.h $(GOLDEN_HDR)
LINK_CFLAGS  := $(HOST_CFLAGS) -Ihost/src/link $(shell pkg-config --cflags libusb-1.0 libftdi1)
LINK_LIBS    := -lftdi1 -lusb-1.0 -lcjson
LINK_LIB     := $(BUILD)/link/liblink.a
LINK_LIB_SAN := $(BUILD)/link-san/liblink.a

$(BUILD)/link/%.o: host/src/link/%.c $(LINK_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LINK_CFLAGS) -c $< -o $@

$(BUILD)/link-san/%.o: host/src/link/%.c $(LINK_HDR) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(LINK_CFLAGS) -O1 $(SAN_FLAGS) -c $< -o $@

$(LINK_LIB): $(patsubst host/src/link/%.c,$(BUILD)/link/%.o,$(LINK_SRC))
	$(AR) rcs $@ $^

$(LINK_LIB_SAN): $(patsubst host/src/link/%.c,$(BUILD)/link-san/%.o,$(LINK_SRC))
	$(AR) rcs $@ $^

.PHONY: link-lib
link-lib: deps $(LINK_LIB) $(LINK_LIB_SAN) ## the link library (plain and ASan/UBSan)

# the frame and payload layer alone, for the harnesses that link only it (mk/robust.mk)
PROTO_SRC    := host/src/link/protocol.c
PROTO_HDR    := host/src/link/protocol.h protocol/snn_protocol.h protocol/snn_protocol.def host/src/common/le.h
