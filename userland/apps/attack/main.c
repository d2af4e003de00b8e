// SPDX-License-Identifier: Apache-2.0
// attack: one case of the attack matrix per incarnation (trap kind x stack pointer condition).
//
// The cases are listed in cases.h, generated with the test that checks them by
// tests/qemu/attack_matrix.py. Case N runs in the incarnation whose restart count (test
// driver command 5) is N, so it needs a kernel that restarts it forever (kernel: fuzz).
// Each incarnation:
//   1. moves its break to the middle of its block (a granule boundary of the MPU, so the
//      break is exactly where the hardware stops allowing: the break-edge cases then
//      fault in the hardware, not only in the kernel's checks);
//   2. prints ATTACK_CASE_MARK + N and (trap << 8) | condition (low-level debug, which the
//      kernel prints in order with its own fault dumps);
//   3. sets SP to the condition's address and traps, using no memory in between;
//   4. if the trap returns (the kernel served it), restores SP, checks what came back
//      (return registers, upcall, the stack pointer the return left) and prints
//      ATTACK_DONE_MARK + N with 0 if all was right, else a bit mask of what was wrong;
//      then it restarts itself (exit-restart) to move on to case N + 1.
// After the last case it prints ATTACK_END_MARK and the number of cases, then sleeps.

#include <stdint.h>

#include "cairn.h"
#include "cases.h"

#define TEST_DRIVER       0xCA170u
#define TEST_CMD_RESTARTS 5
#define ALARM_CMD_SET_REL 5
#define SCS_ADDRESS       0xE000ED00u
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

// Registers around the trap: r0-r3 in and out, SP after the trap.
struct regs {
    uint32_t r[4];
    uint32_t sp_after;
};

static volatile uint32_t upcalls;
// Thumb "bx lr; nop" in .data: process RAM is never executable.
static uint16_t ram_code[2] __attribute__((aligned(4))) = {0x4770, 0xbf00};
// Target of the unaligned multi-word accesses.
static uint32_t words[4] __attribute__((aligned(8)));

static void on_alarm(int now, int expiration, int unused, void *userdata)
{
    (void)now;
    (void)expiration;
    (void)unused;
    (void)userdata;
    upcalls++;
}

static uint32_t memop_value(uint32_t op)
{
    uint32_t v = 0;
    memop_u32(memop(op, 0), &v);
    return v;
}

// SP is set, the trap instruction runs, SP is read back and restored, all in registers:
// r4 keeps the real SP, r5 receives the SP the trap returned with. r12 and lr are
// clobbered by an upcall that runs inside yield (it is a function call). The isb is for
// QEMU (7.2): it ends the translation block, so the new SP is in the CPU state before
// the trap; without it an sdiv-by-zero trap was taken with the SP from before the mov.
#define TRAP_AT(insn, sp, io)                                                                      \
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
                         : [target] "r"(sp)                                                        \
                         : "r4", "r12", "lr", "memory", "cc");                                     \
        (io)->r[0] = r0_;                                                                          \
        (io)->r[1] = r1_;                                                                          \
        (io)->r[2] = r2_;                                                                          \
        (io)->r[3] = r3_;                                                                          \
        (io)->sp_after = r5_;                                                                      \
    } while (0)

static void set(struct regs *io, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3)
{
    io->r[0] = r0;
    io->r[1] = r1;
    io->r[2] = r2;
    io->r[3] = r3;
}

static uint32_t sp_for(enum sp_condition c, uint32_t brk)
{
    uint32_t here;
    __asm__ volatile("mov %0, sp" : "=r"(here));
    uint32_t valid = (here - 256u) & ~7u;
    switch (c) {
    case SP_valid:
        return valid;
    case SP_odd_word:
        return valid - 4u;
    case SP_unaligned:
        return valid + 2u;
    case SP_brk_top:
        return brk;
    case SP_below_ram:
        return memop_value(MEMOP_RAM_START) - 64u;
    case SP_kernel_part:
        return memop_value(MEMOP_GRANT_START) + 64u;
    case SP_kernel_ram:
        // Kernel data and stack: the 64 kB system RAM is 64 kB aligned with the kernel at
        // its bottom on the Cortex-M boards (an385: 0x20000800, an505: 0x38000800).
        return (memop_value(MEMOP_RAM_START) & ~0xFFFFu) + 0x800u;
    case SP_other_process:
        return memop_value(MEMOP_RAM_END) + 256u;
    case SP_flash:
        return memop_value(MEMOP_FLASH_START) + 256u;
    case SP_brk_straddle:
        return brk + 16u;
    case SP_brk_above:
        return brk + 32u;
    }
    return valid;
}

