// SPDX-License-Identifier: Apache-2.0
// Host tests of the alarm capsule's expiry list: order, re-arming, cancel, death, restart.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "host_proc.h"

#include "../../capsules/alarm.h"
#include "../../capsules/alarm_mux.h"

// ---- fake hardware alarm: time is a variable, the test fires it ---------------------------

static struct {
    struct alarm_hw hil;
    struct alarm_hw_client *client;
    uint32_t now;
    bool armed;
    uint32_t reference, dt;
} hw;

static uint32_t hw_now(struct alarm_hw *a)
{
    (void)a;
    return hw.now;
}

static uint32_t hw_frequency(struct alarm_hw *a)
{
    (void)a;
    return 1000;
}

static void hw_set(struct alarm_hw *a, uint32_t reference, uint32_t dt)
{
    (void)a;
    hw.armed = true;
    hw.reference = reference;
    hw.dt = dt;
}

static void hw_disarm(struct alarm_hw *a)
{
    (void)a;
    hw.armed = false;
}

static void hw_set_client(struct alarm_hw *a, struct alarm_hw_client *c)
{
    (void)a;
    hw.client = c;
}

static const struct alarm_hw_ops hw_ops = {hw_now, hw_frequency, hw_set, hw_disarm, hw_set_client};

static struct alarm_mux mux;
static struct valarm valarm;
static struct alarm_capsule cap;

static const struct driver drivers[] = {{ALARM_DRIVER_NUM, alarm_command, &cap}};

static const struct kernel_config config = {
    .drivers = drivers,
    .n_drivers = 1,
    .fault_policy = FAULT_POLICY_RESTART,
    .restart_threshold = 10,
};

static int group_setup(void **state)
{
    hw.hil.ops = &hw_ops;
    alarm_mux_init(&mux, &hw.hil);
    valarm_init(&valarm, &mux);
    alarm_capsule_init(&cap, &valarm.hil); // registers the grant, once per program
    return host_arena_map(state);
}

static int test_setup(void **state)
{
    (void)state;
    host_reset(&config);
    hw.now = 1000;
    hw.armed = false;
    cap.head = PROCID_NONE;
    valarm.armed = false;
    return 0;
}

#define NP 4
static struct process *procs[NP];

// NP processes, each subscribed to the alarm upcall.
static void boot(void)
{
    for (unsigned i = 0; i < NP; i++) {
        procs[i] = host_proc_new(i, HOST_RAM_DEFAULT);
        host_syscall(procs[i], SYSCALL_CLASS_SUBSCRIBE, ALARM_DRIVER_NUM, 0,
                     procs[i]->app_start + 0x11, i);
        host_expect_regs(procs[i], SYSCALL_SUCCESS_2U32, 0, 0, 0);
    }
}

// Process i arms its alarm at (reference now, dt) (command 6).
static void arm(unsigned i, uint32_t dt)
{
    host_syscall(procs[i], SYSCALL_CLASS_COMMAND, ALARM_DRIVER_NUM, 6, hw.now, dt);
    host_expect_regs(procs[i], SYSCALL_SUCCESS_U32, hw.now + dt, 0, 0);
}

// Move time to t, firing the hardware alarm whenever it falls due on the way (as the
// timer interrupt would), so each deadline is met at its own tick.
static void advance_to(uint32_t t)
{
    while (hw.now != t) {
        hw.now++;
        if (hw.armed && alarm_due(hw.now, hw.reference, hw.dt)) {
            hw.armed = false;
            hw.client->fired(hw.client, hw.now);
        }
    }
}

// Pop the alarm upcall of process i if one is queued: its expiration, or 0 if none.
static uint32_t fired_at(unsigned i)
{
    struct upcall_task t;
    if (!process_queue_pop_callable(procs[i], &t))
        return 0;
    assert_int_equal(t.origin, TASK_ORIGIN(ALARM_DRIVER_NUM, 0));
    return t.a[1];
}

// Each process's alarm fires once, at its own deadline, whatever the arming order; the
// hardware is armed for the soonest and left disarmed when none is armed.
static void alarms_fire_in_expiry_order(void **state)
{
    (void)state;
    boot();
    static const uint32_t dt[NP] = {300, 100, 400, 200};
    for (unsigned i = 0; i < NP; i++)
        arm(i, dt[i]);
    assert_true(hw.armed);
    assert_int_equal(hw.reference + hw.dt, 1100);
    static const unsigned order[NP] = {1, 3, 0, 2};
    for (unsigned k = 0; k < NP; k++) {
        unsigned i = order[k];
        advance_to(1000 + dt[i] - 1);
        for (unsigned j = 0; j < NP; j++)
            assert_int_equal(fired_at(j), 0);
        advance_to(1000 + dt[i]);
        assert_int_equal(fired_at(i), 1000 + dt[i]);
    }
    advance_to(2000);
    for (unsigned j = 0; j < NP; j++)
        assert_int_equal(fired_at(j), 0);
    assert_false(hw.armed);
}

