# SPDX-License-Identifier: Apache-2.0
# Top-level build: make run | test | bench | check | debug | clean. CI calls only these.

BOARD ?= qemu-mps2-an385
BUILD := build
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

.PHONY: all run test bench check debug clean deps host-tests qemu-tests fuzz format
.DEFAULT_GOAL := all

# The apps' architecture follows the board (mk/userland.mk).
APP_ARCH ?= $(or $(shell sed -n 's/^BOARD_APP_ARCH *:\?= *//p' boards/$(BOARD)/board.mk 2>/dev/null),cortex-m3)

# Every fragment adds its own targets; each mk/*.mk says what it builds.
include mk/toolchain.mk
include mk/host.mk
include mk/tools.mk
include mk/userland.mk
include mk/kernel.mk
include mk/bench.mk
include mk/tests.mk
include mk/check.mk

all: kernel apps

deps:
	$(Q)tools/deps.sh

clean:
	rm -rf $(BUILD)
