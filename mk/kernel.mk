# SPDX-License-Identifier: Apache-2.0
# Kernel image for $(BOARD): portable core + arch port + chip + capsules + board wiring.

CAIRN_VERSION := 0.1.0

# Kernel variants of one board. The default (no KVARIANT) is the production image that
# `make run` boots: no test driver, no debug shell commands. `test` adds what QEMU tests
# need (test driver 0xCA170, kpanic/kfault/koverflow/exit N); `fuzz` is a test image
# whose fault policy restarts a process forever (attack matrix, on-target fuzzer).
# Each variant builds in its own folder, so switching never rebuilds the others.
# `signed` is a test image that runs only apps signed with tests/keys/test-signing.pem.
# `core` is a production image with every optional feature left out
# (boards/common/features.mk): what FreeRTOS-MPU's "kernel alone" covers, plus the console
# and alarm drivers.
KVARIANTS := test fuzz signed core
KVARIANT ?=
KVARIANT_CFLAGS_test := -DCAIRN_TEST_BUILD=1
KVARIANT_CFLAGS_signed := -DCAIRN_TEST_BUILD=1 -DBOARD_REQUIRE_SIGNED=1
KVARIANT_CFLAGS_fuzz := -DCAIRN_TEST_BUILD=1 -DBOARD_RESTART_THRESHOLD=0xFFFFFFFFu
KBUILD := $(BUILD)/$(BOARD)$(if $(KVARIANT),-$(KVARIANT))
# Signing policy of the image: TRUSTED_KEY=KEY.pem builds that key's public half in (apps
# signed with it verify); REQUIRE_SIGNED=1 refuses every app it did not sign.
TEST_SIGNING_KEY := tests/keys/test-signing.pem
TRUSTED_KEY ?= $(if $(filter signed,$(KVARIANT)),$(TEST_SIGNING_KEY))
REQUIRE_SIGNED ?= 0
KERNEL_ELF := $(KBUILD)/cairn.elf
# The path of each variant's image, for rules that use another variant than their own.
kernel_elf = $(BUILD)/$(BOARD)$(if $(1),-$(1))/cairn.elf

# The board says which arch port, chips, CPU flags and emulator it uses.
include boards/$(BOARD)/board.mk
include boards/common/features.mk
ARCH_DIR := arch/$(BOARD_ARCH)
# BOARD_ARCH_VARIANT (optional): a folder under the arch port holding what differs between
# versions of one architecture (Cortex-M: v7m = PMSAv7 MPU, v8m = PMSAv8 MPU and the
# Security Extension's fault registers). Its files are built and its headers found first.
ARCH_VARIANT_DIR := $(if $(BOARD_ARCH_VARIANT),$(ARCH_DIR)/$(BOARD_ARCH_VARIANT))
CHIP_DIRS := $(addprefix chips/,$(BOARD_CHIPS))
TARGET_ARCH_FLAGS := $(BOARD_TARGET_FLAGS)
# The kernel's compiler: the board's (BOARD_CROSS) or the default target compiler.
KCROSS := $(if $(BOARD_CROSS),$(BOARD_CROSS),$(CROSS))
KCC := $(KCROSS)gcc
KSIZE := $(KCROSS)size
# Link-time optimisation inlines across the syscall path (trap -> dispatch -> capsule ->
# return): about 20% fewer instructions per syscall and 1 kB less flash (make bench).
# The objects hold only the intermediate code (not also machine code, which nothing
# links), so code is generated once, at the link; the link has -Werror (KERNEL_LDFLAGS)
# because the warnings of the late passes (array bounds, string overflows) appear there.
KERNEL_CFLAGS := $(CSTD) $(WARN) $(TARGET_ARCH_FLAGS) -Os -g -flto -ffreestanding -fno-common \
	-ffunction-sections -fdata-sections -fno-builtin -DCAIRN_VERSION='"$(CAIRN_VERSION)"' \
	$(BOARD_CFLAGS) $(FEATURE_CFLAGS) $(KVARIANT_CFLAGS_$(KVARIANT)) $(if $(TRUSTED_KEY),-DCAIRN_TRUSTED_KEY=1,-DCAIRN_CRED_ECDSA=0) \
	$(if $(filter 1,$(REQUIRE_SIGNED)),-DBOARD_REQUIRE_SIGNED=1)
# Capsules see only the kernel's public headers and each other: no arch, chip or board
# header is on their include path, so reaching past the HILs fails to compile.
CAPSULE_INC := -Ikernel/include -Icapsules
CORE_INC := -Ikernel/include -Ikernel -Iboards/common $(if $(ARCH_VARIANT_DIR),-I$(ARCH_VARIANT_DIR)) \
	-I$(ARCH_DIR)/include -I$(ARCH_DIR) \
	$(addprefix -I,$(CHIP_DIRS)) -Icapsules

