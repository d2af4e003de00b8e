# SPDX-License-Identifier: Apache-2.0
# What the build and the QEMU runner need to know about qemu-rv32-virt (one place).
#
# Tock's qemu_rv32_virt memory map: kernel at 0x80000000, apps at 0x80100000, RAM from
# 0x80200000 (see README.md). BOARD_CROSS: the kernel's compiler prefix (default
# arm-none-eabi-); BOARD_APP_ARCH: the TAB architecture of the board's app images, which
# live in build/apps-$(BOARD_APP_ARCH)/ (fixed-address RISC-V apps, one image per slot).
# PROCESS_MAX: 16 process slots, as on the an505: 13 minimal apps fit in 64 kB of app RAM
# (tests/qemu/apps_fit_rv32.test), more than the default 8 slots would run.
BOARD_ARCH := riscv
BOARD_CHIPS := ns16550 sifive ramflash
BOARD_CROSS := riscv64-unknown-elf-
BOARD_TARGET_FLAGS := -march=rv32imac -mabi=ilp32 -misa-spec=2.2 -mcmodel=medany
BOARD_CFLAGS := -DRV_CLINT_BASE=0x02000000u -DRV_PLIC_BASE=0x0c000000u -DRV_MTIME_HZ=10000000u \
	-DPROCESS_MAX=16 \
	-DSHELL_KFAULT_ADDR=0x01000000u
BOARD_QEMU := qemu-system-riscv32 -M virt -bios none -m 128M
BOARD_APPS_ADDR := 0x80100000
BOARD_APPS_SIZE := 0x100000
BOARD_APP_ARCH := rv32imac
# KFLASH, KATTR, KRAM, KRAM_END: kernel flash start, where the kernel attributes end (the
# apps start), RAM start and end, as the kernel attributes and the console's `kernel` map
# show them (tests/qemu/pconsole_kernel.test).
# Board facts the QEMU tests' expectations use as {{NAME}} (see tools/qemu-run.py); the
# tests that name the Cortex-M boards' 64 kB layout are limited to cortex-m.
BOARD_TEST_VARS := TIMER_HZ=10000000 CPU=RV32IMAC \
	KFLASH=80000000 KATTR=80100000 KRAM=80200000 KRAM_END=80400000
