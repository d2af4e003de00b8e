// SPDX-License-Identifier: Apache-2.0
// Low-level debug capsule: numbers and alert codes from processes to the kernel console.
#include "lowlevel_debug.h"

#include <cairn/kprint.h>

void lowlevel_debug_init(struct lowlevel_debug *l)
{
    l->lines = 0;
    l->grant = (struct grant){.driver_num = LOWLEVEL_DEBUG_DRIVER_NUM};
    grant_register(&l->grant);
}

struct cmd_result lowlevel_debug_command(const struct driver *d, procid_t pid, uint32_t cmd,
                                         uint32_t arg0, uint32_t arg1)
{
    struct lowlevel_debug *l = d->ctx;
    unsigned id = (unsigned)process_short_id(pid);
    switch (cmd) {
    case 0:
        return cmd_success();
    case 1:
        kprintf("LowLevelDebug: App 0x%x alert code 0x%x\n", id, (unsigned)arg0);
        break;
    case 2:
        kprintf("LowLevelDebug: App 0x%x prints 0x%x\n", id, (unsigned)arg0);
        break;
    case 3:
        kprintf("LowLevelDebug: App 0x%x prints 0x%x 0x%x\n", id, (unsigned)arg0, (unsigned)arg1);
        break;
    default:
        return cmd_failure(NOSUPPORT);
    }
    l->lines++;
    return cmd_success();
}
