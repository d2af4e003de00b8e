// SPDX-License-Identifier: Apache-2.0
// The svc instruction for each system-call class, and the return-variant helpers.
//
// Register contract (Cortex-M): arguments in r0..r3, class in the svc immediate, results in
// r0..r3. The kernel preserves r4..r11 (r9 is our GOT base) and, outside Yield, r12 and
// LR (they are restored from the hardware frame). A Yield may run an upcall, which is an
// ordinary AAPCS call, so it clobbers every caller-saved register. Every svc also
// clobbers memory: the kernel reads allowed buffers, writes yield flags, zeroes memory on
// brk, so the compiler must not keep such memory in registers across the trap.

#include "syscall.h"

// The trap instructions are per architecture; the RISC-V ones are in syscall_rv32.c.
#if defined(__arm__)

bool yield_no_wait(void)
{
    // The kernel stores one byte here (1 = an upcall ran) before the upcall itself runs.
    volatile uint8_t upcall_ran = 0;
    register uint32_t r0 __asm__("r0") = 0;
    register uint32_t r1 __asm__("r1") = (uint32_t)&upcall_ran;
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1) : : "r2", "r3", "r12", "lr", "memory", "cc");
    return upcall_ran != 0;
}

void yield_wait(void)
{
    register uint32_t r0 __asm__("r0") = 1;
    register uint32_t r1 __asm__("r1") = 0;
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1) : : "r2", "r3", "r12", "lr", "memory", "cc");
}

struct yield_wait_for_return yield_wait_for(uint32_t driver, uint32_t subscribe_num)
{
    register uint32_t r0 __asm__("r0") = 2;
    register uint32_t r1 __asm__("r1") = driver;
    register uint32_t r2 __asm__("r2") = subscribe_num;
    // No upcall runs in WaitFor, but treat it like the other yields: a future kernel
    // is allowed to, and the cost is a few spills.
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1), "+r"(r2) : : "r3", "r12", "lr", "memory", "cc");
    return (struct yield_wait_for_return){r0, r1, r2};
}

// One trap with four in/out registers: every class except Yield and Exit.
#define SYSCALL4(class_num, a0, a1, a2, a3)                                                        \
    ({                                                                                             \
        register uint32_t r0 __asm__("r0") = (uint32_t)(a0);                                       \
        register uint32_t r1 __asm__("r1") = (uint32_t)(a1);                                       \
        register uint32_t r2 __asm__("r2") = (uint32_t)(a2);                                       \
        register uint32_t r3 __asm__("r3") = (uint32_t)(a3);                                       \
        __asm__ volatile("svc %[cls]"                                                              \
                         : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)                                  \
                         : [cls] "i"(class_num)                                                    \
                         : "memory", "cc");                                                        \
        (struct syscall_return){r0, {r1, r2, r3}};                                                 \
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
    register uint32_t r0 __asm__("r0") = how;
    register uint32_t r1 __asm__("r1") = completion_code;
    __asm__ volatile("svc 6" : "+r"(r0), "+r"(r1) : : "r2", "r3", "memory", "cc");
    // Exit returns only for an unknown exit kind, which never comes from here; a kernel
    // that still returns must not see the app run past its end.
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

#endif // __arm__

// --- variant helpers ----------------------------------------------------------------

// Any failure variant carries its status in r1; variants 1..3 only add echoed values.
static inline bool is_failure(const struct syscall_return *ret)
{
    return ret->variant < SYSCALL_SUCCESS;
}

static returncode_t expect(const struct syscall_return *ret, uint32_t success_variant)
{
    if (ret->variant == success_variant)
        return RETURNCODE_SUCCESS;
    if (is_failure(ret))
        return returncode_from_status(ret->data[0]);
    return RETURNCODE_EBADRVAL;
}

returncode_t command_ok(struct syscall_return ret)
{
    return expect(&ret, SYSCALL_SUCCESS);
}

returncode_t command_u32(struct syscall_return ret, uint32_t *out)
{
    returncode_t rc = expect(&ret, SYSCALL_SUCCESS_U32);
    if (rc == RETURNCODE_SUCCESS)
        *out = ret.data[0];
    return rc;
}

returncode_t command_u32x2(struct syscall_return ret, uint32_t *out0, uint32_t *out1)
{
    returncode_t rc = expect(&ret, SYSCALL_SUCCESS_2U32);
    if (rc == RETURNCODE_SUCCESS) {
        *out0 = ret.data[0];
        *out1 = ret.data[1];
    }
    return rc;
}

returncode_t command_u64(struct syscall_return ret, uint64_t *out)
{
    returncode_t rc = expect(&ret, SYSCALL_SUCCESS_U64);
    if (rc == RETURNCODE_SUCCESS)
        *out = ((uint64_t)ret.data[1] << 32) | ret.data[0];
    return rc;
}

returncode_t command_u32x3(struct syscall_return ret, uint32_t *out0, uint32_t *out1,
                           uint32_t *out2)
{
    returncode_t rc = expect(&ret, SYSCALL_SUCCESS_3U32);
    if (rc == RETURNCODE_SUCCESS) {
        *out0 = ret.data[0];
        *out1 = ret.data[1];
        *out2 = ret.data[2];
    }
    return rc;
}

returncode_t subscribe_ok(struct syscall_return ret)
{
    return expect(&ret, SYSCALL_SUCCESS_2U32);
}

returncode_t allow_ok(struct syscall_return ret)
{
    return expect(&ret, SYSCALL_SUCCESS_2U32);
}

returncode_t memop_ok(struct syscall_return ret)
{
    return expect(&ret, SYSCALL_SUCCESS);
}

returncode_t memop_u32(struct syscall_return ret, uint32_t *out)
{
    returncode_t rc = expect(&ret, SYSCALL_SUCCESS_U32);
    if (rc == RETURNCODE_SUCCESS)
        *out = ret.data[0];
    return rc;
}

bool driver_exists(uint32_t driver)
{
    return command(driver, 0, 0, 0).variant >= SYSCALL_SUCCESS;
}

const char *returncode_name(returncode_t rc)
{
    // A character matrix rather than an array of pointers: it stays in flash and needs no
    // relocation (an array of pointers would cost RAM and a relocation per entry).
    static const char names[][13] = {
        "SUCCESS", "FAIL",    "EBUSY",  "EALREADY",   "EOFF",      "ERESERVE",     "EINVAL",
        "ESIZE",   "ECANCEL", "ENOMEM", "ENOSUPPORT", "ENODEVICE", "EUNINSTALLED", "ENOACK",
    };
    if (rc == RETURNCODE_EBADRVAL)
        return "EBADRVAL";
    if (rc <= 0 && -rc < (int)(sizeof(names) / sizeof(names[0])))
        return names[-rc];
    return "E?";
}
