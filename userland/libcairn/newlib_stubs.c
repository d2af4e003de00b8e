// SPDX-License-Identifier: Apache-2.0
// newlib's system interface (_sbrk, _write, _read, ...) over memop, console and exit.
//
// File descriptors 0, 1 and 2 are the console (a terminal: stdout is line-buffered);
// there is no file system, so every other descriptor is EBADF.

// picolibc (the RISC-V apps' C library) has its own interface: picolibc_stubs.c. (Any C
// library header says which one this is; sys/cdefs.h is in both.)
#include <sys/cdefs.h>
#if !defined(__PICOLIBC__)

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "console.h"
#include "syscall.h"

// Prototypes for -Wmissing-prototypes: newlib declares these only in private headers.
void *_sbrk(ptrdiff_t increment);
int _write(int fd, const void *buf, size_t len);
int _read(int fd, void *buf, size_t len);
int _close(int fd);
off_t _lseek(int fd, off_t offset, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _getpid(void);
int _kill(int pid, int sig);
_Noreturn void _exit(int status);

#define CAIRN_PID 1

static inline int is_console(int fd)
{
    return fd >= 0 && fd <= 2;
}

// The heap grows up from the end of .bss (crt0 set the break there). The kernel zeroes
// memory it hands out and refuses to move the break into grant memory or below an
// allowed buffer: newlib then sees ENOMEM and malloc returns NULL.
void *_sbrk(ptrdiff_t increment)
{
    uint32_t previous;
    if (memop_u32(memop(MEMOP_SBRK, (uint32_t)increment), &previous) < 0) {
        errno = ENOMEM;
        return (void *)-1;
    }
    return (void *)previous;
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

int _getpid(void)
{
    return CAIRN_PID;
}

// abort() and raise() end here: a signal to ourselves ends the process with the shell's
// 128 + signal convention as completion code.
int _kill(int pid, int sig)
{
    if (pid == CAIRN_PID)
        exit_terminate(128u + (uint32_t)sig);
    errno = ESRCH;
    return -1;
}

void _exit(int status)
{
    exit_terminate((uint32_t)status);
}

#endif // !__PICOLIBC__
