// SPDX-License-Identifier: Apache-2.0
// Low-level debug capsule (driver 0x8): lets a process print numbers with no buffers.
//
// ABI (Tock 2.x):
//   command 0: exists -> Success
//   command 1 (code): print "LowLevelDebug: App 0x<id> alert code 0x<code>" -> Success
//   command 2 (v): print "LowLevelDebug: App 0x<id> prints 0x<v>" -> Success
//   command 3 (a, b): print "LowLevelDebug: App 0x<id> prints 0x<a> 0x<b>" -> Success
//   other commands: Failure NOSUPPORT. No subscribes, no allows: they answer NOSUPPORT,
//   because like Tock's capsule this one declares a grant with no upcall or allow slots
//   (a driver without any grant would answer NOMEM, see kernel/grant.c). The grant holds
//   no state; it is allocated (8 bytes) only if a process subscribes or allows to 0x8.
// <id> is the process's short id (changes on restart). Output goes through the kernel
// debug writer: if it is full the line is dropped and the count of dropped bytes shown.
#ifndef CAIRN_LOWLEVEL_DEBUG_H
#define CAIRN_LOWLEVEL_DEBUG_H

#include <cairn/driver.h>
#include <cairn/grant.h>

#define LOWLEVEL_DEBUG_DRIVER_NUM 0x8u

struct lowlevel_debug {
    uint32_t lines;     // lines printed, for diagnostics
    struct grant grant; // no state and no slots: only what subscribe/allow answer
};

void lowlevel_debug_init(struct lowlevel_debug *l);
struct cmd_result lowlevel_debug_command(const struct driver *d, procid_t pid, uint32_t cmd,
                                         uint32_t arg0, uint32_t arg1);

#endif
