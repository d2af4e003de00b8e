# SPDX-License-Identifier: Apache-2.0
# Host builds: the portable kernel + host arch as a library, and one cmocka program per
# tests/host/test_*.c (each links only what it uses from the library).

HOST_BUILD := $(BUILD)/host
# Portable code that must link on the host: the kernel core, the capsules, the pure
# arithmetic of arch ports (no MMIO in those files), and the host arch port.
HOST_LIB_SRCS := $(wildcard kernel/*.c) $(wildcard capsules/*.c) $(wildcard arch/host/*.c) \
	$(wildcard arch/cortex-m/pmsav7.c) $(wildcard arch/cortex-m/pmsav8.c) \
	$(wildcard arch/riscv/pmp.c)
HOST_LIB_OBJS := $(patsubst %.c,$(HOST_BUILD)/obj/%.o,$(HOST_LIB_SRCS))
HOST_LIB := $(HOST_BUILD)/libcairn_host.a

HOST_TEST_SRCS := $(wildcard tests/host/test_*.c)
HOST_TESTS := $(patsubst tests/host/%.c,$(HOST_BUILD)/%,$(HOST_TEST_SRCS))

$(HOST_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(HOST_LIB): $(HOST_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

# Extra objects a test needs beyond the library (tool sources, e.g. elf2tbf's parts):
# tests/host/test_NAME.c may be accompanied by TEST_EXTRA_NAME := files in a mk fragment.
$(HOST_BUILD)/test_%: $(HOST_BUILD)/obj/tests/host/test_%.o $(HOST_LIB)
	$(Q)$(HOSTCC) $(HOST_LDFLAGS) -o $@ $< $(TEST_EXTRA_$*) $(HOST_LIB) -lcmocka

host-tests-build: $(HOST_TESTS)
.PHONY: host-tests-build

-include $(HOST_LIB_OBJS:.o=.d) $(HOST_TEST_SRCS:%.c=$(HOST_BUILD)/obj/%.d)
