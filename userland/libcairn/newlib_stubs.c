// SPDX-License-Identifier: Apache-2.0
// newlib's system interface that every app links: _sbrk, _getpid, _kill, _exit.
//
// The file calls (_write, _read, ...) are in stdio_stubs.c, which only apps that use
// stdio pull in.

// picolibc (the RISC-V apps' C library) has its own interface: picolibc_stubs.c. (Any C
// library header says which one this is; sys/cdefs.h is in both.)
#include <sys/cdefs.h>
#if !defined(__PICOLIBC__)

#include <errno.h>
#include <stdint.h>
#include <sys/types.h>

#include "syscall.h"

// Prototypes for -Wmissing-prototypes: newlib declares these only in private headers.
void *_sbrk(ptrdiff_t increment);
int _getpid(void);
int _kill(int pid, int sig);
_Noreturn void _exit(int status);

#define CAIRN_PID 1

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
