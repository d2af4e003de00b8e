// SPDX-License-Identifier: Apache-2.0
// checker: a benign neighbour that keeps verifying its own memory, alarms and answers.
//
// Runs next to hostile apps (the on-target fuzzer). It fills memory it owns with known
// patterns: a canary array in .bss, a buffer it allows read-write and one it allows
// read-only to the test driver (which never writes them), and a canary on its stack;
// then, forever, it sleeps on a periodic 1 ms alarm and re-verifies all of them on
// every firing, along with the answers of syscalls whose results it knows (its memory
// layout, its break, the alarm frequency, alarm times that only grow). Every
// CHECKER_ROUND firings it prints one line with printf:
//   checker: round N: M alarms, memory intact
// and on any mismatch a line starting "checker: FAIL". Nothing a neighbour does may
// change any of this; tests reject the FAIL line and count the rounds.

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

#define TEST_DRIVER   0xCA170u
#define CANARY_WORDS  512
#define ALLOW_WORDS   64
#define STACK_WORDS   32
#define CHECKER_ROUND 250

static uint32_t canary[CANARY_WORDS];
static uint32_t allowed_rw[ALLOW_WORDS];
static uint32_t allowed_ro[ALLOW_WORDS];

static uint32_t pattern(uint32_t salt, uint32_t i)
{
    uint32_t x = (i + 1) * 0x9E3779B9u ^ salt;
    return x ^ (x >> 15);
}

static void fill(uint32_t *w, unsigned n, uint32_t salt)
{
    for (unsigned i = 0; i < n; i++)
        w[i] = pattern(salt, i);
}

static unsigned failures;

static void fail(const char *what, uint32_t index, uint32_t got, uint32_t want)
{
    failures++;
    printf("checker: FAIL %s [%" PRIu32 "]: 0x%08" PRIx32 ", expected 0x%08" PRIx32 "\n", what,
           index, got, want);
}

static void verify(const char *what, uint32_t *w, unsigned n, uint32_t salt)
{
    for (unsigned i = 0; i < n; i++)
        if (w[i] != pattern(salt, i)) {
            fail(what, i, w[i], pattern(salt, i));
            w[i] = pattern(salt, i); // report each corruption once
        }
}

static void expect_u32(const char *what, struct syscall_return r, uint32_t want)
{
    uint32_t got = 0;
    if (command_u32(r, &got) < 0 || got != want)
        fail(what, r.variant, got, want);
}

static volatile uint32_t fired;
static uint32_t last_now, last_expiration;
static struct alarm tick;
static uint32_t period;

static void on_tick(uint32_t now, uint32_t expiration, void *ud)
{
    (void)ud;
    // Re-armed from its expiration: expirations advance by exactly one period, and the
    // clock never goes back (differences, so the 32-bit wrap is fine).
    if (fired && expiration - last_expiration != period)
        fail("alarm expiration step", fired, expiration - last_expiration, period);
    if (fired && (int32_t)(now - last_now) < 0)
        fail("clock went back", fired, now, last_now);
    last_now = now;
    last_expiration = expiration;
    fired++;
    alarm_at(&tick, expiration, period, on_tick, NULL);
}

int main(void)
{
    uint32_t stack_canary[STACK_WORDS];
    fill(canary, CANARY_WORDS, 0xC0DE0001u);
    fill(allowed_rw, ALLOW_WORDS, 0xC0DE0002u);
    fill(allowed_ro, ALLOW_WORDS, 0xC0DE0003u);
    fill(stack_canary, STACK_WORDS, 0xC0DE0004u);
    // Shown to a driver that never touches them: nobody may write the RW buffer, and
    // the RO one must stay what it is too.
    allow_rw(TEST_DRIVER, 0, allowed_rw, sizeof allowed_rw);
    allow_ro(TEST_DRIVER, 0, allowed_ro, sizeof allowed_ro);

    uint32_t ram_start = 0, ram_end = 0, brk = 0, hz = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram_start);
    memop_u32(memop(MEMOP_RAM_END, 0), &ram_end);
    if (alarm_frequency(&hz) < 0 || hz == 0) {
        printf("checker: FAIL no alarm\n");
        return 1;
    }
    period = (uint32_t)alarm_ms_to_ticks(1);
    printf("checker: started, ram 0x%08" PRIx32 "-0x%08" PRIx32 ", alarm %" PRIu32 " Hz\n",
           ram_start, ram_end, hz);
    // The break after printf has set up its buffers; nothing below moves it again.
    memop_u32(memop(MEMOP_SBRK, 0), &brk);

    uint32_t now = 0;
    alarm_now(&now);
    last_now = now;
    alarm_at(&tick, now, period, on_tick, NULL);
    uint32_t seen = 0, round = 0;
    for (;;) {
        yield_wait();
        if (fired == seen)
            continue; // some other upcall (there should be none)
        seen = fired;
        verify("canary", canary, CANARY_WORDS, 0xC0DE0001u);
        verify("allowed rw buffer", allowed_rw, ALLOW_WORDS, 0xC0DE0002u);
        verify("allowed ro buffer", allowed_ro, ALLOW_WORDS, 0xC0DE0003u);
        verify("stack canary", stack_canary, STACK_WORDS, 0xC0DE0004u);
        expect_u32("memop ram start", memop(MEMOP_RAM_START, 0), ram_start);
        expect_u32("memop ram end", memop(MEMOP_RAM_END, 0), ram_end);
        expect_u32("memop sbrk(0)", memop(MEMOP_SBRK, 0), brk);
        expect_u32("alarm frequency", command(ALARM_DRIVER, 1, 0, 0), hz);
        if (seen / CHECKER_ROUND > round) {
            round = seen / CHECKER_ROUND;
            printf("checker: round %" PRIu32 ": %" PRIu32 " alarms, %s\n", round, seen,
                   failures ? "FAILURES SEEN" : "memory intact");
        }
    }
}
