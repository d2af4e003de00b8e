// SPDX-License-Identifier: Apache-2.0
// notify_flood: tries to fill another process's upcall queue through the test driver.
//
// The test driver's command 6 queues an event (test driver, subscribe 0) on the process in
// slot arg0. The victim in slot VICTIM_SLOT never touched the test driver, so none of these
// events is for a subscription it made and the kernel must refuse every one. Against
// itself (this app subscribes first) the same command must work, so a refusal is not just
// a broken command. Prints
//   "notify_flood: victim accepted A, refused R (last error E)"
//   "notify_flood: self accepted A, upcalls run U"

#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#define TEST_DRIVER   0xCA170u
#define CMD_NOTIFY    6
#define VICTIM_SLOT   0 // flash order: tests/qemu/notify_flood.test puts the victim first
#define SELF_SLOT     1
#define NOTIFICATIONS 4000
#define SELF_NOTIFIES 5

static volatile unsigned self_upcalls;

static void on_notify(int from, int a1, int a2, void *ud)
{
    (void)from;
    (void)a1;
    (void)a2;
    (void)ud;
    self_upcalls++;
}

int main(void)
{
    unsigned accepted = 0, refused = 0;
    returncode_t last = RETURNCODE_SUCCESS;
    for (unsigned i = 0; i < NOTIFICATIONS; i++) {
        returncode_t rc = command_ok(command(TEST_DRIVER, CMD_NOTIFY, VICTIM_SLOT, 0));
        if (rc == RETURNCODE_SUCCESS) {
            accepted++;
        } else {
            refused++;
            last = rc;
        }
        // Give the victim the CPU now and then, so the flood overlaps its waits.
        if (i % 64 == 0)
            yield_no_wait();
    }
    printf("notify_flood: victim accepted %u, refused %u (last error %s)\n", accepted, refused,
           returncode_name(last));

    if (subscribe_ok(subscribe(TEST_DRIVER, 0, on_notify, NULL)) < 0) {
        printf("notify_flood: subscribe failed\n");
        return 1;
    }
    unsigned self_accepted = 0;
    for (unsigned i = 0; i < SELF_NOTIFIES; i++)
        if (command_ok(command(TEST_DRIVER, CMD_NOTIFY, SELF_SLOT, 0)) == RETURNCODE_SUCCESS)
            self_accepted++;
    while (yield_no_wait()) {
    }
    printf("notify_flood: self accepted %u, upcalls run %u\n", self_accepted, self_upcalls);
    return 0;
}
