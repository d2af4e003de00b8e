// SPDX-License-Identifier: Apache-2.0
// kv_counter: reads "boots" from the key-value store, adds one, stores it and prints it.
//
// Run it twice (a restart: `terminate kv_counter` then `boot kv_counter` on the console,
// or a reboot of a board whose store persists) and the number goes on from where it was.
// The first run finds no key (RETURNCODE_ENOSUPPORT) and starts from zero.
#include <stdint.h>
#include <stdio.h>

#include "cairn.h"

static const char key[] = "boots";

int main(void)
{
    uint32_t boots = 0;
    size_t len = 0;
    returncode_t rc = kv_get_sync(key, sizeof key - 1, &boots, sizeof boots, &len);
    if (rc == RETURNCODE_ENOSUPPORT) {
        boots = 0; // never stored: the first boot
    } else if (rc != RETURNCODE_SUCCESS || len != sizeof boots) {
        printf("kv_counter: cannot read the count: %s (length %u)\n", returncode_name(rc),
               (unsigned)len);
        return 1;
    }
    boots++;
    rc = kv_set_sync(key, sizeof key - 1, &boots, sizeof boots);
    if (rc != RETURNCODE_SUCCESS) {
        printf("kv_counter: cannot store the count: %s\n", returncode_name(rc));
        return 1;
    }
    printf("kv_counter: boot %lu\n", (unsigned long)boots);
    for (;;)
        yield_wait();
}
