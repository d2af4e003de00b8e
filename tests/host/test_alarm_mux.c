// SPDX-License-Identifier: Apache-2.0
// Host tests of the virtual alarm multiplexer over a fake hardware alarm the test drives.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../capsules/alarm_mux.h"

// ---- fake hardware alarm: time is a variable, firing happens when the test says -----------

struct fake_hw {
    struct alarm_hw hil;
    struct alarm_hw_client *client;
    uint32_t now;
    bool armed;
    uint32_t reference, dt; // last set
    unsigned sets, disarms;
};

#define FAKE(a) ((struct fake_hw *)(a))

static uint32_t fake_now(struct alarm_hw *a)
{
    return FAKE(a)->now;
}

static uint32_t fake_frequency(struct alarm_hw *a)
{
    (void)a;
    return 32768;
}

static void fake_set(struct alarm_hw *a, uint32_t reference, uint32_t dt)
{
    struct fake_hw *h = FAKE(a);
    h->armed = true;
    h->reference = reference;
    h->dt = dt;
    h->sets++;
}

static void fake_disarm(struct alarm_hw *a)
{
    FAKE(a)->armed = false;
    FAKE(a)->disarms++;
}

static void fake_set_client(struct alarm_hw *a, struct alarm_hw_client *c)
{
    FAKE(a)->client = c;
}

static const struct alarm_hw_ops fake_ops = {
    .now = fake_now,
    .frequency = fake_frequency,
    .set = fake_set,
    .disarm = fake_disarm,
    .set_client = fake_set_client,
};

// ---- virtual alarm clients that log their firing ---------------------------------------

#define NV 4

struct tclient {
    struct alarm_hw_client c;
    struct valarm *v;
    int id;
    unsigned fired;
    // Optional action from inside the callback.
    enum { ACT_NONE, ACT_REARM, ACT_DISARM_OTHER } act;
    uint32_t rearm_dt;
    struct valarm *other;
    unsigned hw_sets_in_cb; // hw.sets seen inside the callback
};

static struct fake_hw hw;
static struct alarm_mux mux;
static struct valarm va[NV];
static struct tclient cl[NV];
static int fire_log[64];
static unsigned n_log;

static void client_fired(struct alarm_hw_client *c, uint32_t now)
{
    (void)now;
    struct tclient *t = (struct tclient *)c;
    t->fired++;
    assert_true(n_log < sizeof fire_log / sizeof fire_log[0]);
    fire_log[n_log++] = t->id;
    t->hw_sets_in_cb = hw.sets;
    if (t->act == ACT_REARM)
        alarm_hw_set(&t->v->hil, alarm_hw_now(&t->v->hil), t->rearm_dt);
    else if (t->act == ACT_DISARM_OTHER)
        alarm_hw_disarm(&t->other->hil);
}

static int setup(void **state)
{
    (void)state;
    memset(&hw, 0, sizeof hw);
    memset(&mux, 0, sizeof mux);
    memset(va, 0, sizeof va);
    memset(cl, 0, sizeof cl);
    n_log = 0;
    hw.hil.ops = &fake_ops;
    alarm_mux_init(&mux, &hw.hil);
    for (int i = 0; i < NV; i++) {
        valarm_init(&va[i], &mux);
        cl[i] = (struct tclient){.c.fired = client_fired, .v = &va[i], .id = i};
        alarm_hw_set_client(&va[i].hil, &cl[i].c);
    }
    assert_ptr_equal(hw.client, &mux.as_client);
    return 0;
}

static void vset(int i, uint32_t reference, uint32_t dt)
{
    alarm_hw_set(&va[i].hil, reference, dt);
}

// Hardware behaviour: the compare fires once the armed alarm is due. True if it fired.
static bool hw_tick_to(uint32_t t)
{
    hw.now = t;
    if (!hw.armed || !alarm_due(hw.now, hw.reference, hw.dt))
        return false;
    hw.armed = false;
    hw.client->fired(hw.client, hw.now);
    return true;
}

// A fired callback with nothing necessarily due (spurious interrupt, late disarm race).
static void hw_spurious(void)
{
    hw.client->fired(hw.client, hw.now);
}

