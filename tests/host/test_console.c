// SPDX-License-Identifier: Apache-2.0
// Host tests of the console's turn policy (lines, round robin, kernel turns, dead writers and
// readers) and of its input through the process console (app mode, line editing, history).
//
// The real console capsule, UART mux and kernel debug writer run over a fake UART whose
// transmits complete only when the test says, so the test decides exactly what is on
// the wire when a process writes, dies, or changes its buffer.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host_proc.h"
#include <cairn/abi.h>
#include <cairn/errorcode.h>
#include <cairn/kprint.h>

#include "../../capsules/console.h"
#include "../../capsules/pconsole.h"
#include "../../capsules/uart_mux.h"

// ---- fake UART: one transmit at a time, completed by step() ------------------------------

static struct {
    struct uart hil;
    struct uart_client *client;
    const uint8_t *tx;
    uint32_t tx_len;
    uint8_t *rx;
    uint32_t rx_len;
} fu;

static char out[16384]; // everything that went out on the wire
static size_t out_len;

static int fu_tx(struct uart *u, const uint8_t *buf, uint32_t len)
{
    (void)u;
    assert_null(fu.tx); // the mux never starts a second transmit
    assert_true(len > 0);
    fu.tx = buf;
    fu.tx_len = len;
    return OK;
}

static int fu_rx(struct uart *u, uint8_t *buf, uint32_t len)
{
    (void)u;
    fu.rx = buf;
    fu.rx_len = len;
    return OK;
}

static int fu_rx_abort(struct uart *u)
{
    (void)u;
    return ALREADY;
}

static void fu_set_client(struct uart *u, struct uart_client *c)
{
    (void)u;
    fu.client = c;
}

static const struct uart_ops fu_ops = {fu_tx, fu_rx, fu_rx_abort, fu_set_client};

// Finish the transmit on the wire (its bytes join out[]). False if there was none.
static bool step(void)
{
    if (!fu.tx)
        return false;
    const uint8_t *b = fu.tx;
    uint32_t n = fu.tx_len;
    assert_true(out_len + n < sizeof out);
    memcpy(out + out_len, b, n);
    out_len += n;
    out[out_len] = '\0';
    fu.tx = NULL;
    fu.client->tx_done(fu.client, b, n, OK);
    return true;
}

static void drain(void)
{
    for (unsigned i = 0; i < 10000 && step(); i++)
        ;
    assert_null(fu.tx);
}

// One byte typed on the console.
static void type_byte(uint8_t c)
{
    assert_non_null(fu.rx);
    uint8_t *b = fu.rx;
    fu.rx = NULL;
    b[0] = c;
    fu.client->rx_done(fu.client, b, 1, OK);
}

// ---- the board: mux with the kernel debug writer and the console ------------------------

static struct uart_mux mux;
static struct uart_mux_dev debug_dev, console_dev, pconsole_dev;
static struct console con;
static struct pconsole pc;
static struct pconsole_board pc_board = {.debug_commands = false};

static const struct driver drivers[] = {{CONSOLE_DRIVER_NUM, console_command, &con}};

static const struct kernel_config config = {
    .drivers = drivers,
    .n_drivers = 1,
    .fault_policy = FAULT_POLICY_STOP,
};

static int group_setup(void **state)
{
    fu.hil.ops = &fu_ops;
    uart_mux_init(&mux, &fu.hil);
    uart_mux_dev_init(&debug_dev, &mux);
    uart_mux_dev_init(&console_dev, &mux);
    uart_mux_dev_init(&pconsole_dev, &mux);
    console_init(&con, &console_dev); // registers the console's grant, once
    pconsole_init(&pc, &pconsole_dev.hil, &con, &pc_board);
    return host_arena_map(state);
}

static int test_setup(void **state)
{
    (void)state;
    host_reset(&config);
    debug_attach_uart(&debug_dev.hil); // after host_reset: kprintf goes through the mux
    out_len = 0;
    out[0] = '\0';
    con.tx_pid = con.rx_pid = PROCID_NONE;
    con.last_slot = 0;
    con.in_len = 0;
    pc.app_mode = pc.esc = pc.after_cr = 0;
    pc.len = pc.cur = pc.hist_len = pc.hist_sel = 0;
    mux.last = NULL;
    return 0;
}

static int test_teardown(void **state)
{
    (void)state;
    drain(); // leave nothing in flight for the next test
    return 0;
}

#define APP_MEM 0x4000u
#define BUF_OFF 0x400u // process buffers start here, above the initial stack hint

