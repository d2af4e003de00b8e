# SPDX-License-Identifier: Apache-2.0
# RISC-V reset path: the first instruction at the kernel's load address; C runtime, then board.
#
# QEMU virt with -bios none jumps to the start of DRAM in M-mode with a0 = hart id: only
# hart 0 boots Cairn, any other hart parks. Traps from here on go to rv_trap_entry with
# mscratch = 0 (kernel), so an early fault panics like any kernel fault.

    .section .text.start, "ax", @progbits
    .global _start
    .type _start, @function
_start:
    csrw mie, zero
    csrci mstatus, 0x8
    csrr t0, mhartid
    bnez t0, .Lpark
    la t0, rv_trap_entry
    csrw mtvec, t0
    csrw mscratch, zero
    la sp, __kstack_top
    # .data from its load image in ROM, then .bss zeroed (both 4-aligned by the script).
    la t0, __data_load
    la t1, __data_start
    la t2, __data_end
1:  bgeu t1, t2, 2f
    lw t3, 0(t0)
    sw t3, 0(t1)
    addi t0, t0, 4
    addi t1, t1, 4
    j 1b
2:  la t1, __bss_start
    la t2, __bss_end
3:  bgeu t1, t2, 4f
    sw zero, 0(t1)
    addi t1, t1, 4
    j 3b
4:  call rv_paint_kernel_stack
    call board_main
.Lpark:
    wfi
    j .Lpark
    .size _start, . - _start
