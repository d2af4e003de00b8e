/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_trap (RISC-V): one ecall with any class number chosen at run time, a0..a3 in/out. */
#if defined(__riscv)

/*
 * void fuzz_trap(uint32_t class_num, uint32_t regs[4])
 *
 * The class number goes in a4 (a whole register: no table as on Arm), regs[] into a0..a3
 * before the ecall and back out of them after it. A Yield may run an upcall, a call from
 * the trap point that clobbers every caller-saved register, ra included: ra and regs (in
 * s0, which the kernel and any upcall preserve) are kept on the stack and in s0.
 */
    .text
    .global fuzz_trap
    .type fuzz_trap, @function
fuzz_trap:
    addi sp, sp, -16
    sw ra, 12(sp)
    sw s0, 8(sp)
    mv s0, a1
    mv a4, a0
    lw a0, 0(s0)
    lw a1, 4(s0)
    lw a2, 8(s0)
    lw a3, 12(s0)
    ecall
    sw a0, 0(s0)
    sw a1, 4(s0)
    sw a2, 8(s0)
    sw a3, 12(s0)
    lw s0, 8(sp)
    lw ra, 12(sp)
    addi sp, sp, 16
    ret
    .size fuzz_trap, . - fuzz_trap
#endif