static struct process *proc(unsigned index)
{
    struct process *p = host_proc_new(index, APP_MEM);
    assert_int_equal(process_set_brk(p, p->mem_start + 0x3000u), OK);
    return p;
}

// Put text at offset off of p's memory, as the process would; returns its address. The
// kernel keeps allowed buffers poisoned (only its accessors may touch them): the
// process's own store lifts that for the copy and restores it.
static uint32_t put(struct process *p, uint32_t off, const char *text, size_t len)
{
    uint8_t *dst = host_ptr(p->mem_start + BUF_OFF + off);
    bool poisoned = __asan_region_is_poisoned(dst, len) != NULL;
    ASAN_UNPOISON_MEMORY_REGION(dst, len);
    memcpy(dst, text, len);
    if (poisoned)
        ASAN_POISON_MEMORY_REGION(dst, len);
    return p->mem_start + BUF_OFF + off;
}

static void allow_write(struct process *p, uint32_t addr, uint32_t len)
{
    host_syscall(p, SYSCALL_CLASS_ALLOW_RO, CONSOLE_DRIVER_NUM, 1, addr, len);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
}

// Allow text and start writing it all.
static void write_text(struct process *p, uint32_t off, const char *text, size_t len)
{
    allow_write(p, put(p, off, text, len), (uint32_t)len);
    host_syscall(p, SYSCALL_CLASS_COMMAND, CONSOLE_DRIVER_NUM, 1, (uint32_t)len, 0);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS);
}

// The write-done upcall queued for p: true and its byte count if there is one.
static bool write_done(const struct process *p, uint32_t *written)
{
    for (unsigned i = 0; i < p->q_len; i++) {
        struct upcall_task task;
        process_queue_peek(p, i, &task);
        const struct upcall_task *t = &task;
        if (t->origin == TASK_ORIGIN(CONSOLE_DRIVER_NUM, 1)) {
            *written = t->a[0];
            return true;
        }
    }
    return false;
}

// n copies of "<tag><k> " + filler up to width, '\n' at the end, k = 0..n-1.
static size_t lines(char *buf, char tag, char filler, unsigned n, unsigned width)
{
    for (unsigned k = 0; k < n; k++) {
        char *l = buf + k * width;
        l[0] = tag;
        l[1] = (char)('0' + k);
        memset(l + 2, filler, width - 3);
        l[width - 1] = '\n';
    }
    return (size_t)n * width;
}

static void expect_out(const char *want)
{
    if (strcmp(out, want) != 0)
        print_error("wire:\n%s\n--- wanted:\n%s\n", out, want);
    assert_string_equal(out, want);
}

// ---- tests ----------------------------------------------------------------------------

// Two writers with writes pending at once: one line each, in turn, whoever has more.
static void test_round_robin_by_line(void **state)
{
    (void)state;
    struct process *a = proc(0), *b = proc(1);
    char ta[6 * 20], tb[3 * 8];
    write_text(a, 0, ta, lines(ta, 'A', 'a', 6, 20));
    write_text(b, 0, tb, lines(tb, 'B', 'b', 3, 8));
    drain();
    expect_out("A0aaaaaaaaaaaaaaaaa\nB0bbbbb\nA1aaaaaaaaaaaaaaaaa\nB1bbbbb\n"
               "A2aaaaaaaaaaaaaaaaa\nB2bbbbb\nA3aaaaaaaaaaaaaaaaa\nA4aaaaaaaaaaaaaaaaa\n"
               "A5aaaaaaaaaaaaaaaaa\n");
    uint32_t n;
    assert_true(write_done(a, &n));
    assert_int_equal(n, sizeof ta);
    assert_true(write_done(b, &n));
    assert_int_equal(n, sizeof tb);
}

// A kernel message printed while a process's line is on the wire goes out right after
// that line, not after the whole write; the line itself (two chunks) stays whole.
static void test_kernel_between_lines(void **state)
{
    (void)state;
    struct process *a = proc(0);
    char ta[4 * 100];
    write_text(a, 0, ta, lines(ta, 'A', 'a', 4, 100));
    assert_true(step()); // the first 64 bytes of A0 are out, the rest of A0 is on the wire
    kprintf("kernel says hi\n");
    drain();
    char want[600];
    memcpy(want, ta, 100);
    strcpy(want + 100, "kernel says hi\r\n");
    memcpy(want + 116, ta + 100, 300);
    want[416] = '\0';
    expect_out(want);
}

