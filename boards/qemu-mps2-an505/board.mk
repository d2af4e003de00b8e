# SPDX-License-Identifier: Apache-2.0
# What the build and the QEMU runner need to know about qemu-mps2-an505 (one place).
#
# Same variables as boards/qemu-mps2-an385/board.mk; BOARD_ARCH_VARIANT picks the ARMv8-M
# half of the Cortex-M port (PMSAv8 MPU, SecureFault), and BOARD_CFLAGS gives the port this
# board's core clock (20 MHz) and interrupt line count (UART0 is on line 32, so 64 lines).
BOARD_ARCH := cortex-m
BOARD_ARCH_VARIANT := v8m
BOARD_CHIPS := cmsdk
BOARD_TARGET_FLAGS := -mcpu=cortex-m33 -mthumb -mfloat-abi=soft
BOARD_CFLAGS := -DCM_CORE_MHZ=20u -DCM_IRQ_WORDS=2
BOARD_QEMU := qemu-system-arm -M mps2-an505 -cpu cortex-m33 -semihosting-config enable=on,target=native
BOARD_APPS_ADDR := 0x10040000
