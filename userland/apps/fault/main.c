// SPDX-License-Identifier: Apache-2.0
// fault: a process that breaks one isolation rule on purpose, chosen at build time.
//
// Build with CFLAGS_EXTRA=-DFAULT_KIND=FAULT_<KIND> (mk/userland.mk builds every kind as
// build/apps/fault_<kind>/); without it the kind is FAULT_NULL. Sequence, for the test
// to follow on the console:
//   1. low-level debug alert 0x100 + kind ("started"), then for kinds that aim at an
//      address, a print of that address;
//   2. a busy loop (FAULT_DELAY iterations) so that other processes run for a while;
//   3. the faulting action: the kernel must fault this process (and only it);
//   4. only if the process is still alive: alert 0x200 + kind ("survived"), then exit 1.
//
// On RISC-V (rv32) the kinds keep their numbers and aims; where the hardware differs the
// action is the nearest RISC-V equivalent, and the kernel must cope the RISC-V way: it
// never touches the process's stack, so a bad SP alone faults nothing.
//   UNDEF, BAD_SP_UNDEF   unimp (illegal instruction)
//   EXEC_RAM              "ret" (c.jr ra) copied into RAM and called
//   SVC_BAD_SP            ecall with SP below its RAM: served (prints 0xbad5), then the
//                         first store through SP faults
//   BAD_SP_DIV0           division by zero does not trap on RISC-V: then a misaligned
//                         AMO, which does (store/AMO address misaligned)
//   BAD_SP_SCS            load from the CLINT's mtime (machine-mode only)
//   BAD_SP_BKPT, SEMIHOST ebreak (the semihosting sequence for SEMIHOST)
//   BAD_SP_PREEMPT        spins through several timeslices with SP below its RAM, then
//                         restores SP: preemption saves registers only, so it survives
//   YIELD_FLAG_XPSR       Cortex-M only (no frame on the stack to aim at): the flag
//                         points just below SP instead
//   BRK_BELOW_FRAME       the brk is served; the next stack access faults
//   BRK_STRADDLE_PREEMPT  not used (the kernel never reads a RISC-V process's stack to
//                         switch it out): spins forever
//   BRK_STRADDLE_SVC      not used (no frame is stacked by an ecall): spins forever
//
// Kinds:
//   FAULT_NULL            read address 0 (kernel flash on the mps2 board)
//   FAULT_KERNEL_RAM      write to kernel RAM: 0x100 past the start of the 64 kB system
//                         RAM, which is 64 kB aligned with the kernel at its bottom on
//                         the Cortex-M boards (an385: 0x20000100, an505: 0x38000100;
//                         qemu-rv32-virt: 0x80200100)
//   FAULT_OWN_FLASH       write over the first word of its own code (do_fault)
//   FAULT_OTHER_RAM       read 16 bytes past the end of its own process block (memop 3):
//                         the next process's block when one follows, kernel or unused
//                         RAM otherwise; the MPU must deny it in every case
//   FAULT_STACK_OVERFLOW  recurse until SP goes below mem_start (the stack is at the
//                         bottom of the block, so it runs into memory it may not touch)
//   FAULT_UNDEF           execute a permanently undefined instruction (udf)
//   FAULT_EXEC_RAM        copy "bx lr" into RAM and call it (process RAM is never
//                         executable)
//   FAULT_BRK_GRANT       memop brk to the grant start (memop 6) + 64: the kernel must
//                         refuse with NOMEM; the variant and error are printed (expect
//                         0x0 0x9), then it writes to the grant start itself, the lowest
//                         kernel-owned byte, which must fault however the MPU rounds
//   FAULT_SVC_BAD_SP      set SP to mem_start - 64 (below its own RAM) and execute `svc 2`
//                         (a command): the hardware faults stacking the svc frame
//                         (MSTKERR), which leaves SVCall pending; the kernel must clear it
//                         instead of taking it as a syscall from the dead process
//   FAULT_BAD_SP_UNDEF    SP below its RAM, then `udf`: the UsageFault cannot be stacked,
//                         the derived MemManage (MSTKERR) is taken first and the
//                         UsageFault stays pending; the kernel must clear it
//   FAULT_BAD_SP_DIV0     the same with `sdiv` by zero (CCR.DIV_0_TRP is on)
//   FAULT_BAD_SP_SCS      the same with an unprivileged load from the SCS (0xE000ED00):
//                         a BusFault stays pending
//   FAULT_BAD_SP_BKPT     the same with `bkpt`: escalated to HardFault, which outranks the
//                         derived MemManage, so the MemManage stays pending
//   FAULT_BAD_SP_PREEMPT  SP below its RAM, then spin until the timeslice (SysTick) or an
//                         interrupt preempts it: the MemManage of the failed stacking
//   FAULT_SEMIHOST        semihosting from the unprivileged process (bkpt 0xab): even
//                         incarnations ask SYS_EXIT (would end QEMU with code 0), odd ones
//                         SYS_WRITE0 (would print "semihosting served" on the host)
//   FAULT_YIELD_FLAG_XPSR yield-no-wait with an upcall pending and the flag pointer at
//                         byte 0 of its own stacked xPSR (the frame of that very svc):
//                         the kernel's flag store writes 1 into the exception number
//   FAULT_BRK_BELOW_FRAME memop brk to 512 bytes above the RAM start, far below SP: the
//                         call is served in the trap, its return frame is then outside
//                         the break and the process must be restarted exactly once
//                         with a fresh context (r4-r11 hold markers 0x7e570004.. that
//                         the next incarnation must not inherit); every incarnation
//                         first prints its restart count (test driver command 5)
//   FAULT_BRK_STRADDLE_PREEMPT  break moved to 8 bytes past a 32-byte boundary, SP 16
//                         bytes above it, then spin until the timeslice ends: the MPU
//                         rounds the break up, so the hardware stacks the 32-byte frame
//                         (half of it above the break) without a fault, and only the
//                         kernel's own stack check can refuse to resume the process
//                         (tests/qemu/fault_brk_straddle_preempt.test: with spinners
//                         beside it the slice ends in a switch made in the handler)
//   FAULT_BRK_STRADDLE_SVC  the same break and SP, then the null command (`svc 2`, test
//                         driver command 0, the driver the SVC handler's cache holds
//                         after a first call): the frame stacks without a fault and
//                         only the SVC handler's one-comparison frame check can refuse
//                         to serve it (tests/qemu/fault_brk_straddle_svc.test)

