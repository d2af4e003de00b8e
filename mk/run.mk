# SPDX-License-Identifier: Apache-2.0
# make run | run-app | debug | help: boot apps in QEMU, attach gdb, say what there is.
#
#   make run APPS="hello myapp"      build the kernel and only the listed apps, boot them
#                                    (an385: from a flash image file kept between runs)
#   make run-app APP=x.tbf [APP=...]  boot TBFs or TABs built elsewhere (libtock-c, ...)
#   make debug APPS="..."            as run, halted, with gdb-multiarch attached
#   make help                        targets, variables, boards and apps
#
# Needs mk/userland.mk (APP_DIR, RUN_APP_NAMES), mk/kernel.mk and mk/tools.mk first.

APPS ?= hello timers
RUN_FLASH := $(KBUILD)/run-apps.bin
# The list as last built: rewritten only when APPS changes, so the image follows the list
# (a shorter list must not boot the previous, longer image).
RUN_LIST := $(KBUILD)/run-apps.list
COMMA := ,
RUN_LOADER = $(if $(APPS),-device loader$(COMMA)file=$(RUN_FLASH)$(COMMA)addr=$(BOARD_APPS_ADDR))
# Extra emulator arguments for run and run-app, e.g. a sensor on the I2C bus:
# RUN_QEMU_OPTS="-device tmp105,address=0x48".
RUN_QEMU_OPTS ?=

# TAB members a board runs, in order of preference: its fixed-address architecture, or
# code for an FPU-less ARMv7-M (Cairn builds cortex-m3; ARMv6-M code runs there too).
# A board whose core is not ARMv7-M or later must set BOARD_TAB_ARCHES in its board.mk.
BOARD_TAB_ARCHES ?= $(or $(BOARD_APP_ARCH),cortex-m3$(COMMA)cortex-m0)

# An unknown name stops here with the valid ones (before any tool is needed).
define check_app_names
	@bad="$(filter-out $(RUN_APP_NAMES),$(APPS))"; if [ -n "$$bad" ]; then \
		echo "No app named: $$bad (for $(BOARD), apps built for $(APP_ARCH))." >&2; \
		echo "Apps: $(sort $(RUN_APP_NAMES))" >&2; \
		echo "An app is a folder userland/apps/NAME with a Makefile (copy userland/apps/template)." >&2; \
		exit 2; fi
endef

.PHONY: run run-app debug help run-list-force
$(RUN_LIST): run-list-force
	@mkdir -p $(dir $@)
	@echo '$(APPS)' | cmp -s - $@ 2>/dev/null || echo '$(APPS)' >$@

# Fixed-address apps (BOARD_APP_ARCH) go in as TABs: mkappflash picks each one's image
# for the slot it lands in.
RUN_FLASH_OPTS := $(if $(BOARD_APP_ARCH),--arch $(BOARD_APP_ARCH) --region-start $(BOARD_APPS_ADDR)) \
	$(if $(BOARD_APPS_SIZE),--region-size $(BOARD_APPS_SIZE))
$(RUN_FLASH): $(foreach a,$(APPS),$(APP_DIR)/$(a)/$(a).tbf) $(TOOLS_MKAPPFLASH) $(RUN_LIST)
	$(Q)$(TOOLS_MKAPPFLASH) -o $@ $(RUN_FLASH_OPTS) \
		$(if $(BOARD_APP_ARCH),$(patsubst %.tbf,%.tab,$(filter %.tbf,$^)),$(filter %.tbf,$^))

