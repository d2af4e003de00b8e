# SPDX-License-Identifier: Apache-2.0
# Build rules for one app; an app's Makefile sets APP (and optionally more) and includes it.
#
#   APP := hello
#   SRCS := main.c util.c          # optional; default: every *.c and *.S in the folder
#   include ../../rules.mk
#
# Optional variables (Makefile or command line):
#   STACK_SIZE        bytes of stack, at the bottom of the process RAM (default 2048)
#   APP_HEAP_SIZE     heap the kernel must leave room for above .bss (default 1024)
#   KERNEL_HEAP_SIZE  grant room the kernel must reserve in the block (default 1024)
#   CFLAGS_EXTRA      extra compiler flags (build-time variants: -DFOO=1)
#   LDFLAGS_EXTRA     extra link flags (e.g. -u _printf_float for %f in printf)
#   BUILD             output root (default: the repository's build/)
#   V=1               show the commands
#
# Targets: all (default: ELF, TBF, TAB), elf (ELF only, no elf2tbf needed), clean.
# Outputs: $(BUILD)/apps/$(APP)/$(APP).{elf,tbf,tab,map}, objects in .../obj/.
# Works from the app folder (make -C userland/apps/hello) and from the top-level build,
# which runs this same file with BUILD and NEWLIB_PREFIX given.

ifndef APP
$(error rules.mk: set APP := <name> before including it)
endif

CAIRN_ROOT := $(abspath $(dir $(abspath $(lastword $(MAKEFILE_LIST))))..)
BUILD ?= $(CAIRN_ROOT)/build
V ?= 0
Q ?= $(if $(filter 1,$(V)),,@)

include $(CAIRN_ROOT)/mk/toolchain.mk
include $(CAIRN_ROOT)/userland/common.mk

STACK_SIZE ?= 2048
APP_HEAP_SIZE ?= 1024
KERNEL_HEAP_SIZE ?= 1024
SRCS ?= $(wildcard *.c *.S)
CFLAGS_EXTRA ?=
LDFLAGS_EXTRA ?=
ELF2TBF ?= $(BUILD)/tools/elf2tbf

APP_BUILD := $(BUILD)/apps/$(APP)
APP_ELF := $(APP_BUILD)/$(APP).elf
APP_TBF := $(APP_BUILD)/$(APP).tbf
APP_TAB := $(APP_BUILD)/$(APP).tab
APP_MAP := $(APP_BUILD)/$(APP).map
APP_OBJS := $(patsubst %,$(APP_BUILD)/obj/%.o,$(basename $(SRCS)))

ifneq ($(filter ../% /%,$(SRCS)),)
$(error rules.mk: SRCS must be paths inside the app folder: $(filter ../% /%,$(SRCS)))
endif

# Everything that changes the output without changing a file: when it differs from the
# last build's, the file below is rewritten and the whole app rebuilds.
APP_FLAGS_FILE := $(APP_BUILD)/flags
app_flags := $(APP_CFLAGS) $(CFLAGS_EXTRA) | $(APP_LDFLAGS) $(LDFLAGS_EXTRA) | \
	$(STACK_SIZE) $(APP_HEAP_SIZE) $(KERNEL_HEAP_SIZE)
# (Compared through variables: the flags contain commas, which would split ifneq's
# arguments if they appeared in its text.)
app_flags_now := $(strip $(app_flags))
app_flags_last := $(file <$(APP_FLAGS_FILE))
ifneq ($(app_flags_now),$(app_flags_last))
$(shell mkdir -p $(APP_BUILD))
$(file >$(APP_FLAGS_FILE),$(app_flags_now))
endif

.PHONY: all elf clean
.DEFAULT_GOAL := all

# The no-op recipes keep make from saying "Nothing to be done" on every top-level build.
all: $(APP_TBF)
	@:
elf: $(APP_ELF)
	@:

$(APP_BUILD)/obj/%.o: %.c $(APP_FLAGS_FILE) | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(TCC) $(APP_CFLAGS) $(CFLAGS_EXTRA) -MMD -MP -c $< -o $@

$(APP_BUILD)/obj/%.o: %.S $(APP_FLAGS_FILE) | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(TCC) $(APP_ASFLAGS) $(CFLAGS_EXTRA) -MMD -MP -c $< -o $@

# After linking: refuse any dynamic relocation crt0 cannot apply, then print the sizes
# (flash = code + relocation table + initial RAM image; RAM = stack + RAM image + .bss).
$(APP_ELF): $(CRT0_OBJS) $(APP_OBJS) $(LIBCAIRN) $(APP_LD_SCRIPT) $(APP_FLAGS_FILE)
	$(Q)$(TCC) $(APP_LDFLAGS) -Wl,--defsym=STACK_SIZE=$(STACK_SIZE) -Wl,-Map=$(APP_MAP) \
		$(LDFLAGS_EXTRA) -o $@ $(CRT0_OBJS) $(APP_OBJS) $(APP_LIBS)
	$(Q)$(TREADELF) -rW $@ | awk '$$3 ~ /^R_ARM_/ && $$3 != "R_ARM_RELATIVE" { print; bad = 1 } \
		END { exit bad }' || { echo "$@: relocations other than R_ARM_RELATIVE" >&2; rm -f $@; exit 1; }
	$(Q)$(TSIZE) -A $@ | awk -v app=$(APP) ' \
		$$1 == ".text" || $$1 ~ /^\.ARM\.ex/ { code += $$2 } \
		$$1 == ".rel.dyn" { rel = $$2 } $$1 == ".data" { data = $$2 } \
		$$1 == ".stack" { stack = $$2 } $$1 == ".bss" { bss = $$2 } \
		END { printf "  APP     %s: flash %d B (code %d, relocations %d, data %d), RAM %d B (stack %d, data %d, bss %d)\n", \
			app, code + rel + data, code, rel, data, stack + data + bss, stack, data, bss }'

$(APP_TBF): $(APP_ELF) $(ELF2TBF)
	$(Q)$(ELF2TBF) -o $@ -n $(APP) --app-heap $(APP_HEAP_SIZE) --kernel-heap $(KERNEL_HEAP_SIZE) \
		--tab $(APP_TAB) $<

# elf2tbf comes from the top-level build.
$(ELF2TBF):
	$(Q)$(MAKE) --no-print-directory -C $(CAIRN_ROOT) BUILD=$(BUILD) $@

clean:
	rm -rf $(APP_BUILD)

-include $(APP_OBJS:.o=.d)