// A line longer than CONSOLE_LINE_MAX is cut at the bound: another writer's line goes
// in between, and the long line resumes after it.
static void test_long_line_cut_at_bound(void **state)
{
    (void)state;
    struct process *a = proc(0), *b = proc(1);
    static char ta[1201];
    memset(ta, 'x', 1200);
    ta[1200] = '\n';
    write_text(a, 0, ta, sizeof ta);
    write_text(b, 0, "B\n", 2);
    drain();
    static char want[1300];
    memset(want, 'x', CONSOLE_LINE_MAX);
    memcpy(want + CONSOLE_LINE_MAX, "B\n", 2);
    memset(want + CONSOLE_LINE_MAX + 2, 'x', 1200 - CONSOLE_LINE_MAX);
    want[1202] = '\n';
    want[1203] = '\0';
    expect_out(want);
}

// Starting new writes over and over does not stretch a turn past the bound.
static void test_replacing_writes_cannot_hold_the_uart(void **state)
{
    (void)state;
    struct process *a = proc(0), *b = proc(1);
    static char ya[64];
    memset(ya, 'y', sizeof ya); // never a line end
    write_text(a, 0, ya, sizeof ya);
    write_text(b, 0, "B\n", 2);
    for (unsigned i = 0; i < 40 && !strstr(out, "B\n"); i++) {
        assert_true(step());
        write_text(a, 0, ya, sizeof ya); // a fresh write while its chunk was on the wire
    }
    char *at = strstr(out, "B\n");
    assert_non_null(at);
    assert_true(at - out <= CONSOLE_LINE_MAX + 64);
}

// A new write while a chunk of the old one is on the wire starts from its own first byte.
static void test_replaced_write_starts_at_zero(void **state)
{
    (void)state;
    struct process *a = proc(0);
    write_text(a, 0, "old line 1\nold line 2\n", 22);
    write_text(a, 64, "new\n", 4); // "old line 1\n" is on the wire
    drain();
    expect_out("old line 1\nnew\n");
    uint32_t n;
    assert_true(write_done(a, &n));
    assert_int_equal(n, 4);
}

// A writer that dies (or restarts) mid-write: the chunk on the wire completes, nothing
// more of it is sent, and the next writer goes on.
static void writer_dies(bool restart)
{
    struct process *a = proc(0), *b = proc(1);
    char ta[4 * 100];
    write_text(a, 0, ta, lines(ta, 'A', 'a', 4, 100));
    write_text(b, 0, "B\n", 2);
    assert_true(step()); // A0's second chunk is now on the wire
    if (restart)
        process_restart(a);
    else
        process_terminate(a, 0);
    drain();
    char want[200];
    memcpy(want, ta, 100);
    strcpy(want + 100, "B\n");
    expect_out(want);
}

static void test_writer_dies_mid_write(void **state)
{
    (void)state;
    writer_dies(false);
}

static void test_writer_restarts_mid_write(void **state)
{
    (void)state;
    writer_dies(true);
}

// The buffer swapped for another mid-write: the write goes on from the new buffer at the
// same offset (the chunk on the wire was copied before).
static void test_buffer_swapped_mid_write(void **state)
{
    (void)state;
    struct process *a = proc(0);
    char ta[4 * 64], tb[4 * 64];
    write_text(a, 0, ta, lines(ta, 'A', 'a', 4, 64));
    assert_true(step()); // A0 out, A1 on the wire
    allow_write(a, put(a, 512, tb, lines(tb, 'S', 's', 4, 64)), sizeof tb);
    drain();
    char want[300];
    memcpy(want, ta, 128);
    memcpy(want + 128, tb + 128, 128);
    want[256] = '\0';
    expect_out(want);
    uint32_t n;
    assert_true(write_done(a, &n));
    assert_int_equal(n, 256);
}

// The buffer withdrawn mid-write: the write ends after the chunk on the wire and the
// upcall reports exactly what was sent.
static void test_buffer_withdrawn_mid_write(void **state)
{
    (void)state;
    struct process *a = proc(0);
    char ta[4 * 64];
    write_text(a, 0, ta, lines(ta, 'A', 'a', 4, 64));
    assert_true(step());
    allow_write(a, 0, 0);
    drain();
    char want[200];
    memcpy(want, ta, 128);
    want[128] = '\0';
    expect_out(want);
    uint32_t n;
    assert_true(write_done(a, &n));
    assert_int_equal(n, 128);
}

