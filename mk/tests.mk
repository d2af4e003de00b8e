# SPDX-License-Identifier: Apache-2.0
# make test (host + QEMU tests, one summary line), make run, make debug, make bench.

QEMU_TESTS := $(sort $(wildcard tests/qemu/*.test))
QEMU_ARM := $(BOARD_QEMU)
# Apps booted by `make run`.
DEFAULT_APPS ?= hello timers
RUN_APPS ?= $(DEFAULT_APPS)
# Extra emulator arguments for `make run`, e.g. a sensor: RUN_QEMU_OPTS="-device tmp105,address=0x48".
RUN_QEMU_OPTS ?=
RUN_FLASH := $(KBUILD)/run-apps.bin
COMMA := ,
RUN_LOADER = $(if $(RUN_APPS),-device loader$(COMMA)file=$(RUN_FLASH)$(COMMA)addr=$(BOARD_APPS_ADDR))

# `make test` runs the QEMU suite on every board; `make test BOARD=NAME` on that one.
ALL_BOARDS := $(patsubst boards/%/board.mk,%,$(wildcard boards/*/board.mk))
TEST_BOARDS := $(if $(filter command line environment,$(origin BOARD)),$(BOARD),$(ALL_BOARDS))

test: deps
	$(Q)$(MAKE) --no-print-directory tools host-tests-build \
		$(if $(filter command line environment,$(origin BOARD)),apps,apps-all)
	$(Q)for b in $(TEST_BOARDS); do $(MAKE) --no-print-directory BOARD=$$b kernels || exit 1; done
	$(Q)$(MAKE) --no-print-directory fuzz-smoke
	$(Q)tools/run-tests.sh $(BUILD) "$(TEST_BOARDS)" $(HOST_TESTS) -- $(QEMU_TESTS)

# Fixed-address apps (BOARD_APP_ARCH) go in as TABs: mkappflash picks each one's image
# for the slot it lands in.
RUN_FLASH_OPTS := $(if $(BOARD_APP_ARCH),--arch $(BOARD_APP_ARCH) --region-start $(BOARD_APPS_ADDR)) \
	$(if $(BOARD_APPS_SIZE),--region-size $(BOARD_APPS_SIZE))
$(RUN_FLASH): $(foreach a,$(RUN_APPS),$(APP_DIR)/$(a)/$(a).tbf) $(TOOLS_MKAPPFLASH)
	$(Q)$(TOOLS_MKAPPFLASH) -o $@ $(RUN_FLASH_OPTS) \
		$(if $(BOARD_APP_ARCH),$(patsubst %.tbf,%.tab,$(filter %.tbf,$^)),$(filter %.tbf,$^))

run: deps
	$(Q)$(MAKE) --no-print-directory kernel tools apps $(if $(RUN_APPS),$(RUN_FLASH))
	@echo "Booting Cairn on QEMU $(BOARD). Quit with Ctrl-A then x."
	$(Q)$(QEMU_ARM) -nographic -kernel $(KERNEL_ELF) $(RUN_LOADER) $(RUN_QEMU_OPTS)

debug: deps
	$(Q)$(MAKE) --no-print-directory kernel tools apps $(if $(RUN_APPS),$(RUN_FLASH))
	@echo "QEMU waits for gdb on tcp::3333; gdb-multiarch attaches. Quit gdb to stop."
	$(Q)$(QEMU_ARM) -display none -monitor none -serial file:$(KBUILD)/debug-console.log \
		-S -gdb tcp::3333 -kernel $(KERNEL_ELF) $(RUN_LOADER) & \
	gdb-multiarch -q -ex 'target remote :3333' -ex 'break board_main' $(KERNEL_ELF); \
	kill %1 2>/dev/null || true
