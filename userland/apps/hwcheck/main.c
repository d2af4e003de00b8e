// SPDX-License-Identifier: Apache-2.0
// hwcheck: LED, button and GPIO drivers against their ABI, bad arguments included.
//
// Prints "hwcheck: <what> <return code name> ..." for each call, so tests compare every
// answer. Where the host must look at the hardware (an LED or pin level) or change it
// (press a button, drive a pin), the app first arms what will hear the host (a console
// read, a button or pin interrupt), then prints a line ending in "(go)" or "WAIT ...",
// and waits: the host can act at leisure, and an action taken before the app blocks is
// still seen. tests/qemu/hw_leds.test, hw_buttons.test and hw_gpio.test drive it.

#include <stdio.h>

#include "cairn.h"

#define SAY(...) printf("hwcheck: " __VA_ARGS__)

static const char *rc(returncode_t r)
{
    return returncode_name(r);
}

// Read one console byte, posting the read before the prompt goes out so a byte the
// host types as soon as it sees the prompt cannot miss it.
static volatile bool got_key;
static void key_done(returncode_t status, size_t len, void *userdata)
{
    (void)status;
    (void)len;
    (void)userdata;
    got_key = true;
}

static void wait_go(const char *what)
{
    static char byte;
    got_key = false;
    console_read(&byte, 1, key_done, NULL);
    SAY("%s (go)\n", what);
    while (!got_key)
        yield_wait();
}

static void check_leds(void)
{
    uint32_t n = 0;
    returncode_t r = led_count(&n);
    SAY("led count %s %lu\n", rc(r), (unsigned long)n);
    if (r < 0)
        return;
    SAY("led on(count) %s\n", rc(led_on(n)));
    SAY("led off(count) %s\n", rc(led_off(n)));
    SAY("led toggle(-1) %s\n", rc(led_toggle(0xFFFFFFFFu)));
    SAY("led command 4 %s\n", rc(command_ok(command(LED_DRIVER, 4, 0, 0))));
    SAY("led subscribe %s\n", rc(subscribe_ok(subscribe(LED_DRIVER, 0, NULL, NULL))));
    for (uint32_t i = 0; i < n; i++)
        led_on(i);
    wait_go("leds all on");
    SAY("led toggle(0) %s\n", rc(led_toggle(0)));
    wait_go("led 0 toggled off");
    for (uint32_t i = 0; i < n; i++)
        led_off(i);
    wait_go("leds all off");
}

static void check_buttons(void)
{
    uint32_t n = 0;
    returncode_t r = button_count(&n);
    SAY("button count %s %lu\n", rc(r), (unsigned long)n);
    if (r < 0)
        return;
    bool p;
    SAY("button read(count) %s\n", rc(button_read(n, &p)));
    SAY("button enable(count) %s\n", rc(button_enable_interrupt(n)));
    SAY("button disable(count) %s\n", rc(button_disable_interrupt(n)));
    SAY("button command 4 %s\n", rc(command_ok(command(BUTTON_DRIVER, 4, 0, 0))));
    SAY("button subscribe 1 %s\n", rc(subscribe_ok(subscribe(BUTTON_DRIVER, 1, NULL, NULL))));
    static char buf[4];
    SAY("button allow_rw 0 %s\n", rc(allow_ok(allow_rw(BUTTON_DRIVER, 0, buf, sizeof buf))));
    if (n == 0)
        return;
    // At boot (QEMU's gamepad reads pressed until first released) nothing is reported.
    for (uint32_t i = 0; i < n; i++) {
        p = true;
        r = button_read(i, &p);
        SAY("button %lu read %s pressed=%d\n", (unsigned long)i, rc(r), p);
    }
    // Button 0 (up): the host primes it (press+release: only arms it), then presses and
    // releases it; each must come as one event, and nothing for the priming.
    SAY("button enable(0) %s\n", rc(button_enable_interrupt(0)));
    uint32_t idx;
    for (int k = 0; k < 2; k++) {
        SAY("WAIT button 0 %s\n", k == 0 ? "press" : "release");
        button_wait(&idx, &p);
        bool now = !p;
        button_read(idx, &now);
        SAY("button event %lu pressed=%d read=%d\n", (unsigned long)idx, p, now);
    }
    // Disabled: a press of button 0 must not be heard. Button 1 (down) stays enabled and
    // is primed and pressed after it, so the next event must be button 1's.
    SAY("button disable(0) %s\n", rc(button_disable_interrupt(0)));
    SAY("button enable(1) %s\n", rc(button_enable_interrupt(1)));
    SAY("WAIT button 1 after 0\n");
    button_wait(&idx, &p);
    SAY("button event %lu pressed=%d\n", (unsigned long)idx, p);
    button_disable_interrupt(1);
}

