// SPDX-License-Identifier: Apache-2.0
// Scheduler and syscall entry points shared by the kernel loop's files.
#ifndef CAIRN_KERNEL_SCHED_H
#define CAIRN_KERNEL_SCHED_H

#include "process.h"
#include <cairn/abi.h>
#include <cairn/kernel.h>

// One pass of the main loop: bottom halves, deferred calls, then the next runnable process
// until it traps. False if no process was runnable (the caller idles). kernel_run loops on
// it; the host syscall fuzzer calls it directly.
bool kernel_loop_once(void);

// Serve the syscall p just trapped with. post: p's state says whether it continues.
void syscall_handle(struct process *p);
// The same, with the trap already decoded.
void syscall_dispatch(struct process *p, const struct syscall_args *a);

// Subscribe and the allow classes (grant.c): validate, then store in the driver's grant.
void syscall_subscribe_allow(struct process *p, const struct syscall_args *a);

// The process whose command a driver is serving right now (PROCID_NONE outside one):
// grant_enter for it marks its grant as used by the process itself.
extern procid_t syscall_caller;

// Resume a yielded process if what it waits for is queued. True if it can run now.
bool syscall_resume_yielded(struct process *p);

const struct driver *driver_lookup(uint32_t num);

// Walk the apps region and create a process for every valid app. Returns how many.
unsigned loader_load_all(const struct kernel_config *cfg);

#endif
