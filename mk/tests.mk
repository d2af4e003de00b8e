# SPDX-License-Identifier: Apache-2.0
# make test (host + QEMU tests, one summary line), make run, make debug, make bench.

QEMU_TESTS := $(sort $(wildcard tests/qemu/*.test))
QEMU_ARM := $(BOARD_QEMU)
# Apps booted by `make run`.
DEFAULT_APPS ?= hello timers
RUN_APPS ?= $(DEFAULT_APPS)
RUN_FLASH := $(KBUILD)/run-apps.bin
COMMA := ,
RUN_LOADER = $(if $(RUN_APPS),-device loader$(COMMA)file=$(RUN_FLASH)$(COMMA)addr=$(BOARD_APPS_ADDR))

test: deps
	$(Q)$(MAKE) --no-print-directory kernels tools host-tests-build apps
	$(Q)$(MAKE) --no-print-directory fuzz-smoke
	$(Q)tools/run-tests.sh $(BUILD) $(BOARD) $(HOST_TESTS) -- $(QEMU_TESTS)

$(RUN_FLASH): $(foreach a,$(RUN_APPS),$(BUILD)/apps/$(a)/$(a).tbf) $(TOOLS_MKAPPFLASH)
	$(Q)$(TOOLS_MKAPPFLASH) -o $@ $(filter %.tbf,$^)

run: deps
	$(Q)$(MAKE) --no-print-directory kernel tools apps $(if $(RUN_APPS),$(RUN_FLASH))
	@echo "Booting Cairn on QEMU $(BOARD). Quit with Ctrl-A then x."
	$(Q)$(QEMU_ARM) -nographic -kernel $(KERNEL_ELF) $(RUN_LOADER)

debug: deps
	$(Q)$(MAKE) --no-print-directory kernel tools apps $(if $(RUN_APPS),$(RUN_FLASH))
	@echo "QEMU waits for gdb on tcp::3333; gdb-multiarch attaches. Quit gdb to stop."
	$(Q)$(QEMU_ARM) -display none -monitor none -serial file:$(KBUILD)/debug-console.log \
		-S -gdb tcp::3333 -kernel $(KERNEL_ELF) $(RUN_LOADER) & \
	gdb-multiarch -q -ex 'target remote :3333' -ex 'break board_main' $(KERNEL_ELF); \
	kill %1 2>/dev/null || true
