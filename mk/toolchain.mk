# SPDX-License-Identifier: Apache-2.0
# Compilers and common flags for the target (arm-none-eabi) and the host.

CROSS ?= arm-none-eabi-
TCC := $(CROSS)gcc
TOBJCOPY := $(CROSS)objcopy
TSIZE := $(CROSS)size
HOSTCC ?= gcc
CLANG ?= clang

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
CSTD := -std=gnu11

# Host programs and tests: sanitizers on, the host arch port provides arch_defs.h.
HOST_CFLAGS := $(CSTD) $(WARN) -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Ikernel/include -Ikernel -Iarch/host/include -Ichips/cmsdk
HOST_LDFLAGS := -fsanitize=address,undefined
# Host tools (elf2tbf ...): plain, no sanitizer runtime needed by users.
TOOL_CFLAGS := $(CSTD) $(WARN) -O2 -g -Ikernel/include
