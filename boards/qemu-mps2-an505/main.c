// SPDX-License-Identifier: Apache-2.0
// Board wiring for QEMU mps2-an505 (Cortex-M33): its UART and timer (the rest: boards/common).
#include <stddef.h>

#include "arch.h"
#include "board_common.h"
#include "ramflash.h"
#include "dualtimer.h"
#include "fpgaio.h"
#include "semihost_entropy.h"
#include "uart.h"

// mps2-an505 (AN505 application note; QEMU's mps2-tz.c and armsse.c). Peripherals are
// reached through their Secure aliases (bit 28 set), as Cairn runs in Secure state and the
// peripheral protection controllers admit only Secure accesses out of reset.
// UART0 sits on the FPGA's expansion bus: its lines are expansion interrupts 0 (RX) and 1
// (TX), which the SSE numbers after its own 32, so NVIC lines 32 and 33.
#define UART0_BASE   0x50200000u
#define UART0_RX_IRQ 32
#define UART0_TX_IRQ 33
// The SSE's CMSDK dual timer (internal line 5): the alarm time base, clocked at the
// 20 MHz main clock.
#define DUALTIMER_BASE 0x50002000u
#define DUALTIMER_IRQ  5
#define TIMER_HZ       20000000u
// The UART clock is the 20 MHz main clock; QEMU ignores the rate but needs ≥ 16.
#define UART0_BAUDDIV (20000000u / 115200u)

static struct cmsdk_uart uart0;
static struct cmsdk_dualtimer timer;
#if CAIRN_FEATURE_RNG
static struct semihost_entropy entropy;
#endif

// The FPGA I/O block's two user LEDs (LED0 bits 0 and 1). The board has no button a
// program can see change (QEMU's FPGAIO BUTTON register always reads 0): the button
// driver reports none.
#if CAIRN_FEATURE_LEDS
#define FPGAIO_BASE 0x50302000u
static struct fpgaio_led user_leds[2];
static const struct led_pin board_leds[] = {{&user_leds[0].hil, false}, {&user_leds[1].hil, false}};
#endif

// The key-value store: 16 kB of RAM outside the 64 kB the system runs in, emulated NOR.
// SSRAM3 (Secure alias): QEMU keeps it over a system reset, not across runs.
#if CAIRN_FEATURE_KV
#define KV_BASE 0x38200000u
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
#if CAIRN_FEATURE_KV
    ramflash_init(&kv_flash, (uint8_t *)KV_BASE, KV_BASE, 0x4000, 1024);
#endif
    static const struct board_io io = {
        .name = "qemu-mps2-an505 (Cortex-M33, Secure), 64 kB RAM",
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
#if CAIRN_FEATURE_KV
        .kv_flash = &kv_flash.hil,
        .kv_what = "RAM: survives an app restart and the console's reset, NOT a new QEMU run",
#endif
    };
    board_common_run(&io);
}
