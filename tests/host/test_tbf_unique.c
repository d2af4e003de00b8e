// SPDX-License-Identifier: Apache-2.0
// Host tests of the AppID/ShortId uniqueness rule (tbf_blocked_by): the higher version wins; of
// equal versions with one ShortId the copy earlier in flash wins; name-only copies of one version
// all run.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairn/tbf.h>

static struct tbf_header app(const char *name, uint32_t short_id, uint32_t version)
{
    struct tbf_header h = {0};
    h.name = name;
    h.name_len = 0;
    while (name[h.name_len])
        h.name_len++;
    h.short_id = short_id;
    h.app_version = version;
    return h;
}

static void test_higher_version_wins(void **state)
{
    struct tbf_header a1 = app("a", 0, 1), a2 = app("a", 0, 2);
    assert_true(tbf_blocked_by(&a1, 0x100, &a2, 0x200));
    assert_false(tbf_blocked_by(&a2, 0x200, &a1, 0x100));
    struct tbf_header s1 = app("x", 7, 1), s2 = app("y", 7, 2);
    assert_true(tbf_blocked_by(&s1, 0x100, &s2, 0x200));
}

static void test_same_short_id_tie_earlier_wins(void **state)
{
    // Different names, one ShortId: the second in flash is refused, the first runs.
    struct tbf_header x = app("x", 0x42, 1), y = app("y", 0x42, 1);
    assert_true(tbf_blocked_by(&y, 0x200, &x, 0x100));
    assert_false(tbf_blocked_by(&x, 0x100, &y, 0x200));
}

static void test_name_only_copies_all_run(void **state)
{
    struct tbf_header a = app("a", 0, 1), b = app("a", 0, 1);
    assert_false(tbf_blocked_by(&a, 0x100, &b, 0x200));
    assert_false(tbf_blocked_by(&b, 0x200, &a, 0x100));
}

static void test_different_apps_never_block(void **state)
{
    struct tbf_header a = app("a", 1, 1), b = app("b", 2, 9);
    assert_false(tbf_blocked_by(&a, 0x100, &b, 0x200));
    assert_false(tbf_blocked_by(&a, 0x100, &a, 0x100)); // itself
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_higher_version_wins),
        cmocka_unit_test(test_same_short_id_tie_earlier_wins),
        cmocka_unit_test(test_name_only_copies_all_run),
        cmocka_unit_test(test_different_apps_never_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
