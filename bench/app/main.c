// SPDX-License-Identifier: Apache-2.0
// bench: one micro-benchmark of the kernel's syscall paths, chosen at build time.
//
// Built as bench_<kind> with CFLAGS_EXTRA=-DBENCH_KIND=BENCH_<KIND> (mk/bench.mk). Time is
// the alarm counter (command 2): 25 MHz on qemu-mps2-an385, 20 MHz on qemu-mps2-an505
// (10 MHz on qemu-rv32-virt), and under QEMU -icount shift=0 one guest instruction is 1 ns,
// so one tick = 40, 50 (100) instructions (the app asks the alarm driver for its
// frequency; while the
// CPU sleeps, virtual time runs on without instructions: figures that include idle time
// are nanoseconds, not instructions). Measuring apps print lines
//   bench: <name> ticks=T iters=N instr_per_op=I [more=...]
// and end the QEMU run through the test driver (command 1, code 0); bench/run.sh
// collects the lines. Peer kinds never print and never end: they only load the kernel.
//
// Kinds:
//   BENCH_NULL          10,000 x test-driver command 0 (the cheapest driver call), then
//                       10,000 x yield-no-wait with nothing queued, 10,000 x memop sbrk 0,
//                       then the same loop with an empty body: it is subtracted, so a
//                       figure is the call with its libcairn wrapper and argument set-up
//                       (what an app pays), without the loop counter
//   BENCH_SUBSCRIBE     1,000 x (subscribe the alarm upcall; arm the alarm already due;
//                       yield-wait until its upcall ran): the full upcall round trip
//   BENCH_WAKEUP        10,000 x (arm already due; yield-wait), next to BENCH_WAKEUP_PEER
//                       copies doing the same forever: a wakeup with process switches
//   BENCH_WAKEUP_PEER   the same loop, forever
//   BENCH_ALARM         200 alarms 100 us ahead; latency = now read in the upcall minus
//                       the expiration, next to BENCH_ALARM_PEER copies
//   BENCH_ALARM_PEER    keeps re-arming its alarm with a period of its own, forever
//   BENCH_ALARM_IDLE    arms an alarm 10 s ahead and sleeps (an idle process that has an
//                       alarm: the kernel's alarm list holds one more deadline)
//   BENCH_SPIN          spins forever without a syscall (only the timeslice ends its turn)
//   BENCH_PING/PONG     two processes waking each other (see below)

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cairn.h"

#define BENCH_NULL        1
#define BENCH_SUBSCRIBE   2
#define BENCH_WAKEUP      3
#define BENCH_WAKEUP_PEER 4
#define BENCH_ALARM       5
#define BENCH_ALARM_PEER  6
#define BENCH_PING        7
#define BENCH_PONG        8
#define BENCH_ALARM_IDLE  9
#define BENCH_SPIN        10

#ifndef BENCH_KIND
#define BENCH_KIND BENCH_NULL
#endif

#define TEST_DRIVER    0xCA170u
#define TEST_CMD_EXIT  1
#define ALARM_CMD_NOW  2
#define ALARM_CMD_REL  5
#define ALARM_CMD_AT   6
#define ALARM_CMD_FREQ 1

// Instructions per counter tick: 1 GHz icount / the alarm counter's frequency (25 MHz on
// qemu-mps2-an385: 40; 20 MHz on qemu-mps2-an505: 50; 10 MHz mtime on qemu-rv32-virt:
// 100). Asked once, before timing.
__attribute__((unused)) static uint32_t instr_per_tick(void)
{
    static uint32_t cached;
    if (!cached) {
        uint32_t hz = 0;
        command_u32(command(ALARM_DRIVER, ALARM_CMD_FREQ, 0, 0), &hz);
        cached = hz ? 1000000000u / hz : 1;
    }
    return cached;
}

static uint32_t now(void)
{
    return command(ALARM_DRIVER, ALARM_CMD_NOW, 0, 0).data[0];
}

static volatile unsigned fired;
static volatile uint32_t fired_at; // the counter read inside the upcall

