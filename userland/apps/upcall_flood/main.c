// SPDX-License-Identifier: Apache-2.0
// upcall_flood: floods its own upcall queue with alarm events while printf waits for the console.
//
// Each round arms a one-tick alarm (the event lands in the queue almost at once) and then
// prints a line. printf waits in yield-wait-for for the console's write-done event, and
// yield-wait-for runs no upcall, so the subscribed alarm events pile up: after
// UPCALL_QUEUE_LEN rounds the queue is full of them. Every later round's write-done is the
// very event the process waits for; were it dropped the process would sleep forever (the
// hang of the stock demo). At the end one yield-wait runs the alarm upcalls that remain:
// the queue policy keeps a repeating source's latest events, so the last alarm the
// process armed must be among them (its expiration is the upcall's second argument).
//
// Prints "upcall_flood: done, R rounds, U alarm upcalls run, last expiration ok|LOST".

#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#define ROUNDS 40

enum { ALARM_CMD_SET_RELATIVE = 5, ALARM_UPCALL = 0 };

static volatile unsigned upcalls_run;
static volatile uint32_t last_seen_expiration;

static void on_alarm(int now, int expiration, int unused, void *ud)
{
    (void)now;
    (void)unused;
    (void)ud;
    upcalls_run++;
    last_seen_expiration = (uint32_t)expiration;
}

int main(void)
{
    if (subscribe_ok(subscribe(ALARM_DRIVER, ALARM_UPCALL, on_alarm, NULL)) < 0) {
        printf("upcall_flood: subscribe failed\n");
        return 1;
    }
    uint32_t last_armed = 0;
    for (unsigned round = 0; round < ROUNDS; round++) {
        if (command_u32(command(ALARM_DRIVER, ALARM_CMD_SET_RELATIVE, 1, 0), &last_armed) < 0) {
            printf("upcall_flood: arming failed\n");
            return 1;
        }
        printf("upcall_flood: round %u\n", round);
    }
    // Let the last alarm fire for sure, then run whatever alarm upcalls are queued.
    uint32_t now = 0, start = 0;
    alarm_now(&start);
    do
        alarm_now(&now);
    while (now - start < 1000);
    while (yield_no_wait()) {
    }
    printf("upcall_flood: done, %u rounds, %u alarm upcalls run, last expiration %s\n", ROUNDS,
           upcalls_run, last_seen_expiration == last_armed ? "ok" : "LOST");
    return 0;
}