#include <stdint.h>
#include <string.h>

#include "cairn.h"

#define FAULT_NULL                 1
#define FAULT_KERNEL_RAM           2
#define FAULT_OWN_FLASH            3
#define FAULT_OTHER_RAM            4
#define FAULT_STACK_OVERFLOW       5
#define FAULT_UNDEF                6
#define FAULT_EXEC_RAM             7
#define FAULT_BRK_GRANT            8
#define FAULT_SVC_BAD_SP           9
#define FAULT_BAD_SP_UNDEF         10
#define FAULT_BAD_SP_DIV0          11
#define FAULT_BAD_SP_SCS           12
#define FAULT_BAD_SP_BKPT          13
#define FAULT_BAD_SP_PREEMPT       14
#define FAULT_SEMIHOST             15
#define FAULT_YIELD_FLAG_XPSR      16
#define FAULT_BRK_BELOW_FRAME      17
#define FAULT_BRK_STRADDLE_PREEMPT 18
#define FAULT_BRK_STRADDLE_SVC     19

#ifndef FAULT_KIND
#define FAULT_KIND FAULT_NULL
#endif
#if FAULT_KIND < FAULT_NULL || FAULT_KIND > FAULT_BRK_STRADDLE_SVC
#error "FAULT_KIND must be one of the FAULT_* kinds"
#endif

#ifndef FAULT_DELAY
#define FAULT_DELAY 200000
#endif

#define ALERT_STARTED  0x100
#define ALERT_SURVIVED 0x200

// Kernel RAM on RISC-V (on Cortex-M it follows from the process's own RAM, see
// FAULT_KERNEL_RAM), and a peripheral only the kernel may touch (Cortex-M: the SCS;
// RISC-V: the CLINT's mtime), on each board family.
#if defined(__riscv)
#define KERNEL_RAM_ADDRESS 0x80200100u
#define KERNEL_MMIO        0x0200BFF8u
#else
#define KERNEL_MMIO 0xE000ED00u
#endif
#define TEST_DRIVER       0xCA170u
#define TEST_CMD_RESTARTS 5

// Not every kind aims at an address.
__attribute__((unused)) static void announce_target(uint32_t address)
{
    lowlevel_debug_print_u32(address);
}

