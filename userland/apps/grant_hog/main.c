// SPDX-License-Identifier: Apache-2.0
// grant_hog: fills its memory so a driver's grant cannot be allocated: subscribe → NOMEM.
//
// Grants come from the top of the process's own block, above the break, so a process
// that takes all of its memory can starve only itself. Sequence (low-level debug, since
// the console needs the very grant this app makes impossible):
//   1. alert 0x50: started;
//   2. moves the break as high as the kernel allows (binary search; the MPU covers RAM in
//      granules of block/16, so that is the last granule boundary below the grant
//      start, not the grant start itself);
//   3. fills what is left above the break with the test driver's and the alarm's grants
//      (command 0 allocates them), whichever fit, and prints (room after the brk, room
//      after the fillers); a console grant (4 slots and its state) no longer fits;
//   4. alert 0x51, subscribe to the console and print (variant, error): expect 0x2 0x9
//      (Failure-2u32 NOMEM), then alert 0x52 if the refusal echoed the function and
//      appdata, 0x5E if not;
//   5. moves the break back down and subscribes again, which must now work (alert 0x53
//      and a console line), else alert 0x5F.
// tests/qemu/grant_nomem.test runs it next to an app that subscribes normally.

#include <stdint.h>
#include <string.h>

#include "cairn.h"

#define TEST_DRIVER 0xCA170u

enum {
    ALERT_STARTED = 0x50,
    ALERT_RESULT_FOLLOWS = 0x51,
    ALERT_ECHO_OK = 0x52,
    ALERT_RECOVERED = 0x53,
    ALERT_ECHO_BAD = 0x5E,
    ALERT_NOT_RECOVERED = 0x5F,
};

static void never_called(int a0, int a1, int a2, void *ud)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)ud;
}

static uint32_t grant_start(void)
{
    uint32_t v = 0;
    memop_u32(memop(MEMOP_GRANT_START, 0), &v);
    return v;
}

// The highest 8-aligned break the kernel accepts; leaves the break there. Acceptance is
// monotone (every break between the current one and the answer is accepted), so a binary
// search between a known-good and a known-bad value finds it in a dozen calls.
static uint32_t raise_break_to_max(void)
{
    uint32_t good = 0;
    memop_u32(memop(MEMOP_SBRK, 0), &good);
    uint32_t bad = grant_start() + 8;
    while (bad - good > 8) {
        uint32_t mid = (good + (bad - good) / 2) & ~7u;
        if (mid <= good)
            break;
        if (memop_ok(memop(MEMOP_BRK, mid)) == RETURNCODE_SUCCESS)
            good = mid;
        else
            bad = mid;
    }
    return good;
}

int main(void)
{
    lowlevel_debug_alert(ALERT_STARTED);
    uint32_t initial_brk = 0;
    memop_u32(memop(MEMOP_SBRK, 0), &initial_brk);

    uint32_t top = raise_break_to_max();
    uint32_t room_after_brk = grant_start() - top;
    // Fillers, largest first: whichever fits takes its bytes, the rest fail harmlessly.
    command(TEST_DRIVER, 4, 0, 0); // command 4 allocates the test driver's grant
    command(ALARM_DRIVER, 0, 0, 0);
    lowlevel_debug_print_u32x2(room_after_brk, grant_start() - top);

    lowlevel_debug_alert(ALERT_RESULT_FOLLOWS);
    void *const appdata = (void *)0xA11CE;
    struct syscall_return r = subscribe(CONSOLE_DRIVER, 1, never_called, appdata);
    lowlevel_debug_print_u32x2(r.variant, r.data[0]);
    bool echoed =
        r.data[1] == (uint32_t)(uintptr_t)never_called && r.data[2] == (uint32_t)(uintptr_t)appdata;
    lowlevel_debug_alert(echoed ? ALERT_ECHO_OK : ALERT_ECHO_BAD);

    // Giving memory back makes room again: the refusal was about space, nothing else.
    memop(MEMOP_BRK, initial_brk);
    r = subscribe(CONSOLE_DRIVER, 1, NULL, NULL);
    if (r.variant != 130) {
        lowlevel_debug_alert(ALERT_NOT_RECOVERED);
        lowlevel_debug_print_u32x2(r.variant, r.data[0]);
        return 1;
    }
    lowlevel_debug_alert(ALERT_RECOVERED);
    static const char msg[] = "grant_hog: console works again after the break came down\n";
    console_write_sync(msg, sizeof msg - 1, NULL);
    return 0;
}
