// SPDX-License-Identifier: Apache-2.0
// oled_hog: faults while its full-screen write is in flight; restarted, it stays off the screen.
//
// First incarnation: lends a 1 kB all-lit buffer, starts a full-screen write (64 chunks
// for the kernel) and faults at once, the write still in flight. The kernel restarts it
// (test kernel); the second incarnation checks that no screen upcall reaches it, then
// exits. Meanwhile another process (oled_demo in tests/qemu/screen_kill.test) must get
// its own operations served and its picture on the screen exactly.

#include <stdio.h>
#include <string.h>

#include "cairn.h"

#define TEST_DRIVER       0xCA170u
#define TEST_CMD_RESTARTS 5

static uint8_t white[128 * 64 / 8];
static int stray;

static void any(int a0, int a1, int a2, void *ud)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)ud;
    stray++;
}

int main(void)
{
    uint32_t restarts = 0;
    if (command_u32(command(TEST_DRIVER, TEST_CMD_RESTARTS, 0, 0), &restarts) < 0) {
        printf("oled_hog: needs the test kernel\n");
        return 1;
    }
    if (restarts == 0) {
        memset(white, 0xFF, sizeof white);
        returncode_t rc = screen_allow(white, sizeof white);
        if (rc >= 0)
            rc = screen_command_write(sizeof white);
        printf("oled_hog: writing (%s), dying with the write in flight\n", returncode_name(rc));
        *(volatile uint32_t *)0 = 1; // MemManage: the kernel restarts this process
        return 1;
    }
    subscribe(SCREEN_DRIVER, 0, any, NULL);
    delay_ms(300);
    printf("oled_hog: restarted %lu: %d stray upcalls\n", (unsigned long)restarts, stray);
    return 0;
}
