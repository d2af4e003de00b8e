# SPDX-License-Identifier: Apache-2.0
# RISC-V trap entry and the process<->kernel switch (machine-mode kernel, user-mode processes).
#
# The kernel runs in M-mode on its own stack; a process runs in U-mode. mscratch tells the
# trap entry where it came from: 0 while the kernel runs, the running process's struct
# arch_ctx while a process runs. A trap from a process saves every register into that
# context (never onto the process's stack, whose pointer the kernel does not trust), moves
# to the kernel stack and lets rv_process_trap (C) decide: resume the process at once (a
# syscall served in the trap), or return to the kernel thread inside
# arch_switch_to_process with a switch reason. A trap from the kernel is an interrupt
# (top half on the kernel stack, then mret) or a kernel fault (panic stack, rv_kernel_fault).
# Invariant: while a process runs, the kernel stack below rv_kernel_sp holds exactly the
# frame arch_switch_to_process pushed.

    .equ REASON_INTERRUPT, 2
    .equ MSTATUS_MIE, 0x8
    .equ MSTATUS_MPIE, 0x80
    .equ MSTATUS_MPP, 0x1800
    .equ KFRAME, 64            # arch_switch_to_process: ra, s0-s11, mstatus, gp, tp
    .equ IFRAME, 64            # kernel interrupt: ra, t0-t6, a0-a7

    .section .text.rv_trap, "ax", @progbits
    .balign 4
    .global rv_trap_entry
    .type rv_trap_entry, @function
rv_trap_entry:
    csrrw sp, mscratch, sp
    beqz sp, .Lfrom_kernel
    # From the process: sp = its context, mscratch = its sp (any value, unchecked).
    sw x1, 4(sp)
    sw x3, 12(sp)
    sw x4, 16(sp)
    sw x5, 20(sp)
    sw x6, 24(sp)
    sw x7, 28(sp)
    sw x8, 32(sp)
    sw x9, 36(sp)
    sw x10, 40(sp)
    sw x11, 44(sp)
    sw x12, 48(sp)
    sw x13, 52(sp)
    sw x14, 56(sp)
    sw x15, 60(sp)
    sw x16, 64(sp)
    sw x17, 68(sp)
    sw x18, 72(sp)
    sw x19, 76(sp)
    sw x20, 80(sp)
    sw x21, 84(sp)
    sw x22, 88(sp)
    sw x23, 92(sp)
    sw x24, 96(sp)
    sw x25, 100(sp)
    sw x26, 104(sp)
    sw x27, 108(sp)
    sw x28, 112(sp)
    sw x29, 116(sp)
    sw x30, 120(sp)
    sw x31, 124(sp)
    csrr t0, mscratch
    sw t0, 8(sp)
    csrw mscratch, zero         # the kernel runs from here on
    csrr t0, mepc
    sw t0, 0(sp)
    mv a0, sp
    la t0, rv_kernel_sp
    lw sp, 0(t0)
    call rv_process_trap        # a0 = reason, or < 0: resume the process
    bltz a0, .Lresume
    j rv_return_to_kernel
.Lresume:
    la t0, rv_cur_ctx
    lw a0, 0(t0)
    j rv_enter_process

.Lfrom_kernel:
    csrrw sp, mscratch, sp      # sp = kernel sp again, mscratch = 0
    csrw mscratch, t0           # borrow mscratch to free t0 (interrupts are off)
    csrr t0, mcause
    bgez t0, .Lkernel_exception
    csrr t0, mscratch
    csrw mscratch, zero
    addi sp, sp, -IFRAME
    sw ra, 0(sp)
    sw t0, 4(sp)
    sw t1, 8(sp)
    sw t2, 12(sp)
    sw a0, 16(sp)
    sw a1, 20(sp)
    sw a2, 24(sp)
    sw a3, 28(sp)
    sw a4, 32(sp)
    sw a5, 36(sp)
    sw a6, 40(sp)
    sw a7, 44(sp)
    sw t3, 48(sp)
    sw t4, 52(sp)
    sw t5, 56(sp)
    sw t6, 60(sp)
    call rv_kernel_irq
    lw ra, 0(sp)
    lw t0, 4(sp)
    lw t1, 8(sp)
    lw t2, 12(sp)
    lw a0, 16(sp)
    lw a1, 20(sp)
    lw a2, 24(sp)
    lw a3, 28(sp)
    lw a4, 32(sp)
    lw a5, 36(sp)
    lw a6, 40(sp)
    lw a7, 44(sp)
    lw t3, 48(sp)
    lw t4, 52(sp)
    lw t5, 56(sp)
    lw t6, 60(sp)
    addi sp, sp, IFRAME
    mret