static void expect_hw(uint32_t reference, uint32_t dt)
{
    assert_true(hw.armed);
    assert_int_equal(hw.reference, reference);
    assert_int_equal(hw.dt, dt);
}

// The hardware is always armed for the soonest-due virtual alarm, whatever order they are
// set in and whatever their references; after each fires it moves to the next.
static void hardware_follows_soonest_alarm(void **state)
{
    (void)state;
    hw.now = 1000;
    vset(0, 1000, 500); // due 1500
    expect_hw(1000, 500);
    vset(1, 1000, 200); // due 1200
    expect_hw(1000, 200);
    vset(2, 900, 400); // due 1300, older reference
    expect_hw(1000, 200);
    vset(3, 1000, 5000); // due 6000
    expect_hw(1000, 200);

    assert_false(hw_tick_to(1199));
    assert_true(hw_tick_to(1200));
    expect_hw(900, 400);
    assert_true(hw_tick_to(1300));
    expect_hw(1000, 500);
    assert_true(hw_tick_to(1600)); // late interrupt: still fires, once
    expect_hw(1000, 5000);
    assert_true(hw_tick_to(6000));
    assert_false(hw.armed);
    assert_int_equal(n_log, 4);
    const int order[] = {1, 2, 0, 3};
    assert_memory_equal(fire_log, order, sizeof order);
    assert_int_equal(alarm_hw_now(&va[2].hil), 6000);
    assert_int_equal(alarm_hw_frequency(&va[2].hil), 32768);
}

// One fired pass runs every due alarm exactly once and no alarm that is not due; a second
// pass runs nothing; an alarm disarmed by an earlier callback of the same pass does not run.
static void every_due_alarm_fires_once_per_pass(void **state)
{
    (void)state;
    hw.now = 100;
    vset(0, 100, 50);
    vset(1, 100, 10);
    vset(2, 100, 30);
    vset(3, 100, 1000);
    assert_true(hw_tick_to(500));
    assert_int_equal(cl[0].fired, 1);
    assert_int_equal(cl[1].fired, 1);
    assert_int_equal(cl[2].fired, 1);
    assert_int_equal(cl[3].fired, 0);
    expect_hw(100, 1000);
    hw_spurious();
    assert_int_equal(n_log, 3);
    expect_hw(100, 1000);

    // Whichever of 0 and 1 the mux visits first disarms the other.
    vset(0, 500, 0);
    vset(1, 500, 0);
    cl[0].act = ACT_DISARM_OTHER;
    cl[0].other = &va[1];
    cl[1].act = ACT_DISARM_OTHER;
    cl[1].other = &va[0];
    hw_spurious();
    assert_int_equal(cl[0].fired + cl[1].fired, 3);
    assert_false(va[0].armed);
    assert_false(va[1].armed);
}

// Disarming the alarm the hardware waits for reprograms it for the next one; disarming
// the last armed alarm disarms the hardware; disarming an idle alarm changes nothing due.
static void disarm_reprograms_hardware(void **state)
{
    (void)state;
    hw.now = 0;
    vset(0, 0, 100);
    vset(1, 0, 300);
    vset(2, 0, 200);
    expect_hw(0, 100);
    alarm_hw_disarm(&va[0].hil);
    expect_hw(0, 200);
    alarm_hw_disarm(&va[3].hil); // never armed
    expect_hw(0, 200);
    alarm_hw_disarm(&va[2].hil);
    expect_hw(0, 300);
    alarm_hw_disarm(&va[1].hil);
    assert_false(hw.armed);
    assert_true(hw.disarms >= 1);
    assert_false(hw_tick_to(1000));
    hw_spurious();
    assert_int_equal(n_log, 0);
}

// Setting an armed alarm again replaces its previous (reference, dt).
static void set_replaces_previous_setting(void **state)
{
    (void)state;
    hw.now = 0;
    vset(0, 0, 100);
    vset(1, 0, 300);
    vset(0, 0, 500);
    expect_hw(0, 300);
    assert_true(hw_tick_to(300));
    assert_int_equal(cl[1].fired, 1);
    assert_int_equal(cl[0].fired, 0);
    expect_hw(0, 500);
}

