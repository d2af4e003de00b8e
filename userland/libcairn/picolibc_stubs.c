// SPDX-License-Identifier: Apache-2.0
// picolibc's system interface (stdio streams, sbrk, _exit) over the console, memop and exit.
//
// picolibc's stdio calls one put function per character: output is collected here and
// written to the console at each newline, when the buffer is full, on fflush, before a
// console read and at exit, so a printf costs about one console write per line, as with
// Cairn's line-buffered newlib streams. stdin, stdout and stderr are the one console
// stream.

#include <sys/cdefs.h> // says which C library this is
#if defined(__PICOLIBC__)

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "console.h"
#include "syscall.h"

// Like newlib's stdio: a line of up to BUFSIZ (1 kB) bytes is one console write, so it
// arrives whole next to other apps' output; the buffer comes from the heap on first use,
// and a small static one stands in if the heap has no room.
#define OUT_BUF_LEN      1024
#define OUT_FALLBACK_LEN 64

static char out_fallback[OUT_FALLBACK_LEN];
static char *out_buf;
static size_t out_cap, out_len;

static int console_flush(FILE *f)
{
    (void)f;
    if (out_len == 0)
        return 0;
    size_t written;
    returncode_t rc = console_write_sync(out_buf, out_len, &written);
    out_len = 0;
    return rc < 0 ? EOF : 0;
}

static int console_putc(char c, FILE *f)
{
    if (!out_buf) {
        out_buf = malloc(OUT_BUF_LEN);
        out_cap = OUT_BUF_LEN;
        if (!out_buf) {
            out_buf = out_fallback;
            out_cap = OUT_FALLBACK_LEN;
        }
    }
    out_buf[out_len++] = c;
    if (c == '\n' || out_len == out_cap)
        return console_flush(f) == 0 ? (unsigned char)c : EOF;
    return (unsigned char)c;
}

static int console_getc(FILE *f)
{
    // Pending output first, so a prompt shows before the program waits for input.
    console_flush(f);
    unsigned char c;
    size_t got;
    if (console_read_sync(&c, 1, &got) < 0 || got != 1)
        return EOF;
    return c;
}

static void flush_before_read(void)
{
    console_flush(stdout);
}

// Runs before main (crt0 runs .init_array): a blocking console read shows pending output
// first, as newlib's stdio does for its line-buffered streams.
__attribute__((constructor)) static void stdio_setup(void)
{
    console_before_read = flush_before_read;
}

static FILE console_stream =
    FDEV_SETUP_STREAM(console_putc, console_getc, console_flush, _FDEV_SETUP_RW);
FILE *const stdin = &console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;

// The heap grows up from the end of .bss (crt0 set the break there). The kernel zeroes
// memory it hands out and refuses to move the break into grant memory: then ENOMEM, and
// malloc returns NULL.
void *sbrk(ptrdiff_t increment)
{
    uint32_t previous;
    if (memop_u32(memop(MEMOP_SBRK, (uint32_t)increment), &previous) < 0) {
        errno = ENOMEM;
        return (void *)-1;
    }
    return (void *)previous;
}

void _exit(int status)
{
    console_flush(stdout);
    exit_terminate((uint32_t)status);
}

#endif // __PICOLIBC__