// The address 64 bytes below the process's RAM: no stacking can succeed there.
__attribute__((unused)) static uint32_t bad_sp(void)
{
    uint32_t ram_start = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram_start);
    uint32_t target = ram_start - 64;
    announce_target(target);
    return target;
}

// Moves the break to 8 bytes past a 32-byte boundary (the MPU rounds it up): a frame
// stacked at 16 bytes above it straddles it without a fault. Returns the new break.
__attribute__((unused)) static uint32_t straddle_brk(void)
{
    uint32_t brk = 0;
    memop_u32(memop(MEMOP_SBRK, 0), &brk);
    uint32_t new_brk = ((brk + 31u) & ~31u) + 8u;
    memop(MEMOP_BRK, new_brk);
    announce_target(new_brk);
    return new_brk;
}

__attribute__((unused)) static uint32_t restarts(void)
{
    uint32_t n = 0;
    command_u32(command(TEST_DRIVER, TEST_CMD_RESTARTS, 0, 0), &n);
    return n;
}

#if FAULT_KIND == FAULT_YIELD_FLAG_XPSR
static volatile uint32_t upcalls;

static void on_alarm(uint32_t now, uint32_t expiration, void *userdata)
{
    (void)now;
    (void)expiration;
    (void)userdata;
    upcalls++;
}
#endif

#if FAULT_KIND == FAULT_STACK_OVERFLOW
// Never equal to a real depth; volatile so the compiler can neither prove the recursion
// endless (a warning) nor turn it into a loop.
static volatile uint32_t never = UINT32_MAX;

static uint32_t recurse(uint32_t depth)
{
    volatile uint8_t frame[64];
    frame[0] = (uint8_t)depth;
    if (depth == never)
        return 0;
    return recurse(depth + 1) + frame[0];
}
#endif

#if FAULT_KIND == FAULT_EXEC_RAM && !defined(__riscv)
// Thumb "bx lr; nop", in .data (RAM).
static uint16_t ram_code[2] __attribute__((aligned(4))) = {0x4770, 0xbf00};
#endif

#if FAULT_KIND == FAULT_EXEC_RAM && defined(__riscv)
// RV32: one C.JR RA ("ret"), in .data (RAM).
static uint16_t ram_code_rv[2] __attribute__((aligned(4))) = {0x8082, 0x0001};
#endif

static void do_fault(void)
{
#if defined(__riscv) && FAULT_KIND == FAULT_UNDEF
    __asm__ volatile("unimp");
#elif defined(__riscv) && FAULT_KIND == FAULT_EXEC_RAM
    uint32_t target = (uint32_t)(uintptr_t)ram_code_rv;
    announce_target(target);
    ((void (*)(void))target)();
#elif defined(__riscv) && FAULT_KIND == FAULT_SVC_BAD_SP
    uint32_t ram_start = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram_start);
    uint32_t target = ram_start - 64;
    announce_target(target);
    // The ecall is served (the kernel reads only registers); the store after it faults.
    register uint32_t a0 __asm__("a0") = LOWLEVEL_DEBUG_DRIVER;
    register uint32_t a1 __asm__("a1") = 2;
    register uint32_t a2 __asm__("a2") = 0xbad5;
    register uint32_t a3 __asm__("a3") = 0;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_COMMAND;
    __asm__ volatile("mv sp, %[sp]\n\tecall\n\tsw zero, 0(sp)\n1:\tj 1b"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
                     : [sp] "r"(target), "r"(a4)
                     : "memory");
#elif defined(__riscv) && FAULT_KIND == FAULT_BAD_SP_UNDEF
    __asm__ volatile("mv sp, %[sp]\n\tunimp" : : [sp] "r"(bad_sp()) : "memory");
#elif defined(__riscv) && FAULT_KIND == FAULT_BAD_SP_DIV0
    // a0 = 7 / 0 = -1 without a trap; the word address + 2 is misaligned for the AMO.
    volatile uint32_t zero = 0, word = 0;
    uint32_t n = 7, z = zero, addr = (uint32_t)(uintptr_t)&word + 2;
    __asm__ volatile("mv sp, %[sp]\n\tdiv %[n], %[n], %[z]\n\tamoadd.w zero, %[n], (%[a])"
                     : [n] "+r"(n)
                     : [sp] "r"(bad_sp()), [z] "r"(z), [a] "r"(addr)
                     : "memory");
