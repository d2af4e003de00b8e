# SPDX-License-Identifier: Apache-2.0
# What the build and the QEMU runner need to know about qemu-mps2-an385 (one place).
#
# BOARD_ARCH: the folder under arch/; BOARD_ARCH_VARIANT: a folder under it for what differs
# between versions of the architecture (v7m: PMSAv7 MPU); BOARD_CHIPS: folders under chips/;
# BOARD_TARGET_FLAGS: compiler flags for the CPU; BOARD_QEMU: the emulator command line up
# to (not including) -kernel; BOARD_APPS_ADDR: where the apps region image is loaded.
# tools/qemu-run.py reads the last two from this file too.
BOARD_ARCH := cortex-m
BOARD_ARCH_VARIANT := v7m
BOARD_CHIPS := cmsdk
BOARD_TARGET_FLAGS := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
BOARD_QEMU := qemu-system-arm -M mps2-an385 -cpu cortex-m3 -semihosting-config enable=on,target=native
BOARD_APPS_ADDR := 0x40000
