// SPDX-License-Identifier: Apache-2.0
// The wiring every board shares: console stack, capsules, driver table, kernel config.
#include <cairn/cred.h>
#include <stddef.h>

#include "arch.h"
#include "board_common.h"

#include <cairn/debug.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/tbf.h>

#include "ipc.h"

#include "alarm.h"
#include "alarm_mux.h"
#include "console.h"
#include "kv.h"
#include "lowlevel_debug.h"
#include "rng.h"
#include "temperature.h"
#include "pconsole.h"
#include "uart_mux.h"

#ifndef BOARD_FAULT_POLICY
#define BOARD_FAULT_POLICY FAULT_POLICY_RESTART
#endif
// Whether apps must be signed: no on the QEMU boards' default images (unsigned apps run).
#ifndef BOARD_REQUIRE_SIGNED
#define BOARD_REQUIRE_SIGNED 0
#endif
#if CAIRN_TRUSTED_KEY
extern const uint8_t cairn_trusted_key[CRED_P256_KEY_LEN]; // generated from TRUSTED_KEY
#endif
// Without the checker nothing could refuse an app: an image that must run only signed
// apps, or that trusts a key, needs it.
#if !CAIRN_FEATURE_CREDS && (BOARD_REQUIRE_SIGNED || CAIRN_TRUSTED_KEY)
#error "FEATURE_CREDS=0 with REQUIRE_SIGNED or TRUSTED_KEY: signatures would not be checked"
#endif
#ifndef BOARD_RESTART_THRESHOLD
#define BOARD_RESTART_THRESHOLD 3
#endif
// Test builds (make's `test` and `fuzz` kernel variants) add the test driver and the
// process console's debug commands. The production image has neither: any app could end the whole
// system through them.
#if CAIRN_FEATURE_GPIO
#include "gpio.h"
#endif
#if CAIRN_FEATURE_ADC
#include "adc.h"
#endif
#if CAIRN_FEATURE_SCREEN
#include "screen.h"
#endif
#ifndef CAIRN_TEST_BUILD
#define CAIRN_TEST_BUILD 0
#endif
#if CAIRN_TEST_BUILD
#include "test_driver.h"
#endif
// Boards whose apps region is writable flash (or emulated NOR, chips/ramflash) set
// FEATURE_APPSTORE := 1 and define CAIRN_APP_ARCH (the TAB architecture their apps are
// built for).
// Process slots kept free for installs beyond the apps found at boot (4 bytes of pool RAM
// each; an update reuses the old version's slot).
#ifndef CAIRN_APPSTORE_SPARE_SLOTS
#define CAIRN_APPSTORE_SPARE_SLOTS 4
#endif
#if CAIRN_FEATURE_APPSTORE
#include "appstore_link.h"
#include "ramflash.h"
#include <cairn/procinfo.h>
#endif

extern uint8_t __app_flash_start[], __app_flash_end[], __app_ram_start[], __app_ram_end[];
extern uint8_t __ram_start[], __kstack_top[], __bss_end[], __kernel_attributes_end[];

// The Kernel Version TLV (0x0103, 8 bytes) of the kernel attributes tockloader reads; the
// linker script puts it with the others, below the apps start or at the end of the
// kernel's flash (kernel_attributes.ld).
__attribute__((section(".kattr_version"), used)) static const uint16_t kattr_version[6] = {
    CAIRN_KERNEL_MAJOR, CAIRN_KERNEL_MINOR, 0, 0, 0x0103, 8};

