// SPDX-License-Identifier: Apache-2.0
// reader: posts a console read and then dies or holds it, or reads after such a reader.
//
// Built as reader_<kind> with CFLAGS_EXTRA=-DREADER_KIND=READER_<KIND> (mk/userland.mk):
//   reader_exit   posts a 60-byte read, then exits with the read still pending
//   reader_fault  posts a 60-byte read, then faults (a null write)
//   reader_hold   posts a 60-byte read and waits forever (the test kills it)
//   reader_take   waits 300 ms, then reads 6 bytes; prints "reader_take: busy" once if
//                 the kernel answers BUSY (it retries every 10 ms until the read is taken:
//                 the test's kill arrives at a host-time moment, and under icount with
//                 sleep=off guest time runs far ahead of the host's, so any guest-time
//                 deadline here would race the test harness on a loaded machine),
//                 "reader_take: reading" once the read is accepted and
//                 "reader_take: got <text>" when it completes.
// A dead reader must not keep the console's single receive slot
// (tests/qemu/console_reader_{exit,fault,kill}.test).

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cairn.h"

#define READER_EXIT  1
#define READER_FAULT 2
#define READER_HOLD  3
#define READER_TAKE  4

#ifndef READER_KIND
#define READER_KIND READER_TAKE
#endif

static void say(const char *text)
{
    console_write_sync(text, strlen(text), NULL);
}

static volatile bool read_done;
static volatile size_t read_len;
static volatile returncode_t read_status;

static void on_read(returncode_t status, size_t len, void *userdata)
{
    (void)userdata;
    read_status = status;
    read_len = len;
    read_done = true;
}

#if READER_KIND == READER_TAKE
static char buf[7];

int main(void)
{
    delay_ms(300);
    returncode_t rc = RETURNCODE_EBUSY;
    bool told = false;
    for (;;) {
        rc = console_read(buf, 6, on_read, NULL);
        if (rc != RETURNCODE_EBUSY)
            break;
        if (!told)
            say("reader_take: busy\n");
        told = true;
        delay_ms(10);
    }
    if (rc != RETURNCODE_SUCCESS) {
        say("reader_take: error\n");
        return 1;
    }
    say("reader_take: reading\n");
    while (!read_done)
        yield_wait();
    size_t n = read_len < 6 ? read_len : 6;
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\r' || buf[i] == '\n')
            buf[i] = '.';
    buf[n] = '\n';
    say(read_status == RETURNCODE_SUCCESS ? "reader_take: got " : "reader_take: failed ");
    console_write_sync(buf, n + 1, NULL);
    return 0;
}
#else
static char buf[60];

int main(void)
{
    returncode_t rc = console_read(buf, sizeof buf, on_read, NULL);
    say(rc == RETURNCODE_SUCCESS ? "reader: read posted\n" : "reader: read refused\n");
#if READER_KIND == READER_EXIT
    return 0;
#elif READER_KIND == READER_FAULT
    *(volatile uint32_t *)0 = 0; // fence-ok: deliberate fault with the read pending
    return 2;
#else
    for (;;)
        yield_wait();
#endif
}
#endif
