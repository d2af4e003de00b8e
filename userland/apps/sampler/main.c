// SPDX-License-Identifier: Apache-2.0
// sampler: prints the board's temperature (driver 0x60000) once a second.

#include <stdio.h>
#include <stdlib.h>

#include "cairn.h"

int main(void)
{
    if (!temperature_exists()) {
        printf("sampler: no temperature sensor on this board\n");
        return 0;
    }
    // Bad arguments first, Tock's answers (the QEMU test checks this line).
    returncode_t cmd = command_ok(command(TEMPERATURE_DRIVER, 9, 0, 0));
    returncode_t slot = allow_ok(allow_rw(TEMPERATURE_DRIVER, 0, NULL, 0));
    returncode_t sub = subscribe_ok(subscribe(TEMPERATURE_DRIVER, 1, NULL, NULL));
    printf("sampler: command-9 %s, allow-0 %s, subscribe-1 %s\n", returncode_name(cmd),
           returncode_name(slot), returncode_name(sub));
    for (unsigned n = 1;; n++) {
        int32_t c;
        returncode_t rc = temperature_read_sync(&c);
        if (rc < 0) {
            printf("sampler: reading failed (%s)\n", returncode_name(rc));
            return 1;
        }
        printf("sampler: %u: %s%ld.%02ld C\n", n, c < 0 ? "-" : "", labs(c) / 100, labs(c) % 100);
        delay_ms(1000);
    }
}
