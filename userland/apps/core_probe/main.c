// SPDX-License-Identifier: Apache-2.0
// core_probe: asks every optional driver whether it exists, then echoes typed bytes.
//
// On a kernel built without a feature (the `core` variant leaves out all of them,
// boards/common/features.mk) the driver must answer NODEVICE as any absent driver; the
// console (output and input) and the alarm must still work, since apps need them to say
// anything.
#include <stdio.h>

#include "cairn.h"

static const struct {
    uint32_t num;
    const char *name;
} optional[] = {
    {0x2, "led"},        {0x3, "button"},         {0x4, "gpio"},
    {0x5, "adc"},        {0x8, "lowlevel_debug"}, {0x10000, "ipc"},
    {0x40001, "rng"},    {0x50003, "kv"},         {0x60000, "temperature"},
    {0x90001, "screen"},
};

int main(void)
{
    for (unsigned i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        returncode_t rc = command_ok(command(optional[i].num, 0, 0, 0));
        printf("core_probe: driver 0x%lx (%s) -> %s\n", (unsigned long)optional[i].num,
               optional[i].name,
               rc == RETURNCODE_ENODEVICE ? "NODEVICE"
               : rc == RETURNCODE_SUCCESS ? "present"
                                          : "other");
    }
    uint32_t t0, t1;
    alarm_now(&t0);
    delay_ms(20);
    alarm_now(&t1);
    printf("core_probe: alarm %s\n", t1 != t0 ? "ticks" : "stuck");
    printf("core_probe: type 3 bytes\n");
    char buf[4] = {0};
    size_t n = 0;
    returncode_t rc = console_read_sync(buf, 3, &n);
    printf("core_probe: read %d, %u bytes '%s'\n", (int)rc, (unsigned)n, buf);
    return 0;
}
