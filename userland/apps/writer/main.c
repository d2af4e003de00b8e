// SPDX-License-Identifier: Apache-2.0
// writer: writes WRITER_LINES lines of WRITER_WIDTH copies of one letter, one write each.
//
// Built as writer_<letter> with CFLAGS_EXTRA=-DWRITER_ID=<letter> (mk/userland.mk). Two
// writers running at once must produce whole lines: the kernel sends a line longer than
// its 64-byte buffer in chunks but keeps the UART for that writer until the line is
// done (tests/qemu/console_no_interleave.test). Ends with "writer_<letter>: done".

#include <stddef.h>
#include <string.h>

#include "cairn.h"

#ifndef WRITER_ID
#define WRITER_ID a
#endif
#ifndef WRITER_LINES
#define WRITER_LINES 10
#endif
#ifndef WRITER_WIDTH
#define WRITER_WIDTH 300
#endif

// The letter comes in as a bare token: a quoted character would not survive the two
// shells between mk/userland.mk and the compiler.
#define STR(x)  #x
#define XSTR(x) STR(x)
#define NAME    "writer_" XSTR(WRITER_ID)

// One line: letters then '\n', sent as one write of WRITER_WIDTH + 1 bytes.
static char line[WRITER_WIDTH + 1];

static void say(const char *text)
{
    console_write_sync(text, strlen(text), NULL);
}

int main(void)
{
    memset(line, XSTR(WRITER_ID)[0], WRITER_WIDTH);
    line[WRITER_WIDTH] = '\n';
    unsigned short_writes = 0;
    for (unsigned i = 0; i < WRITER_LINES; i++) {
        size_t written = 0;
        if (console_write_sync(line, sizeof line, &written) < 0 || written != sizeof line)
            short_writes++;
    }
    say(short_writes == 0 ? NAME ": done\n" : NAME ": short writes\n");
    return short_writes == 0 ? 0 : 1;
}
