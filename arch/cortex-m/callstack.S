@ SPDX-License-Identifier: Apache-2.0
@ arch_call_on_stack: run one kernel function on a borrowed stack (the credential checker).

    .syntax unified
    .thumb
    .text

@ void arch_call_on_stack(void (*fn)(void *), void *arg, uintptr_t top)
@ MSP moves to top (8-byte aligned, as AAPCS wants at a call) for the call and back after.
@ Exceptions taken meanwhile stack on the borrowed stack: it must be RAM the kernel owns.
@ r4 (callee-saved) keeps the old MSP across the call.
    .global arch_call_on_stack
    .type arch_call_on_stack, %function
    .thumb_func
arch_call_on_stack:
    push {r4, lr}
    mov r4, sp
    bic r2, r2, #7
    mov sp, r2
    mov r3, r0
    mov r0, r1
    blx r3
    mov sp, r4
    pop {r4, pc}
    .size arch_call_on_stack, . - arch_call_on_stack
