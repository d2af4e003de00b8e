// SPDX-License-Identifier: Apache-2.0
// newlib's file calls (_write, _read, ...) over the console, and stdio's set-up for it.
//
// File descriptors 0, 1 and 2 are the console, a terminal; there is no file system, so
// every other descriptor is EBADF. Only apps that use stdio link this file (newlib's
// stdio is what calls these), so the constructor below costs nothing elsewhere.
//
// Buffering: stdout and stderr are both line-buffered (newlib would leave stderr
// unbuffered, writing it one byte per syscall, so a line could be cut by other apps'
// output). Each line is then one console write, which the kernel sends whole. A line
// longer than the buffer (BUFSIZ, 1 kB, allocated from the heap on first use; a stream
// whose buffer cannot be allocated falls back to unbuffered) goes out in pieces.
// Buffered output is flushed at exit (newlib's exit, or crt0's hook on a return from
// main) and before input: stdio's own reads flush
// line-buffered streams, and console_read/console_read_sync call the hook set here.

// picolibc (the RISC-V apps' C library) has its own stdio set-up: picolibc_stubs.c.
#include <sys/cdefs.h>
#if !defined(__PICOLIBC__)

#include <errno.h>
#include <stdio.h>
#include <sys/reent.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "console.h"

// Prototypes for -Wmissing-prototypes: newlib declares these only in private headers.
int _write(int fd, const void *buf, size_t len);
int _read(int fd, void *buf, size_t len);
int _close(int fd);
off_t _lseek(int fd, off_t offset, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);

static inline int is_console(int fd)
{
    return fd >= 0 && fd <= 2;
}

static void flush_std_streams(void)
{
    fflush(stdout);
    fflush(stderr);
}

// Runs before main (crt0 runs .init_array). __sinit creates the three standard streams
// and registers the flush at exit; clearing stderr's unbuffered flag then makes newlib
// treat it as it treats stdout: on first use it allocates a buffer and, fd 2 being a
// terminal (_isatty), makes it line-buffered.
static void flush_all_streams(void)
{
    fflush(NULL);
}

// crt0.c: called after a return from main.
extern void (*crt0_exit_hook)(void);

__attribute__((constructor)) static void stdio_setup(void)
{
    __sinit(_REENT);
    _REENT->_stderr->_flags &= (short)~__SNBF;
    console_before_read = flush_std_streams;
    crt0_exit_hook = flush_all_streams;
}

int _write(int fd, const void *buf, size_t len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    size_t written;
    if (console_write_sync(buf, len, &written) < 0) {
        errno = EIO;
        return -1;
    }
    return (int)written;
}

// Returns after a single byte: the console driver completes a read only when the whole
// requested length has arrived, and stdio asks for a full buffer, so a longer request
// would block an interactive program until the buffer filled.
int _read(int fd, void *buf, size_t len)
{
    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    if (len == 0)
        return 0;
    size_t got;
    if (console_read_sync(buf, 1, &got) < 0 && got == 0) {
        errno = EIO;
        return -1;
    }
    return (int)got;
}

int _close(int fd)
{
    if (is_console(fd))
        return 0;
    errno = EBADF;
    return -1;
}

off_t _lseek(int fd, off_t offset, int whence)
{
    errno = is_console(fd) ? ESPIPE : EBADF;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    if (!is_console(fd)) {
        errno = EBADF;
        return -1;
    }
    *st = (struct stat){.st_mode = S_IFCHR};
    return 0;
}

int _isatty(int fd)
{
    if (is_console(fd))
        return 1;
    errno = EBADF;
    return 0;
}

#endif // !__PICOLIBC__