// An alarm upcall queued before the trap (yield-wait and yield-wait-for consume it).
static uint32_t queue_alarm_upcall(void)
{
    subscribe(ALARM_DRIVER, 0, on_alarm, NULL);
    uint32_t expiration = 0;
    command_u32(command(ALARM_DRIVER, ALARM_CMD_SET_REL, 1, 0), &expiration);
    // One tick at 25 MHz is 40 instructions: this spin outlasts it many times over, and
    // the kernel queues the upcall when the timer interrupt preempts it.
    for (volatile uint32_t i = 0; i < 20000; i++) {
    }
    return expiration;
}

static uint32_t run_case(enum trap t, uint32_t sp)
{
    struct regs io = {{0}, 0};
    uint32_t expiration = 0, wrong = 0, mem_start = memop_value(MEMOP_RAM_START);
    // SP bits 1:0 do not exist on M-profile: the SP the trap returns with is rounded.
    uint32_t sp_expected = sp & ~3u;
    switch (t) {
    case TRAP_yield_no_wait:
        // With an upcall pending the kernel stores 1 at the flag pointer, aimed here at the
        // stacked xPSR of this very svc (its exception number byte): the return must not
        // trust that frame.
        queue_alarm_upcall();
        set(&io, YIELD_NO_WAIT, (sp & ~7u) - 4u, 0, 0);
        TRAP_AT("svc 0", sp, &io);
        wrong |= upcalls != 1 ? WRONG_UPCALL : 0;
        break;
    case TRAP_yield_wait:
        queue_alarm_upcall();
        set(&io, YIELD_WAIT, 0, 0, 0);
        TRAP_AT("svc 0", sp, &io);
        wrong |= upcalls != 1 ? WRONG_UPCALL : 0;
        break;
    case TRAP_yield_wait_for:
        expiration = queue_alarm_upcall();
        set(&io, YIELD_WAIT_FOR, ALARM_DRIVER, 0, 0);
        TRAP_AT("svc 0", sp, &io);
        wrong |= upcalls != 0 ? WRONG_UPCALL : 0;
        wrong |= io.r[1] != expiration ? WRONG_REGS : 0;
        break;
    case TRAP_subscribe:
        set(&io, TEST_DRIVER, 1, 0, 0);
        TRAP_AT("svc 1", sp, &io);
        wrong |= io.r[0] != SYSCALL_SUCCESS_2U32 || io.r[1] || io.r[2] ? WRONG_REGS : 0;
        break;
    case TRAP_command:
        set(&io, TEST_DRIVER, 0, 0, 0);
        TRAP_AT("svc 2", sp, &io);
        wrong |= io.r[0] != SYSCALL_SUCCESS ? WRONG_REGS : 0;
        break;
    case TRAP_allow_rw:
        set(&io, TEST_DRIVER, 0, 0, 0);
        TRAP_AT("svc 3", sp, &io);
        wrong |= io.r[0] != SYSCALL_SUCCESS_2U32 || io.r[1] || io.r[2] ? WRONG_REGS : 0;
        break;
    case TRAP_allow_ro:
        set(&io, TEST_DRIVER, 0, 0, 0);
        TRAP_AT("svc 4", sp, &io);
        wrong |= io.r[0] != SYSCALL_SUCCESS_2U32 || io.r[1] || io.r[2] ? WRONG_REGS : 0;
        break;
    case TRAP_allow_ura:
        set(&io, TEST_DRIVER, 0, 0, 0);
        TRAP_AT("svc 7", sp, &io);
        wrong |=
            io.r[0] != SYSCALL_FAILURE_2U32 || io.r[1] != STATUSCODE_NOSUPPORT ? WRONG_REGS : 0;
        break;
    case TRAP_memop:
        set(&io, MEMOP_RAM_START, 0, 0, 0);
        TRAP_AT("svc 5", sp, &io);
        wrong |= io.r[0] != SYSCALL_SUCCESS_U32 || io.r[1] != mem_start ? WRONG_REGS : 0;
        break;
    case TRAP_exit_restart:
        set(&io, EXIT_RESTART, 0, 0, 0);
        TRAP_AT("svc 6", sp, &io);
        return WRONG_RETURNED;
    case TRAP_unknown_class:
        TRAP_AT("svc 9", sp, &io);
        return WRONG_RETURNED;
    case TRAP_udf:
        TRAP_AT("udf #2", sp, &io);
        return WRONG_RETURNED;
    case TRAP_div_by_zero:
        set(&io, 7, 0, 0, 0);
        TRAP_AT("sdiv r0, r0, r1", sp, &io);
        return WRONG_RETURNED;
    case TRAP_scs_load:
        set(&io, 0, SCS_ADDRESS, 0, 0);
        TRAP_AT("ldr r0, [r1]", sp, &io);
        return WRONG_RETURNED;
    case TRAP_ldm_unaligned:
        set(&io, 0, (uint32_t)(uintptr_t)words + 2u, 0, 0);
        TRAP_AT("ldm r1, {r2, r3}", sp, &io);
        return WRONG_RETURNED;
    case TRAP_strd_unaligned:
        set(&io, 0, (uint32_t)(uintptr_t)words + 2u, 0, 0);
        TRAP_AT("strd r2, r3, [r1]", sp, &io);
        return WRONG_RETURNED;
    case TRAP_bkpt:
        TRAP_AT("bkpt #3", sp, &io);
        return WRONG_RETURNED;
    case TRAP_exec_ram:
        set(&io, 0, (uint32_t)(uintptr_t)ram_code | 1u, 0, 0);
        TRAP_AT("blx r1", sp, &io);
        return WRONG_RETURNED;
    case TRAP_preempt:
        set(&io, PREEMPT_SPIN, 0, 0, 0);
        TRAP_AT("1: subs r0, #1\n\tbne 1b", sp, &io);
        break;
    }
    wrong |= io.sp_after != sp_expected ? WRONG_SP : 0;
    return wrong;
}

