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
#   WERROR            1 (default): warnings stop the build; 0: they are shown and the
#                     build goes on (the template's choice: a deliberate crash test
#                     should not need warnings silenced)
#   BUILD             output root (default: the repository's build/)
#   V=1               show the commands
#
# Targets: all (default: ELF, TBF, TAB), elf (ELF only, no elf2tbf needed), clean.
# Outputs: $(BUILD)/apps/$(APP)/$(APP).{elf,tbf,tab,map}, objects in .../obj/. With
# APP_ARCH=rv32imac: $(BUILD)/apps-rv32imac/$(APP)/, where the app is linked once per slot
# of APP_SLOTS ($(APP).<flash>.<ram>.{elf,tbf}), the TAB holds every slot's TBF (named
# rv32imac.<flash>.<ram>.tbf, as libtock-c names them) and $(APP).{elf,tbf} are slot 0's.
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
WERROR ?= 1
APP_WARN_CFLAGS := $(if $(filter 0,$(WERROR)),-Wno-error)
ELF2TBF ?= $(BUILD)/tools/elf2tbf
# Package name and extra elf2tbf options (variants: another name, --app-version N).
TBF_NAME ?= $(APP)
TBF_EXTRA ?=
MKTAB ?= $(BUILD)/tools/mktab

APP_BUILD := $(APP_OUT_ROOT)/$(APP)
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
app_flags := $(APP_CFLAGS) $(APP_WARN_CFLAGS) $(CFLAGS_EXTRA) | $(APP_LDFLAGS) $(LDFLAGS_EXTRA) | \
	$(STACK_SIZE) $(APP_HEAP_SIZE) $(KERNEL_HEAP_SIZE) | $(APP_SLOTS)
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
# A failed step leaves no output behind, and a failed compile removes the app's previous
# ELF, TBF and TAB too: otherwise `make run` or a test could boot the last good build of
# an app whose source no longer compiles, and nobody would notice.
.DELETE_ON_ERROR:
APP_STALE := $(APP_ELF) $(APP_TBF) $(APP_TAB) $(wildcard $(APP_BUILD)/$(APP).*.elf \
	$(APP_BUILD)/$(APP).*.tbf)
define compile_or_forget
	$(Q)$(1) || { rm -f $(APP_STALE); exit 1; }
endef

# The no-op recipes keep make from saying "Nothing to be done" on every top-level build.
all: $(APP_TBF)
	@:
elf: $(APP_ELF)
	@:

$(APP_BUILD)/obj/%.o: %.c $(APP_FLAGS_FILE) | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(call compile_or_forget,$(APP_CC) $(APP_CFLAGS) $(APP_WARN_CFLAGS) $(CFLAGS_EXTRA) -MMD -MP -c $< -o $@)

$(APP_BUILD)/obj/%.o: %.S $(APP_FLAGS_FILE) | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(call compile_or_forget,$(APP_CC) $(APP_ASFLAGS) $(CFLAGS_EXTRA) -MMD -MP -c $< -o $@)

ifeq ($(APP_FIXED),0)

# After linking: refuse any dynamic relocation crt0 cannot apply, then print the sizes
# (flash = code + relocation table + initial RAM image; RAM = stack + RAM image + .bss).
$(APP_ELF): $(CRT0_OBJS) $(APP_OBJS) $(LIBCAIRN) $(APP_LD_SCRIPT) $(APP_FLAGS_FILE)
	$(Q)$(APP_CC) $(APP_LDFLAGS) -Wl,--defsym=STACK_SIZE=$(STACK_SIZE) -Wl,-Map=$(APP_MAP) \
		$(LDFLAGS_EXTRA) -o $@ $(CRT0_OBJS) $(APP_OBJS) $(APP_LIBS) || { rm -f $(APP_STALE); exit 1; }
	$(Q)$(TREADELF) -rW $@ | awk '$$3 ~ /^R_ARM_/ && $$3 != "R_ARM_RELATIVE" { print; bad = 1 } \
		END { exit bad }' || { echo "$@: relocations other than R_ARM_RELATIVE" >&2; rm -f $@; exit 1; }
	$(Q)$(TSIZE) -A $@ | awk -v app=$(APP) ' \
		$$1 == ".text" || $$1 ~ /^\.ARM\.ex/ { code += $$2 } \
		$$1 == ".rel.dyn" { rel = $$2 } $$1 == ".data" { data = $$2 } \
		$$1 == ".stack" { stack = $$2 } $$1 == ".bss" { bss = $$2 } \
		END { printf "  APP     %s: flash %d B (code %d, relocations %d, data %d), RAM %d B (stack %d, data %d, bss %d)\n", \
			app, code + rel + data, code, rel, data, stack + data + bss, stack, data, bss }'

