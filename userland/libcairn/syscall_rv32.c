// SPDX-License-Identifier: Apache-2.0
// The ecall for each system-call class on RISC-V (RV32): class in a4, arguments a0..a3.
//
// Register contract (Tock's RISC-V ABI): the class number goes in a4, arguments in a0..a3,
// results come back in a0..a3; the kernel saves and restores every other register. A Yield
// may run an upcall, an ordinary call from the trap point, so it clobbers every
// caller-saved register (ra, t0-t6, a0-a7). Every ecall clobbers memory, as on Arm.

#include "syscall.h"

#if defined(__riscv)

// Caller-saved registers an upcall may clobber, besides the ones used as operands.
#define YIELD_CLOBBERS "ra", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a5", "a6", "a7", "memory"

bool yield_no_wait(void)
{
    // The kernel stores one byte here (1 = an upcall ran) before the upcall itself runs.
    volatile uint8_t upcall_ran = 0;
    register uint32_t a0 __asm__("a0") = 0;
    register uint32_t a1 __asm__("a1") = (uint32_t)&upcall_ran;
    register uint32_t a2 __asm__("a2") = 0;
    register uint32_t a3 __asm__("a3") = 0;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_YIELD;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4) : : YIELD_CLOBBERS);
    return upcall_ran != 0;
}

void yield_wait(void)
{
    register uint32_t a0 __asm__("a0") = 1;
    register uint32_t a1 __asm__("a1") = 0;
    register uint32_t a2 __asm__("a2") = 0;
    register uint32_t a3 __asm__("a3") = 0;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_YIELD;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4) : : YIELD_CLOBBERS);
}

struct yield_wait_for_return yield_wait_for(uint32_t driver, uint32_t subscribe_num)
{
    register uint32_t a0 __asm__("a0") = 2;
    register uint32_t a1 __asm__("a1") = driver;
    register uint32_t a2 __asm__("a2") = subscribe_num;
    register uint32_t a3 __asm__("a3") = 0;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_YIELD;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4) : : YIELD_CLOBBERS);
    return (struct yield_wait_for_return){a0, a1, a2};
}

// One trap with four in/out registers: every class except Yield and Exit.
#define SYSCALL4(class_num, x0, x1, x2, x3)                                                        \
    ({                                                                                             \
        register uint32_t a0 __asm__("a0") = (uint32_t)(x0);                                       \
        register uint32_t a1 __asm__("a1") = (uint32_t)(x1);                                       \
        register uint32_t a2 __asm__("a2") = (uint32_t)(x2);                                       \
        register uint32_t a3 __asm__("a3") = (uint32_t)(x3);                                       \
        register uint32_t a4 __asm__("a4") = (class_num);                                          \
        __asm__ volatile("ecall" : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3) : "r"(a4) : "memory");   \
        (struct syscall_return){a0, {a1, a2, a3}};                                                 \
    })

struct syscall_return subscribe(uint32_t driver, uint32_t subscribe_num, upcall_fn_t *fn,
                                void *userdata)
{
    return SYSCALL4(SYSCALL_CLASS_SUBSCRIBE, driver, subscribe_num, fn, userdata);
}

struct syscall_return command(uint32_t driver, uint32_t command_num, uint32_t arg0, uint32_t arg1)
{
    return SYSCALL4(SYSCALL_CLASS_COMMAND, driver, command_num, arg0, arg1);
}

struct syscall_return allow_rw(uint32_t driver, uint32_t allow_num, void *buf, size_t len)
{
    return SYSCALL4(SYSCALL_CLASS_ALLOW_RW, driver, allow_num, buf, len);
}

struct syscall_return allow_ro(uint32_t driver, uint32_t allow_num, const void *buf, size_t len)
{
    return SYSCALL4(SYSCALL_CLASS_ALLOW_RO, driver, allow_num, buf, len);
}

struct syscall_return allow_userspace_r(uint32_t driver, uint32_t allow_num, void *buf, size_t len)
{
    return SYSCALL4(SYSCALL_CLASS_ALLOW_URA, driver, allow_num, buf, len);
}

struct syscall_return memop(uint32_t op, uint32_t arg)
{
    return SYSCALL4(SYSCALL_CLASS_MEMOP, op, arg, 0, 0);
}

_Noreturn static void exit_with(uint32_t how, uint32_t completion_code)
{
    register uint32_t a0 __asm__("a0") = how;
    register uint32_t a1 __asm__("a1") = completion_code;
    register uint32_t a4 __asm__("a4") = SYSCALL_CLASS_EXIT;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a4) : "a2", "a3", "memory");
    // Exit returns only for an unknown exit kind, which never comes from here.
    for (;;)
        yield_wait();
}

void exit_terminate(uint32_t completion_code)
{
    exit_with(0, completion_code);
}

void exit_restart(uint32_t completion_code)
{
    exit_with(1, completion_code);
}

#endif // __riscv
