// SPDX-License-Identifier: Apache-2.0
// Deferred calls: work a driver schedules from kernel context to run in the main loop.
#ifndef CAIRN_DEFERRED_H
#define CAIRN_DEFERRED_H

#include <stdbool.h>
#include <stdint.h>

// A capsule or driver owns one of these statically. Used so that a split-phase call can
// complete "later" without recursion into the caller (a callback never runs inside the
// call that started the operation).
struct deferred_call {
    void (*fn)(void *ctx);
    void *ctx;
    uint8_t index; // slot in the registry; set by deferred_call_register
};

// The board's capsules and chips register about six.
#ifndef DEFERRED_CALL_MAX
#define DEFERRED_CALL_MAX 16
#endif

// post: dc can be scheduled. Panics if more than DEFERRED_CALL_MAX are registered
// (a board wiring error, found at boot).
void deferred_call_register(struct deferred_call *dc, void (*fn)(void *), void *ctx);

// Schedule dc to run once from the main loop. Scheduling twice before it runs runs it once.
// pre: called from the kernel thread (not a top half).
void deferred_call_schedule(struct deferred_call *dc);

bool deferred_call_pending(void);

// Run every call pending now (calls scheduled while running wait for the next pass, so
// a call that reschedules itself cannot starve processes). Returns how many ran.
unsigned deferred_call_run(void);

#endif
