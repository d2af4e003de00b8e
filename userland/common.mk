# SPDX-License-Identifier: Apache-2.0
# Shared by mk/userland.mk and userland/rules.mk: app compiler flags, PIC newlib, libcairn.
#
# Expects CAIRN_ROOT (the repository root), BUILD, Q and mk/toolchain.mk's TCC, CSTD,
# WARN. Defines APP_CC, NEWLIB_STAMP (the C library is ready), APP_CFLAGS, APP_ASFLAGS,
# APP_LDFLAGS, APP_LIBS, LIBCAIRN, CRT0_OBJS, APP_OUT_ROOT (apps are built in
# $(APP_OUT_ROOT)/NAME/), APP_FIXED and APP_SLOTS, and the rules that build them.
#
# Every path here is absolute: the top-level make and the per-app sub-makes (run in the
# app's folder) must name the same files the same way, including in the .d files.

# APP_ARCH: which architecture the apps are built for (a TAB architecture name).
#   cortex-m3  position-independent Thumb code, PIC newlib (build/apps/)
#   rv32imac   fixed-address RISC-V code, Debian's picolibc, one link per flash/RAM slot
#              (build/apps-rv32imac/)
APP_ARCH ?= cortex-m3

# Computed once per make invocation and passed down to sub-makes (the script only prints).
USERLAND_ROOT := $(abspath $(CAIRN_ROOT))
USERLAND_BUILD_ROOT := $(abspath $(BUILD))

ifeq ($(APP_ARCH),cortex-m3)

APP_CC := $(TCC)
TREADELF ?= $(CROSS)readelf
TSIZE ?= $(CROSS)size
APP_FIXED := 0

# The position-independent code model: every global through the GOT at r9, which crt0
# sets; code and read-only data may then run from any flash address.
APP_ARCH_FLAGS := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
APP_PIC_FLAGS := -fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative

# The PIC newlib is built once per newlib version, compiler and flags, in a cache outside
# the checkout (CAIRN_CACHE, default ${XDG_CACHE_HOME:-~/.cache}/cairn), shared by every
# clone: see tools/newlib-pic.sh.
CAIRN_CACHE ?=
ifndef NEWLIB_PREFIX
NEWLIB_PREFIX := $(shell $(USERLAND_ROOT)/tools/newlib-pic.sh --print-prefix $(CAIRN_CACHE))
endif
NEWLIB_STAMP := $(NEWLIB_PREFIX)/.complete
NEWLIB_INC := $(NEWLIB_PREFIX)/arm-none-eabi/include
NEWLIB_LIB := $(NEWLIB_PREFIX)/arm-none-eabi/lib
ifndef APP_GCC_INC
APP_GCC_INC := $(shell $(TCC) -print-file-name=include 2>/dev/null)
APP_GCC_INC_FIXED := $(shell $(TCC) -print-file-name=include-fixed 2>/dev/null)
APP_LIBGCC := $(shell $(TCC) $(APP_ARCH_FLAGS) -print-libgcc-file-name 2>/dev/null)
endif

# Only our newlib's headers: Debian's stock newlib is also installed and would be found
# first by default. The order is gcc's own (its headers #include_next the C library's).
APP_INCLUDES := -nostdinc -isystem $(APP_GCC_INC) -isystem $(APP_GCC_INC_FIXED) \
	-isystem $(NEWLIB_INC) -I$(USERLAND_ROOT)/userland/libcairn \
	-I$(USERLAND_ROOT)/kernel/include

# DWARF 4: gdb 13 misplaces DWARF 5 range lists of an ELF added at another address
# (add-symbol-file, as `make debug` does for every app), and then loses line information.
APP_CFLAGS := $(CSTD) $(WARN) $(APP_ARCH_FLAGS) $(APP_PIC_FLAGS) -Os -g -gdwarf-4 \
	-ffunction-sections -fdata-sections $(APP_INCLUDES)
APP_ASFLAGS := $(APP_ARCH_FLAGS) $(APP_PIC_FLAGS) -g -gdwarf-4 $(APP_INCLUDES)