.Lkernel_exception:
    # The kernel faulted. Its sp may point into the stack guard (overflow), so nothing is
    # pushed: registers go to a static array, then C runs on the panic stack.
    la t0, rv_panic_regs
    sw x1, 4(t0)
    sw x2, 8(t0)
    sw x3, 12(t0)
    sw x4, 16(t0)
    sw x6, 24(t0)
    sw x7, 28(t0)
    sw x8, 32(t0)
    sw x9, 36(t0)
    sw x10, 40(t0)
    sw x11, 44(t0)
    sw x12, 48(t0)
    sw x13, 52(t0)
    sw x14, 56(t0)
    sw x15, 60(t0)
    sw x16, 64(t0)
    sw x17, 68(t0)
    sw x18, 72(t0)
    sw x19, 76(t0)
    sw x20, 80(t0)
    sw x21, 84(t0)
    sw x22, 88(t0)
    sw x23, 92(t0)
    sw x24, 96(t0)
    sw x25, 100(t0)
    sw x26, 104(t0)
    sw x27, 108(t0)
    sw x28, 112(t0)
    sw x29, 116(t0)
    sw x30, 120(t0)
    sw x31, 124(t0)
    csrr t1, mscratch
    sw t1, 20(t0)               # x5 (t0) as it was
    csrw mscratch, zero
    csrr t1, mepc
    sw t1, 0(t0)
    la sp, __panic_stack_top
    mv a0, t0
    call rv_kernel_fault
1:  j 1b
    .size rv_trap_entry, . - rv_trap_entry

# enum switch_reason arch_switch_to_process(struct arch_ctx *ctx)
    .global arch_switch_to_process
    .type arch_switch_to_process, @function
arch_switch_to_process:
    addi sp, sp, -KFRAME
    sw ra, 0(sp)
    sw s0, 4(sp)
    sw s1, 8(sp)
    sw s2, 12(sp)
    sw s3, 16(sp)
    sw s4, 20(sp)
    sw s5, 24(sp)
    sw s6, 28(sp)
    sw s7, 32(sp)
    sw s8, 36(sp)
    sw s9, 40(sp)
    sw s10, 44(sp)
    sw s11, 48(sp)
    # Interrupts off until mret: with mscratch set, a trap would be taken for the process's.
    csrrci t0, mstatus, MSTATUS_MIE
    sw t0, 52(sp)
    sw gp, 56(sp)
    sw tp, 60(sp)
    la t1, rv_kernel_sp
    sw sp, 0(t1)
    la t1, rv_cur_ctx
    sw a0, 0(t1)
    # An interrupt noted since the kernel last looked: return at once instead of letting
    # the process sit on it for a whole slice.
    la t1, rv_irq_fired
    lw t1, 0(t1)
    beqz t1, rv_enter_process
    li a0, REASON_INTERRUPT
    j rv_return_to_kernel
    .size arch_switch_to_process, . - arch_switch_to_process

# a0 = context to run; interrupts off. Loads every register and drops to U-mode.
    .type rv_enter_process, @function
rv_enter_process:
    csrw mscratch, a0
    lw t0, 0(a0)
    csrw mepc, t0
    li t0, MSTATUS_MPP
    csrc mstatus, t0            # mret goes to U-mode
    li t0, MSTATUS_MPIE
    csrs mstatus, t0            # with interrupts on
    lw x1, 4(a0)
    lw x2, 8(a0)
    lw x3, 12(a0)
    lw x4, 16(a0)
    lw x5, 20(a0)
    lw x6, 24(a0)
    lw x7, 28(a0)
    lw x8, 32(a0)
    lw x9, 36(a0)
    lw x11, 44(a0)
    lw x12, 48(a0)
    lw x13, 52(a0)
    lw x14, 56(a0)
    lw x15, 60(a0)
    lw x16, 64(a0)
    lw x17, 68(a0)
    lw x18, 72(a0)
    lw x19, 76(a0)
    lw x20, 80(a0)
    lw x21, 84(a0)
    lw x22, 88(a0)
    lw x23, 92(a0)
    lw x24, 96(a0)
    lw x25, 100(a0)
    lw x26, 104(a0)
    lw x27, 108(a0)
    lw x28, 112(a0)
    lw x29, 116(a0)
    lw x30, 120(a0)
    lw x31, 124(a0)
    lw x10, 40(a0)
    mret
    .size rv_enter_process, . - rv_enter_process

# a0 = reason; sp = rv_kernel_sp. Back into arch_switch_to_process's caller.
    .type rv_return_to_kernel, @function
rv_return_to_kernel:
    lw ra, 0(sp)
    lw s0, 4(sp)
    lw s1, 8(sp)
    lw s2, 12(sp)
    lw s3, 16(sp)
    lw s4, 20(sp)
    lw s5, 24(sp)
    lw s6, 28(sp)
    lw s7, 32(sp)
    lw s8, 36(sp)
    lw s9, 40(sp)
    lw s10, 44(sp)
    lw s11, 48(sp)
    lw t0, 52(sp)
    lw gp, 56(sp)
    lw tp, 60(sp)
    andi t0, t0, MSTATUS_MIE
    csrs mstatus, t0            # the kernel's interrupt state from before the switch
    addi sp, sp, KFRAME
    ret
    .size rv_return_to_kernel, . - rv_return_to_kernel