__attribute__((unused)) static void on_alarm(int now_at_fire, int expiration, int unused, void *ud)
{
    (void)now_at_fire;
    (void)expiration;
    (void)unused;
    (void)ud;
    fired_at = now();
    fired++;
}

// Arms the alarm already due and sleeps until its upcall ran.
__attribute__((unused)) static void wakeup_once(void)
{
    unsigned before = fired;
    command(ALARM_DRIVER, ALARM_CMD_REL, 0, 0);
    while (fired == before)
        yield_wait();
}

#if BENCH_KIND == BENCH_NULL || BENCH_KIND == BENCH_SUBSCRIBE || BENCH_KIND == BENCH_WAKEUP ||     \
    BENCH_KIND == BENCH_ALARM || BENCH_KIND == BENCH_PING
static void print(const char *line)
{
    console_write_sync(line, strlen(line), NULL);
}

// instr_per_op = (ticks - loop_ticks) * instructions per tick / iters, to one decimal:
// loop_ticks is what the same loop costs with an empty body (0 where it is negligible).
__attribute__((unused)) static void report_net(const char *name, uint32_t ticks,
                                               uint32_t loop_ticks, uint32_t iters)
{
    char line[128];
    uint64_t tenths = (uint64_t)(ticks - loop_ticks) * instr_per_tick() * 10 / iters;
    snprintf(line, sizeof line, "bench: %s ticks=%lu iters=%lu instr_per_op=%lu.%lu\n", name,
             (unsigned long)ticks, (unsigned long)iters, (unsigned long)(tenths / 10),
             (unsigned long)(tenths % 10));
    print(line);
}

__attribute__((unused)) static void report(const char *name, uint32_t ticks, uint32_t iters)
{
    report_net(name, ticks, 0, iters);
}

static _Noreturn void finish(void)
{
    command(TEST_DRIVER, TEST_CMD_EXIT, 0, 0);
    exit_terminate(0); // no test driver on this board
}
#endif

#if BENCH_KIND == BENCH_NULL
#define ITERS 10000u
int main(void)
{
    uint32_t t0 = now();
    for (uint32_t i = 0; i < ITERS; i++)
        command(TEST_DRIVER, 0, 0, 0);
    uint32_t t1 = now();
    for (uint32_t i = 0; i < ITERS; i++)
        yield_no_wait();
    uint32_t t2 = now();
    for (uint32_t i = 0; i < ITERS; i++)
        memop(MEMOP_SBRK, 0);
    uint32_t t3 = now();
    // The same loop with nothing in it (the empty asm keeps the compiler from deleting
    // it): counter, compare and branch, plus one counter read, are subtracted above.
    for (uint32_t i = 0; i < ITERS; i++)
        __asm volatile("" ::: "memory");
    uint32_t t4 = now();
    uint32_t loop = t4 - t3;
    report_net("null_command", t1 - t0, loop, ITERS);
    report_net("yield_nowait_empty", t2 - t1, loop, ITERS);
    report_net("memop_sbrk0", t3 - t2, loop, ITERS);
    report("empty_loop", loop, ITERS);
    finish();
}

#elif BENCH_KIND == BENCH_SUBSCRIBE
#define ITERS 1000u
int main(void)
{
    uint32_t t0 = now();
    for (uint32_t i = 0; i < ITERS; i++) {
        subscribe(ALARM_DRIVER, 0, on_alarm, NULL);
        wakeup_once();
    }
    report("subscribe_arm_upcall", now() - t0, ITERS);
    finish();
}

#elif BENCH_KIND == BENCH_WAKEUP
#define ITERS 10000u
int main(void)
{
    subscribe(ALARM_DRIVER, 0, on_alarm, NULL);
    wakeup_once(); // the first one allocates the grant
    uint32_t t0 = now();
    for (uint32_t i = 0; i < ITERS; i++)
        wakeup_once();
    report("alarm_wakeup", now() - t0, ITERS);
    finish();
}

