// SPDX-License-Identifier: Apache-2.0
// Alarm driver (0x0): virtual alarms multiplexed onto the kernel's one alarm per process.
//
// Kernel interface: command 1 frequency, 2 now, 3 stop, 6 arm at (reference, dt);
// upcall 0 (now, expiration, 0) once the armed alarm is due. The kernel alarm is one-shot
// and arming replaces the previous one.
//
// Invariants: `armed` lists every armed virtual alarm exactly once, in arming order (so
// alarms due at the same tick fire in that order). Whenever the list changes, the kernel
// alarm is re-armed to the list member with the least time remaining, or stopped if the
// list is empty. Dispatch is stateless (it fires whatever is due when it runs), so a
// stale or spurious kernel upcall does no harm.

#include "alarm.h"
#include "syscall.h"

enum {
    ALARM_CMD_FREQUENCY = 1,
    ALARM_CMD_NOW = 2,
    ALARM_CMD_STOP = 3,
    ALARM_CMD_SET_AT = 6,
    ALARM_UPCALL = 0,
};

static struct alarm *armed;
static uint32_t cached_hz;
static bool subscribed;

// All tick arithmetic is modulo 2^32: an alarm is due once at least dt ticks have passed
// since its reference.
static inline bool is_due(const struct alarm *a, uint32_t now)
{
    return now - a->reference >= a->dt;
}

static inline uint32_t remaining(const struct alarm *a, uint32_t now)
{
    uint32_t elapsed = now - a->reference;
    return elapsed >= a->dt ? 0 : a->dt - elapsed;
}

returncode_t alarm_frequency(uint32_t *hz)
{
    if (cached_hz == 0) {
        returncode_t rc = command_u32(command(ALARM_DRIVER, ALARM_CMD_FREQUENCY, 0, 0), &cached_hz);
        if (rc < 0)
            return rc;
    }
    *hz = cached_hz;
    return RETURNCODE_SUCCESS;
}

returncode_t alarm_now(uint32_t *ticks)
{
    return command_u32(command(ALARM_DRIVER, ALARM_CMD_NOW, 0, 0), ticks);
}

uint64_t alarm_ms_to_ticks(uint32_t ms)
{
    uint32_t hz;
    if (alarm_frequency(&hz) < 0)
        return 0;
    // Rounded up: a delay never ends early.
    return ((uint64_t)ms * hz + 999) / 1000;
}

uint64_t alarm_ticks_to_ms(uint64_t ticks)
{
    uint32_t hz;
    if (alarm_frequency(&hz) < 0 || hz == 0)
        return 0;
    return ticks / hz * 1000 + (ticks % hz) * 1000 / hz;
}

static void unlink_alarm(struct alarm *a)
{
    for (struct alarm **pp = &armed; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == a) {
            *pp = a->next;
            a->next = NULL;
            return;
        }
    }
}

bool alarm_is_armed(const struct alarm *a)
{
    for (const struct alarm *p = armed; p != NULL; p = p->next)
        if (p == a)
            return true;
    return false;
}

static returncode_t program_kernel(void)
{
    if (armed == NULL) {
        // EALREADY only means nothing was armed.
        returncode_t rc = command_ok(command(ALARM_DRIVER, ALARM_CMD_STOP, 0, 0));
        return rc == RETURNCODE_EALREADY ? RETURNCODE_SUCCESS : rc;
    }
    uint32_t now;
    returncode_t rc = alarm_now(&now);
    if (rc < 0)
        return rc;
    const struct alarm *next = armed;
    for (const struct alarm *p = armed->next; p != NULL; p = p->next)
        if (remaining(p, now) < remaining(next, now))
            next = p;
    uint32_t expiration;
    return command_u32(command(ALARM_DRIVER, ALARM_CMD_SET_AT, next->reference, next->dt),
                       &expiration);
}

