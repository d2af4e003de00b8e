// SPDX-License-Identifier: Apache-2.0
// Kernel printf: one formatter feeding a string, the debug ring buffer, or the sync UART.
#include <stdbool.h>
#include <stdint.h>

#include <cairn/kprint.h>
#include <cairn/debug.h>

static void put_str(kfmt_putc_fn putc, void *ctx, const char *s, int width, bool left)
{
    int n = 0;
    while (s[n])
        n++;
    if (!left)
        for (; width > n; width--)
            putc(ctx, ' ');
    for (int i = 0; i < n; i++)
        putc(ctx, s[i]);
    if (left)
        for (; width > n; width--)
            putc(ctx, ' ');
}

static void put_num(kfmt_putc_fn putc, void *ctx, unsigned long v, unsigned base, bool neg,
                    int width, bool zero, bool upper, bool left)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + (neg ? 1 : 0);
    if (neg && zero)
        putc(ctx, '-');
    if (!left)
        for (; width > len; width--)
            putc(ctx, zero ? '0' : ' ');
    if (neg && !zero)
        putc(ctx, '-');
    while (n)
        putc(ctx, tmp[--n]);
    if (left)
        for (; width > len; width--)
            putc(ctx, ' ');
}

void kfmt(kfmt_putc_fn putc, void *ctx, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putc(ctx, *fmt);
            continue;
        }
        fmt++;
        bool zero = false, left = false, lng = false;
        int width = 0;
        for (; *fmt == '0' || *fmt == '-'; fmt++) {
            if (*fmt == '0')
                zero = true;
            else
                left = true;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        // "%.*s": at most that many bytes of a string that need not be NUL-terminated
        // (package names in flash).
        int prec = -1;
        if (fmt[0] == '.' && fmt[1] == '*') {
            prec = va_arg(ap, int);
            fmt += 2;
        }
        while (*fmt == 'l') {
            lng = true;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            bool neg = v < 0;
            unsigned long m = neg ? 0ul - (unsigned long)v : (unsigned long)v;
            put_num(putc, ctx, m, 10, neg, width, zero, false, left);
            break;
        }
        case 'u':
            put_num(putc, ctx, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, false,
                    width, zero, false, left);
            break;
        case 'x':
        case 'X':
            put_num(putc, ctx, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, false,
                    width, zero, *fmt == 'X', left);
            break;
        case 'p':
            putc(ctx, '0');
            putc(ctx, 'x');
            put_num(putc, ctx, (unsigned long)(uintptr_t)va_arg(ap, void *), 16, false, 8, true,
                    false, false);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (prec >= 0 && s) {
                for (int i = 0; i < prec; i++)
                    putc(ctx, s[i]);
                break;
            }
            put_str(putc, ctx, s ? s : "(null)", width, left);
            break;
        }
        case 'c':
            putc(ctx, (char)va_arg(ap, int));
            break;
        case '%':
            putc(ctx, '%');
            break;
        case '\0':
            return;
        default:
            putc(ctx, '%');
            putc(ctx, *fmt);
            break;
        }
    }
}

struct strbuf {
    char *buf;
    size_t size, len;
};

static void strbuf_putc(void *ctx, char c)
{
    struct strbuf *b = ctx;
    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct strbuf b = {buf, size, 0};
    kfmt(strbuf_putc, &b, fmt, ap);
    if (size)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return (int)b.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void debug_putc(void *ctx, char c)
{
    (void)ctx;
    debug_put(c);
}

void kvprintf(const char *fmt, va_list ap)
{
    kfmt(debug_putc, 0, fmt, ap);
    debug_kick();
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

static void sync_putc(void *ctx, char c)
{
    (void)ctx;
    debug_put_sync(c);
}

void kprintf_sync(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kfmt(sync_putc, 0, fmt, ap);
    va_end(ap);
}
