// SPDX-License-Identifier: Apache-2.0
// beat: a heartbeat every 20 ms, printing how late its worst wake-up was (app store tests).
//
// Wake-ups are scheduled drift-free (reference + n * period), so lateness is how long the
// app waited after its alarm was due: for a neighbour of an install, update or remove, it
// shows whether the kernel ever held the CPU longer than a time slice. Built as variants
// beat_a..beat_d (BEAT_TAG) and beat_a2 (package name beat_a, version 2).
#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#ifndef BEAT_TAG
#define BEAT_TAG "beat"
#endif
#ifndef BEAT_VERSION
#define BEAT_VERSION 1
#endif
#define PERIOD_MS 20

static void wake(uint32_t now, uint32_t expiration, void *userdata)
{
    (void)now, (void)expiration, (void)userdata;
}

int main(void)
{
    uint32_t hz, start, now;
    alarm_frequency(&hz);
    alarm_now(&start);
    uint32_t period = (uint32_t)alarm_ms_to_ticks(PERIOD_MS);
    uint32_t worst_us = 0;
    for (uint32_t n = 1;; n++) {
        struct alarm a;
        uint32_t due = start + n * period;
        alarm_now(&now);
        if ((int32_t)(due - now) > 0) {
            alarm_at(&a, now, due - now, wake, NULL);
            while (alarm_is_armed(&a))
                yield_wait();
        }
        alarm_now(&now);
        uint32_t late = now - due;
        uint32_t late_us = (uint32_t)((uint64_t)late * 1000000u / hz);
        if (late_us > worst_us && n > 1)
            worst_us = late_us;
        if (n % 10 == 0)
            printf("%s v%d beat %lu worst-late %lu us\n", BEAT_TAG, BEAT_VERSION, (unsigned long)n,
                   (unsigned long)worst_us);
    }
}
