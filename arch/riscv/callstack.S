# SPDX-License-Identifier: Apache-2.0
# arch_call_on_stack: run one kernel function on a borrowed stack (the credential checker).

# void arch_call_on_stack(void (*fn)(void *), void *arg, uintptr_t top)
# sp moves to top (16-byte aligned, as the psABI wants) for the call and back after. A
# trap from the kernel (an interrupt) uses the current sp: the borrowed stack must be RAM
# the kernel owns. s0 (callee-saved) keeps the old sp across the call.
    .section .text.arch_call_on_stack, "ax", @progbits
    .balign 4
    .global arch_call_on_stack
    .type arch_call_on_stack, @function
arch_call_on_stack:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s0, 8(sp)
    mv s0, sp
    andi a2, a2, -16
    mv sp, a2
    mv t0, a0
    mv a0, a1
    jalr t0
    mv sp, s0
    lw ra, 12(sp)
    lw s0, 8(sp)
    addi sp, sp, 16
    ret
    .size arch_call_on_stack, . - arch_call_on_stack
