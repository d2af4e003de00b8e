// SPDX-License-Identifier: Apache-2.0
// Board wiring for QEMU virt (RV32): its UART, timer and exit device (the rest: boards/common).
#include <stddef.h>

#include "arch.h"
#include "board_common.h"
#include "ramflash.h"
#include "mtimer.h"
#include "ns16550.h"
#include "rv.h"
#include "test_finisher.h"

// QEMU virt (hw/riscv/virt.c): UART0 is PLIC source 10; the test finisher ends the run.
#define UART0_BASE    0x10000000u
#define UART0_IRQ     10
#define FINISHER_BASE 0x00100000u

static struct ns16550 uart0;
static struct rv_alarm mtimer;

// The key-value store: 16 kB of RAM outside the 64 kB the system runs in, emulated NOR.
// DRAM above the kernel and apps: QEMU keeps it over a reset, not across runs.
#if CAIRN_FEATURE_KV
#define KV_BASE 0x80600000u
static struct ramflash kv_flash;
#endif

static void putc_sync(char c)
{
    ns16550_putc_sync(&uart0, c);
}

static void poll_tx(void)
{
    ns16550_poll_tx(&uart0);
}

bool board_service_irq(unsigned irq)
{
    switch (irq) {
    case UART0_IRQ:
        ns16550_service(&uart0);
        return true;
    case RV_IRQ_MTIMER:
        rv_alarm_service(&mtimer);
        return true;
    default:
        return false;
    }
}

// arch_exit ends up here: the finisher makes QEMU exit with the code.
static void finish(int code)
{
    sifive_test_finish(FINISHER_BASE, code);
}

// The console's `reset`: the finisher restarts the machine.
static void reset(void)
{
    sifive_test_reset(FINISHER_BASE);
}

_Noreturn void board_main(void);
_Noreturn void board_main(void)
{
    arch_init();
    rv_set_exit_hook(finish);
    ns16550_init(&uart0, (struct ns16550_regs *)UART0_BASE, UART0_IRQ);
    rv_alarm_init(&mtimer);
#if CAIRN_FEATURE_KV
    ramflash_init(&kv_flash, (uint8_t *)KV_BASE, KV_BASE, 0x4000, 1024);
#endif
    static const struct board_io io = {
        .name = "qemu-rv32-virt (RV32IMAC, PMP)",
        .uart = &uart0.hil,
        .alarm = &mtimer.hil,
        .putc_sync = putc_sync,
        .poll_tx = poll_tx,
        .reset = reset,
#if CAIRN_FEATURE_KV
        .kv_flash = &kv_flash.hil,
        .kv_what = "RAM: survives an app restart and the console's reset, NOT a new QEMU run",
#endif
    };
    board_common_run(&io);
}