// Alarms straddling the 32-bit wrap (now near 0xFFFFFF00, due times on both sides of 0)
// are programmed and fire in due order, and none fires early, even on spurious passes
// whose `now` is numerically larger than a due time past the wrap.
static void alarms_across_wrap_fire_in_order_and_not_early(void **state)
{
    (void)state;
    const uint32_t t0 = 0xFFFFFF00u;
    hw.now = t0;
    vset(0, t0, 0x180);          // due 0x00000080
    vset(1, t0, 0x80);           // due 0xFFFFFF80
    vset(2, t0, 0x100);          // due 0x00000000
    vset(3, 0xFFFFFEF0u, 0x220); // due 0x00000110, reference before t0
    expect_hw(t0, 0x80);

    hw.now = 0xFFFFFF7Fu;
    hw_spurious();
    assert_int_equal(n_log, 0);
    assert_true(hw_tick_to(0xFFFFFF80u));
    assert_int_equal(n_log, 1);
    expect_hw(t0, 0x100);

    hw.now = 0xFFFFFFFFu; // numerically past every due time after the wrap
    hw_spurious();
    assert_int_equal(n_log, 1);
    expect_hw(t0, 0x100);

    assert_true(hw_tick_to(0));
    expect_hw(t0, 0x180);
    hw.now = 0x7F;
    hw_spurious();
    assert_int_equal(n_log, 2);
    assert_true(hw_tick_to(0x80));
    expect_hw(0xFFFFFEF0u, 0x220);
    assert_false(hw_tick_to(0x10F));
    assert_true(hw_tick_to(0x110));
    assert_false(hw.armed);

    const int order[] = {1, 2, 0, 3};
    assert_int_equal(n_log, 4);
    assert_memory_equal(fire_log, order, sizeof order);
    for (int i = 0; i < NV; i++)
        assert_int_equal(cl[i].fired, 1);
}

// An alarm set with dt = 0 is due at once: the hardware is armed for it and the next
// fired pass runs it, without time advancing.
static void dt_zero_fires_on_next_pass(void **state)
{
    (void)state;
    hw.now = 12345;
    vset(0, 12345, 1000);
    vset(1, 12345, 0);
    expect_hw(12345, 0);
    assert_int_equal(cl[1].fired, 0); // never from inside set
    assert_true(hw_tick_to(12345));
    assert_int_equal(cl[1].fired, 1);
    assert_int_equal(cl[0].fired, 0);
    expect_hw(12345, 1000);
}

// An alarm re-armed from inside its own callback (dt 0 or later) does not fire again in
// the same pass; the hardware is reprogrammed once, after the pass, not from inside the
// callback; with dt 0 it fires on the next pass.
static void rearm_in_own_callback_fires_once_per_pass(void **state)
{
    (void)state;
    hw.now = 50;
    cl[2].act = ACT_REARM;
    cl[2].rearm_dt = 0;
    vset(2, 0, 50);
    vset(1, 0, 10000);
    unsigned sets_before = hw.sets;
    assert_true(hw_tick_to(50));
    assert_int_equal(cl[2].fired, 1);
    assert_int_equal(cl[2].hw_sets_in_cb, sets_before);
    assert_int_equal(hw.sets, sets_before + 1);
    expect_hw(50, 0);
    assert_true(hw_tick_to(50));
    assert_int_equal(cl[2].fired, 2);
    expect_hw(50, 0);

    cl[2].rearm_dt = 25;
    assert_true(hw_tick_to(60));
    assert_int_equal(cl[2].fired, 3);
    expect_hw(60, 25);
    assert_false(hw_tick_to(84));
    cl[2].act = ACT_NONE;
    assert_true(hw_tick_to(85));
    assert_int_equal(cl[2].fired, 4);
    expect_hw(0, 10000);
    assert_int_equal(cl[1].fired, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(hardware_follows_soonest_alarm, setup),
        cmocka_unit_test_setup(every_due_alarm_fires_once_per_pass, setup),
        cmocka_unit_test_setup(disarm_reprograms_hardware, setup),
        cmocka_unit_test_setup(set_replaces_previous_setting, setup),
        cmocka_unit_test_setup(alarms_across_wrap_fire_in_order_and_not_early, setup),
        cmocka_unit_test_setup(dt_zero_fires_on_next_pass, setup),
        cmocka_unit_test_setup(rearm_in_own_callback_fires_once_per_pass, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