$(APP_TBF): $(APP_ELF) $(ELF2TBF)
	$(Q)$(ELF2TBF) -o $@ -n $(TBF_NAME) $(TBF_EXTRA) --arch $(APP_ARCH) --app-heap $(APP_HEAP_SIZE) \
		--kernel-heap $(KERNEL_HEAP_SIZE) --tab $(APP_TAB) $<

else # fixed-address apps: one ELF and TBF per slot

# $(1) = slot "<flash>.<ram>"
define app_slot_rules
$(APP_BUILD)/$(APP).$(1).elf: $(CRT0_OBJS) $(APP_OBJS) $(LIBCAIRN) $(APP_LD_SCRIPT) $(APP_FLAGS_FILE)
	$$(Q)$$(APP_CC) $$(APP_LDFLAGS) -Wl,--defsym=STACK_SIZE=$$(STACK_SIZE) \
		-Wl,--defsym=APP_FLASH_ADDR=$(basename $(1)) -Wl,--defsym=APP_RAM_ADDR=$(subst .,,$(suffix $(1))) \
		-Wl,-Map=$(APP_BUILD)/$(APP).$(1).map $$(LDFLAGS_EXTRA) -o $$@ $$(CRT0_OBJS) $$(APP_OBJS) $$(APP_LIBS)
$(APP_BUILD)/$(APP).$(1).tbf: $(APP_BUILD)/$(APP).$(1).elf $(ELF2TBF)
	$$(Q)$$(ELF2TBF) -o $$@ -n $(TBF_NAME) $(TBF_EXTRA) --arch $(APP_ARCH) --app-heap $$(APP_HEAP_SIZE) --kernel-heap $$(KERNEL_HEAP_SIZE) $$<
endef
$(foreach s,$(APP_SLOTS),$(eval $(call app_slot_rules,$(s))))

APP_SLOT_TBFS := $(foreach s,$(APP_SLOTS),$(APP_BUILD)/$(APP).$(s).tbf)
FIRST_SLOT := $(firstword $(APP_SLOTS))

$(APP_ELF): $(APP_BUILD)/$(APP).$(FIRST_SLOT).elf
	$(Q)cp $< $@
	$(Q)$(TSIZE) -A $@ | awk -v app=$(APP) ' \
		$$1 == ".text" { code += $$2 } $$1 == ".data" || $$1 == ".tdata" { data += $$2 } \
		$$1 == ".stack" { stack = $$2 } $$1 == ".bss" || $$1 == ".tbss" { bss += $$2 } \
		END { printf "  APP     %s: flash %d B (code %d, data %d), RAM %d B (stack %d, data %d, bss %d)\n", \
			app, code + data, code, data, stack + data + bss, stack, data, bss }'

$(APP_TBF): $(APP_BUILD)/$(APP).$(FIRST_SLOT).tbf
	$(Q)cp $< $@

$(APP_TAB): $(APP_SLOT_TBFS) $(ELF2TBF)
	$(Q)$(MKTAB) -o $@ -n $(APP) $(foreach s,$(APP_SLOTS),$(APP_ARCH).$(s)=$(APP_BUILD)/$(APP).$(s).tbf)

all: $(APP_TAB) $(APP_ELF)

endif

# elf2tbf comes from the top-level build.
$(ELF2TBF):
	$(Q)$(MAKE) --no-print-directory -C $(CAIRN_ROOT) BUILD=$(BUILD) $@

clean:
	rm -rf $(APP_BUILD)

-include $(APP_OBJS:.o=.d)
