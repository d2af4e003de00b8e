// SPDX-License-Identifier: Apache-2.0
// Kernel debug output: a small printf that works before and after interrupts are on.
#ifndef CAIRN_KPRINT_H
#define CAIRN_KPRINT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

// Formats %d %i %u %x %X %p %s %c %% with optional '0' and '-' flags, width and 'l';
// %.*s takes a length (int) before the string and prints at most that many bytes.
// %p prints "0x" and 8 hex digits (as "0x%08x" would, in 2 bytes of format instead of 6):
// the kernel's messages print every address and register that way, through KADDR.
// Before the main loop runs, output is written synchronously; afterwards it goes
// through the debug ring buffer and the UART mux (bytes that do not fit are counted
// and reported as dropped, never block).
#define KADDR(x) ((void *)(uintptr_t)(x))
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

// Formats into buf (always NUL-terminated when size > 0); returns the length the
// full output would have had.
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

// Synchronous output for the panic path: bypasses buffers and interrupts.
void kprintf_sync(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// Calls out for every formatted character; used by the three printers above.
typedef void (*kfmt_putc_fn)(void *ctx, char c);
void kfmt(kfmt_putc_fn putc, void *ctx, const char *fmt, va_list ap);

// The i-th of the NUL-separated names in list ("a\0b\0c": 0 is "a"); list must hold
// more than i names. Name tables as one string cost no pointer per name.
// Inline so that code without the formatter (host tools linking kernel/tbf.c) has it too.
static inline const char *knth(const char *list, unsigned i)
{
    for (; i; i--)
        while (*list++)
            ;
    return list;
}

#endif