# Boards with BOARD_PERSIST (the an385: its apps region is file-backed PSRAM) boot from a
# flash image file, RUN_IMAGE, that survives between runs: apps installed with cairnctl
# stay. It is made again from APPS when the list or one of its apps was rebuilt since
# (the image follows APPS, as elsewhere); the previous one is kept as RUN_IMAGE.old.
# RUN_LINK=socket puts the console UART on a Unix socket instead of this terminal, so that
# cairnctl reaches the running board (one client at a time: `cairnctl -s SOCK console`
# for the console, the same socket for install/update/remove between console sessions).
RUN_IMAGE ?= $(BUILD)/$(BOARD)-flash.img
RUN_SOCKET ?= $(BUILD)/$(BOARD)-console.sock
RUN_LINK ?= stdio
# 16 MB, the PSRAM the memory backend maps: the apps region erased (0xFF), then APPS.
define run_image
	$(Q)if [ ! -f $(RUN_IMAGE) ] || [ $(RUN_LIST) -nt $(RUN_IMAGE) ] \
		$(if $(APPS),|| [ $(RUN_FLASH) -nt $(RUN_IMAGE) ]); then \
		if [ -f $(RUN_IMAGE) ]; then mv -f $(RUN_IMAGE) $(RUN_IMAGE).old && \
		echo "APPS or their build changed: the previous flash image is $(RUN_IMAGE).old"; fi && \
		python3 -c "import sys; f=open(sys.argv[1],'wb'); f.write(b'\xff'*$(BOARD_APPS_SIZE_STORE)); f.truncate(16<<20)" $(RUN_IMAGE) && \
		$(if $(APPS),dd if=$(RUN_FLASH) of=$(RUN_IMAGE) conv=notrunc status=none &&) \
		echo "New flash image $(RUN_IMAGE) with: $(or $(APPS),no apps)"; fi
endef

# Only the listed apps are built: a half-written app elsewhere in userland/apps/ does not
# stop anyone from running the others.
run:
	$(check_app_names)
	$(Q)tools/deps.sh run $(BOARD)
	$(Q)$(MAKE) --no-print-directory kernel tools $(RUN_LIST) $(if $(APPS),$(RUN_FLASH))
ifdef BOARD_PERSIST
	$(run_image)
	@echo "Booting Cairn on QEMU $(BOARD) from the flash image $(RUN_IMAGE) (kept between runs)."
ifeq ($(RUN_LINK),socket)
	@echo "Console UART on $(RUN_SOCKET). From another terminal:"
	@echo "  tools/cairnctl -s $(RUN_SOCKET) console      (interactive; Ctrl-] leaves it)"
	@echo "  tools/cairnctl -s $(RUN_SOCKET) list | info | install APP.tab | update APP.tab | remove NAME"
	@echo "Stop QEMU with Ctrl-C here."
	$(Q)rm -f $(RUN_SOCKET)
	$(Q)$(QEMU_ARM) -display none -monitor none -serial unix:$(RUN_SOCKET),server=on,wait=off \
		-kernel $(KERNEL_ELF) $(BOARD_PERSIST)$(RUN_IMAGE) $(RUN_QEMU_OPTS)
else
	@echo "Manage its apps: live, with make run RUN_LINK=socket (cairnctl -s SOCKET ...); or"
	@echo "offline, QEMU stopped: tools/cairnctl -i $(RUN_IMAGE) list | install APP.tab | remove NAME"
	@echo "Quit with Ctrl-A then x."
	$(Q)$(QEMU_ARM) -nographic -kernel $(KERNEL_ELF) $(BOARD_PERSIST)$(RUN_IMAGE) $(RUN_QEMU_OPTS)
endif
else
	@echo "Booting Cairn on QEMU $(BOARD) with: $(or $(APPS),no apps). Quit with Ctrl-A then x."
	$(Q)$(QEMU_ARM) -nographic -kernel $(KERNEL_ELF) $(RUN_LOADER) $(RUN_QEMU_OPTS)
endif

