// SPDX-License-Identifier: Apache-2.0
// template: a starting point for a new app (see README.md): prints, waits, prints again.

#include <stdio.h>

#include "cairn.h"

// A global to look at from gdb (`print ticks`, doc/debugging.md).
static unsigned ticks;

// One tick: count it and say how long the app has been running. (noinline: at -Os the
// compiler would fold it into main, and `break tick` in gdb would stop only once.)
__attribute__((noinline)) static void tick(void)
{
    ticks++;
    printf("template: tick %u at %.1f s\n", ticks, ticks * 0.1);
}

int main(void)
{
    printf("template: hello\n");
    for (int i = 1; i <= 3; i++) {
        delay_ms(100);
        tick();
    }
    return 0;
}