#elif BENCH_KIND == BENCH_PING
// Ping (slot 0) and pong (slot 1) wake each other through the test driver's notify and
// block in yield-wait-for: one round trip = two process switches, two notifies, two
// yields, and no upcall function call (wait-for returns the arguments).
#define ITERS     10000u
#define PONG_SLOT 1u
int main(void)
{
    // Only a process that used the test driver gets its events: a null subscribe is
    // enough for yield-wait-for. Then wait until pong says it is ready.
    subscribe(TEST_DRIVER, 0, NULL, NULL);
    yield_wait_for(TEST_DRIVER, 0);
    uint32_t t0 = now();
    for (uint32_t i = 0; i < ITERS; i++) {
        command(TEST_DRIVER, 6, PONG_SLOT, 0);
        yield_wait_for(TEST_DRIVER, 0);
    }
    report("ping_pong_round_trip", now() - t0, ITERS);
    finish();
}

#elif BENCH_KIND == BENCH_PONG
#define PING_SLOT 0u
int main(void)
{
    subscribe(TEST_DRIVER, 0, NULL, NULL);
    // Ready: refused only while ping has not subscribed yet (it runs first, slot 0).
    while (command_ok(command(TEST_DRIVER, 6, PING_SLOT, 0)) != RETURNCODE_SUCCESS)
        yield_no_wait();
    for (;;) {
        yield_wait_for(TEST_DRIVER, 0);
        command(TEST_DRIVER, 6, PING_SLOT, 0);
    }
}

#elif BENCH_KIND == BENCH_ALARM_IDLE
int main(void)
{
    subscribe(ALARM_DRIVER, 0, on_alarm, NULL);
    // 10 s ahead: far past the end of any run, so it only sits in the kernel's list.
    for (;;) {
        unsigned before = fired;
        command(ALARM_DRIVER, ALARM_CMD_REL, 250000000u, 0);
        while (fired == before)
            yield_wait();
    }
}

#elif BENCH_KIND == BENCH_SPIN
int main(void)
{
    for (;;)
        __asm volatile("" ::: "memory");
}

#elif BENCH_KIND == BENCH_WAKEUP_PEER
int main(void)
{
    subscribe(ALARM_DRIVER, 0, on_alarm, NULL);
    for (;;)
        wakeup_once();
}

#elif BENCH_KIND == BENCH_ALARM
#define ITERS    200u
#define AHEAD_US 100u
int main(void)
{
    subscribe(ALARM_DRIVER, 0, on_alarm, NULL);
    // Let the peers start and arm theirs first.
    wakeup_once();
    uint32_t ahead = AHEAD_US * 1000u / instr_per_tick(); // ticks
    uint64_t total = 0;
    uint32_t worst = 0;
    for (uint32_t i = 0; i < ITERS; i++) {
        unsigned before = fired;
        uint32_t expiration = command(ALARM_DRIVER, ALARM_CMD_AT, now(), ahead).data[0];
        while (fired == before)
            yield_wait();
        uint32_t late = fired_at - expiration;
        total += late;
        if (late > worst)
            worst = late;
    }
    char line[128];
    snprintf(line, sizeof line, "bench: alarm_latency ticks=%lu iters=%lu avg_ns=%lu max_ns=%lu\n",
             (unsigned long)total, (unsigned long)ITERS,
             (unsigned long)(total * instr_per_tick() / ITERS),
             (unsigned long)((uint64_t)worst * instr_per_tick()));
    print(line);
    finish();
}

#elif BENCH_KIND == BENCH_ALARM_PEER
int main(void)
{
    subscribe(ALARM_DRIVER, 0, on_alarm, NULL);
    // A period of its own (from where its RAM is), so the peers' alarms spread out and
    // the kernel's alarm list really holds several deadlines.
    uint32_t mem_start = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &mem_start);
    uint32_t period = 1500 + ((mem_start >> 9) & 0x3F) * 37;
    uint32_t reference = now();
    for (;;) {
        unsigned before = fired;
        command(ALARM_DRIVER, ALARM_CMD_AT, reference, period);
        reference += period;
        while (fired == before)
            yield_wait();
    }
}

#else
#error "BENCH_KIND must be one of the BENCH_* kinds"
#endif