static void check_gpio(void)
{
    returncode_t r = command_ok(command(GPIO_DRIVER, 0, 0, 0));
    SAY("gpio exists %s\n", rc(r));
    if (r < 0)
        return;
    uint32_t n = 0;
    SAY("gpio count %s %lu\n", rc(gpio_count(&n)), (unsigned long)n);
    bool v = false;
    SAY("gpio set(count) %s\n", rc(gpio_set(n)));
    SAY("gpio read(count) %s\n", rc(gpio_read(n, &v)));
    SAY("gpio output(count) %s\n", rc(gpio_enable_output(n)));
    SAY("gpio interrupt(count) %s\n", rc(gpio_enable_interrupt(n, GPIO_EITHER_EDGE)));
    SAY("gpio input(0, pull 3) %s\n", rc(gpio_enable_input(0, (enum gpio_pull_mode)3)));
    SAY("gpio interrupt(0, edge 3) %s\n", rc(gpio_enable_interrupt(0, (enum gpio_edge_mode)3)));
    SAY("gpio command 11 %s\n", rc(command_ok(command(GPIO_DRIVER, 11, 0, 0))));
    SAY("gpio allow_ro 0 %s\n", rc(allow_ok(allow_ro(GPIO_DRIVER, 0, "x", 1))));
    if (n < 3)
        return;
    // Pin 0 as an output: the level read back, and seen by the host.
    SAY("gpio output(0) %s\n", rc(gpio_enable_output(0)));
    gpio_set(0);
    gpio_read(0, &v);
    SAY("gpio 0 set read=%d\n", v);
    wait_go("gpio 0 high");
    gpio_toggle(0);
    gpio_read(0, &v);
    SAY("gpio 0 toggled read=%d\n", v);
    wait_go("gpio 0 low");
    // Pin 1 as an input the host drives: rising only, then falling only, then both.
    SAY("gpio input(1, pull down) %s\n", rc(gpio_enable_input(1, GPIO_PULLDOWN)));
    SAY("gpio interrupt(1, rising) %s\n", rc(gpio_enable_interrupt(1, GPIO_RISING_EDGE)));
    uint32_t pin;
    SAY("WAIT gpio 1 high\n");
    gpio_wait(&pin, &v);
    SAY("gpio event pin %lu level %d\n", (unsigned long)pin, v);
    SAY("gpio interrupt(1, falling) %s\n", rc(gpio_enable_interrupt(1, GPIO_FALLING_EDGE)));
    SAY("WAIT gpio 1 low\n");
    gpio_wait(&pin, &v);
    SAY("gpio event pin %lu level %d\n", (unsigned long)pin, v);
    // Interrupt off (command 8) on pin 1, after setting it to either edge so that a rise
    // would be heard; on for pin 2: the host raises 1 then 2, and the first event must be
    // pin 2's.
    SAY("gpio interrupt(1, either) %s\n", rc(gpio_enable_interrupt(1, GPIO_EITHER_EDGE)));
    SAY("gpio interrupt off(1) %s\n", rc(gpio_disable_interrupt(1)));
    SAY("gpio input(2, pull none) %s\n", rc(gpio_enable_input(2, GPIO_PULLNONE)));
    SAY("gpio interrupt(2, either) %s\n", rc(gpio_enable_interrupt(2, GPIO_EITHER_EDGE)));
    SAY("WAIT gpio 1 then 2 high\n");
    gpio_wait(&pin, &v);
    SAY("gpio event pin %lu level %d\n", (unsigned long)pin, v);
    gpio_read(1, &v);
    SAY("gpio 1 read=%d\n", v);
    gpio_disable(2);
}

int main(void)
{
    check_leds();
    check_buttons();
    check_gpio();
    SAY("done\n");
    for (;;)
        yield_wait();
}
