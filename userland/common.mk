# SPDX-License-Identifier: Apache-2.0
# Shared by mk/userland.mk and userland/rules.mk: app compiler flags, PIC newlib, libcairn.
#
# Expects CAIRN_ROOT (the repository root), BUILD, Q and mk/toolchain.mk's TCC, CSTD,
# WARN. Defines NEWLIB_PREFIX, NEWLIB_STAMP, APP_CFLAGS, APP_ASFLAGS, APP_LDFLAGS,
# APP_LIBS, LIBCAIRN, CRT0_OBJS and the rules that build them.
#
# Every path here is absolute: the top-level make and the per-app sub-makes (run in the
# app's folder) must name the same files the same way, including in the .d files.

TREADELF ?= $(CROSS)readelf
TSIZE ?= $(CROSS)size

# The position-independent code model: every global through the GOT at r9, which crt0
# sets; code and read-only data may then run from any flash address.
APP_ARCH_FLAGS := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
APP_PIC_FLAGS := -fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative

# Computed once per make invocation and passed down to sub-makes (the script only prints).
USERLAND_ROOT := $(abspath $(CAIRN_ROOT))
USERLAND_BUILD_ROOT := $(abspath $(BUILD))
ifndef NEWLIB_PREFIX
NEWLIB_PREFIX := $(shell $(USERLAND_ROOT)/tools/newlib-pic.sh --print-prefix $(USERLAND_BUILD_ROOT))
endif
NEWLIB_STAMP := $(NEWLIB_PREFIX)/.complete
NEWLIB_INC := $(NEWLIB_PREFIX)/arm-none-eabi/include
NEWLIB_LIB := $(NEWLIB_PREFIX)/arm-none-eabi/lib
ifndef APP_GCC_INC
APP_GCC_INC := $(shell $(TCC) -print-file-name=include)
APP_GCC_INC_FIXED := $(shell $(TCC) -print-file-name=include-fixed)
APP_LIBGCC := $(shell $(TCC) $(APP_ARCH_FLAGS) -print-libgcc-file-name)
endif

# Only our newlib's headers: Debian's stock newlib is also installed and would be found
# first by default. The order is gcc's own (its headers #include_next the C library's).
APP_INCLUDES := -nostdinc -isystem $(APP_GCC_INC) -isystem $(APP_GCC_INC_FIXED) \
	-isystem $(NEWLIB_INC) -I$(USERLAND_ROOT)/userland/libcairn \
	-I$(USERLAND_ROOT)/kernel/include

APP_CFLAGS := $(CSTD) $(WARN) $(APP_ARCH_FLAGS) $(APP_PIC_FLAGS) -Os -g \
	-ffunction-sections -fdata-sections $(APP_INCLUDES)
APP_ASFLAGS := $(APP_ARCH_FLAGS) $(APP_PIC_FLAGS) -g $(APP_INCLUDES)

USERLAND_BUILD := $(USERLAND_BUILD_ROOT)/userland
LIBCAIRN := $(USERLAND_BUILD)/libcairn.a
LIBCAIRN_SRCS := $(wildcard $(USERLAND_ROOT)/userland/libcairn/*.c)
LIBCAIRN_OBJS := $(patsubst $(USERLAND_ROOT)/userland/libcairn/%.c,$(USERLAND_BUILD)/obj/libcairn/%.o,$(LIBCAIRN_SRCS))
CRT0_OBJS := $(USERLAND_BUILD)/obj/crt0.o $(USERLAND_BUILD)/obj/crt0_entry.o
APP_LD_SCRIPT := $(USERLAND_ROOT)/userland/app.ld

# -pie + -z text: every stored address becomes an R_ARM_RELATIVE entry that crt0
# applies, and any object not compiled PIC fails to link instead of crashing later.
APP_LDFLAGS := $(APP_ARCH_FLAGS) -nostartfiles -nostdlib -T $(APP_LD_SCRIPT) -pie \
	-Wl,-z,text -Wl,--no-dynamic-linker -Wl,--gc-sections -Wl,--no-warn-rwx-segments
# By full path, so that no -L search can pick Debian's non-PIC libc.a.
APP_LIBS := -Wl,--start-group $(LIBCAIRN) $(NEWLIB_LIB)/libc.a $(NEWLIB_LIB)/libm.a \
	$(APP_LIBGCC) -Wl,--end-group

$(NEWLIB_STAMP):
	$(Q)$(USERLAND_ROOT)/tools/newlib-pic.sh $(USERLAND_BUILD_ROOT)

$(USERLAND_BUILD)/obj/libcairn/%.o: $(USERLAND_ROOT)/userland/libcairn/%.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(TCC) $(APP_CFLAGS) -MMD -MP -c $< -o $@

$(USERLAND_BUILD)/obj/crt0.o: $(USERLAND_ROOT)/userland/crt0.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(TCC) $(APP_CFLAGS) -MMD -MP -c $< -o $@

$(USERLAND_BUILD)/obj/crt0_entry.o: $(USERLAND_ROOT)/userland/crt0_entry.S
	@mkdir -p $(dir $@)
	$(Q)$(TCC) $(APP_ASFLAGS) -c $< -o $@

$(LIBCAIRN): $(LIBCAIRN_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(CROSS)ar rcs $@ $^

-include $(LIBCAIRN_OBJS:.o=.d) $(USERLAND_BUILD)/obj/crt0.d