KERNEL_SRCS := $(wildcard kernel/*.c) $(wildcard $(ARCH_DIR)/*.c) \
	$(if $(ARCH_VARIANT_DIR),$(wildcard $(ARCH_VARIANT_DIR)/*.c)) \
	$(foreach d,$(CHIP_DIRS),$(wildcard $(d)/*.c)) $(wildcard boards/$(BOARD)/*.c) \
	$(wildcard boards/common/*.c)
# The credentials checker (crypto/cred.c, cairn/cred.h) is part of every image. Its ECDSA
# (crypto/p256.c over mbed TLS, mk/mbedtls.mk, compiled below with the kernel's target
# flags) only in images with a trusted key: without one no signature can verify, and
# cred_check passes an ECDSA footer as it would with a key that does not match
# (CAIRN_CRED_ECDSA=0), so the ~12 kB verifier is not linked.
KERNEL_SRCS += crypto/cred.c $(if $(TRUSTED_KEY),crypto/p256.c)
KERNEL_ASM := $(wildcard $(ARCH_DIR)/*.S) $(if $(ARCH_VARIANT_DIR),$(wildcard $(ARCH_VARIANT_DIR)/*.S))
CAPSULE_SRCS := $(wildcard capsules/*.c)
KERNEL_OBJS := $(patsubst %.c,$(KBUILD)/obj/%.o,$(KERNEL_SRCS)) \
	$(patsubst %.S,$(KBUILD)/obj/%.o,$(KERNEL_ASM))
CAPSULE_OBJS := $(patsubst %.c,$(KBUILD)/obj/%.o,$(CAPSULE_SRCS))
LDSCRIPT := boards/$(BOARD)/layout.ld
MBEDTLS_KOBJS := $(if $(TRUSTED_KEY),$(patsubst %,$(KBUILD)/mbedtls/%.o,$(MBEDTLS_MODULES)))
# mbed TLS includes a few C library headers (assert.h, string.h, stdlib.h; it calls only
# memcpy, memset, memcmp, memmove, which kernel/string.c has): newlib's from libnewlib-dev
# for ARM (Debian's ARM gcc finds headers of its own only with libnewlib-arm-none-eabi, a
# 45 MB package of libraries the kernel does not link), picolibc's for RISC-V, whose bare
# gcc has none.
MBEDTLS_LIBC_INC := $(if $(filter riscv,$(BOARD_ARCH)),-isystem /usr/lib/picolibc/riscv64-unknown-elf/include,-isystem /usr/include/newlib)
# The trusted public key as C (tbfsign pubkey), when the image has one.
KEY_OBJS := $(if $(TRUSTED_KEY),$(KBUILD)/trusted_key.o)
$(KBUILD)/trusted_key.c: $(TRUSTED_KEY) $(TOOLS_TBFSIGN)
	@mkdir -p $(dir $@)
	$(Q)$(TOOLS_TBFSIGN) pubkey $< $@
$(KBUILD)/trusted_key.o: $(KBUILD)/trusted_key.c
	$(Q)$(KCC) $(KERNEL_CFLAGS) -c $< -o $@

$(KBUILD)/mbedtls/%.o: $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(KCC) $(CSTD) $(TARGET_ARCH_FLAGS) -Os -g -ffreestanding -fno-common -ffunction-sections \
		-fdata-sections -DNDEBUG $(MBEDTLS_LIBC_INC) $(MBEDTLS_INC) -Ikernel/include \
		-c $(MBEDTLS_DIR)/library/$*.c -o $@
# The memory functions (kernel/string.c) as machine code, outside link-time optimisation:
# calls to them may appear only when LTO generates code (struct copies), too late to keep
# them, and as ordinary sections the linker drops the ones nothing calls (--gc-sections).
$(KBUILD)/obj/kernel/string.o: KERNEL_CFLAGS += -fno-lto
# The same for the libgcc helpers a port defines itself (arch/riscv/libgcc.c).
$(KBUILD)/obj/arch/riscv/libgcc.o: KERNEL_CFLAGS += -fno-lto
$(KBUILD)/obj/crypto/%.o: KERNEL_CFLAGS += $(MBEDTLS_INC)
$(filter $(KBUILD)/obj/crypto/%,$(KERNEL_OBJS)): | $(MBEDTLS_STAMP)

$(KBUILD)/obj/capsules/%.o: capsules/%.c
	@mkdir -p $(dir $@)
	$(Q)$(KCC) $(KERNEL_CFLAGS) $(CAPSULE_INC) -MMD -MP -c $< -o $@

$(KBUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(KCC) $(KERNEL_CFLAGS) $(CORE_INC) -MMD -MP -c $< -o $@

$(KBUILD)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(KCC) $(TARGET_ARCH_FLAGS) $(BOARD_CFLAGS) $(FEATURE_CFLAGS) -c $< -o $@

KERNEL_LDFLAGS ?= -flto=auto -Os -Werror
$(KERNEL_ELF): $(KERNEL_OBJS) $(CAPSULE_OBJS) $(MBEDTLS_KOBJS) $(KEY_OBJS) $(LDSCRIPT)
	$(Q)$(KCC) $(TARGET_ARCH_FLAGS) $(KERNEL_LDFLAGS) -nostdlib -nostartfiles -Wl,--gc-sections -Wl,-T,$(LDSCRIPT) \
		-Wl,-Map,$(KBUILD)/cairn.map -o $@ $(KERNEL_OBJS) $(CAPSULE_OBJS) $(MBEDTLS_KOBJS) $(KEY_OBJS) -lgcc
	$(Q)$(KSIZE) $@

kernel: $(KERNEL_ELF)
# Every variant of the board (production, test, fuzz).
kernels: kernel $(addprefix kernel-,$(KVARIANTS))
$(addprefix kernel-,$(KVARIANTS)):
	$(Q)$(MAKE) --no-print-directory KVARIANT=$(patsubst kernel-%,%,$@) kernel
.PHONY: kernel kernels $(addprefix kernel-,$(KVARIANTS))

-include $(KERNEL_OBJS:.o=.d) $(CAPSULE_OBJS:.o=.d)
