// SPDX-License-Identifier: Apache-2.0
// Host tests of the UART transfer core the chip drivers share: lending, refusals, receive
// completion, drops, abort.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <cairn/deferred.h>
#include <cairn/errorcode.h>
#include <cairn/uart_xfer.h>

void deferred_call_reset_for_test(void);

static struct {
    unsigned tx_done, rx_done;
    const uint8_t *buf;
    uint32_t len;
    int err;
} seen;

static void on_tx(struct uart_client *c, const uint8_t *buf, uint32_t len, int err)
{
    (void)c;
    seen.tx_done++;
    seen.buf = buf;
    seen.len = len;
    seen.err = err;
}

static void on_rx(struct uart_client *c, uint8_t *buf, uint32_t len, int err)
{
    (void)c;
    seen.rx_done++;
    seen.buf = buf;
    seen.len = len;
    seen.err = err;
}

static struct uart_client client = {.tx_done = on_tx, .rx_done = on_rx};
static struct uart_xfer x;

static int setup(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    memset(&seen, 0, sizeof seen);
    uart_xfer_init(&x);
    uart_xfer_set_client(&x, &client);
    return 0;
}

// One transmit at a time, never an empty one; the end hands the same buffer back.
static void test_tx_lend_and_end(void **state)
{
    (void)state;
    static const uint8_t msg[3] = "abc";
    assert_int_equal(uart_xfer_tx_begin(&x, msg, 0), SIZE);
    assert_int_equal(uart_xfer_tx_begin(&x, msg, 3), OK);
    assert_int_equal(uart_xfer_tx_begin(&x, msg, 3), BUSY);
    x.tx_pos = 3; // the driver sent them
    uart_xfer_tx_end(&x);
    assert_int_equal(seen.tx_done, 1);
    assert_ptr_equal(seen.buf, msg);
    assert_int_equal(seen.len, 3);
    assert_int_equal(seen.err, OK);
    assert_int_equal(uart_xfer_tx_begin(&x, msg, 1), OK); // free again
}

// A receive completes when full; bytes with no receive lent are counted, not stored.
static void test_rx_fill_and_drop(void **state)
{
    (void)state;
    uint8_t buf[2] = {0, 0};
    uart_xfer_rx_byte(&x, 'z');
    assert_int_equal(x.rx_dropped, 1);
    assert_int_equal(uart_xfer_rx_begin(&x, buf, 0), SIZE);
    assert_int_equal(uart_xfer_rx_begin(&x, buf, 2), OK);
    assert_int_equal(uart_xfer_rx_begin(&x, buf, 2), BUSY);
    uart_xfer_rx_byte(&x, 'h');
    assert_int_equal(seen.rx_done, 0);
    uart_xfer_rx_byte(&x, 'i');
    assert_int_equal(seen.rx_done, 1);
    assert_memory_equal(buf, "hi", 2);
    assert_int_equal(seen.len, 2);
    assert_int_equal(seen.err, OK);
    uart_xfer_rx_byte(&x, '!');
    assert_int_equal(x.rx_dropped, 2);
}

// Abort completes later, from the deferred call, with the bytes so far and CANCEL; bytes
// arriving in between are dropped.
static void test_rx_abort_is_deferred(void **state)
{
    (void)state;
    uint8_t buf[4];
    assert_int_equal(uart_xfer_rx_abort(&x), ALREADY);
    assert_int_equal(uart_xfer_rx_begin(&x, buf, 4), OK);
    uart_xfer_rx_byte(&x, 'a');
    assert_int_equal(uart_xfer_rx_abort(&x), OK);
    assert_int_equal(seen.rx_done, 0);
    uart_xfer_rx_byte(&x, 'b');
    assert_int_equal(x.rx_dropped, 1);
    assert_true(deferred_call_pending());
    deferred_call_run();
    assert_int_equal(seen.rx_done, 1);
    assert_ptr_equal(seen.buf, buf);
    assert_int_equal(seen.len, 1);
    assert_int_equal(seen.err, CANCEL);
    assert_int_equal(uart_xfer_rx_begin(&x, buf, 4), OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_tx_lend_and_end, setup),
        cmocka_unit_test_setup(test_rx_fill_and_drop, setup),
        cmocka_unit_test_setup(test_rx_abort_is_deferred, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
