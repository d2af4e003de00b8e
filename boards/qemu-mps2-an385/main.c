// SPDX-License-Identifier: Apache-2.0
// Board wiring for QEMU mps2-an385: its UART and timer (the rest: boards/common).
#include <stddef.h>

#include "arch.h"
#include "board_common.h"
#include "dualtimer.h"
#include "fpgaio.h"
#include "ramflash.h"
#include "sbcon_i2c.h"
#include "semihost_entropy.h"
#include "tmp105.h"
#include "uart.h"

// mps2-an385 (AN385 application note; QEMU's model): UART0 and its interrupt lines.
#define UART0_BASE   0x40004000u
#define UART0_RX_IRQ 0
#define UART0_TX_IRQ 1
// CMSDK dual timer: the alarm time base, clocked at the 25 MHz system clock.
#define DUALTIMER_BASE 0x40002000u
#define DUALTIMER_IRQ  10
#define TIMER_HZ       25000000u
// The UART clock is the 25 MHz system clock; QEMU ignores the rate but needs ≥ 16.
#define UART0_BAUDDIV (25000000u / 115200u)

static struct cmsdk_uart uart0;
static struct cmsdk_dualtimer timer;
#if CAIRN_FEATURE_RNG
static struct semihost_entropy entropy;
#endif
#if CAIRN_FEATURE_TEMPERATURE
// SBCon SHIELD1: where QEMU attaches every -device on the I2C bus (e.g. -device
// tmp105,address=0x48); the TMP105 is the board's temperature sensor when present.
#define SBCON_SHIELD1_BASE 0x4002A000u
static struct sbcon_i2c i2c_shield1;
static struct tmp105 tmp105;
#endif

// The FPGA I/O block's two user LEDs (LED0 bits 0 and 1). The board has no button a
// program can see change (QEMU's FPGAIO BUTTON register always reads 0): the button
// driver reports none.
#if CAIRN_FEATURE_LEDS
#define FPGAIO_BASE 0x40028000u
static struct fpgaio_led user_leds[2];
static const struct led_pin board_leds[] = {{&user_leds[0].hil, false}, {&user_leds[1].hil, false}};
#endif

// The key-value store: 16 kB of the PSRAM right after the 256 kB apps region, emulated
// NOR (QEMU models no flash controller). With the PSRAM backed by a file (BOARD_PERSIST:
// `make run`, tests with flash-file) it survives resets and QEMU runs.
#if CAIRN_FEATURE_KV
#define KV_BASE 0x21040000u
#define KV_SIZE 0x4000u
#define KV_PAGE 1024u
static struct ramflash kv_flash;
#endif

static void putc_sync(char c)
{
    cmsdk_uart_putc_sync(&uart0, c);
}

static void poll_tx(void)
{
    cmsdk_uart_poll_tx(&uart0);
}

bool board_service_irq(unsigned irq)
{
    switch (irq) {
    case UART0_RX_IRQ:
    case UART0_TX_IRQ:
        cmsdk_uart_service(&uart0);
        return true;
    case DUALTIMER_IRQ:
        cmsdk_dualtimer_service(&timer);
        return true;
    default:
        return false;
    }
}

_Noreturn void board_main(void);
_Noreturn void board_main(void)
{
    arch_init();
    cmsdk_uart_init(&uart0, (struct cmsdk_uart_regs *)UART0_BASE, UART0_RX_IRQ, UART0_TX_IRQ,
                    UART0_BAUDDIV);
    cmsdk_dualtimer_init(&timer, (struct cmsdk_dualtimer_regs *)DUALTIMER_BASE, DUALTIMER_IRQ,
                         TIMER_HZ);
    // The alarm's bottom half (timer, multiplexer, alarm capsule) may run in its
    // exception when the kernel thread is idle or a process runs (kernel/arch.h).
    arch_irq_serve_in_handler(DUALTIMER_IRQ);
#if CAIRN_FEATURE_LEDS
    fpgaio_led_init(&user_leds[0], FPGAIO_BASE, 0);
    fpgaio_led_init(&user_leds[1], FPGAIO_BASE, 1);
#endif
#if CAIRN_FEATURE_RNG
    semihost_entropy_init(&entropy);
#endif
#if CAIRN_FEATURE_TEMPERATURE
    sbcon_i2c_init(&i2c_shield1, (struct sbcon_regs *)SBCON_SHIELD1_BASE);
    tmp105_init(&tmp105, &i2c_shield1.hil, TMP105_DEFAULT_ADDR);
#endif
#if CAIRN_FEATURE_KV
    ramflash_init(&kv_flash, (uint8_t *)KV_BASE, KV_BASE, KV_SIZE, KV_PAGE);
#endif
    static const struct board_io io = {
        .name = "qemu-mps2-an385 (Cortex-M3), 64 kB RAM",
        .uart = &uart0.hil,
        .alarm = &timer.hil,
        .putc_sync = putc_sync,
        .poll_tx = poll_tx,
#if CAIRN_FEATURE_LEDS
        .leds = board_leds,
        .n_leds = 2,
#endif
#if CAIRN_FEATURE_RNG
        .entropy = &entropy.src,
#endif
#if CAIRN_FEATURE_TEMPERATURE
        .temperature = &tmp105.hil,
#endif
#if CAIRN_FEATURE_KV
        .kv_flash = &kv_flash.hil,
        .kv_what = "file-backed PSRAM when QEMU backs it (make run, BOARD_PERSIST): survives "
                   "reboots; else lost when QEMU exits",
#endif
    };
    board_common_run(&io);
}
