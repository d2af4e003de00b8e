// SPDX-License-Identifier: Apache-2.0
// errlines: five long fprintf(stderr) lines, "errlines: done", a prompt and a read; then idles.
//
// Line k is "err k " + 180 '!' + '\n'. Each must reach the console as one write, so no
// other app's output lands inside it, and the five cost a handful of syscalls, not one
// write per byte (tests/qemu/stderr_line.test reads the count from the console's list). Then
// it prints "name? " without a newline, reads 3 bytes and prints "got <them>"; it stays
// alive afterwards so that list still shows it.

#include <stdio.h>
#include <string.h>

#include "cairn.h"

int main(void)
{
    static char bangs[181];
    memset(bangs, '!', 180);
    for (int k = 0; k < 5; k++)
        fprintf(stderr, "err %d %s\n", k, bangs);
    printf("errlines: done\n");
    // A prompt without a newline must be out before the read waits for input
    // (tests/qemu/stdio_prompt.test).
    printf("name? ");
    char name[4] = {0};
    console_read_sync(name, 3, NULL);
    printf("got %s\n", name);
    for (;;)
        yield_wait();
}
