// SPDX-License-Identifier: Apache-2.0
// Board wiring for QEMU lm3s6965evb: clock, UART, alarm, GPIO pins (the rest: boards/common).
#include <stddef.h>

#include "arch.h"
#include "board_common.h"
#include "lm3s_adc.h"
#include "lm3s_i2c.h"
#include "lm3s_timer.h"
#include "pl011.h"
#include "pl022.h"
#include "pl061.h"
#include "semihost_entropy.h"
#include "ssd0323.h"
#include "sysctl.h"
#include "tmp105.h"

// LM3S6965 datasheet memory map and interrupt table (QEMU's stellaris.c wires the same).
#define UART0_BASE  0x4000C000u
#define UART0_IRQ   5
#define WDT_BASE    0x40000000u
#define GPTM0_BASE  0x40030000u
#define GPTM0A_IRQ  19
#define WDT_IRQ     18
#define GPTM1_BASE  0x40031000u // the ADC's trigger (its own interrupt stays off)
#define I2C0_BASE   0x40020000u
#define I2C0_IRQ    8
#define SSI0_BASE   0x40008000u
#define SSI0_IRQ    7
#define ADC_BASE    0x40038000u
#define ADC_SS3_IRQ 17
// GPIO ports (PL061) the board uses and their lines.
#define GPIOA_BASE 0x40004000u
#define GPIOC_BASE 0x40006000u
#define GPIOC_IRQ  2 // no pin of C or D interrupts: their lines stay quiet
#define GPIOD_BASE 0x40007000u
#define GPIOD_IRQ  3
#define GPIOB_BASE 0x40005000u
#define GPIOB_IRQ  1
#define GPIOE_BASE 0x40024000u
#define GPIOE_IRQ  4
#define GPIOF_BASE 0x40025000u
#define GPIOF_IRQ  30
// 200 MHz PLL / (7 + 1): the same 25 MHz as the an385, which SysTick (the timeslice),
// the alarm and the UART divisor all take as their clock.
#define SYSDIV 7u

// The chips only an optional feature uses (boards/common/features.mk) are left out with
// it: GPIO port B serves the GPIO driver, E the buttons, F the LED and a button.
#define PORT_B (CAIRN_FEATURE_GPIO)
#define PORT_E (CAIRN_FEATURE_BUTTONS)
#define PORT_F (CAIRN_FEATURE_LEDS || CAIRN_FEATURE_BUTTONS)

static struct pl011_uart uart0;
#if CAIRN_FEATURE_RNG
// The only entropy QEMU offers this board is the host's, through semihosting (said at boot).
static struct semihost_entropy entropy;
#endif
static struct lm3s_alarm alarm;
#if PORT_B
static struct pl061_port port_b;
#endif
#if PORT_E
static struct pl061_port port_e;
#endif
#if PORT_F
static struct pl061_port port_f;
#endif
#if CAIRN_FEATURE_TEMPERATURE
// I2C0 on PB2 (SCL) / PB3 (SDA): the temperature sensor, a TMP105 at 0x48 when present
// (QEMU: -device tmp105,address=0x48 lands on this bus, the machine's only one).
static struct lm3s_i2c i2c0;
static struct tmp105 tmp105;
#endif
#if CAIRN_FEATURE_ADC
// The ADC, timer 1 triggering sequencer 3.
static struct lm3s_adc adc;
#endif
#if CAIRN_FEATURE_SCREEN
// The OLED: an SSD0323 on SSI0 (PA2 clock, PA3 frame/select, PA5 data out), its
// data/command line on PC7; PD0 is the SD card's select (active low), kept high so the
// card stays off the bus (QEMU also selects its OLED model with PD0 high).
static struct pl061_port port_c, port_d;
static struct pl022 ssi0;
static struct ssd0323 oled;
static struct pl061_pin oled_dc, sd_cs;
#endif