// A kernel message that wraps around the debug ring goes out in two transmits; no
// process line gets in between them.
static void test_kernel_line_whole_across_ring_wrap(void **state)
{
    (void)state;
    struct process *a = proc(0);
    // Move the ring's position near its end (404 of 512, 909 of 1024): lines of 99
    // bytes + CR LF each.
    char filler[100];
    memset(filler, 'k', 99);
    filler[99] = '\0';
    for (int i = 0; i < (DEBUG_BUF_SIZE - 100) / 101; i++)
        kprintf("%s\n", filler);
    drain();
    out_len = 0;
    char ta[4 * 30];
    write_text(a, 0, ta, lines(ta, 'A', 'a', 4, 30)); // A0 on the wire
    char msg[201];
    memset(msg, 'K', 200);
    msg[200] = '\0';
    kprintf("%s\n", msg); // 202 bytes from there: wraps
    drain();
    char want[400];
    memcpy(want, ta, 30);
    memcpy(want + 30, msg, 200);
    memcpy(want + 230, "\r\n", 2);
    memcpy(want + 232, ta + 30, 90);
    want[322] = '\0';
    expect_out(want);
}

static void read_cmd(struct process *p, uint32_t len)
{
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, CONSOLE_DRIVER_NUM, 1, p->mem_start + BUF_OFF, len);
    assert_int_equal(p->ctx.regs[0], SYSCALL_SUCCESS_2U32);
    host_syscall(p, SYSCALL_CLASS_COMMAND, CONSOLE_DRIVER_NUM, 2, len, 0);
}

static void type(const char *text)
{
    while (*text)
        type_byte((uint8_t)*text++);
    drain();
}

// The read-done upcall queued for p: status and byte count (asserts there is one).
static void read_done(struct process *p, uint32_t status, uint32_t n)
{
    assert_int_equal(p->q_len, 1);
    struct upcall_task head;
    process_queue_peek(p, 0, &head);
    assert_int_equal(head.origin, TASK_ORIGIN(CONSOLE_DRIVER_NUM, 2));
    assert_int_equal(head.a[0], status);
    assert_int_equal(head.a[1], n);
    p->q_len = 0;
    // Take the buffer back (as libcairn does), so the test may read it.
    host_syscall(p, SYSCALL_CLASS_ALLOW_RW, CONSOLE_DRIVER_NUM, 1, 0, 0);
}

static void expect_in_out(const char *want)
{
    if (!strstr(out, want))
        print_error("wire:\n%s\n--- wanted inside:\n%s\n", out, want);
    assert_non_null(strstr(out, want));
}

// A reader that dies keeps nothing: the next reader gets the slot at once and the input.
static void test_dead_reader_frees_the_slot(void **state)
{
    (void)state;
    struct process *a = proc(0), *b = proc(1);
    type("console-stop\r");
    read_cmd(a, 10);
    assert_int_equal(a->ctx.regs[0], SYSCALL_SUCCESS);
    read_cmd(b, 2);
    host_expect_regs(b, SYSCALL_FAILURE, BUSY, 0, 0); // a live reader has it
    process_terminate(a, 0);
    read_cmd(b, 2);
    assert_int_equal(b->ctx.regs[0], SYSCALL_SUCCESS);
    type("hi");
    assert_memory_equal(host_ptr(b->mem_start + BUF_OFF), "hi", 2);
    read_done(b, OK, 2);
}

// App mode as stdio reads it (one byte per read): bytes typed between two reads wait for
// the next one, Enter (CR, or CR LF) arrives as one LF, and the keys are echoed.
static void test_app_mode_one_byte_reads(void **state)
{
    (void)state;
    struct process *a = proc(0);
    type("console-stop\r");
    expect_in_out("Ctrl-\\ returns");
    out_len = 0;
    read_cmd(a, 1);
    type("ab\r\ncd\n");
    const char *want = "ab\ncd\n";
    for (unsigned i = 0; want[i]; i++) {
        if (i)
            read_cmd(a, 1);
        assert_int_equal(a->ctx.regs[0], SYSCALL_SUCCESS);
        read_done(a, OK, 1);
        assert_int_equal(*(char *)host_ptr(a->mem_start + BUF_OFF), want[i]);
    }
    read_cmd(a, 1); // nothing left: this one waits
    assert_int_equal(a->q_len, 0);
    out[out_len] = '\0';
    expect_in_out("ab\r\ncd\r\n"); // echo (the debug writer adds the CRs)
}

