// SPDX-License-Identifier: Apache-2.0
// bigwrite: one synchronous 4 kB console write of 64 numbered lines, then "bigwrite: done N".
//
// Line k (k = 00..63) is "big kk " + 56 '#' + '\n' (64 bytes); N is the byte count the
// kernel reported written. The console sends a write one line per turn, so kernel output
// (the process console) gets the UART between two of its lines (tests/qemu/console_fair.test).

#include <stdio.h>
#include <string.h>

#include "cairn.h"

#define LINES 64
#define WIDTH 64

static char text[LINES * WIDTH];

int main(void)
{
    for (unsigned k = 0; k < LINES; k++) {
        char *line = text + k * WIDTH;
        memcpy(line, "big ", 4);
        line[4] = (char)('0' + k / 10);
        line[5] = (char)('0' + k % 10);
        line[6] = ' ';
        memset(line + 7, '#', WIDTH - 8);
        line[WIDTH - 1] = '\n';
    }
    size_t written = 0;
    console_write_sync(text, sizeof text, &written);
    printf("bigwrite: done %u\n", (unsigned)written);
    return 0;
}
