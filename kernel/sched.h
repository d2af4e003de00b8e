// SPDX-License-Identifier: Apache-2.0
// Scheduler and syscall entry points shared by the kernel loop's files.
#ifndef CAIRN_KERNEL_SCHED_H
#define CAIRN_KERNEL_SCHED_H

#include "process.h"
#include <cairn/abi.h>
#include <cairn/kernel.h>

// One pass of the main loop: bottom halves, deferred calls, then the next runnable process
// until it traps. False if no process was runnable (the caller idles). kernel_run loops on
// the same pass, idling there; the host syscall fuzzer calls it directly.
bool kernel_loop_once(void);

// Serve the syscall p just trapped with (the slow path: checks p's stack first, faulting
// p if it is bad). post: p's state says whether it continues.
void syscall_handle(struct process *p);

// Subscribe and the allow classes (grant.c): validate, then store in the driver's grant.
void syscall_subscribe_allow(struct process *p, uint32_t cls, uint32_t *r);

// The process whose syscall the kernel is serving right now (PROCID_NONE outside one;
// the main loop sets it while it runs a process): grant_enter for it marks its grant as
// used by the process itself.
extern procid_t syscall_caller;

// The driver last looked up, tried first (syscall.c); kernel_run points it at a driver of
// the table, so it is never null while processes run (a port's assembly relies on it).
struct driver;
extern const struct driver *syscall_last_driver;

// The scheduler's ready set (kernel.c): bit i of word i / 32 for slot i, and in
// sched_ready_words bit w for every word w that is not zero (so at most 32 words).
#define SCHED_WORDS ((PROCESS_MAX + 31) / 32)
_Static_assert(SCHED_WORDS <= 32, "sched_ready_words has one bit per word of the ready set");
extern uint32_t sched_ready_set[SCHED_WORDS];
extern uint32_t sched_ready_words;

// p may have become runnable (an upcall it may wait for was queued, it was created,
// restarted or resumed): the scheduler will look at it. Cheap; call on every such event.
__attribute__((always_inline)) static inline void sched_ready(const struct process *p)
{
    unsigned i = p->index;
    sched_ready_set[i / 32] |= 1u << (i % 32);
    sched_ready_words |= 1u << (i / 32);
}

// Resume a yielded process if what it waits for is queued. True if it can run now.
bool syscall_resume_yielded(struct process *p);

// Serve a yield-wait or yield-wait-for p trapped with (counted as syscall_handle counts
// it): p resumes at once if what it waits for is queued, else it blocks. pre: the class
// is yield and the stack was checked. Returns YIELD_WAIT_NONE (nothing done) for any
// other yield number; YIELD_WAIT_BLOCKED when nothing was queued, so p blocked and
// nothing else changed; YIELD_WAIT_SERVED when the queue was looked at (p may run on,
// block, or have faulted in the delivery).
enum { YIELD_WAIT_NONE, YIELD_WAIT_BLOCKED, YIELD_WAIT_SERVED };
int syscall_yield_wait(struct process *p);

const struct driver *driver_lookup(uint32_t num);

// Walk the apps region and create a process for every valid app. Returns how many.
unsigned loader_load_all(const struct kernel_config *cfg);

#endif