#elif defined(__riscv) && FAULT_KIND == FAULT_BAD_SP_SCS
    uint32_t v;
    __asm__ volatile("mv sp, %[sp]\n\tlw %[v], 0(%[a])"
                     : [v] "=r"(v)
                     : [sp] "r"(bad_sp()), [a] "r"(KERNEL_MMIO)
                     : "memory");
#elif defined(__riscv) && FAULT_KIND == FAULT_BAD_SP_BKPT
    __asm__ volatile("mv sp, %[sp]\n\tebreak" : : [sp] "r"(bad_sp()) : "memory");
#elif defined(__riscv) && FAULT_KIND == FAULT_BAD_SP_PREEMPT
    // About 24 M instructions (over 2 timeslices of 10 ms under icount) with a bad SP, then the
    // old SP back: every preemption in between must leave the process intact.
    uint32_t n = 12000000u;
    __asm__ volatile("mv s1, sp\n\tmv sp, %[sp]\n1:\taddi %[n], %[n], -1\n\tbnez %[n], 1b\n\t"
                     "mv sp, s1"
                     : [n] "+r"(n)
                     : [sp] "r"(bad_sp())
                     : "s1", "memory");
#elif defined(__riscv) && FAULT_KIND == FAULT_SEMIHOST
    // Semihosting (RISC-V): a0 = operation, a1 = parameter, then the marked ebreak.
    static const char text[] = "semihosting served\n";
    uint32_t n = restarts();
    uint32_t op = (n & 1) ? 0x04u : 0x18u;                         // SYS_WRITE0 : SYS_EXIT
    uint32_t arg = (n & 1) ? (uint32_t)(uintptr_t)text : 0x20026u; // ADP_Stopped_ApplicationExit
    announce_target(op);
    register uint32_t a0 __asm__("a0") = op;
    register uint32_t a1 __asm__("a1") = arg;
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "slli zero, zero, 0x1f\n\tebreak\n\tsrai zero, zero, 7\n\t.option pop"
                     : "+r"(a0)
                     : "r"(a1)
                     : "memory");
#elif defined(__riscv) && FAULT_KIND == FAULT_YIELD_FLAG_XPSR
    struct alarm a;
    alarm_in_ms(&a, 1, on_alarm, NULL);
    for (volatile uint32_t i = 0; i < 1000000 && !alarm_is_armed(&a); i++) {
    }
    for (volatile uint32_t i = 0; i < 1000000; i++) {
    }
    bool ran = yield_no_wait();
    lowlevel_debug_print_u32x2(ran, upcalls);
#elif defined(__riscv) && FAULT_KIND == FAULT_BRK_BELOW_FRAME
    uint32_t ram_start = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram_start);
    announce_target(ram_start + 512);
    // Markers in s2-s11 across the ecall; after it, the stack (above the new break) is
    // touched and faults.
    register uint32_t a0 __asm__("a0") = MEMOP_BRK;
    register uint32_t a1 __asm__("a1") = ram_start + 512;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_MEMOP;
    __asm__ volatile("li s2, 0x7e570012\n\tli s3, 0x7e570013\n\tli s4, 0x7e570014\n\t"
                     "li s5, 0x7e570015\n\tli s6, 0x7e570016\n\tli s7, 0x7e570017\n\t"
                     "li s8, 0x7e570018\n\tli s9, 0x7e570019\n\tli s10, 0x7e57001a\n\t"
                     "li s11, 0x7e57001b\n\tecall\n\tsw zero, -4(sp)"
                     : "+r"(a0), "+r"(a1)
                     : "r"(a4)
                     : "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "memory");
#elif defined(__riscv) &&                                                                          \
    (FAULT_KIND == FAULT_BRK_STRADDLE_PREEMPT || FAULT_KIND == FAULT_BRK_STRADDLE_SVC)
    for (;;)
        __asm__ volatile("");
#elif FAULT_KIND == FAULT_NULL
    announce_target(0);
    (void)*(volatile uint32_t *)0;
#elif FAULT_KIND == FAULT_KERNEL_RAM
#if defined(__riscv)
    uint32_t kernel_ram = KERNEL_RAM_ADDRESS;
#else
    uint32_t ram_start = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram_start);
    uint32_t kernel_ram = (ram_start & ~0xFFFFu) + 0x100u;
