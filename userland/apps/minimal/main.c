// SPDX-License-Identifier: Apache-2.0
// minimal: prints its RAM start through low-level debug, then waits forever.
//
// The smallest app that shows it runs: tests/qemu/apps_max.test boots as many copies as
// the process pool holds and checks that the last one printed.

#include "cairn.h"

int main(void)
{
    // Nothing is subscribed, so this yield never returns: the process costs no CPU.
    uint32_t ram = 0;
    memop_u32(memop(MEMOP_RAM_START, 0), &ram);
    lowlevel_debug_print_u32(ram);
    yield_wait();
    return 0;
}
