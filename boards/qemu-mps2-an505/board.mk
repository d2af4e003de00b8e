# SPDX-License-Identifier: Apache-2.0
# What the build and the QEMU runner need to know about qemu-mps2-an505 (one place).
#
# Same variables as boards/qemu-mps2-an385/board.mk; BOARD_ARCH_VARIANT picks the ARMv8-M
# half of the Cortex-M port (PMSAv8 MPU, SecureFault), and BOARD_CFLAGS gives the port this
# board's core clock (20 MHz) and interrupt line count (UART0 is on line 32, so 64 lines),
# and the kernel 16 process slots: with exact RAM blocks, 13 apps of the default size
# (counter) fit in the pool, where power-of-two blocks hold 7 (tests/qemu/apps_fit.test).
BOARD_ARCH := cortex-m
BOARD_ARCH_VARIANT := v8m
BOARD_CHIPS := cmsdk semihost ramflash
BOARD_TARGET_FLAGS := -mcpu=cortex-m33 -mthumb -mfloat-abi=soft
BOARD_CFLAGS := -DCM_CORE_MHZ=20u -DCM_IRQ_WORDS=2
# Optional features (boards/common/features.mk): the LED and button drivers.
FEATURE_LEDS := 1
FEATURE_BUTTONS := 1
BOARD_QEMU := qemu-system-arm -M mps2-an505 -cpu cortex-m33 -semihosting-config enable=on,target=native
BOARD_APPS_ADDR := 0x10040000
# KFLASH, KATTR, KRAM, KRAM_END: kernel flash start, where the kernel attributes end (the
# apps start), RAM start and end, as the kernel attributes and the console's `kernel` map
# show them (tests/qemu/pconsole_kernel.test).
# Board facts the QEMU tests' expectations use as {{NAME}} (see tools/qemu-run.py and the
# same list in boards/qemu-mps2-an385/board.mk). Below SRAM2's Secure alias nothing is
# mapped, so a kernel stack overflow's exception stacking takes a bus fault (STKERR). The
# ATTACK_* blocks follow from the requests the attack matrix pins and the kernel part.
BOARD_TEST_VARS := RAM_HI=3800 APPS_HI=1004 TIMER_HZ=20000000 CPU=Cortex-M33 \
	KSTACK_STACKING_FAULT=STKERR ATTACK_ABOVE=0x3800e780 ATTACK_RAM=0x3800d2e0 \
	ATTACK_BELOW=0x3800c040 \
	FIT_LAST_ID=0xd FIT_FIRST_OUT_ID=0xe \
	KFLASH=10000000 KATTR=10040000 KRAM=38000000 KRAM_END=38010000
