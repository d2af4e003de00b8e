/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_trap: one svc with any class number 0..255 chosen at run time, r0..r3 in/out. */

/*
 * void fuzz_trap(uint32_t class_num, uint32_t regs[4])
 *
 * svc takes its class number as an immediate, so a run-time class needs a table of 256
 * `svc N; b.n back` pairs (4 bytes each) and a computed branch into it. regs[] is loaded
 * into r0..r3 before the trap and receives r0..r3 after it. Entries branch back rather
 * than return with `bx lr`: a Yield may run an upcall, which clobbers lr (and r12).
 * r4 (regs) and r5 survive because the kernel preserves r4..r11; r9 (GOT) is untouched.
 */
    .syntax unified
    .thumb
    .text
    .global fuzz_trap
    .type fuzz_trap, %function
    .thumb_func
fuzz_trap:
    push {r4, r5, r6, lr}
    mov r4, r1
    uxtb r0, r0
    adr r5, 3f
    add r5, r5, r0, lsl #2
    orr r5, r5, #1
    ldm r4, {r0-r3}
    bx r5
2:
    stm r4, {r0-r3}
    pop {r4, r5, r6, pc}

    .balign 4
3:
    .set class_num, 0
    .rept 256
    svc #class_num
    b.n 2b
    .set class_num, class_num + 1
    .endr
    .size fuzz_trap, . - fuzz_trap