USERLAND_BUILD := $(USERLAND_BUILD_ROOT)/userland
APP_OUT_ROOT := $(USERLAND_BUILD_ROOT)/apps
CRT0_OBJS := $(USERLAND_BUILD)/obj/crt0.o $(USERLAND_BUILD)/obj/crt0_entry.o
APP_LD_SCRIPT := $(USERLAND_ROOT)/userland/app.ld

# -pie + -z text: every stored address becomes an R_ARM_RELATIVE entry that crt0
# applies, and any object not compiled PIC fails to link instead of crashing later.
APP_LDFLAGS := $(APP_ARCH_FLAGS) -nostartfiles -nostdlib -T $(APP_LD_SCRIPT) -pie \
	-Wl,-z,text -Wl,--no-dynamic-linker -Wl,--gc-sections -Wl,--no-warn-rwx-segments
APP_LIBC := $(NEWLIB_LIB)/libc.a $(NEWLIB_LIB)/libm.a

else ifeq ($(APP_ARCH),rv32imac)

APP_CROSS := riscv64-unknown-elf-
APP_CC := $(APP_CROSS)gcc
TREADELF := $(APP_CROSS)readelf
TSIZE := $(APP_CROSS)size
APP_FIXED := 1

# Not position independent: linked for one flash and one RAM address each (Tock's RISC-V
# apps are too), so Debian's stock picolibc works as it is. -misa-spec=2.2 keeps Zicsr in
# "I" so that gcc finds its rv32imac/ilp32 multilib.
APP_ARCH_FLAGS := -march=rv32imac -mabi=ilp32 -misa-spec=2.2 -mcmodel=medlow
APP_PIC_FLAGS :=
PICOLIBC := /usr/lib/picolibc/riscv64-unknown-elf
NEWLIB_STAMP := $(PICOLIBC)/include/picolibc.h
ifndef APP_GCC_INC
APP_GCC_INC := $(shell $(APP_CC) -print-file-name=include 2>/dev/null)
APP_GCC_INC_FIXED := $(shell $(APP_CC) -print-file-name=include-fixed 2>/dev/null)
APP_LIBGCC := $(shell $(APP_CC) $(APP_ARCH_FLAGS) -print-libgcc-file-name 2>/dev/null)
endif
APP_INCLUDES := -nostdinc -isystem $(APP_GCC_INC) -isystem $(APP_GCC_INC_FIXED) \
	-isystem $(PICOLIBC)/include -I$(USERLAND_ROOT)/userland/libcairn \
	-I$(USERLAND_ROOT)/kernel/include
APP_CFLAGS := $(CSTD) $(WARN) $(APP_ARCH_FLAGS) -Os -g -ffunction-sections -fdata-sections \
	-ftls-model=local-exec $(APP_INCLUDES)
APP_ASFLAGS := $(APP_ARCH_FLAGS) -g $(APP_INCLUDES)

USERLAND_BUILD := $(USERLAND_BUILD_ROOT)/userland-$(APP_ARCH)
APP_OUT_ROOT := $(USERLAND_BUILD_ROOT)/apps-$(APP_ARCH)
CRT0_OBJS := $(USERLAND_BUILD)/obj/crt0_rv32.o $(USERLAND_BUILD)/obj/crt0_rv32_entry.o
APP_LD_SCRIPT := $(USERLAND_ROOT)/userland/app_rv32.ld
# sbrk undefined from the start, so that libcairn's (memop) wins over picolibc's own.
APP_LDFLAGS := $(APP_ARCH_FLAGS) -nostartfiles -nostdlib -T $(APP_LD_SCRIPT) -Wl,--no-relax -Wl,--undefined=sbrk \
	-Wl,--gc-sections -Wl,--no-warn-rwx-segments
APP_LIBC := $(PICOLIBC)/lib/rv32imac/ilp32/libc.a $(PICOLIBC)/lib/rv32imac/ilp32/libm.a