static struct uart_mux uart_mux;
static struct uart_mux_dev debug_dev, console_dev;
#if CAIRN_FEATURE_PCONSOLE
static struct uart_mux_dev pconsole_dev;
static struct pconsole pconsole;
#endif
#if CAIRN_FEATURE_LLDEBUG
static struct lowlevel_debug lldb;
#endif
// The alarm capsule is the hardware alarm's only client unless the screen paces its
// refreshes with an alarm too: then the two share it through the multiplexer.
#define ALARM_MUX CAIRN_FEATURE_SCREEN
#if ALARM_MUX
static struct alarm_mux alarm_mux;
static struct valarm alarm_valarm;
#endif
static struct alarm_capsule alarm;
static struct console console;
#if CAIRN_FEATURE_LEDS
static struct led_capsule leds;
#endif
#if CAIRN_FEATURE_BUTTONS
static struct button_capsule buttons;
#endif
#if CAIRN_FEATURE_GPIO
static struct gpio_capsule gpio;
#endif
#if CAIRN_FEATURE_ADC
static struct adc_capsule adc;
#endif
#if CAIRN_FEATURE_SCREEN
static struct screen_capsule screen;
static struct valarm screen_pace;
#endif
#if CAIRN_FEATURE_RNG
static struct rng_capsule rng;
#endif
#if CAIRN_FEATURE_KV
static struct kvstore kvstore;
static struct kv_capsule kv;
#endif
#if CAIRN_FEATURE_TEMPERATURE
static struct temperature_capsule temperature;
#endif
#if CAIRN_TEST_BUILD
static struct test_driver test_driver;
#endif

// Sorted by driver number (the kernel binary-searches it).
static const struct driver drivers[] = {
    {ALARM_DRIVER_NUM, alarm_command, &alarm},
    {CONSOLE_DRIVER_NUM, console_command, &console},
#if CAIRN_FEATURE_LEDS
    {LED_DRIVER_NUM, led_command, &leds},
#endif
#if CAIRN_FEATURE_BUTTONS
    {BUTTON_DRIVER_NUM, button_command, &buttons},
#endif
#if CAIRN_FEATURE_GPIO
    {GPIO_DRIVER_NUM, gpio_command, &gpio},
#endif
#if CAIRN_FEATURE_ADC
    {ADC_DRIVER_NUM, adc_command, &adc},
#endif
#if CAIRN_FEATURE_LLDEBUG
    {LOWLEVEL_DEBUG_DRIVER_NUM, lowlevel_debug_command, &lldb},
#endif
#if CAIRN_FEATURE_IPC
    {IPC_DRIVER_NUM, ipc_command, NULL},
#endif
#if CAIRN_FEATURE_RNG
    {RNG_DRIVER_NUM, rng_command, &rng},
#endif
#if CAIRN_FEATURE_KV
    {KV_DRIVER_NUM, kv_command, &kv},
#endif
#if CAIRN_FEATURE_TEMPERATURE
    {TEMPERATURE_DRIVER_NUM, temperature_command, &temperature},
#endif
#if CAIRN_FEATURE_SCREEN
    {SCREEN_DRIVER_NUM, screen_command, &screen},
#endif
#if CAIRN_TEST_BUILD
    {TEST_DRIVER_NUM, test_driver_command, &test_driver},
#endif
};

#if CAIRN_TEST_BUILD
static void board_exit(int code)
{
    debug_go_sync();
    arch_exit(code);
}
#endif

#if CAIRN_FEATURE_APPSTORE
// The app store: emulated NOR over the apps region, its protocol on the console UART.
static struct ramflash apps_flash;
static struct appstore_link store_link;
static struct uart_mux_dev store_dev;
static struct uart_client store_client;

static unsigned stop_named(const char *name, uint32_t name_len)
{
    unsigned n = 0;
    for (unsigned i = 0; i < process_slots(); i++) {
        struct process_info pi;
        if (!process_info_get(i, &pi) || pi.name_len != name_len)
            continue;
        uint32_t k = 0;
        while (k < name_len && pi.name[k] == name[k])
            k++;
        if (k == name_len && loader_stop_app(i) == OK)
            n++;
    }
    return n;
}

static const struct appstore_procs store_procs = {loader_start_app, stop_named, loader_check_app};

static void store_send(struct appstore_link *l, const uint8_t *buf, uint32_t len)
{
    (void)l;
    if (uart_transmit(&store_dev.hil, buf, len) != OK)
        appstore_link_sent(&store_link);
}

static void store_tx_done(struct uart_client *c, const uint8_t *buf, uint32_t len, int err)
{
    (void)c, (void)buf, (void)len, (void)err;
    appstore_link_sent(&store_link);
}