// Fires due alarms one at a time, the most overdue first, re-reading the clock and the
// list after each callback because a callback may arm, cancel or take time.
static void dispatch(void)
{
    for (;;) {
        uint32_t now;
        if (alarm_now(&now) < 0)
            break;
        struct alarm *due = NULL;
        uint32_t most_overdue = 0;
        for (struct alarm *p = armed; p != NULL; p = p->next) {
            if (!is_due(p, now))
                continue;
            uint32_t overdue = (now - p->reference) - p->dt;
            if (due == NULL || overdue > most_overdue) {
                due = p;
                most_overdue = overdue;
            }
        }
        if (due == NULL)
            break;
        unlink_alarm(due);
        due->callback(now, due->reference + due->dt, due->userdata);
    }
    program_kernel();
}

static void alarm_upcall(int now, int expiration, int unused, void *unused_ud)
{
    dispatch();
}

returncode_t alarm_at(struct alarm *a, uint32_t reference, uint32_t dt, alarm_fn *callback,
                      void *userdata)
{
    if (callback == NULL)
        return RETURNCODE_EINVAL;
    if (!subscribed) {
        returncode_t rc = subscribe_ok(subscribe(ALARM_DRIVER, ALARM_UPCALL, alarm_upcall, NULL));
        if (rc < 0)
            return rc;
        subscribed = true;
    }
    unlink_alarm(a);
    a->reference = reference;
    a->dt = dt;
    a->callback = callback;
    a->userdata = userdata;
    a->next = NULL;
    struct alarm **tail = &armed;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = a;
    returncode_t rc = program_kernel();
    if (rc < 0) {
        unlink_alarm(a);
        program_kernel();
    }
    return rc;
}

returncode_t alarm_in_ms(struct alarm *a, uint32_t ms, alarm_fn *callback, void *userdata)
{
    uint32_t now;
    returncode_t rc = alarm_now(&now);
    if (rc < 0)
        return rc;
    uint64_t ticks = alarm_ms_to_ticks(ms);
    if (ticks > UINT32_MAX)
        return RETURNCODE_ESIZE;
    return alarm_at(a, now, (uint32_t)ticks, callback, userdata);
}

void alarm_cancel(struct alarm *a)
{
    if (!alarm_is_armed(a))
        return;
    unlink_alarm(a);
    program_kernel();
}

static void delay_done(uint32_t now, uint32_t expiration, void *userdata)
{
    *(volatile bool *)userdata = true;
}

returncode_t delay_ms(uint32_t ms)
{
    uint32_t reference;
    returncode_t rc = alarm_now(&reference);
    if (rc < 0)
        return rc;
    uint64_t ticks = alarm_ms_to_ticks(ms);
    // Pieces of at most 2^31 ticks, each measured from where the previous one ended, so
    // long delays neither drift nor hit the 2^32 wrap.
    while (ticks > 0) {
        uint32_t dt = ticks > 0x80000000u ? 0x80000000u : (uint32_t)ticks;
        volatile bool fired = false;
        struct alarm a = {0};
        rc = alarm_at(&a, reference, dt, delay_done, (void *)&fired);
        if (rc < 0)
            return rc;
        // WaitFor takes the alarm event without running alarm_upcall, so run the
        // dispatcher here: other virtual alarms due meanwhile fire as usual.
        while (!fired) {
            yield_wait_for(ALARM_DRIVER, ALARM_UPCALL);
            dispatch();
        }
        reference += dt;
        ticks -= dt;
    }
    return RETURNCODE_SUCCESS;
}

returncode_t alarm_wait_until(uint32_t reference, uint32_t dt)
{
    uint32_t expiration;
    returncode_t rc =
        command_u32(command(ALARM_DRIVER, ALARM_CMD_SET_AT, reference, dt), &expiration);
    if (rc < 0)
        return rc;
    yield_wait_for(ALARM_DRIVER, ALARM_UPCALL);
    return RETURNCODE_SUCCESS;
}