// Re-arming moves a process's alarm (earlier or later), cancelling takes it out: the rest
// keep their order, and a cancelled alarm never fires.
static void rearm_and_cancel_keep_the_order(void **state)
{
    (void)state;
    boot();
    arm(0, 100);
    arm(1, 200);
    arm(2, 300);
    arm(3, 400);
    arm(3, 50);  // to the front
    arm(0, 350); // from the front to the middle
    host_syscall(procs[2], SYSCALL_CLASS_COMMAND, ALARM_DRIVER_NUM, 3, 0, 0);
    host_expect_regs(procs[2], SYSCALL_SUCCESS, 0, 0, 0);
    host_syscall(procs[2], SYSCALL_CLASS_COMMAND, ALARM_DRIVER_NUM, 3, 0, 0);
    host_expect_regs(procs[2], SYSCALL_FAILURE, ALREADY, 0, 0);
    advance_to(1050);
    assert_int_equal(fired_at(3), 1050);
    advance_to(1200);
    assert_int_equal(fired_at(1), 1200);
    advance_to(1350);
    assert_int_equal(fired_at(0), 1350);
    advance_to(1500);
    for (unsigned j = 0; j < NP; j++)
        assert_int_equal(fired_at(j), 0);
    assert_false(hw.armed);
}

// Alarms due at the same tick all fire in that one pass.
static void equal_deadlines_fire_together(void **state)
{
    (void)state;
    boot();
    arm(2, 100);
    arm(0, 100);
    arm(1, 100);
    advance_to(1100);
    assert_int_equal(fired_at(0), 1100);
    assert_int_equal(fired_at(1), 1100);
    assert_int_equal(fired_at(2), 1100);
    assert_false(hw.armed);
}

// A process in the middle of the list restarts (its alarm and id vanish with its grant)
// and another terminates: the others still fire, in order, once; the new incarnation
// gets nothing of the old alarm and can arm its own.
static void death_and_restart_in_the_list(void **state)
{
    (void)state;
    boot();
    arm(0, 100);
    arm(1, 200);
    arm(2, 300);
    arm(3, 400);
    process_restart(procs[1]);
    assert_true(syscall_resume_yielded(procs[1])); // runs its entry call
    fired_at(1);
    process_terminate(procs[2], 0);
    advance_to(1100);
    assert_int_equal(fired_at(0), 1100);
    advance_to(1399);
    assert_int_equal(fired_at(1), 0);
    assert_int_equal(procs[2]->q_len, 0);
    advance_to(1400);
    assert_int_equal(fired_at(3), 1400);
    assert_false(hw.armed);
    // The new incarnation subscribes and arms: only its own alarm fires.
    host_syscall(procs[1], SYSCALL_CLASS_SUBSCRIBE, ALARM_DRIVER_NUM, 0, procs[1]->app_start + 0x11,
                 0);
    arm(1, 10);
    advance_to(1410);
    assert_int_equal(fired_at(1), 1410);
    assert_false(hw.armed);
}

// The head of the list dies before its deadline: the hardware alarm still fires for it,
// finds it gone, and the next alarm is armed and fires on time.
static void head_dies_before_its_deadline(void **state)
{
    (void)state;
    boot();
    arm(0, 100);
    arm(1, 200);
    process_terminate(procs[0], 0);
    advance_to(1100);
    assert_int_equal(fired_at(1), 0);
    assert_true(hw.armed);
    advance_to(1200);
    assert_int_equal(fired_at(1), 1200);
    assert_false(hw.armed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(alarms_fire_in_expiry_order, test_setup),
        cmocka_unit_test_setup(rearm_and_cancel_keep_the_order, test_setup),
        cmocka_unit_test_setup(equal_deadlines_fire_together, test_setup),
        cmocka_unit_test_setup(death_and_restart_in_the_list, test_setup),
        cmocka_unit_test_setup(head_dies_before_its_deadline, test_setup),
    };
    return cmocka_run_group_tests(tests, group_setup, host_arena_unmap);
}
