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

# Boards with BOARD_PERSIST keep the apps region in a file that survives between runs
# (RUN_IMAGE; delete it to start again from RUN_APPS): apps installed with cairnctl stay.
# RUN_LINK=socket puts the console UART on a Unix socket instead of this terminal, so that
# cairnctl reaches the running board (one client at a time: `cairnctl -s SOCK console`
# for the console, the same socket for install/update/remove between console sessions).
RUN_IMAGE ?= $(BUILD)/$(BOARD)-flash.img
RUN_SOCKET ?= $(BUILD)/$(BOARD)-console.sock
RUN_LINK ?= stdio
run: deps
	$(Q)$(MAKE) --no-print-directory kernel tools apps $(if $(RUN_APPS),$(RUN_FLASH))
ifdef BOARD_PERSIST
	$(Q)if [ ! -f $(RUN_IMAGE) ]; then \
		python3 -c "import sys; f=open(sys.argv[1],'wb'); f.write(b'\xff'*0x40000); f.truncate(16<<20)" $(RUN_IMAGE) && \
		$(if $(RUN_APPS),dd if=$(RUN_FLASH) of=$(RUN_IMAGE) conv=notrunc status=none &&) \
		echo "New flash image $(RUN_IMAGE) with: $(RUN_APPS)"; fi
	@echo "Booting Cairn on QEMU $(BOARD) from the flash image $(RUN_IMAGE) (kept between runs)."
ifeq ($(RUN_LINK),socket)
	@echo "Console UART on $(RUN_SOCKET). From another terminal:"
	@echo "  tools/cairnctl -s $(RUN_SOCKET) console      (interactive; Ctrl-] leaves it)"
	@echo "  tools/cairnctl -s $(RUN_SOCKET) list | info | install APP.tab | update APP.tab | remove NAME"
	@echo "Stop QEMU with Ctrl-C here."
	$(Q)rm -f $(RUN_SOCKET)
	$(Q)$(QEMU_ARM) -display none -monitor none -serial unix:$(RUN_SOCKET),server=on,wait=off \
		-kernel $(KERNEL_ELF) $(BOARD_PERSIST)$(RUN_IMAGE)
else
	@echo "Manage its apps: live, with make run RUN_LINK=socket (cairnctl -s SOCKET ...); or"
	@echo "offline, QEMU stopped: tools/cairnctl -i $(RUN_IMAGE) list | install APP.tab | remove NAME"
	@echo "Quit with Ctrl-A then x."
	$(Q)$(QEMU_ARM) -nographic -kernel $(KERNEL_ELF) $(BOARD_PERSIST)$(RUN_IMAGE)
endif
else
	@echo "Booting Cairn on QEMU $(BOARD). Quit with Ctrl-A then x."
	$(Q)$(QEMU_ARM) -nographic -kernel $(KERNEL_ELF) $(RUN_LOADER)
endif

debug: deps
	$(Q)$(MAKE) --no-print-directory kernel tools apps $(if $(RUN_APPS),$(RUN_FLASH))
	@echo "QEMU waits for gdb on tcp::3333; gdb-multiarch attaches. Quit gdb to stop."
	$(Q)$(QEMU_ARM) -display none -monitor none -serial file:$(KBUILD)/debug-console.log \
		-S -gdb tcp::3333 -kernel $(KERNEL_ELF) $(RUN_LOADER) & \
	gdb-multiarch -q -ex 'target remote :3333' -ex 'break board_main' $(KERNEL_ELF); \
	kill %1 2>/dev/null || true