// The evaluation board's wiring (and QEMU's): the user LED on PF0 (lit when high); the
// navigation switches up, down, left, right on PE0-PE3 and select on PF1, closing to
// ground (pull-ups on). QEMU maps the keys up, down, left, right and ctrl onto them.
// The GPIO driver gets PB0, PB1 and PB4-PB6, which nothing on the board uses (PB2/PB3
// are I2C0, PB7 is JTAG's TRST).
#if CAIRN_FEATURE_LEDS
static struct pl061_pin led_pf0;
static const struct led_pin board_leds[] = {{&led_pf0.hil, false}};
#endif
#if CAIRN_FEATURE_BUTTONS
static struct pl061_pin btn_pins[5];
static const struct button_pin board_buttons[] = {
    {&btn_pins[0].hil, true, GPIO_PULL_UP}, {&btn_pins[1].hil, true, GPIO_PULL_UP},
    {&btn_pins[2].hil, true, GPIO_PULL_UP}, {&btn_pins[3].hil, true, GPIO_PULL_UP},
    {&btn_pins[4].hil, true, GPIO_PULL_UP},
};
#endif
#if CAIRN_FEATURE_GPIO
static struct pl061_pin gpio_pins[5];
static const uint8_t gpio_bits[5] = {0, 1, 4, 5, 6};
static struct gpio_pin *const board_gpio[] = {
    &gpio_pins[0].hil, &gpio_pins[1].hil, &gpio_pins[2].hil, &gpio_pins[3].hil, &gpio_pins[4].hil,
};
#endif

static void putc_sync(char c)
{
    pl011_putc_sync(&uart0, c);
}

static void poll_tx(void)
{
    pl011_poll_tx(&uart0);
}

bool board_service_irq(unsigned irq)
{
    switch (irq) {
    case UART0_IRQ:
        pl011_service(&uart0);
        return true;
    case GPTM0A_IRQ:
        lm3s_alarm_service(&alarm);
        return true;
    case WDT_IRQ:
        lm3s_alarm_wdt_service(&alarm);
        return true;
#if PORT_B
    case GPIOB_IRQ:
        pl061_service(&port_b);
        return true;
#endif
#if PORT_E
    case GPIOE_IRQ:
        pl061_service(&port_e);
        return true;
#endif
#if PORT_F
    case GPIOF_IRQ:
        pl061_service(&port_f);
        return true;
#endif
#if CAIRN_FEATURE_TEMPERATURE
    case I2C0_IRQ:
        lm3s_i2c_service(&i2c0);
        return true;
#endif
#if CAIRN_FEATURE_ADC
    case ADC_SS3_IRQ:
        lm3s_adc_service(&adc);
        return true;
#endif
#if CAIRN_FEATURE_SCREEN
    case SSI0_IRQ:
        pl022_service(&ssi0);
        return true;
#endif
    default:
        return false;
    }
}