# Flash/RAM slots every app is linked for: slot i has its binary at 0x80100080 + i*64 kB
# and its RAM at 0x80300000 + i*64 kB, the pattern of Tock's qemu_rv32_virt board (whose
# libtock-c slots are i = 0, 1, 3 and 8). The TBF starts 0x80 below the binary (header +
# protected trailer). mkappflash picks, for each app, the first slot at or after the next
# free flash byte, so a test's Nth app needs at least N slots.
RV32_SLOTS := 0x80100080.0x80300000 0x80110080.0x80310000 0x80120080.0x80320000 \
	0x80130080.0x80330000 0x80140080.0x80340000 0x80150080.0x80350000 \
	0x80160080.0x80360000 0x80170080.0x80370000 0x80180080.0x80380000
# With RV32_PACKED=1 (the counter_packed variant, tests/qemu/apps_fit_rv32.test): 15 slots
# packed as tightly as a minimal app allows, binaries 4 kB apart and RAM blocks 4576 B apart
# (the loader's block for counter, 4560 B, rounded up to 32; a change of the control
# block's size changes it: apps_fit_rv32.test then says so), to count how many minimal
# apps fit in 64 kB of app RAM.
RV32_PACKED_SLOTS := 0x80100080.0x80300000 0x80101080.0x803011e0 0x80102080.0x803023c0 \
	0x80103080.0x803035a0 0x80104080.0x80304780 0x80105080.0x80305960 \
	0x80106080.0x80306b40 0x80107080.0x80307d20 0x80108080.0x80308f00 \
	0x80109080.0x8030a0e0 0x8010a080.0x8030b2c0 0x8010b080.0x8030c4a0 \
	0x8010c080.0x8030d680 0x8010d080.0x8030e860 0x8010e080.0x8030fa40
APP_SLOTS := $(if $(filter 1,$(RV32_PACKED)),$(RV32_PACKED_SLOTS),$(RV32_SLOTS))

else
$(error APP_ARCH '$(APP_ARCH)' is not one of cortex-m3, rv32imac)
endif

LIBCAIRN := $(USERLAND_BUILD)/libcairn.a
LIBCAIRN_SRCS := $(wildcard $(USERLAND_ROOT)/userland/libcairn/*.c)
LIBCAIRN_OBJS := $(patsubst $(USERLAND_ROOT)/userland/libcairn/%.c,$(USERLAND_BUILD)/obj/libcairn/%.o,$(LIBCAIRN_SRCS))

# By full path, so that no -L search can pick a C library built another way.
APP_LIBS := -Wl,--start-group $(LIBCAIRN) $(APP_LIBC) $(APP_LIBGCC) -Wl,--end-group

ifeq ($(APP_ARCH),cortex-m3)
$(NEWLIB_STAMP):
	$(Q)$(USERLAND_ROOT)/tools/newlib-pic.sh $(CAIRN_CACHE)
endif

$(USERLAND_BUILD)/obj/libcairn/%.o: $(USERLAND_ROOT)/userland/libcairn/%.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(APP_CC) $(APP_CFLAGS) -MMD -MP -c $< -o $@

$(USERLAND_BUILD)/obj/crt0.o: $(USERLAND_ROOT)/userland/crt0.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(APP_CC) $(APP_CFLAGS) -MMD -MP -c $< -o $@

$(USERLAND_BUILD)/obj/crt0_entry.o: $(USERLAND_ROOT)/userland/crt0_entry.S
	@mkdir -p $(dir $@)
	$(Q)$(APP_CC) $(APP_ASFLAGS) -c $< -o $@

$(USERLAND_BUILD)/obj/crt0_rv32.o: $(USERLAND_ROOT)/userland/crt0_rv32.c | $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(APP_CC) $(APP_CFLAGS) -MMD -MP -c $< -o $@

$(USERLAND_BUILD)/obj/crt0_rv32_entry.o: $(USERLAND_ROOT)/userland/crt0_rv32.S
	@mkdir -p $(dir $@)
	$(Q)$(APP_CC) $(APP_ASFLAGS) -c $< -o $@

$(LIBCAIRN): $(LIBCAIRN_OBJS)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && $(APP_CC:gcc=ar) rcs $@ $^

-include $(LIBCAIRN_OBJS:.o=.d) $(USERLAND_BUILD)/obj/crt0.d $(USERLAND_BUILD)/obj/crt0_rv32.d
