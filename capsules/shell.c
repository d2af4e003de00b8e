// SPDX-License-Identifier: Apache-2.0
// The kernel shell: line editing with echo, process listing and control, debug commands.
#include <stddef.h>

#include "shell.h"

#include <cairn/errorcode.h>
#include <cairn/kassert.h>
#include <cairn/debug.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>

#define SHELL_OF(c) ((struct shell *)((uint8_t *)(c)-offsetof(struct shell, client)))
#define PROMPT      "cairn> "
// kfault reads here; a board whose bus answers there (QEMU virt maps PCIe at 0x40000000)
// names an unmapped address in BOARD_CFLAGS.
#ifndef SHELL_KFAULT_ADDR
#define SHELL_KFAULT_ADDR 0x7FFFFFF0u
#endif

static void out_str(struct shell *s, const char *str)
{
    // Shell output goes through the kernel debug writer, so it is ordered with kernel
    // messages and never blocks; the shell's own UART device is used for input only.
    (void)s;
    kprintf("%s", str);
}

static bool word_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == '\0' && (*b == '\0' || *b == ' ');
}

static const char *arg_of(const char *line)
{
    while (*line && *line != ' ')
        line++;
    while (*line == ' ')
        line++;
    return line;
}

static bool parse_uint(const char *p, uint32_t *v)
{
    if (*p < '0' || *p > '9')
        return false;
    uint32_t n = 0;
    while (*p >= '0' && *p <= '9')
        n = n * 10 + (uint32_t)(*p++ - '0');
    *v = n;
    return *p == '\0' || *p == ' ';
}

static void cmd_ps(void)
{
    kprintf(" slot name             state        id  syscalls slices restarts  ram       "
            "brk/kbrk   dropped\n");
    for (unsigned i = 0; i < process_slots(); i++) {
        struct process_info pi;
        if (!process_info_get(i, &pi))
            continue;
        // Room for the whole line first: with many processes the table is longer than
        // the debug ring, and a typed command may hold the CPU while the UART catches up.
        debug_reserve(128);
        char name[17];
        unsigned n = pi.name_len < 16 ? pi.name_len : 16;
        for (unsigned k = 0; k < n; k++)
            name[k] = pi.name[k];
        name[n] = '\0';
        kprintf(" %4u %-16s %-11s %4u %9u %6u %8u  %5u B  %u/%u   %u\n", i, name, pi.state_name,
                (unsigned)process_short_id(pi.pid), (unsigned)pi.syscalls,
                (unsigned)pi.timeslice_expirations, (unsigned)pi.restarts, (unsigned)pi.mem_len,
                (unsigned)(pi.app_brk - pi.mem_start), (unsigned)(pi.kernel_brk - pi.mem_start),
                (unsigned)pi.dropped_upcalls);
    }
}

// Deliberate kernel stack overflow: each frame keeps a live buffer so it cannot be
// optimised into a loop.
static volatile uint32_t overflow_limit = 0xFFFFFFFFu; // opaque bound: recursion ends only by fault
static uint32_t overflow(uint32_t depth)
{
    volatile uint8_t pad[64];
    pad[0] = (uint8_t)depth;
    if (depth >= overflow_limit)
        return pad[0];
    return overflow(depth + 1) + pad[0];
}

static void run_line(struct shell *s, const char *line)
{
    uint32_t n;
    if (line[0] == '\0')
        return;
    if (word_eq("help", line)) {
        out_str(s, "commands: help, ps, stop N, resume N, kill N, boot N");
        out_str(s, s->debug_commands ? ", kpanic, kfault, koverflow, exit N\n" : "\n");
    } else if (word_eq("ps", line)) {
        cmd_ps();
    } else if (word_eq("stop", line) || word_eq("resume", line) || word_eq("kill", line) ||
               word_eq("boot", line)) {
        if (!parse_uint(arg_of(line), &n)) {
            kprintf("usage: %s SLOT (see ps)\n", line);
            return;
        }
        enum process_action a = word_eq("stop", line)     ? PROCESS_ACTION_STOP
                                : word_eq("resume", line) ? PROCESS_ACTION_RESUME
                                : word_eq("kill", line)   ? PROCESS_ACTION_TERMINATE
                                                          : PROCESS_ACTION_BOOT;
        int err = process_control(n, a);
        kprintf("%s\n", err ? "not possible in that state (or no such slot)" : "ok");
    } else if (s->debug_commands && word_eq("kpanic", line)) {
        kpanic("requested from the shell");
    } else if (s->debug_commands && word_eq("kfault", line)) {
        // A kernel bus fault: read far outside any memory (the board may name another
        // unmapped address).
        (void)*(volatile uint32_t *)SHELL_KFAULT_ADDR; // fence-ok: deliberate fault
    } else if (s->debug_commands && word_eq("koverflow", line)) {
        kprintf("%u\n", (unsigned)overflow(0));
    } else if (s->debug_commands && s->exit_fn && word_eq("exit", line)) {
        n = 0;
        parse_uint(arg_of(line), &n);
        kprintf("shell: exit %u\n", (unsigned)n);
        s->exit_fn((int)n);
    } else {
        kprintf("unknown command '%s' (try help)\n", line);
    }
}

static void shell_rx_done(struct uart_client *c, uint8_t *buf, uint32_t len, int err)
{
    struct shell *s = SHELL_OF(c);
    if (err == OK && len == 1) {
        char ch = (char)buf[0];
        if (ch == '\r' || ch == '\n') {
            kprintf("\n");
            s->line[s->len] = '\0';
            run_line(s, s->line);
            s->len = 0;
            kprintf(PROMPT);
        } else if (ch == 0x7F || ch == '\b') {
            if (s->len) {
                s->len--;
                kprintf("\b \b");
            }
        } else if (ch >= ' ' && ch < 0x7F && s->len + 1 < SHELL_LINE_MAX) {
            s->line[s->len++] = ch;
            kprintf("%c", ch); // echo
        }
    }
    uart_receive(s->uart, &s->rx, 1);
}

void shell_init(struct shell *s, struct uart *uart, bool debug_commands, void (*exit_fn)(int))
{
    s->exit_fn = exit_fn;
    s->uart = uart;
    s->debug_commands = debug_commands;
    s->client.rx_done = shell_rx_done;
    s->client.tx_done = NULL;
    uart_set_client(uart, &s->client);
    kprintf(PROMPT);
    uart_receive(uart, &s->rx, 1);
}
