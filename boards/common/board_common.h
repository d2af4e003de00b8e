// SPDX-License-Identifier: Apache-2.0
// The wiring every board shares: console stack, capsules, driver table, kernel config.
//
// A board's main.c initialises its own chips (a UART, an alarm time base) and hands them
// here; everything above the HILs is the same on every board, so it lives once.
#ifndef CAIRN_BOARD_COMMON_H
#define CAIRN_BOARD_COMMON_H

#include <stdbool.h>

#include <cairn/hil/adc.h>
#include <cairn/hil/alarm.h>
#include <cairn/hil/gpio.h>
#include <cairn/hil/screen.h>
#include <cairn/hil/entropy.h>
#include <cairn/hil/flash.h>
#include <cairn/hil/temperature.h>
#include <cairn/hil/uart.h>

#include "button.h"
#include "led.h"

// Optional features (boards/common/features.mk sets every CAIRN_FEATURE_*): a feature left
// out is not linked and its driver number is absent from the table (NODEVICE). A board's
// main.c uses them too, to leave out the chips only a missing feature would use.
#ifndef CAIRN_FEATURE_APPSTORE
#define CAIRN_FEATURE_APPSTORE 0
#endif
#ifndef CAIRN_FEATURE_PCONSOLE
#define CAIRN_FEATURE_PCONSOLE 1
#endif
#ifndef CAIRN_FEATURE_CREDS
#define CAIRN_FEATURE_CREDS 1
#endif
#ifndef CAIRN_FEATURE_KV
#define CAIRN_FEATURE_KV 1
#endif
#ifndef CAIRN_FEATURE_RNG
#define CAIRN_FEATURE_RNG 1
#endif
#ifndef CAIRN_FEATURE_LLDEBUG
#define CAIRN_FEATURE_LLDEBUG 1
#endif
#ifndef CAIRN_FEATURE_TEMPERATURE
#define CAIRN_FEATURE_TEMPERATURE 1
#endif
#ifndef CAIRN_FEATURE_LEDS
#define CAIRN_FEATURE_LEDS 0
#endif
#ifndef CAIRN_FEATURE_BUTTONS
#define CAIRN_FEATURE_BUTTONS 0
#endif
#ifndef CAIRN_FEATURE_GPIO
#define CAIRN_FEATURE_GPIO 0
#endif
#ifndef CAIRN_FEATURE_ADC
#define CAIRN_FEATURE_ADC 0
#endif
#ifndef CAIRN_FEATURE_SCREEN
#define CAIRN_FEATURE_SCREEN 0
#endif

struct board_io {
    const char *name;          // banner text after "Cairn VERSION on ", e.g. "qemu-x (CPU)"
    struct uart *uart;         // the console UART, initialised, interrupts wired
    struct alarm_hw *alarm;    // the alarm time base, initialised
    void (*putc_sync)(char c); // polled output for boot and panics
    void (*poll_tx)(void);     // drive the UART's transmitter by polling (panic drain)
    // The LED (0x2), button (0x3) and GPIO (0x4) drivers exist on a board whose board.mk
    // sets FEATURE_LEDS, FEATURE_BUTTONS, FEATURE_GPIO (boards/common/features.mk); these
    // say what they drive, in the order processes number them (a count may be 0).
    const struct led_pin *leds;
    uint32_t n_leds;
    const struct button_pin *buttons;
    uint32_t n_buttons;
    struct gpio_pin *const *gpio;
    uint32_t n_gpio;
    // Optional hardware; null where the board has none (the driver then answers NODEVICE).
    struct entropy_source *entropy;         // seeds the RNG capsule (0x40001)
    struct temperature_sensor *temperature; // the temperature capsule's (0x60000)
    // The ADC (0x5) and screen (0x90001) drivers exist where board.mk
    // sets FEATURE_ADC, FEATURE_SCREEN (absent elsewhere: NODEVICE); these drive them.
    struct adc *adc;
    struct screen *screen;
    void (*reset)(void); // the console's `reset`; null: arch_reset (may not return)
    // The key-value store's region (driver 0x50003), whole pages of NOR semantics; null:
    // the board has none (the driver answers NODEVICE). kv_what says at boot what it is
    // and whether it survives a reboot.
    struct flash *kv_flash;
    const char *kv_what;
};

// Each board defines it: run the bottom half of interrupt line irq; false if no driver
// of the board owns that line.
bool board_service_irq(unsigned irq);

// pre: arch_init ran and the chips in io are initialised. Prints the banner, builds the
// capsules and runs the kernel; never returns.
_Noreturn void board_common_run(const struct board_io *io);

#endif
