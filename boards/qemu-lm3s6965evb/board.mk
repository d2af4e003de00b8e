# SPDX-License-Identifier: Apache-2.0
# What the build and the QEMU runner need to know about qemu-lm3s6965evb (one place).
#
# Same variables as boards/qemu-mps2-an385/board.mk. A Cortex-M3 with the PMSAv7 MPU like
# the an385, so the same arch variant and the same app images; its interrupt lines go up
# to 42 (Ethernet), so 64 lines in the port (CM_IRQ_WORDS=2). The core runs at 25 MHz
# from the PLL (main.c), as the an385's does. The kernel sits in the first 64 kB of the
# 256 kB flash, the apps in the other 192 kB (layout.ld); QEMU models that flash as ROM.
BOARD_ARCH := cortex-m
BOARD_ARCH_VARIANT := v7m
BOARD_CHIPS := lm3s6965 semihost
BOARD_TARGET_FLAGS := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
BOARD_CFLAGS := -DCM_CORE_MHZ=25u -DCM_IRQ_WORDS=2 -DSHELL_KFAULT_ADDR=0x20000000u
# Optional features (boards/common/features.mk): the LED, button, GPIO, ADC and screen
# drivers.
FEATURE_LEDS := 1
FEATURE_BUTTONS := 1
FEATURE_GPIO := 1
FEATURE_ADC := 1
FEATURE_SCREEN := 1
BOARD_QEMU := qemu-system-arm -M lm3s6965evb -cpu cortex-m3 -semihosting-config enable=on,target=native
BOARD_APPS_ADDR := 0x10000
BOARD_APPS_SIZE := 0x30000
# Board facts the QEMU tests' expectations use as {{NAME}} (see tools/qemu-run.py and the
# same list in boards/qemu-mps2-an385/board.mk). RAM is at the same place and the kernel
# takes about as much of it, so the RAM blocks are the an385's. Below SRAM nothing is
# mapped, and exception stacking (unlike loads and stores, whose bus errors this QEMU
# machine ignores) reports it: a kernel stack overflow's stacking takes STKERR. For the
# same reason the shell's kfault reads the kernel stack guard (MemManage), not unmapped
# space (SHELL_KFAULT_ADDR).
BOARD_TEST_VARS := RAM_HI=2000 APPS_HI=0001 TIMER_HZ=25000000 CPU=Cortex-M3 \
	KSTACK_STACKING_FAULT=STKERR ATTACK_ABOVE=0x2000e000 ATTACK_RAM=0x2000c000 \
	ATTACK_BELOW=0x2000a000 \
	FIT_LAST_ID=0x7 FIT_FIRST_OUT_ID=0x8 \
	KFLASH=00000000 KATTR=00010000 KRAM=20000000 KRAM_END=20010000
