// SPDX-License-Identifier: Apache-2.0
// Button capsule (driver 0x3): read the board's buttons, upcalls on press and release.
//
// ABI (Tock 2.x, doc/syscalls/00003_buttons.md and capsules/core/src/button.rs). Buttons
// are numbered from 0 in the order the board lists them.
//   command 0: -> Success-u32(number of buttons) (0 on a board without buttons)
//   command 1 (i): this process wants upcalls for button i (press and release) ->
//              Success; Failure INVAL if i >= count; NOMEM if its grant does not fit
//   command 2 (i): it no longer does -> Success; INVAL if i >= count; NOMEM as above.
//              The button's interrupt is turned off once no process wants it.
//   command 3 (i): -> Success-u32(1 pressed, 0 not); INVAL if i >= count
//   other commands: Failure NOSUPPORT
//   subscribe 0: upcall (i, 1 pressed / 0 released, 0) to every process that enabled
//              button i; subscribing does not enable anything by itself
// No allows (NOSUPPORT). Grant: a 4-byte mask of the buttons the process enabled, so a
// process hears only the buttons it asked for; each process gets its own upcall.
//
// A button that reads pressed at boot is not reported until it has been released once
// (read released, or an edge seen on its pin: either edge means it left the pressed
// level); command 3 answers 0 until then and that first release is not reported. QEMU's
// lm3s6965evb gamepad reads every button as pressed until its key has been pressed and
// released (QEMU 7.2 hw/input/stellaris_input.c); on a real board it covers a button held
// down through reset, which is then not taken for a press.
#ifndef CAIRN_CAPSULE_BUTTON_H
#define CAIRN_CAPSULE_BUTTON_H

#include <stdbool.h>

#include <cairn/driver.h>
#include <cairn/grant.h>
#include <cairn/hil/gpio.h>

#define BUTTON_DRIVER_NUM 0x3u
#define BUTTON_MAX        32u // one bit each in the per-process mask

// One button: its input pin and polarity (active_low: pressed when the pin reads low),
// and the pull the board needs on it.
struct button_pin {
    struct gpio_pin *pin;
    bool active_low;
    enum gpio_pull pull;
};

struct button_app {
    uint32_t enabled; // bit i: this process wants button i's events
};

struct button_capsule {
    const struct button_pin *buttons;
    uint32_t n;
    uint32_t seen_released; // bit i: button i was read released since boot
    struct gpio_client client;
    struct grant grant;
};

// pre: n <= BUTTON_MAX. post: every button pin an input with its pull, interrupts off.
void button_capsule_init(struct button_capsule *b, const struct button_pin *buttons, uint32_t n);
struct cmd_result button_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                 uint32_t arg1);

#endif
