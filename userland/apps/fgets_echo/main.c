// SPDX-License-Identifier: Apache-2.0
// fgets_echo: reads console lines with newlib's fgets and prints each back with its length.
//
// Line input as most C programs do it: stdio asks the console for one byte at a time
// (libcairn's _read), so it depends on the kernel keeping bytes typed between two reads
// and on Enter (CR from a terminal) arriving as '\n'. tests/qemu/pconsole_app_mode.test.

#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[48];
    printf("fgets_echo: ready\n");
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        int nl = n > 0 && line[n - 1] == '\n';
        if (nl)
            line[--n] = '\0';
        printf("fgets_echo: got [%s] (%u bytes, %s)\n", line, (unsigned)n,
               nl ? "newline" : "no newline");
        if (strcmp(line, "quit") == 0)
            break;
    }
    printf("fgets_echo: bye\n");
    return 0;
}
