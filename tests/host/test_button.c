// SPDX-License-Identifier: Apache-2.0
// Host tests of the button capsule's edge handling: arming, coalesced edges, upcalls.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host_proc.h"

#include "../../capsules/button.h"

// ---- fake input pin: its level is a variable, the test calls the client ---------------

static struct {
    struct gpio_pin hil;
    bool high;
    bool irq_on;
    struct gpio_client *client;
    uint32_t tag;
} pin;

static int pin_make_output(struct gpio_pin *p)
{
    (void)p;
    return NOSUPPORT;
}
static int pin_make_input(struct gpio_pin *p, enum gpio_pull pull)
{
    (void)p, (void)pull;
    return OK;
}
static void pin_set(struct gpio_pin *p, bool high)
{
    (void)p, (void)high;
}
static void pin_toggle(struct gpio_pin *p)
{
    (void)p;
}
static bool pin_read(struct gpio_pin *p)
{
    (void)p;
    return pin.high;
}
static int pin_enable_interrupt(struct gpio_pin *p, enum gpio_edge edge)
{
    (void)p;
    assert_int_equal(edge, GPIO_EDGE_EITHER);
    pin.irq_on = true;
    return OK;
}
static void pin_disable_interrupt(struct gpio_pin *p)
{
    (void)p;
    pin.irq_on = false;
}
static void pin_deactivate(struct gpio_pin *p)
{
    (void)p;
}
static void pin_set_client(struct gpio_pin *p, struct gpio_client *c, uint32_t tag)
{
    (void)p;
    pin.client = c;
    pin.tag = tag;
}

static const struct gpio_pin_ops pin_ops = {
    pin_make_output,      pin_make_input,        pin_set,        pin_toggle,     pin_read,
    pin_enable_interrupt, pin_disable_interrupt, pin_deactivate, pin_set_client,
};

// One active-low button (pressed when the pin reads low), as the lm3s6965evb's.
static const struct button_pin buttons[] = {{&pin.hil, true, GPIO_PULL_UP}};
static struct button_capsule cap;
static const struct driver drivers[] = {{BUTTON_DRIVER_NUM, button_command, &cap}};
static const struct kernel_config config = {
    .drivers = drivers,
    .n_drivers = 1,
    .fault_policy = FAULT_POLICY_STOP,
};

static bool grant_registered;

// The capsule as at boot with the button held down (QEMU's gamepad reads every key
// pressed until it has been released once), and a process that enabled it and
// subscribed its upcall.
static struct process *boot_pressed(void)
{
    host_reset(&config);
    pin.hil.ops = &pin_ops;
    pin.high = false; // pressed
    if (!grant_registered) {
        button_capsule_init(&cap, buttons, 1); // registers the grant, once per program
        grant_registered = true;
    } else {
        cap.seen_released = 0;
    }
    struct process *p = host_proc_new(0, HOST_RAM_DEFAULT);
    host_syscall(p, SYSCALL_CLASS_SUBSCRIBE, BUTTON_DRIVER_NUM, 0, p->app_start + 0x11, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_2U32, 0, 0, 0);
    host_syscall(p, SYSCALL_CLASS_COMMAND, BUTTON_DRIVER_NUM, 1, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS, 0, 0, 0);
    assert_true(pin.irq_on);
    return p;
}

// The next button upcall queued for p: 1 pressed, 0 released, -1 none.
static int next_event(struct process *p)
{
    struct upcall_task t;
    if (!process_queue_pop_callable(p, &t))
        return -1;
    assert_int_equal(t.origin, TASK_ORIGIN(BUTTON_DRIVER_NUM, 0));
    assert_int_equal(t.a[0], 0);
    return (int)t.a[1];
}

static void edge(bool high)
{
    pin.high = high;
    pin.client->fired(pin.client, pin.tag);
}

// Held at boot, then released and pressed with each edge served on its own: the release
// only arms the button, the press is reported, and so is the release after it.
static void release_arms_then_press_is_reported(void **state)
{
    (void)state;
    struct process *p = boot_pressed();
    host_syscall(p, SYSCALL_CLASS_COMMAND, BUTTON_DRIVER_NUM, 3, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, 0, 0, 0); // not taken for a press
    edge(true);
    assert_int_equal(next_event(p), -1);
    edge(false);
    assert_int_equal(next_event(p), 1);
    edge(true);
    assert_int_equal(next_event(p), 0);
}

// The same release and press served late, both calls reading the pin pressed (the HIL
// may coalesce edges; under load QEMU delivers the second key before the first edge's
// bottom half reads the pin): the press is still reported, once per call at most.
static void coalesced_release_and_press_still_report_the_press(void **state)
{
    (void)state;
    struct process *p = boot_pressed();
    edge(false); // the release's edge, served after the press: the pin reads pressed
    assert_int_equal(next_event(p), 1);
    edge(false); // the press's own edge
    assert_int_equal(next_event(p), 1);
    assert_int_equal(next_event(p), -1);
    host_syscall(p, SYSCALL_CLASS_COMMAND, BUTTON_DRIVER_NUM, 3, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS_U32, 1, 0, 0);
}

// A button nobody enabled any more: its edge reaches no process and turns its
// interrupt off.
static void edge_nobody_wants_turns_the_interrupt_off(void **state)
{
    (void)state;
    struct process *p = boot_pressed();
    host_syscall(p, SYSCALL_CLASS_COMMAND, BUTTON_DRIVER_NUM, 2, 0, 0);
    host_expect_regs(p, SYSCALL_SUCCESS, 0, 0, 0);
    assert_false(pin.irq_on);
    pin.irq_on = true; // an edge already latched before the disable
    edge(true);
    edge(false);
    assert_int_equal(next_event(p), -1);
    assert_false(pin.irq_on);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(release_arms_then_press_is_reported),
        cmocka_unit_test(coalesced_release_and_press_still_report_the_press),
        cmocka_unit_test(edge_nobody_wants_turns_the_interrupt_off),
    };
    return cmocka_run_group_tests(tests, host_arena_map, host_arena_unmap);
}
