// SPDX-License-Identifier: Apache-2.0
// The syscall driver interface: how a capsule serves command (and later allow/subscribe).
#ifndef CAIRN_DRIVER_H
#define CAIRN_DRIVER_H

#include <stdint.h>

#include <cairn/abi.h>
#include <cairn/errorcode.h>
#include <cairn/process.h>

// A command's result: the variant and up to three values (r1..r3).
struct cmd_result {
    uint32_t variant;
    uint32_t v[3];
};

static inline struct cmd_result cmd_success(void)
{
    return (struct cmd_result){SYSCALL_SUCCESS, {0, 0, 0}};
}
static inline struct cmd_result cmd_success_u32(uint32_t a)
{
    return (struct cmd_result){SYSCALL_SUCCESS_U32, {a, 0, 0}};
}
static inline struct cmd_result cmd_success_2u32(uint32_t a, uint32_t b)
{
    return (struct cmd_result){SYSCALL_SUCCESS_2U32, {a, b, 0}};
}
static inline struct cmd_result cmd_failure(int err)
{
    return (struct cmd_result){SYSCALL_FAILURE, {(uint32_t)err, 0, 0}};
}

struct driver;

// Serves one command for process pid. Runs in the kernel thread; must not block.
typedef struct cmd_result (*driver_command_fn)(const struct driver *d, procid_t pid, uint32_t cmd,
                                               uint32_t arg0, uint32_t arg1);

// One entry of a board's driver table (sorted by num; looked up by binary search).
struct driver {
    uint32_t num;
    driver_command_fn command;
    void *ctx; // the capsule instance
};

#endif