#endif
    announce_target(kernel_ram);
    *(volatile uint32_t *)kernel_ram = 0xdeadbeef;
#elif FAULT_KIND == FAULT_OWN_FLASH
    uint32_t target = (uint32_t)(uintptr_t)&do_fault & ~1u;
    announce_target(target);
    *(volatile uint32_t *)target = 0xdeadbeef;
#elif FAULT_KIND == FAULT_OTHER_RAM
    uint32_t ram_end = 0;
    memop_u32(memop(MEMOP_RAM_END, 0), &ram_end);
    uint32_t target = ram_end + 16;
    announce_target(target);
    (void)*(volatile uint32_t *)target;
#elif FAULT_KIND == FAULT_STACK_OVERFLOW
    uint32_t ram_start = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram_start);
    announce_target(ram_start);
    recurse(0);
#elif FAULT_KIND == FAULT_UNDEF
    __asm__ volatile("udf #0");
#elif FAULT_KIND == FAULT_EXEC_RAM
    uint32_t target = (uint32_t)(uintptr_t)ram_code;
    announce_target(target);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    ((void (*)(void))(target | 1u))();
#elif FAULT_KIND == FAULT_BRK_GRANT
    uint32_t grant_start = 0;
    memop_u32(memop(MEMOP_GRANT_START, 0), &grant_start);
    announce_target(grant_start);
    struct syscall_return r = memop(MEMOP_BRK, grant_start + 64);
    lowlevel_debug_print_u32x2(r.variant, r.data[0]);
    *(volatile uint32_t *)grant_start = 0xdeadbeef;
#elif FAULT_KIND == FAULT_SVC_BAD_SP
    uint32_t ram_start = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram_start);
    uint32_t target = ram_start - 64;
    announce_target(target);
    // A low-level-debug print, should the svc ever complete: then the kernel would have
    // served a syscall through a stack it may not touch, and "survived" follows.
    register uint32_t r0 __asm__("r0") = LOWLEVEL_DEBUG_DRIVER;
    register uint32_t r1 __asm__("r1") = 2;
    register uint32_t r2 __asm__("r2") = 0xbad5;
    register uint32_t r3 __asm__("r3") = 0;
    // The old SP is not restored: if the svc returned, nothing on the bad stack is usable.
    __asm__ volatile("mov sp, %[sp]\n\tsvc 2"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                     : [sp] "r"(target)
                     : "memory", "cc");
    for (;;) {
    }
#elif FAULT_KIND == FAULT_BAD_SP_UNDEF
    // Each isb below ends QEMU's translation block, so the trap sees the new SP (QEMU 7.2
    // took an sdiv-by-zero trap with the SP from before the mov otherwise).
    __asm__ volatile("mov sp, %[sp]\n\tisb\n\tudf #1" : : [sp] "r"(bad_sp()) : "memory");
#elif FAULT_KIND == FAULT_BAD_SP_DIV0
    volatile uint32_t zero = 0;
    uint32_t n = 7, z = zero;
    __asm__ volatile("mov sp, %[sp]\n\tisb\n\tsdiv %[n], %[n], %[z]"
                     : [n] "+r"(n)
                     : [sp] "r"(bad_sp()), [z] "r"(z)
                     : "memory");
#elif FAULT_KIND == FAULT_BAD_SP_SCS
    uint32_t v, scs = 0xE000ED00u;
    __asm__ volatile("mov sp, %[sp]\n\tisb\n\tldr %[v], [%[a]]"
                     : [v] "=r"(v)
                     : [sp] "r"(bad_sp()), [a] "r"(scs)
                     : "memory");
#elif FAULT_KIND == FAULT_BAD_SP_BKPT
    __asm__ volatile("mov sp, %[sp]\n\tisb\n\tbkpt #1" : : [sp] "r"(bad_sp()) : "memory");
#elif FAULT_KIND == FAULT_BAD_SP_PREEMPT
    __asm__ volatile("mov sp, %[sp]\n1:\tb 1b" : : [sp] "r"(bad_sp()) : "memory");
#elif FAULT_KIND == FAULT_BRK_STRADDLE_PREEMPT
    uint32_t new_brk = straddle_brk();
    __asm__ volatile("mov sp, %[sp]\n1:\tb 1b" : : [sp] "r"(new_brk + 16u) : "memory");