static void appstore_wire(const char *board_name)
{
    uint32_t size = (uint32_t)(__app_flash_end - __app_flash_start);
    ramflash_init(&apps_flash, __app_flash_start, (uint32_t)(uintptr_t)__app_flash_start, size,
                  512);
    uart_mux_dev_init(&store_dev, &uart_mux);
    store_client.tx_done = store_tx_done;
    uart_set_client(&store_dev.hil, &store_client);
    appstore_link_init(&store_link, &apps_flash.hil, &store_procs, true, CAIRN_APP_ARCH, board_name,
                       store_send);
    uart_mux_set_rx_filter(&uart_mux, appstore_link_rx, &store_link);
}
#endif

#if CAIRN_FEATURE_KV
static void kv_done(struct kvstore *s, int err)
{
    (void)s;
    kv_capsule_store_done(&kv, err);
}

// The key-value store on the board's region, said at boot with what it survives.
static void kv_wire(const struct board_io *io)
{
    if (io->kv_flash && kvstore_init(&kvstore, io->kv_flash, kv_done) == OK) {
        kv_capsule_init(&kv, &kvstore);
        kprintf("KV: store at 0x%x, %u pages of %u B: %s\n", (unsigned)io->kv_flash->info.base,
                (unsigned)kvstore.npages, (unsigned)kvstore.psize, io->kv_what);
        return;
    }
    kv_capsule_init(&kv, NULL);
    kprintf("KV: no key-value store on this board (%s): driver 0x50003 answers NODEVICE\n",
            io->kv_what ? io->kv_what : "no region for it");
}
#endif

#if CAIRN_FEATURE_PCONSOLE
static struct pconsole_board pconsole_board = {
#if CAIRN_TEST_BUILD
    .debug_commands = true,
    .exit_fn = board_exit,
#endif
    .reset_fn = NULL, // set from board_io in board_common_run
    .kstack_unused = arch_kernel_stack_unused,
};

// After the loader: until here kernel output is synchronous, so however many apps the
// loader reports on, nothing is dropped from the debug ring.
static void board_ready(void)
{
    debug_attach_uart(&debug_dev.hil);
    pconsole_board.attributes_end = (uint32_t)(uintptr_t)__kernel_attributes_end;
    pconsole_board.ram_start = (uint32_t)(uintptr_t)__ram_start;
    pconsole_board.kstack_top = (uint32_t)(uintptr_t)__kstack_top;
    pconsole_board.kernel_ram_end = (uint32_t)(uintptr_t)__bss_end;
    pconsole_init(&pconsole, &pconsole_dev.hil, &console, &pconsole_board);
}
#else
// Without the process console, every typed byte goes to the console driver's input ring
// (what the process console does in app mode), read one at a time from the UART mux.
static struct uart_mux_dev input_dev;
static struct uart_client input_client;
static uint8_t input_byte;

static void input_rx_done(struct uart_client *c, uint8_t *buf, uint32_t len, int err)
{
    (void)c;
    if (err == OK && len == 1)
        (void)console_input(&console, *buf); // a full ring drops it, as in app mode
    uart_receive(&input_dev.hil, &input_byte, 1);
}

static void board_ready(void)
{
    debug_attach_uart(&debug_dev.hil);
    input_client.rx_done = input_rx_done;
    uart_set_client(&input_dev.hil, &input_client);
    uart_receive(&input_dev.hil, &input_byte, 1);
}
#endif

