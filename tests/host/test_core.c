// SPDX-License-Identifier: Apache-2.0
// Host tests of the kernel's core data structures: ring buffer, deferred calls, kprintf.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <cairn/deferred.h>
#include <cairn/kprint.h>
#include <cairn/ringbuf.h>

void deferred_call_reset_for_test(void);

// A full ring refuses new bytes instead of overwriting the oldest.
static void ringbuf_refuses_when_full(void **state)
{
    (void)state;
    uint8_t st[4];
    struct ringbuf r;
    ringbuf_init(&r, st, sizeof st);
    for (int i = 0; i < 4; i++)
        assert_true(ringbuf_put(&r, (uint8_t)i));
    assert_false(ringbuf_put(&r, 9));
    assert_int_equal(ringbuf_len(&r), 4);
    uint8_t c;
    assert_true(ringbuf_get(&r, &c));
    assert_int_equal(c, 0);
    assert_int_equal(ringbuf_space(&r), 1);
}

// Bytes come out in order across many wraparounds, and runs never cross the end.
static void ringbuf_fifo_across_wrap(void **state)
{
    (void)state;
    uint8_t st[7];
    struct ringbuf r;
    ringbuf_init(&r, st, sizeof st);
    uint8_t next_in = 0, next_out = 0;
    for (int round = 0; round < 200; round++) {
        int n = 1 + round % 6;
        for (int i = 0; i < n && ringbuf_space(&r); i++)
            assert_true(ringbuf_put(&r, next_in++));
        uint32_t run;
        const uint8_t *p = ringbuf_peek_run(&r, &run);
        assert_true(run <= ringbuf_len(&r));
        assert_true(p + run <= st + sizeof st);
        if (run)
            assert_int_equal(p[0], next_out);
        uint32_t take = run / 2 + 1;
        if (take > ringbuf_len(&r))
            take = ringbuf_len(&r);
        for (uint32_t i = 0; i < take; i++) {
            uint8_t c;
            assert_true(ringbuf_get(&r, &c));
            assert_int_equal(c, next_out++);
        }
    }
}

static int ran[4];
static struct deferred_call dcs[4];

static void dc_fn(void *ctx)
{
    int i = (int)(intptr_t)ctx;
    ran[i]++;
    // Call 2 reschedules itself: it must wait for the next pass, not loop forever.
    if (i == 2 && ran[i] < 3)
        deferred_call_schedule(&dcs[2]);
}

// Scheduled calls run once per pass, twice-scheduled still once, self-rescheduling defers.
static void deferred_calls_run_once_per_pass(void **state)
{
    (void)state;
    deferred_call_reset_for_test();
    memset(ran, 0, sizeof ran);
    for (int i = 0; i < 4; i++)
        deferred_call_register(&dcs[i], dc_fn, (void *)(intptr_t)i);
    assert_false(deferred_call_pending());
    deferred_call_schedule(&dcs[1]);
    deferred_call_schedule(&dcs[1]);
    deferred_call_schedule(&dcs[2]);
    assert_true(deferred_call_pending());
    assert_int_equal(deferred_call_run(), 2);
    assert_int_equal(ran[1], 1);
    assert_int_equal(ran[2], 1);
    assert_int_equal(ran[0], 0);
    assert_true(deferred_call_pending()); // 2 rescheduled itself
    assert_int_equal(deferred_call_run(), 1);
    assert_int_equal(deferred_call_run(), 1);
    assert_int_equal(ran[2], 3);
    assert_false(deferred_call_pending());
    assert_int_equal(deferred_call_run(), 0);
}

// The kernel formatter handles every conversion it documents, and truncates safely.
static void ksnprintf_formats(void **state)
{
    (void)state;
    char b[64];
    ksnprintf(b, sizeof b, "%d|%i|%u|%x|%X|%08x|%5d|%-4s|%c|%%|%s", -42, 7, 4000000000u, 0xbeefu,
              0xbeefu, 0x1234u, 12, "ab", 'z', "end");
    assert_string_equal(b, "-42|7|4000000000|beef|BEEF|00001234|   12|ab  |z|%|end");
    ksnprintf(b, sizeof b, "%p %s %ld", (void *)(uintptr_t)0x20001000u, (char *)NULL, -5L);
    assert_string_equal(b, "0x20001000 (null) -5");
    int n = ksnprintf(b, 6, "%s", "truncate me");
    assert_int_equal(n, 11);
    assert_string_equal(b, "trunc");
    ksnprintf(b, sizeof b, "%05d", -3);
    assert_string_equal(b, "-0003");
    // Padding, precision and the odd cases the kernel's messages rely on.
    ksnprintf(b, sizeof b, "[%5s|%-5d|%5d|%.*s|%.*s|%x|%lx|%c]", "ab", -7, -7, 3, "abcdef", 9, "xy",
              0u, 0xffffffffUL, 'q');
    assert_string_equal(b, "[   ab|-7   |   -7|abc|xy|0|ffffffff|q]");
    ksnprintf(b, sizeof b, "%u %d %08X", 0u, -2147483647 - 1, 0xabcu);
    assert_string_equal(b, "0 -2147483648 00000ABC");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ringbuf_refuses_when_full),
        cmocka_unit_test(ringbuf_fifo_across_wrap),
        cmocka_unit_test(deferred_calls_run_once_per_pass),
        cmocka_unit_test(ksnprintf_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
