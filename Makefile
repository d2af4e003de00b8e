# SPDX-License-Identifier: Apache-2.0
# Top-level build: make run | run-app | debug | test | bench | check | help | clean.

BOARD ?= qemu-mps2-an385
# A board is a folder boards/NAME with a board.mk; name the known ones rather than let
# make fail on a missing include.
ALL_BOARDS := $(sort $(patsubst boards/%/board.mk,%,$(wildcard boards/*/board.mk)))
ifeq ($(filter $(BOARD),$(ALL_BOARDS)),)
$(error No board named '$(BOARD)'. Boards: $(ALL_BOARDS) (doc/porting.md adds one))
endif
BUILD := build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

.PHONY: all test bench check clean deps host-tests qemu-tests fuzz format
.DEFAULT_GOAL := all

# The apps' architecture follows the board (mk/userland.mk).
APP_ARCH ?= $(or $(shell sed -n 's/^BOARD_APP_ARCH *:\?= *//p' boards/$(BOARD)/board.mk 2>/dev/null),cortex-m3)

# Every fragment adds its own targets; each mk/*.mk says what it builds.
include mk/toolchain.mk
include mk/host.mk
include mk/tools.mk
include mk/userland.mk
include mk/mbedtls.mk
include mk/kernel.mk
include mk/bench.mk
include mk/tests.mk
include mk/run.mk
include mk/check.mk

all: kernel apps

deps:
	$(Q)tools/deps.sh test

clean:
	rm -rf $(BUILD)