// The ring keeps 64 bytes for a reader that comes later; the 65th is refused with a beep.
static void test_app_mode_ring_full(void **state)
{
    (void)state;
    struct process *a = proc(0);
    type("console-stop\r");
    for (unsigned i = 0; i < CONSOLE_IN_BUF; i++)
        type_byte((uint8_t)('A' + i % 26));
    drain();
    out_len = 0;
    type("!");
    out[out_len] = '\0';
    expect_out("\a");
    read_cmd(a, CONSOLE_IN_BUF);
    read_done(a, OK, CONSOLE_IN_BUF);
    assert_int_equal(*(char *)host_ptr(a->mem_start + BUF_OFF + 63), 'A' + 63 % 26);
}

// Abort hands over what had arrived, with CANCEL.
static void test_abort_returns_bytes(void **state)
{
    (void)state;
    struct process *a = proc(0);
    type("console-stop\rxy");
    read_cmd(a, 4);
    host_syscall(a, SYSCALL_CLASS_COMMAND, CONSOLE_DRIVER_NUM, 3, 0, 0);
    assert_int_equal(a->ctx.regs[0], SYSCALL_SUCCESS);
    read_done(a, CANCEL, 2);
    assert_memory_equal(host_ptr(a->mem_start + BUF_OFF), "xy", 2);
}

// Ctrl-\ leaves app mode: what follows is a command again and reaches no reader.
static void test_escape_returns_to_console(void **state)
{
    (void)state;
    struct process *a = proc(0);
    type("console-stop\r");
    read_cmd(a, 1);
    type("\x1c");
    out_len = 0;
    type("nope\r");
    out[out_len] = '\0';
    expect_in_out("Unknown command 'nope' (try help)");
    assert_int_equal(a->q_len, 0);
    assert_int_equal(con.in_len, 0);
}

// In console mode the keyboard is the console's: a posted read gets nothing.
static void test_console_mode_keeps_keys(void **state)
{
    (void)state;
    struct process *a = proc(0);
    read_cmd(a, 1);
    type("status\r");
    assert_int_equal(a->q_len, 0);
    type("list\r"); // and list shows who waits
    out[out_len] = '\0';
    expect_in_out("Total processes: ");
    expect_in_out(", reading console\r\n");
}

// Editing: backspace, cursor keys and Ctrl-U change the line that runs; up and down walk
// the history (newest first, an empty line below it).
static void test_line_editing_and_history(void **state)
{
    (void)state;
    type("hepx\x7f\x1b[D\x7fl\x1b[C\r"); // hepx -> hep -> (cursor left) he|p -> h|p -> hl|p?
    out[out_len] = '\0';
    expect_in_out("Unknown command 'hlp'");
    type("stat\x15help\r"); // Ctrl-U kills "stat"
    out[out_len] = '\0';
    expect_in_out("Commands: help status list");
    out_len = 0;
    type("\x1b[A\x1b[A\x1b[B\r"); // up, up (hlp), down (help)
    out[out_len] = '\0';
    expect_in_out("Commands: help status list");
    out_len = 0;
    type("\x1b[A\x1b[A\x1b[A\r"); // past the oldest: stays on it
    out[out_len] = '\0';
    expect_in_out("Unknown command 'hlp'");
    out_len = 0;
    type("\x1b[A\x1b[B\x1b[B\r"); // below the newest: an empty line runs nothing
    out[out_len] = '\0';
    assert_null(strstr(out, "Unknown"));
    assert_null(strstr(out, "Commands"));
}

// Unknown names and ids, missing and extra arguments get clear answers.
static void test_errors(void **state)
{
    (void)state;
    proc(0);
    type("stop nosuch\r");
    type("stop 999\r");
    type("stop\r");
    type("list all\r");
    out[out_len] = '\0';
    expect_in_out("No process named 'nosuch' (see list).");
    expect_in_out("No process named '999' (see list).");
    expect_in_out("usage: stop NAME|ID (see list)");
    expect_in_out("list takes no argument");
    assert_null(strstr(out, "kpanic")); // not a test build here
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_robin_by_line, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_kernel_between_lines, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_long_line_cut_at_bound, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_replacing_writes_cannot_hold_the_uart, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(test_replaced_write_starts_at_zero, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(test_writer_dies_mid_write, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_writer_restarts_mid_write, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_buffer_swapped_mid_write, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_buffer_withdrawn_mid_write, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_kernel_line_whole_across_ring_wrap, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(test_dead_reader_frees_the_slot, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_app_mode_one_byte_reads, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_app_mode_ring_full, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_abort_returns_bytes, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_escape_returns_to_console, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_console_mode_keeps_keys, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_line_editing_and_history, test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_errors, test_setup, test_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, host_arena_unmap);
}