_Noreturn void board_common_run(const struct board_io *io)
{
    debug_init(io->putc_sync, io->poll_tx);
    uint32_t kram = (uint32_t)(__app_ram_start - __ram_start);
    uint32_t pool = (uint32_t)(__app_ram_end - __app_ram_start);
    kprintf("\nCairn " CAIRN_VERSION " on %s: kernel %u B, process pool %u B\n", io->name,
            (unsigned)kram, (unsigned)pool);
#if CAIRN_TEST_BUILD
    kprintf("TEST BUILD: test driver 0x%x and process console debug commands present, restart "
            "threshold %u\n",
            (unsigned)TEST_DRIVER_NUM, (unsigned)BOARD_RESTART_THRESHOLD);
#endif

    uart_mux_init(&uart_mux, io->uart);
    uart_mux_dev_init(&debug_dev, &uart_mux);
#if CAIRN_FEATURE_PCONSOLE
    pconsole_board.reset_fn = io->reset ? io->reset : arch_reset;
    uart_mux_dev_init(&pconsole_dev, &uart_mux);
#else
    uart_mux_dev_init(&input_dev, &uart_mux);
#endif
    uart_mux_dev_init(&console_dev, &uart_mux);
#if CAIRN_FEATURE_LLDEBUG
    lowlevel_debug_init(&lldb);
#endif
    console_init(&console, &console_dev);
#if ALARM_MUX
    alarm_mux_init(&alarm_mux, io->alarm);
    valarm_init(&alarm_valarm, &alarm_mux);
    alarm_capsule_init(&alarm, &alarm_valarm.hil);
#else
    alarm_capsule_init(&alarm, io->alarm);
#endif
#if CAIRN_FEATURE_LEDS
    led_capsule_init(&leds, io->leds, io->n_leds);
#endif
#if CAIRN_FEATURE_BUTTONS
    button_capsule_init(&buttons, io->buttons, io->n_buttons);
#endif
#if CAIRN_FEATURE_GPIO
    gpio_capsule_init(&gpio, io->gpio, io->n_gpio);
#endif
#if CAIRN_FEATURE_ADC
    adc_capsule_init(&adc, io->adc);
#endif
#if CAIRN_FEATURE_SCREEN
    valarm_init(&screen_pace, &alarm_mux);
    screen_capsule_init(&screen, io->screen, io->screen ? &screen_pace.hil : NULL);
#endif
#if CAIRN_FEATURE_IPC
    ipc_init();
#endif
#if CAIRN_FEATURE_TEMPERATURE
    temperature_capsule_init(&temperature, io->temperature);
#endif
#if CAIRN_FEATURE_RNG
    // Said loudly: where the RNG's entropy comes from is what makes it worth anything.
    switch (rng_init(&rng, io->entropy)) {
    case OK:
        kprintf("RNG: seeded from %s -- NOT a hardware entropy source (this board has "
                "none)\n",
                io->entropy->what);
        break;
    case NODEVICE:
        kprintf("RNG: no entropy source on this board: driver 0x40001 is absent\n");
        break;
    default:
        kprintf("RNG: *** the entropy source FAILED: driver 0x40001 gives no random "
                "numbers ***\n");
        break;
    }
#endif
#if CAIRN_FEATURE_KV
    kv_wire(io);
#endif
#if CAIRN_TEST_BUILD
    test_driver_init(&test_driver, board_exit);
#endif
#if CAIRN_FEATURE_APPSTORE
    appstore_wire(io->name);
#endif

    // Credentials (cairn/cred.h): SHA-256 footers are always checked; REQUIRE_SIGNED=1
    // builds (the `signed` test kernel) run only apps signed with the key built in from
    // TRUSTED_KEY (mk/kernel.mk).
#if CAIRN_FEATURE_CREDS
    static const struct app_checker checker = {
        .require_signature = BOARD_REQUIRE_SIGNED,
#if CAIRN_TRUSTED_KEY
        .trusted_key = cairn_trusted_key,
#endif
        .check = cred_check,
    };
#endif
    static const struct kernel_config cfg = {
        .drivers = drivers,
        .n_drivers = sizeof drivers / sizeof drivers[0],
        .app_flash_start = (uint32_t)(uintptr_t)__app_flash_start,
        .app_flash_end = (uint32_t)(uintptr_t)__app_flash_end,
        .app_ram_start = (uint32_t)(uintptr_t)__app_ram_start,
        .app_ram_end = (uint32_t)(uintptr_t)__app_ram_end,
#if CAIRN_FEATURE_APPSTORE
        .spare_slots = CAIRN_APPSTORE_SPARE_SLOTS,
#endif
        .timeslice_us = 10000,
        .fault_policy = BOARD_FAULT_POLICY,
        .restart_threshold = BOARD_RESTART_THRESHOLD,
#if CAIRN_TEST_BUILD
        .dump_every_fault = true,
#endif
        .service_irq = board_service_irq,
        .on_ready = board_ready,
#if CAIRN_FEATURE_CREDS
        .checker = &checker,
#endif
    };
    arch_irq_unmask_all();
    kernel_run(&cfg);
}
