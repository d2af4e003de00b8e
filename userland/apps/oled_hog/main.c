// SPDX-License-Identifier: Apache-2.0
// oled_hog: full-screen writes back to back, until the process console terminates it mid-write.
//
// It lends a 1 kB all-lit buffer and writes it to the whole screen over and over (64
// chunks each for the kernel), so that a `terminate oled_hog` typed at any moment lands
// with a write queued or on the wire. tests/qemu/screen_kill.test then checks that
// another process's operations are served and its picture appears exactly.

#include <stdio.h>
#include <string.h>

#include "cairn.h"

static uint8_t white[128 * 64 / 8];

int main(void)
{
    memset(white, 0xFF, sizeof white);
    returncode_t rc = screen_write_sync(white, sizeof white);
    printf("oled_hog: writing (%s), again and again\n", returncode_name(rc));
    while (rc >= 0)
        rc = screen_write_sync(white, sizeof white);
    printf("oled_hog: write failed (%s)\n", returncode_name(rc));
    return 1;
}
