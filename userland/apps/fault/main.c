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
// Kinds:
//   FAULT_NULL            read address 0 (kernel flash on the mps2 board)
//   FAULT_KERNEL_RAM      write to 0x20000100 (kernel RAM)
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

#include <stdint.h>
#include <string.h>

#include "cairn.h"

#define FAULT_NULL           1
#define FAULT_KERNEL_RAM     2
#define FAULT_OWN_FLASH      3
#define FAULT_OTHER_RAM      4
#define FAULT_STACK_OVERFLOW 5
#define FAULT_UNDEF          6
#define FAULT_EXEC_RAM       7
#define FAULT_BRK_GRANT      8
#define FAULT_SVC_BAD_SP     9

#ifndef FAULT_KIND
#define FAULT_KIND FAULT_NULL
#endif
#if FAULT_KIND < FAULT_NULL || FAULT_KIND > FAULT_SVC_BAD_SP
#error "FAULT_KIND must be one of the FAULT_* kinds"
#endif

#ifndef FAULT_DELAY
#define FAULT_DELAY 200000
#endif

#define ALERT_STARTED  0x100
#define ALERT_SURVIVED 0x200

#define KERNEL_RAM_ADDRESS 0x20000100u

// Not every kind aims at an address.
__attribute__((unused)) static void announce_target(uint32_t address)
{
    lowlevel_debug_print_u32(address);
}

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

#if FAULT_KIND == FAULT_EXEC_RAM
// Thumb "bx lr; nop", in .data (RAM).
static uint16_t ram_code[2] __attribute__((aligned(4))) = {0x4770, 0xbf00};
#endif

static void do_fault(void)
{
#if FAULT_KIND == FAULT_NULL
    announce_target(0);
    (void)*(volatile uint32_t *)0;
#elif FAULT_KIND == FAULT_KERNEL_RAM
    announce_target(KERNEL_RAM_ADDRESS);
    *(volatile uint32_t *)KERNEL_RAM_ADDRESS = 0xdeadbeef;
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
#endif
}

int main(void)
{
    lowlevel_debug_alert(ALERT_STARTED + FAULT_KIND);
    for (volatile uint32_t i = 0; i < FAULT_DELAY; i++) {
    }
    do_fault();
    lowlevel_debug_alert(ALERT_SURVIVED + FAULT_KIND);
    return 1;
}
