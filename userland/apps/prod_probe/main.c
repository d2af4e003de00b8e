// SPDX-License-Identifier: Apache-2.0
// prod_probe: tries the test driver's commands as a hostile app would, and reports.
//
// On the production board the test driver (0xCA170) does not exist, so command 1
// ("end the emulator run") and command 6 ("notify another process") must answer NODEVICE
// and the system keeps running. On a test board the probe would end the run instead.
#include <stdio.h>

#include "cairn.h"

#define TEST_DRIVER 0xCA170u

static void probe(uint32_t cmd, uint32_t arg0)
{
    struct syscall_return r = command(TEST_DRIVER, cmd, arg0, 0);
    returncode_t rc = command_ok(r);
    printf("prod_probe: test driver command %u -> %s (%d)\n", (unsigned)cmd,
           rc == RETURNCODE_ENODEVICE ? "NODEVICE" : "answered", (int)rc);
}

int main(void)
{
    printf("prod_probe: test driver %s\n", driver_exists(TEST_DRIVER) ? "present" : "absent");
    probe(0, 0);
    probe(6, 0);  // notify slot 0
    probe(1, 77); // would end the whole system with exit code 77
    printf("prod_probe: still running\n");
    return 0;
}
