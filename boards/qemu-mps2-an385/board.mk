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
BOARD_CHIPS := cmsdk semihost ramflash
# The app store (capsules/appstore.c) on the apps region, emulated NOR over QEMU's PSRAM.
# Optional features (boards/common/features.mk): the app store, the LED and button drivers.
FEATURE_APPSTORE := 1
FEATURE_LEDS := 1
FEATURE_BUTTONS := 1
BOARD_CFLAGS := -DCAIRN_APP_ARCH='"cortex-m3"'
BOARD_TARGET_FLAGS := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
BOARD_QEMU := qemu-system-arm -M mps2-an385 -cpu cortex-m3 -semihosting-config enable=on,target=native
BOARD_APPS_ADDR := 0x21000000
# The apps region is the start of the 16 MB PSRAM, the machine's RAM backend: `make run`
# and the app store tests back it with a file (memory-backend-file), so it persists.
BOARD_PERSIST := -machine memory-backend=apps -object memory-backend-file,id=apps,size=16M,share=on,mem-path=
BOARD_APPS_SIZE_STORE := 0x40000
# KFLASH, KATTR, KRAM, KRAM_END: kernel flash start, where the kernel attributes end, RAM
# start and end, as the kernel attributes and the console's `kernel` map show them
# (tests/qemu/pconsole_kernel.test). KATTR is the end of the kernel's flash here, not the
# apps start: the apps region is in PSRAM, away from the kernel (doc/tbf.md).
# Board facts the QEMU tests' expectations use as {{NAME}} (see tools/qemu-run.py):
# RAM_HI/APPS_HI: the high 16 bits of addresses in the 64 kB RAM / the first 64 kB of the
# apps region; TIMER_HZ: the alarm clock; CPU: the core the banner names;
# KSTACK_STACKING_FAULT: what a kernel stack overflow's exception stacking reports (below
# SRAM, 0x1FFFFFxx ignores writes, so only the guard faults); ATTACK_*: the RAM blocks of
# the attack matrix's three apps (tests/qemu/attack_matrix.py), above, attack, below;
# FIT_*: the id of the last default-size app that fits (tests/qemu/apps_fit.test) and
# the id the first one left out would have had.
BOARD_TEST_VARS := RAM_HI=2000 APPS_HI=2100 TIMER_HZ=25000000 CPU=Cortex-M3 \
	KSTACK_STACKING_FAULT=MSTKERR ATTACK_ABOVE=0x2000e000 ATTACK_RAM=0x2000c000 \
	ATTACK_BELOW=0x2000a000 \
	FIT_LAST_ID=0x7 FIT_FIRST_OUT_ID=0x8 \
	KFLASH=00000000 KATTR=00040000 KRAM=20000000 KRAM_END=20010000
