// SPDX-License-Identifier: Apache-2.0
// Kernel printf: one formatter feeding a string, the debug ring buffer, or the sync UART.
#include <stdbool.h>
#include <stdint.h>

#include <cairn/kprint.h>
#include <cairn/debug.h>

static void put_pad(kfmt_putc_fn putc, void *ctx, int n, char c)
{
    for (; n > 0; n--)
        putc(ctx, c);
}

// One conversion's text: every conversion (number, string, character) ends here, so
// padding has a single implementation. The sign goes before zero padding, after spaces.
static void put_field(kfmt_putc_fn putc, void *ctx, const char *s, int n, char sign, int width,
                      bool zero, bool left)
{
    int pad = width - n - (sign ? 1 : 0);
    if (sign && zero)
        putc(ctx, sign);
    if (!left)
        put_pad(putc, ctx, pad, zero ? '0' : ' ');
    if (sign && !zero)
        putc(ctx, sign);
    for (int i = 0; i < n; i++)
        putc(ctx, s[i]);
    if (left)
        put_pad(putc, ctx, pad, ' ');
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
        int width = 0, prec = -1;
        for (; *fmt == '0' || *fmt == '-'; fmt++) {
            if (*fmt == '0')
                zero = true;
            else
                left = true;
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        if (fmt[0] == '.' && fmt[1] == '*') {
            prec = va_arg(ap, int);
            fmt += 2;
        }
        while (*fmt == 'l') {
            lng = true;
            fmt++;
        }
        // Digits are written backwards from the end of tmp (24 holds a 64-bit value).
        char tmp[24], *end = tmp + sizeof tmp, *s = end, sign = 0;
        unsigned long v;
        unsigned base = 10;
        char c = *fmt;
        switch (c) {
        case 'd':
        case 'i': {
            long sv = lng ? va_arg(ap, long) : va_arg(ap, int);
            v = (unsigned long)sv;
            if (sv < 0) {
                sign = '-';
                v = 0ul - v;
            }
            goto number;
        }
        case 'p':
            putc(ctx, '0');
            putc(ctx, 'x');
            v = (unsigned long)(uintptr_t)va_arg(ap, void *);
            base = 16;
            width = 8;
            zero = true;
            left = false;
            goto number;
        case 'x':
        case 'X':
            base = 16;
            // fall through
        case 'u':
            v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
        number:
            do {
                unsigned d = (unsigned)(v % base);
                *--s = (char)(d < 10 ? '0' + d : (c == 'X' ? 'A' : 'a') + d - 10);
                v /= base;
            } while (v);
            break;
        case 's':
            s = va_arg(ap, char *);
            if (!s)
                s = "(null)";
            end = s;
            while (end - s != prec && *end)
                end++;
            zero = false;
            break;
        case 'c':
            putc(ctx, (char)va_arg(ap, int));
            continue;
        case '\0':
            return;
        default: // "%%" prints '%'; an unknown conversion prints itself, '%' included
            if (c != '%')
                putc(ctx, '%');
            putc(ctx, c);
            continue;
        }
        put_field(putc, ctx, s, (int)(end - s), sign, width, zero, left);
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

void kprintf_sync(const char *fmt, ...)
{
    debug_go_sync(); // from here on kprintf writes straight to the UART
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
