// SPDX-License-Identifier: Apache-2.0
// attack: what the shared part (main.c) and each architecture's traps (main.c, riscv.c) share.
#ifndef ATTACK_H
#define ATTACK_H

#include <stdint.h>

#include "cairn.h"
#include "cases.h"

#define TEST_DRIVER 0xCA170u
// Iterations of a two-instruction loop: longer than a whole 10 ms timeslice at 1 ns per
// instruction (QEMU icount), so the spin is preempted at least once.
#define PREEMPT_SPIN 6000000u

// What a served case found wrong (ATTACK_DONE_MARK's second value).
#define WRONG_REGS     0x1u // return registers
#define WRONG_SP       0x2u // SP after the trap is not the SP before it
#define WRONG_UPCALL   0x4u // the pending upcall ran when it should not, or the reverse
#define WRONG_RETURNED 0x8u // a trap that can never be served returned

enum trap {
#define X(name) TRAP_##name,
    ATTACK_TRAPS(X)
#undef X
};

enum sp_condition {
#define X(name) SP_##name,
    ATTACK_SPS(X)
#undef X
};

// Registers around the trap: the four argument/result registers in and out, the class
// number register (RISC-V; the svc immediate on Arm), the stack pointer after the trap.
struct regs {
    uint32_t r[4];
    uint32_t cls;
    uint32_t sp_after;
};

// The trap macros: TRAP_AT(insn, sp, io) sets SP to sp, loads io's registers, runs the
// instruction(s) insn, stores the registers and the SP it returned with back into io and
// restores the real SP; TRAP_SYSCALL(num, sp, io) does it with a system call of class num;
// TRAP_SPIN counts the first register down to zero.
#if defined(__arm__)
// SP is set, the trap instruction runs, SP is read back and restored, all in registers:
// r4 keeps the real SP, r5 receives the SP the trap returned with. r12 and lr are
// clobbered by an upcall that runs inside yield (it is a function call). The isb is for
// QEMU (7.2): it ends the translation block, so the new SP is in the CPU state before
// the trap; without it an sdiv-by-zero trap was taken with the SP from before the mov.
#define TRAP_AT_CLS(insn, num, sp, io)                                                             \
    do {                                                                                           \
        register uint32_t r0_ __asm__("r0") = (io)->r[0];                                          \
        register uint32_t r1_ __asm__("r1") = (io)->r[1];                                          \
        register uint32_t r2_ __asm__("r2") = (io)->r[2];                                          \
        register uint32_t r3_ __asm__("r3") = (io)->r[3];                                          \
        register uint32_t r5_ __asm__("r5");                                                       \
        __asm__ volatile("mov r4, sp\n\t"                                                          \
                         "mov sp, %[target]\n\t"                                                   \
                         "isb\n\t" insn "\n\t"                                                     \
                         "mov r5, sp\n\t"                                                          \
                         "mov sp, r4"                                                              \
                         : "+r"(r0_), "+r"(r1_), "+r"(r2_), "+r"(r3_), "=r"(r5_)                   \
                         : [target] "r"(sp), [cls] "i"(num)                                        \
                         : "r4", "r12", "lr", "memory", "cc");                                     \
        (io)->r[0] = r0_;                                                                          \
        (io)->r[1] = r1_;                                                                          \
        (io)->r[2] = r2_;                                                                          \
        (io)->r[3] = r3_;                                                                          \
        (io)->sp_after = r5_;                                                                      \
    } while (0)
#define TRAP_AT(insn, sp, io) TRAP_AT_CLS(insn, 0, sp, io)
// A system call of class number num (a constant: the svc immediate).
#define TRAP_SYSCALL(num, sp, io) TRAP_AT_CLS("svc %[cls]", num, sp, io)
#define TRAP_SPIN                 "1: subs r0, #1\n\tbne 1b"
#elif defined(__riscv)
// SP is set, the trap instruction runs, SP is read back and restored, all in registers:
// s2 keeps the real SP, s1 receives the SP the trap returned with. a4 carries the class
// number of an ecall. An upcall that runs inside a yield is a call from the trap point,
// so it may clobber every caller-saved register (ra, t0-t6, a0-a7).
#define TRAP_AT(insn, sp, io)                                                                      \
    do {                                                                                           \
        register uint32_t a0_ __asm__("a0") = (io)->r[0];                                          \
        register uint32_t a1_ __asm__("a1") = (io)->r[1];                                          \
        register uint32_t a2_ __asm__("a2") = (io)->r[2];                                          \
        register uint32_t a3_ __asm__("a3") = (io)->r[3];                                          \
        register uint32_t a4_ __asm__("a4") = (io)->cls;                                           \
        register uint32_t s1_ __asm__("s1");                                                       \
        __asm__ volatile("mv s2, sp\n\t"                                                           \
                         "mv sp, %[target]\n\t" insn "\n\t"                                        \
                         "mv s1, sp\n\t"                                                           \
                         "mv sp, s2"                                                               \
                         : "+r"(a0_), "+r"(a1_), "+r"(a2_), "+r"(a3_), "+r"(a4_), "=&r"(s1_)       \
                         : [target] "r"(sp)                                                        \
                         : "s2", "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a5", "a6", "a7", \
                           "memory");                                                              \
        (io)->r[0] = a0_;                                                                          \
        (io)->r[1] = a1_;                                                                          \
        (io)->r[2] = a2_;                                                                          \
        (io)->r[3] = a3_;                                                                          \
        (io)->sp_after = s1_;                                                                      \
    } while (0)
// A system call of class number num: a4 carries it.
#define TRAP_SYSCALL(num, sp, io)                                                                  \
    do {                                                                                           \
        (io)->cls = (num);                                                                         \
        TRAP_AT("ecall", sp, io);                                                                  \
    } while (0)
#define TRAP_SPIN "1: addi a0, a0, -1\n\tbnez a0, 1b"
#endif

// Shared (main.c).
extern volatile uint32_t attack_upcalls; // alarm upcalls run this incarnation
extern uint32_t attack_words[4];         // 8-byte aligned target of misaligned accesses
uint32_t memop_value(uint32_t op);
void set(struct regs *io, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3);
uint32_t queue_alarm_upcall(void); // returns the alarm's expiration

// Per architecture.
void attack_on_alarm(int now, int expiration, int unused, void *userdata);
uint32_t attack_sp(void);                 // the caller's stack pointer
uint32_t attack_sp_expected(uint32_t sp); // what a served trap leaves of the SP it set
uint32_t attack_kernel_ram(void);         // an address of kernel data or stack
uint32_t attack_below_ram(void);          // RAM below this process's (a neighbour's)
uint32_t attack_other_process(void);      // RAM above this process's (a neighbour's)
// The trap kinds only this architecture has: WRONG_RETURNED if the trap returned where it
// never may, else 0 or what a served one got WRONG_ (the caller checks the SP).
uint32_t run_arch_case(enum trap t, uint32_t sp, struct regs *io);
_Noreturn void attack_restart(void); // exit-restart: the next case

#endif
