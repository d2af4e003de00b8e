// SPDX-License-Identifier: Apache-2.0
// The Tock system-call classes as C functions, and return-variant helpers.
#ifndef CAIRN_SYSCALL_H
#define CAIRN_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

// Class numbers, return variants and memop operations, shared with the kernel.
#include <cairn/abi.h>

// r0..r3 as the kernel left them. For a Failure variant data[0] is the status code.
struct syscall_return {
    uint32_t variant;
    uint32_t data[3];
};

// What Yield-WaitFor returns: the three upcall arguments the driver supplied.
struct yield_wait_for_return {
    uint32_t data0;
    uint32_t data1;
    uint32_t data2;
};

// An upcall runs only inside a yield, on the caller's stack, and returns into it.
typedef void upcall_fn_t(int arg0, int arg1, int arg2, void *userdata);

// --- raw classes --------------------------------------------------------------------

// Runs at most one pending upcall without blocking; true if one ran.
bool yield_no_wait(void);
// Blocks until one upcall has run.
void yield_wait(void);
// Blocks until the driver queues an event for (driver, subscribe_num); takes that event
// without running any upcall function and returns its arguments. Other events stay queued.
struct yield_wait_for_return yield_wait_for(uint32_t driver, uint32_t subscribe_num);

struct syscall_return subscribe(uint32_t driver, uint32_t subscribe_num, upcall_fn_t *fn,
                                void *userdata);
struct syscall_return command(uint32_t driver, uint32_t command_num, uint32_t arg0, uint32_t arg1);
// The kernel may write buf until the slot is allowed again (with NULL, 0 to revoke).
struct syscall_return allow_rw(uint32_t driver, uint32_t allow_num, void *buf, size_t len);
// The kernel may read buf (RAM or the app's own flash) until the slot is allowed again.
struct syscall_return allow_ro(uint32_t driver, uint32_t allow_num, const void *buf, size_t len);
struct syscall_return allow_userspace_r(uint32_t driver, uint32_t allow_num, void *buf, size_t len);
struct syscall_return memop(uint32_t op, uint32_t arg);
_Noreturn void exit_terminate(uint32_t completion_code);
_Noreturn void exit_restart(uint32_t completion_code);

// --- variant helpers ----------------------------------------------------------------
// Each accepts the one success variant its name says, and any Failure variant (whose
// status becomes the return code); any other variant gives RETURNCODE_EBADRVAL. Outputs
// are written on success only.

returncode_t command_ok(struct syscall_return ret);
returncode_t command_u32(struct syscall_return ret, uint32_t *out);
returncode_t command_u32x2(struct syscall_return ret, uint32_t *out0, uint32_t *out1);
returncode_t command_u64(struct syscall_return ret, uint64_t *out);
returncode_t command_u32x3(struct syscall_return ret, uint32_t *out0, uint32_t *out1,
                           uint32_t *out2);
// Subscribe and all allow classes: Success with 2 u32 (previous values) or Failure with 2 u32.
returncode_t subscribe_ok(struct syscall_return ret);
returncode_t allow_ok(struct syscall_return ret);
// memop: Success (brk, hints) or Success with u32 (everything else).
returncode_t memop_ok(struct syscall_return ret);
returncode_t memop_u32(struct syscall_return ret, uint32_t *out);

// Command 0 answered with any success variant (Tock drivers use 128 or 129).
bool driver_exists(uint32_t driver);

#endif // CAIRN_SYSCALL_H