RUN_APP_FLASH := $(KBUILD)/run-app.bin
run-app:
	@[ -n "$(APP)" ] || { echo "usage: make run-app APP=path/to/app.tbf (or .tab; several: APP=\"a.tbf b.tab\")" >&2; exit 2; }
	@for f in $(APP); do [ -f "$$f" ] || { echo "run-app: no such file: $$f" >&2; exit 2; }; done
	$(Q)tools/deps.sh run $(BOARD)
	$(Q)$(MAKE) --no-print-directory kernel tools
	@mkdir -p $(KBUILD)
	$(Q)$(TOOLS_MKAPPFLASH) -o $(RUN_APP_FLASH) --arch $(BOARD_TAB_ARCHES) \
		--region-start $(BOARD_APPS_ADDR) $(if $(BOARD_APPS_SIZE),--region-size $(BOARD_APPS_SIZE)) $(APP)
	@echo "Booting Cairn on QEMU $(BOARD) with: $(APP). Quit with Ctrl-A then x."
	$(Q)$(QEMU_ARM) -nographic -kernel $(KERNEL_ELF) \
		-device loader,file=$(RUN_APP_FLASH),addr=$(BOARD_APPS_ADDR) $(RUN_QEMU_OPTS)

# DEBUG_STOP=apps (default): gdb gets the prompt where the first app is about to start,
# with every app's symbols loaded; DEBUG_STOP=kernel: at board_main. DEBUG_BATCH=FILE
# runs gdb in batch mode with FILE's commands (the test uses it).
DEBUG_STOP ?= apps
DEBUG_BATCH ?=
debug:
	$(check_app_names)
	$(Q)tools/deps.sh debug $(BOARD)
	$(Q)$(MAKE) --no-print-directory kernel tools $(if $(APPS),$(RUN_FLASH))
	$(Q)python3 tools/debug.py --qemu "$(QEMU_ARM)" --kernel $(KERNEL_ELF) \
		$(if $(APPS),--flash $(RUN_FLASH) --flash-addr $(BOARD_APPS_ADDR)) \
		--apps-dir $(APP_DIR) --log $(KBUILD)/debug-console.log --script $(KBUILD)/debug.gdb \
		--stop $(DEBUG_STOP) $(if $(DEBUG_BATCH),--batch $(DEBUG_BATCH))

help:
	@echo "Cairn: make TARGET [VARIABLE=value ...]"
	@echo
	@echo "Targets:"
	@echo "  run          build the kernel and the apps in APPS, boot them in QEMU (quit: Ctrl-A x)"
	@echo "  run-app      boot TBF/TAB files built elsewhere: make run-app APP=path/app.tbf"
	@echo "  debug        as run, halted, gdb-multiarch attached with the apps' symbols (doc/debugging.md)"
	@echo "  test         every host and QEMU test on every board (BOARD=x: one board)"
	@echo "  apps         every app in userland/apps/ (build/apps/NAME/NAME.{elf,tbf,tab})"
	@echo "  kernel       the kernel for BOARD (build/BOARD/cairn.elf); kernels: + test variants, core"
	@echo "  check        clang-format, cppcheck, include fence, SPDX lines"
	@echo "  bench        instruction counts and sizes;  fuzz: the libFuzzer targets"
	@echo "  deps         install every package the tests need;  clean: remove build/"
	@echo
	@echo "Variables:"
	@echo "  APPS=\"a b\"   apps make run/debug boot (default: hello timers)"
	@echo "  RUN_LINK=socket   make run's console on a Unix socket, for tools/cairnctl (an385)"
	@echo "  RUN_QEMU_OPTS=\"...\"   extra QEMU arguments for run/run-app (e.g. -device tmp105,address=0x48)"
	@echo "  APP=file     the TBF or TAB files make run-app boots"
	@echo "  BOARD=name   the board (default qemu-mps2-an385)"
	@echo "  V=1          show the commands;  CAIRN_CACHE=dir  where the PIC newlib is kept"
	@echo "               (default \$${XDG_CACHE_HOME:-~/.cache}/cairn, shared by every clone)"
	@echo
	@echo "Boards: $(ALL_BOARDS)"
	@echo "Apps ($(APP_ARCH)): $(sort $(RUN_APP_NAMES))"
	@echo "New app: cp -r userland/apps/template userland/apps/myapp; make run APPS=myapp"