#elif FAULT_KIND == FAULT_BRK_STRADDLE_SVC
    uint32_t new_brk = straddle_brk();
    command(TEST_DRIVER, 0, 0, 0); // the handler's last-driver cache: the test driver
    // Served (the check missing), the command returns here: SP back, and the app says
    // so before any slice end could fault it for the straddling frame instead.
    register uint32_t r0 __asm__("r0") = TEST_DRIVER;
    register uint32_t r1 __asm__("r1") = 0;
    __asm__ volatile("mov r4, sp\n\tmov sp, %[sp]\n\tsvc 2\n\tmov sp, r4"
                     : "+r"(r0), "+r"(r1)
                     : [sp] "r"(new_brk + 16u)
                     : "r2", "r3", "r4", "r12", "lr", "memory");
    announce_target(0x5e7ed);
    for (;;)
        yield_wait();
#elif FAULT_KIND == FAULT_SEMIHOST
    // Semihosting ABI (AArch32): r0 = operation, r1 = parameter, then bkpt 0xab.
    static const char text[] = "semihosting served\n";
    uint32_t n = restarts();
    uint32_t op = (n & 1) ? 0x04u : 0x18u;                         // SYS_WRITE0 : SYS_EXIT
    uint32_t arg = (n & 1) ? (uint32_t)(uintptr_t)text : 0x20026u; // ADP_Stopped_ApplicationExit
    announce_target(op);
    // Set only now: a call between would clobber them.
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
#elif FAULT_KIND == FAULT_YIELD_FLAG_XPSR
    // An alarm upcall pending (1 ms, then a spin long enough to be sure it was queued):
    // yield-no-wait then stores 1 into the flag and calls on_alarm.
    struct alarm a;
    alarm_in_ms(&a, 1, on_alarm, NULL);
    for (volatile uint32_t i = 0; i < 1000000 && !alarm_is_armed(&a); i++) {
    }
    for (volatile uint32_t i = 0; i < 1000000; i++) {
    }
    // The svc frame is 8 words at SP rounded down to 8 (the hardware pads an unaligned
    // SP): xPSR is the last word, 4 bytes below that rounded SP.
    register uint32_t r0 __asm__("r0") = 0; // yield-no-wait
    register uint32_t r1 __asm__("r1");
    __asm__ volatile("mov %[f], sp\n\tbic %[f], %[f], #7\n\tsubs %[f], %[f], #4\n\tsvc 0"
                     : "+r"(r0), [f] "=&r"(r1)
                     :
                     : "r2", "r3", "r12", "lr", "memory", "cc");
    lowlevel_debug_print_u32x2(r0, upcalls);
#elif FAULT_KIND == FAULT_BRK_BELOW_FRAME
    uint32_t ram_start = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram_start);
    announce_target(ram_start + 512);
    register uint32_t r0 __asm__("r0") = MEMOP_BRK;
    register uint32_t r1 __asm__("r1") = ram_start + 512;
    // r4-r11 hold markers across the svc; the old values are restored afterwards.
    __asm__ volatile("push {r4-r11}\n\t"
                     "ldr r4, =0x7e570004\n\tldr r5, =0x7e570005\n\t"
                     "ldr r6, =0x7e570006\n\tldr r7, =0x7e570007\n\t"
                     "ldr r8, =0x7e570008\n\tldr r9, =0x7e570009\n\t"
                     "ldr r10, =0x7e57000a\n\tldr r11, =0x7e57000b\n\t"
                     "svc 5\n\t"
                     "pop {r4-r11}\n\t"
                     "b 1f\n\t"
                     ".ltorg\n"
                     "1:"
                     : "+r"(r0), "+r"(r1)
                     :
                     : "r2", "r3", "r12", "lr", "memory", "cc");
#endif
}

int main(void)
{
    lowlevel_debug_alert(ALERT_STARTED + FAULT_KIND);
#if FAULT_KIND == FAULT_BRK_BELOW_FRAME
    lowlevel_debug_print_u32(0x5e570000u + restarts());
#endif
    for (volatile uint32_t i = 0; i < FAULT_DELAY; i++) {
    }
    do_fault();
    lowlevel_debug_alert(ALERT_SURVIVED + FAULT_KIND);
    return 1;
}