int main(void)
{
    uint32_t n = 0;
    command_u32(command(TEST_DRIVER, TEST_CMD_RESTARTS, 0, 0), &n);
    if (n >= ATTACK_CASES) {
        lowlevel_debug_print_u32x2(ATTACK_END_MARK, ATTACK_CASES);
        for (;;)
            yield_wait();
    }
    enum trap t = (enum trap)(n / ATTACK_N_SPS);
    enum sp_condition c = (enum sp_condition)(n % ATTACK_N_SPS);
    uint32_t start = memop_value(MEMOP_RAM_START), end = memop_value(MEMOP_RAM_END);
    // Half the block, down to a multiple of 32 B: a granule boundary on both MPUs (PMSAv7
    // blocks are powers of two >= 512 B, so their half is one already).
    uint32_t brk = start + (((end - start) / 2) & ~31u);
    memop(MEMOP_BRK, brk);
    uint32_t sp = sp_for(c, brk);
    lowlevel_debug_print_u32x2(ATTACK_CASE_MARK + n, ((uint32_t)t << 8) | (uint32_t)c);
    uint32_t wrong = run_case(t, sp);
    lowlevel_debug_print_u32x2(ATTACK_DONE_MARK + n, wrong);
    register uint32_t r0 __asm__("r0") = EXIT_RESTART;
    register uint32_t r1 __asm__("r1") = 0;
    __asm__ volatile("svc 6" : "+r"(r0), "+r"(r1) : : "memory");
    return 0;
}
