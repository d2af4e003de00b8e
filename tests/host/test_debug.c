// SPDX-License-Identifier: Apache-2.0
// Host tests of the kernel debug writer (kernel/debug.c): CR LF, the ring, drop notes, going sync.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <cairn/debug.h>
#include <cairn/errorcode.h>
#include <cairn/kprint.h>

// What reached the wire, through either path: the synchronous writer or the fake UART.
static char wire[4096];
static size_t wire_len;

static void sync_put(char c)
{
    if (wire_len < sizeof wire)
        wire[wire_len++] = c;
}

// A UART that takes one run at a time and finishes it only when the test says so.
static struct uart_client *client;
static const uint8_t *lent;
static uint32_t lent_len;

static int fake_transmit(struct uart *u, const uint8_t *buf, uint32_t len)
{
    (void)u;
    if (lent)
        return BUSY;
    lent = buf;
    lent_len = len;
    return OK;
}

static int fake_receive(struct uart *u, uint8_t *buf, uint32_t len)
{
    (void)u, (void)buf, (void)len;
    return BUSY;
}

static int fake_receive_abort(struct uart *u)
{
    (void)u;
    return ALREADY;
}

static void fake_set_client(struct uart *u, struct uart_client *c)
{
    (void)u;
    client = c;
}

static const struct uart_ops fake_ops = {fake_transmit, fake_receive, fake_receive_abort,
                                         fake_set_client};
static struct uart fake_uart = {&fake_ops};

// Finish every run the writer lends until its ring is empty (each completion lends the next).
static void drain(void)
{
    debug_kick();
    while (lent) {
        const uint8_t *b = lent;
        uint32_t n = lent_len;
        for (uint32_t i = 0; i < n; i++)
            sync_put((char)b[i]);
        lent = NULL;
        client->tx_done(client, b, n, OK);
    }
}

static int setup(void **state)
{
    (void)state;
    wire_len = 0;
    lent = NULL;
    client = NULL;
    debug_init(sync_put, NULL);
    return 0;
}

static void put_str(const char *s)
{
    while (*s)
        debug_put(*s++);
}

static void assert_wire(const char *want)
{
    assert_int_equal(wire_len, strlen(want));
    assert_memory_equal(wire, want, wire_len);
}

static void test_sync_crlf(void **state)
{
    (void)state;
    kprintf("a\nb %u\n", 7u);
    assert_wire("a\r\nb 7\r\n");
}

static void test_buffered_crlf(void **state)
{
    (void)state;
    debug_attach_uart(&fake_uart);
    kprintf("line\n");
    assert_int_equal(wire_len, 0); // lent to the UART, not yet sent
    assert_non_null(lent);
    drain();
    assert_wire("line\r\n");
}

// A full ring drops bytes and counts them; once room returns, the next byte is preceded by
// a note of how many were lost, its own lines ending in CR LF like every other line.
static void test_dropped_note(void **state)
{
    (void)state;
    debug_attach_uart(&fake_uart);
    for (int i = 0; i < DEBUG_BUF_SIZE + 25; i++)
        debug_put('x');
    drain();
    assert_int_equal(wire_len, DEBUG_BUF_SIZE);
    wire_len = 0;
    put_str("ok\n");
    drain();
    assert_wire("\r\n[debug: 25 bytes dropped]\r\nok\r\n");
    // Reported once: the count starts again from zero.
    wire_len = 0;
    put_str("z");
    drain();
    assert_wire("z");
}

// A '\n' takes two bytes (CR LF): each one that does not fit counts as dropped.
static void test_dropped_newline(void **state)
{
    (void)state;
    debug_attach_uart(&fake_uart);
    for (int i = 0; i < DEBUG_BUF_SIZE - 1; i++)
        debug_put('x');
    debug_put('\n'); // room for its CR only: the CR goes in, the LF is lost
    debug_put('\n'); // no room at all: lost
    drain();
    assert_int_equal(wire_len, DEBUG_BUF_SIZE);
    assert_int_equal(wire[DEBUG_BUF_SIZE - 1], '\r');
    wire_len = 0;
    debug_put('y');
    drain();
    assert_wire("\r\n[debug: 2 bytes dropped]\r\ny");
}

// Going synchronous (panic path) sends what the ring holds, in order, then writes directly.
static void test_go_sync(void **state)
{
    (void)state;
    debug_attach_uart(&fake_uart);
    kprintf("one\n");
    kprintf("two\n");
    // "one" is lent; the UART never finishes it (no poll_tx): it is skipped, not repeated.
    debug_go_sync();
    debug_put('\n');
    assert_wire("two\r\n\r\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_sync_crlf, setup),
        cmocka_unit_test_setup(test_buffered_crlf, setup),
        cmocka_unit_test_setup(test_dropped_note, setup),
        cmocka_unit_test_setup(test_dropped_newline, setup),
        cmocka_unit_test_setup(test_go_sync, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