_Noreturn void board_main(void);
_Noreturn void board_main(void)
{
    arch_init();
    uint32_t hz = lm3s_sysctl_clock_init(SYSDIV);
    lm3s_sysctl_enable_peripherals();
    pl011_init(&uart0, (struct pl011_regs *)UART0_BASE, UART0_IRQ, hz, 115200u);
    lm3s_alarm_init(&alarm, (struct wdt_regs *)WDT_BASE, (struct gptm_regs *)GPTM0_BASE, GPTM0A_IRQ,
                    WDT_IRQ, hz);
    // The alarm's bottom half (timer, multiplexer, alarm capsule) may run in its
    // exception when the kernel thread is idle or a process runs (kernel/arch.h).
    arch_irq_serve_in_handler(GPTM0A_IRQ);
#if PORT_B
    pl061_port_init(&port_b, (struct pl061_regs *)GPIOB_BASE, GPIOB_IRQ);
#endif
#if PORT_E
    pl061_port_init(&port_e, (struct pl061_regs *)GPIOE_BASE, GPIOE_IRQ);
#endif
#if PORT_F
    pl061_port_init(&port_f, (struct pl061_regs *)GPIOF_BASE, GPIOF_IRQ);
#endif
#if CAIRN_FEATURE_LEDS
    pl061_pin_init(&led_pf0, &port_f, 0);
#endif
#if CAIRN_FEATURE_BUTTONS
    for (unsigned i = 0; i < 4; i++)
        pl061_pin_init(&btn_pins[i], &port_e, i);
    pl061_pin_init(&btn_pins[4], &port_f, 1);
#endif
#if CAIRN_FEATURE_GPIO
    for (unsigned i = 0; i < 5; i++)
        pl061_pin_init(&gpio_pins[i], &port_b, gpio_bits[i]);
#endif
#if CAIRN_FEATURE_RNG
    semihost_entropy_init(&entropy);
#endif
    // Pins handed to peripherals (the silicon needs it; QEMU wires them regardless):
    // PA2, PA3, PA5 to SSI0, PB2 and PB3 to I2C0, with SDA open-drain.
#if CAIRN_FEATURE_SCREEN
    struct pl061_regs *pa = (struct pl061_regs *)GPIOA_BASE;
    pa->afsel |= 0x2Cu;
    pa->den |= 0x2Cu;
#endif
#if CAIRN_FEATURE_TEMPERATURE
    struct pl061_regs *pb = (struct pl061_regs *)GPIOB_BASE;
    pb->afsel |= 0x0Cu;
    pb->odr |= 0x08u;
    pb->den |= 0x0Cu;
    lm3s_i2c_init(&i2c0, (struct i2c_regs *)I2C0_BASE, I2C0_IRQ, hz);
    tmp105_init(&tmp105, &i2c0.hil, TMP105_DEFAULT_ADDR);
#endif
#if CAIRN_FEATURE_ADC
    lm3s_adc_init(&adc, (struct adc_regs *)ADC_BASE, ADC_SS3_IRQ, (struct gptm_regs *)GPTM1_BASE,
                  hz);
#endif
#if CAIRN_FEATURE_SCREEN
    pl061_port_init(&port_c, (struct pl061_regs *)GPIOC_BASE, GPIOC_IRQ);
    pl061_port_init(&port_d, (struct pl061_regs *)GPIOD_BASE, GPIOD_IRQ);
    pl061_pin_init(&oled_dc, &port_c, 7);
    pl061_pin_init(&sd_cs, &port_d, 0);
    sd_cs.hil.ops->set(&sd_cs.hil, true);
    sd_cs.hil.ops->make_output(&sd_cs.hil);
    oled_dc.hil.ops->set(&oled_dc.hil, false);
    oled_dc.hil.ops->make_output(&oled_dc.hil);
    // SSI clock hz / 8 = 3.125 MHz: the SSD0323 takes a 250 ns clock period at best.
    pl022_init(&ssi0, (struct ssi_regs *)SSI0_BASE, SSI0_IRQ, 8);
    ssd0323_init(&oled, &ssi0.hil, &oled_dc.hil);
#endif
    static const struct board_io io = {
        .name = "qemu-lm3s6965evb (Cortex-M3), 64 kB RAM",
        .uart = &uart0.hil,
        .alarm = &alarm.hil,
        .putc_sync = putc_sync,
        .poll_tx = poll_tx,
#if CAIRN_FEATURE_LEDS
        .leds = board_leds,
        .n_leds = 1,
#endif
#if CAIRN_FEATURE_BUTTONS
        .buttons = board_buttons,
        .n_buttons = 5,
#endif
#if CAIRN_FEATURE_GPIO
        .gpio = board_gpio,
        .n_gpio = 5,
#endif
#if CAIRN_FEATURE_RNG
        .entropy = &entropy.src,
#endif
#if CAIRN_FEATURE_TEMPERATURE
        .temperature = &tmp105.hil,
#endif
#if CAIRN_FEATURE_ADC
        .adc = &adc.hil,
#endif
#if CAIRN_FEATURE_SCREEN
        .screen = &oled.hil,
#endif
        .kv_what = "flash is ROM in QEMU and 64 kB of SRAM leave no room for a RAM store",
    };
    board_common_run(&io);
}
