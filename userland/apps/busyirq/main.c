// SPDX-License-Identifier: Apache-2.0
// busyirq: has its alarm fall due while the kernel thread is busy, then waits for it.
//
// It arms an alarm a few ms ahead and at once asks the test driver (command 8) to keep the
// kernel thread busy for a long while in a deferred call, which then prints how
// many bottom halves ran meanwhile: the timer's interrupt comes during the spin, and its
// bottom half (timer, multiplexer, alarm capsule) must wait for the thread, never run in
// the handler beside it. Then the alarm must still arrive. It prints
//   busyirq: alarm delivered
// (tests/qemu/irq_busy_thread.test).

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#define TEST_DRIVER   0xCA170u
#define TEST_CMD_BUSY 8
// About 5 instructions each: 50 ms of guest time under icount, and without icount (the
// clock is the host's then) still tens of milliseconds on a fast host. The alarm is due
// ALARM_MS after it is armed: a loaded host that stalls QEMU that long before the spin
// starts would let it fire too early.
#define BUSY_ITERATIONS 10000000u
#define ALARM_MS        5u

static volatile bool fired;

static void on_alarm(uint32_t now, uint32_t expiration, void *userdata)
{
    (void)now;
    (void)expiration;
    (void)userdata;
    fired = true;
}

int main(void)
{
    // Let the boot output drain first: its UART interrupts keep the thread busy too.
    delay_ms(20);
    static struct alarm a;
    alarm_in_ms(&a, ALARM_MS, on_alarm, NULL);
    command(TEST_DRIVER, TEST_CMD_BUSY, BUSY_ITERATIONS, 0);
    while (!fired)
        yield_wait();
    printf("busyirq: alarm delivered\n");
    return 0;
}
