// SPDX-License-Identifier: Apache-2.0
// The process console: line editor, history, table of commands, app-mode input routing.
#include <stddef.h>

#include "pconsole.h"

#include <cairn/debug.h>
#include <cairn/errorcode.h>
#include <cairn/kassert.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>
#include <cairn/tbf.h>

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "(host)" // kernel builds define it (mk/kernel.mk)
#endif
#define PC_OF(c) ((struct pconsole *)((uint8_t *)(c)-offsetof(struct pconsole, client)))
#define PROMPT   "cairn> "
// kfault reads here; a board whose bus answers there (QEMU virt maps PCIe at 0x40000000)
// names an unmapped address in BOARD_CFLAGS.
#ifndef SHELL_KFAULT_ADDR
#define SHELL_KFAULT_ADDR 0x7FFFFFF0u
#endif

// ---- small helpers ----------------------------------------------------------------------

static void put_n(char c, unsigned n)
{
    while (n--)
        kprintf("%c", c);
}

// Long replies (a table, a map) would overrun the debug writer's ring: wait for room for
// one more line first. It holds the CPU while the UART drains, which a typed command may.
static void room(void)
{
    debug_reserve(200);
}

static bool parse_uint(const char *p, uint32_t *v)
{
    if (*p < '0' || *p > '9')
        return false;
    uint32_t n = 0;
    while (*p >= '0' && *p <= '9')
        n = n * 10 + (uint32_t)(*p++ - '0');
    *v = n;
    return *p == '\0';
}

static uint32_t rd16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const uint8_t *p)
{
    return rd16(p) | rd16(p + 2) << 16;
}

// The name of the process, NUL-terminated and cut to fit out (16 characters + NUL).
static const char *name_of(const struct process_info *pi, char out[17])
{
    unsigned n = pi->name_len < 16 ? pi->name_len : 16;
    for (unsigned k = 0; k < n; k++)
        out[k] = pi->name[k];
    out[n] = '\0';
    return out;
}

// True if arg names this process: its whole package name, or its id in decimal.
static bool names(const struct process_info *pi, const char *arg)
{
    uint32_t id;
    if (parse_uint(arg, &id))
        return id == process_short_id(pi->pid);
    uint32_t i = 0;
    while (i < pi->name_len && arg[i] == pi->name[i])
        i++;
    return i == pi->name_len && arg[i] == '\0';
}

// ---- memory maps --------------------------------------------------------------------------

// One region of a drawn map, listed from the top down: it runs from lo to the previous
// region's lo (the map's top for the first).
struct region {
    uint32_t lo;
    const char *name;
    uint32_t used; // shown as "used | size"; ~0u: size only
};

static void draw(uint32_t top, const struct region *r, unsigned n)
{
    kprintf(" %p +--------------------------------\n", KADDR(top));
    for (unsigned i = 0; i < n; i++) {
        room();
        uint32_t size = top - r[i].lo;
        if (r[i].used == ~0u)
            kprintf("            | %-12s %15u B\n", r[i].name, (unsigned)size);
        else
            kprintf("            | %-12s %6u | %6u B%s\n", r[i].name, (unsigned)r[i].used,
                    (unsigned)size, r[i].used > size ? " EXCEEDED!" : "");
        kprintf(" %p +--------------------------------\n", KADDR(r[i].lo));
        top = r[i].lo;
    }
}

static void cmd_process_map(const struct process_info *pi)
{
    room();
    uint32_t end = pi->mem_start + pi->mem_len;
    struct region r[7] = {
        {pi->pcb, "kernel part", ~0u},
        {pi->kernel_brk, "grants", ~0u},
        {pi->app_brk, "unused", ~0u},
    };
    unsigned n = 3;
    uint32_t st = pi->stack_hint, hp = pi->heap_hint;
    if (st && hp && pi->mem_start <= st && st <= hp && hp <= pi->app_brk) {
        // crt0's layout: stack at the bottom, then data and bss, then the heap.
        r[n++] = (struct region){hp, "heap", pi->app_brk - hp};
        r[n++] = (struct region){st, "data", hp - st};
        r[n++] = (struct region){pi->mem_start, "stack", st - pi->sp};
    } else {
        r[n++] = (struct region){pi->mem_start, "app", ~0u};
    }
    draw(end, r, n);
    struct region f[2] = {{pi->app_start, "app flash", ~0u}, {pi->flash_start, "header", ~0u}};
    draw(pi->flash_start + pi->flash_len, f, 2);
}

// Kernel attributes as Tock publishes them below the apps start and tockloader reads
// them: "TOCK" in the last 4 bytes, a version byte (1) below, then TLVs read downwards,
// each with (type, length) at its high end and its value below.
struct kattrs {
    uint32_t app_mem[2], kernel_bin[2];
    uint16_t version[4];
};

static bool read_attributes(uint32_t end, struct kattrs *ka)
{
    const uint8_t *p = (const uint8_t *)(uintptr_t)end;
    if (p[-4] != 'T' || p[-3] != 'O' || p[-2] != 'C' || p[-1] != 'K' || p[-5] != 1)
        return false;
    p -= 8;
    for (unsigned i = 0; i < 8; i++) { // bounded: a few TLVs at most
        uint32_t t = rd16(p - 4), l = rd16(p - 2);
        const uint8_t *v = p - 4 - l;
        if (t == 0x0101 && l == 8) {
            ka->app_mem[0] = rd32(v), ka->app_mem[1] = rd32(v + 4);
        } else if (t == 0x0102 && l == 8) {
            ka->kernel_bin[0] = rd32(v), ka->kernel_bin[1] = rd32(v + 4);
        } else if (t == 0x0103 && l == 8) {
            for (unsigned k = 0; k < 4; k++)
                ka->version[k] = (uint16_t)rd16(v + 2 * k);
        } else {
            break;
        }
        p = v;
    }
    return true;
}

// ---- commands ---------------------------------------------------------------------------

struct pconsole;
typedef void cmd_fn(struct pconsole *pc, const char *arg, unsigned op);

struct command {
    const char *name;
    cmd_fn *fn;
    uint8_t op;    // what fn does (an enum process_action for process commands)
    uint8_t flags; // CMD_*
};
enum { CMD_ARG = 1, CMD_DEBUG = 2, CMD_ALL = 4 };

static void cmd_help(struct pconsole *pc, const char *arg, unsigned op);

static void cmd_status(struct pconsole *pc, const char *arg, unsigned op)
{
    (void)pc, (void)arg, (void)op;
    unsigned total = 0, active = 0, slices = 0;
    for (unsigned i = 0; i < process_slots(); i++) {
        struct process_info pi;
        if (!process_info_get(i, &pi))
            continue;
        total++;
        active += pi.state <= 2; // running, yielded, yielded-for
        slices += pi.timeslice_expirations;
    }
    kprintf("Total processes: %u\nActive processes: %u\nTimeslice expirations: %u\n"
            "Free process RAM: %u B\n",
            total, active, slices, (unsigned)process_pool_free());
}

static void cmd_list(struct pconsole *pc, const char *arg, unsigned op)
{
    (void)arg, (void)op;
    procid_t reader;
    console_reader(pc->con, &reader);
    kprintf(" PID Name              Quanta  Syscalls Restarts   Grants State\n");
    for (unsigned i = 0; i < process_slots(); i++) {
        struct process_info pi;
        char nm[17];
        if (!process_info_get(i, &pi))
            continue;
        room();
        kprintf(" %3u %-16s %7u %9u %8u %6u B %s%s%s\n", (unsigned)process_short_id(pi.pid),
                name_of(&pi, nm), (unsigned)pi.timeslice_expirations, (unsigned)pi.syscalls,
                (unsigned)pi.restarts, (unsigned)(pi.pcb - pi.kernel_brk), pi.state_name,
                pi.filtered ? ", filtered" : "", pi.pid == reader ? ", reading console" : "");
    }
}

// start, stop, fault, terminate, boot: every process the argument names.
static void cmd_control(struct pconsole *pc, const char *arg, unsigned op)
{
    (void)pc;
    static const char *const done[] = {
        [PROCESS_ACTION_RESUME] = "resumed", [PROCESS_ACTION_STOP] = "stopped",
        [PROCESS_ACTION_FAULT] = "faulted",  [PROCESS_ACTION_TERMINATE] = "terminated",
        [PROCESS_ACTION_BOOT] = "booted",
    };
    unsigned found = 0;
    for (unsigned i = 0; i < process_slots(); i++) {
        struct process_info pi;
        char nm[17];
        if (!process_info_get(i, &pi) || !names(&pi, arg))
            continue;
        found++;
        uint32_t id = process_short_id(pi.pid);
        if (process_control(i, (enum process_action)op) == OK)
            kprintf("Process %s (id %u) %s.\n", name_of(&pi, nm), (unsigned)id, done[op]);
        else
            kprintf("Process %s (id %u) is %s: not possible.\n", name_of(&pi, nm), (unsigned)id,
                    pi.state_name);
    }
    if (!found)
        kprintf("No process named '%s' (see list).\n", arg);
}

static void cmd_process(struct pconsole *pc, const char *arg, unsigned op)
{
    (void)pc, (void)op;
    for (unsigned i = 0; i < process_slots(); i++) {
        struct process_info pi;
        char nm[17];
        if (!process_info_get(i, &pi) || !names(&pi, arg))
            continue;
        kprintf("App: %s (id %u, slot %u) [%s]\n Events queued: %u  Syscalls: %u  Dropped "
                "upcalls: %u  Restarts: %u  Completion code: %u\n",
                name_of(&pi, nm), (unsigned)process_short_id(pi.pid), i, pi.state_name,
                (unsigned)pi.pending_upcalls, (unsigned)pi.syscalls, (unsigned)pi.dropped_upcalls,
                (unsigned)pi.restarts, (unsigned)pi.completion_code);
        cmd_process_map(&pi);
        return;
    }
    kprintf("No process named '%s' (see list).\n", arg);
}

// The high-water mark since boot: what every path taken so far left of the stack.
static void kstack_line(const struct pconsole_board *b)
{
    if (b->kstack_unused)
        kprintf(" Kernel stack %u B, %u B never used\n", (unsigned)(b->kstack_top - b->ram_start),
                (unsigned)b->kstack_unused());
}

static void cmd_kernel(struct pconsole *pc, const char *arg, unsigned op)
{
    (void)arg, (void)op;
    const struct pconsole_board *b = pc->board;
    struct kattrs ka = {0};
    if (!read_attributes(b->attributes_end, &ka)) {
        kprintf("Kernel version %u.%u (Cairn " CAIRN_VERSION "), no kernel attributes\n",
                CAIRN_KERNEL_MAJOR, CAIRN_KERNEL_MINOR);
        kstack_line(b);
        return;
    }
    kprintf("Kernel version %u.%u.%u (Cairn " CAIRN_VERSION "), attributes v1 at %p\n",
            ka.version[0], ka.version[1], ka.version[2], KADDR(b->attributes_end));
    kprintf(" App memory %p-%p, %u B\n", KADDR(ka.app_mem[0]), KADDR(ka.app_mem[0] + ka.app_mem[1]),
            (unsigned)ka.app_mem[1]);
    kstack_line(b);
    const struct region ram[] = {
        {b->kernel_ram_end, "unused", ~0u},
        {b->kstack_top, "static data", ~0u},
        {b->ram_start, "stack", ~0u},
    };
    draw(ka.app_mem[0], ram, 3);
    const struct region flash[] = {{ka.kernel_bin[0], "code, rodata", ~0u}};
    draw(ka.kernel_bin[0] + ka.kernel_bin[1], flash, 1);
}

static void cmd_reset(struct pconsole *pc, const char *arg, unsigned op)
{
    (void)arg, (void)op;
    if (pc->board->reset_fn) {
        kprintf("Resetting the board.\n");
        debug_reserve(~0u); // drain: the reset would cut what is still buffered
        pc->board->reset_fn();
    }
    kprintf("Reset is not supported on this board.\n");
}

static void cmd_mode(struct pconsole *pc, const char *arg, unsigned op)
{
    (void)arg;
    if (op) {
        kprintf("Process console stopped: keys go to the app reading the console. "
                "Ctrl-\\ returns.\n");
        pc->app_mode = 1;
        pc->after_cr = 0;
    } else {
        kprintf("Process console active.\n");
    }
}

// Deliberate kernel stack overflow: each frame keeps a live buffer so it cannot be
// optimised into a loop, and writes all of it from the top down: a frame is larger than
// the 32-byte stack guard, and one that wrote only a byte of it could step over the
// guard (on the an385 writes below SRAM are ignored) and lock up instead of reporting.
// The bound is opaque to the compiler (recursion ends only by fault) through an empty asm
// that claims to change it: a static volatile one stayed in the data of images without
// this capsule (GCC keeps unreferenced volatile objects), and a volatile local would be
// a store at the bottom of the frame, below the guard before any store hits it.
static uint32_t overflow(uint32_t depth)
{
    volatile uint8_t pad[64];
    uint32_t limit = 0xFFFFFFFFu;
    __asm__("" : "+r"(limit));
    for (unsigned i = sizeof pad; i-- > 0;)
        pad[i] = (uint8_t)depth;
    if (depth >= limit)
        return pad[0];
    return overflow(depth + 1) + pad[0];
}

static void cmd_debug(struct pconsole *pc, const char *arg, unsigned op)
{
    uint32_t n = 0;
    switch (op) {
    case 0:
        kpanic("requested from the process console");
    case 1:
        // A kernel bus fault: read far outside any memory (the board may name another
        // unmapped address).
        (void)*(volatile uint32_t *)SHELL_KFAULT_ADDR; // fence-ok: deliberate fault
        break;
    case 2:
        kprintf("%u\n", (unsigned)overflow(0));
        break;
    default:
        if (!pc->board->exit_fn)
            break;
        parse_uint(arg, &n);
        kprintf("console: exit %u\n", (unsigned)n);
        pc->board->exit_fn((int)n);
    }
}

static const struct command commands[] = {
    {"help", cmd_help, 0, 0},
    {"status", cmd_status, 0, 0},
    {"list", cmd_list, 0, 0},
    {"start", cmd_control, PROCESS_ACTION_RESUME, CMD_ARG},
    {"stop", cmd_control, PROCESS_ACTION_STOP, CMD_ARG},
    {"fault", cmd_control, PROCESS_ACTION_FAULT, CMD_ARG},
    {"terminate", cmd_control, PROCESS_ACTION_TERMINATE, CMD_ARG},
    {"boot", cmd_control, PROCESS_ACTION_BOOT, CMD_ARG},
    {"process", cmd_process, 0, CMD_ARG},
    {"kernel", cmd_kernel, 0, 0},
    {"reset", cmd_reset, 0, 0},
    {"console-start", cmd_mode, 0, 0},
    {"console-stop", cmd_mode, 1, 0},
    {"kpanic", cmd_debug, 0, CMD_DEBUG},
    {"kfault", cmd_debug, 1, CMD_DEBUG},
    {"koverflow", cmd_debug, 2, CMD_DEBUG},
    {"exit", cmd_debug, 3, CMD_DEBUG | CMD_ALL},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static bool available(const struct pconsole *pc, const struct command *c)
{
    return !(c->flags & CMD_DEBUG) || pc->board->debug_commands;
}

static void cmd_help(struct pconsole *pc, const char *arg, unsigned op)
{
    (void)arg, (void)op;
    kprintf("Commands:");
    for (unsigned i = 0; i < N_COMMANDS; i++)
        if (available(pc, &commands[i]))
            kprintf(" %s%s", commands[i].name, commands[i].flags & CMD_ARG ? " NAME|ID" : "");
    kprintf("\nIn app mode (console-stop) Ctrl-\\ returns here.\n");
}

static void run_command(struct pconsole *pc, char *line, const char *arg);

static void run_line(struct pconsole *pc, char *line)
{
    while (*line == ' ')
        line++;
    char *arg = line;
    while (*arg && *arg != ' ')
        arg++;
    if (*arg)
        *arg++ = '\0';
    while (*arg == ' ')
        arg++;
    for (char *e = arg + (arg[0] ? 1 : 0); *e; e++) // trailing blanks end the argument
        if (*e == ' ' && (e[1] == ' ' || e[1] == '\0'))
            *e = '\0';
    if (!*line)
        return;
    // The user asked for this reply: it comes out whole even while apps flood the debug
    // output (their bytes are the ones dropped then), at the price of holding the CPU while
    // the UART drains (tests/qemu/pconsole_reply_whole.test).
    debug_hold(true);
    run_command(pc, line, arg);
    debug_hold(false);
}

static void run_command(struct pconsole *pc, char *line, const char *arg)
{
    for (unsigned i = 0; i < N_COMMANDS; i++) {
        const struct command *c = &commands[i];
        const char *a = line, *b = c->name;
        while (*a && *a == *b)
            a++, b++;
        if (*a || *b || !available(pc, c))
            continue;
        if ((c->flags & CMD_ARG) && !*arg)
            kprintf("usage: %s NAME|ID (see list)\n", c->name);
        else if (!(c->flags & (CMD_ARG | CMD_ALL)) && *arg)
            kprintf("%s takes no argument\n", c->name);
        else
            c->fn(pc, arg, c->op);
        return;
    }
    kprintf("Unknown command '%s' (try help)\n", line);
}

// ---- line editor and history -------------------------------------------------------------

// Erase the line on screen, cursor to its start.
static void wipe(struct pconsole *pc)
{
    put_n('\b', pc->cur);
    put_n(' ', pc->len);
    put_n('\b', pc->len);
    pc->cur = 0;
}

// Print the line from the cursor on, then bring the terminal cursor back; extra blanks
// cover what a deletion left behind.
static void redraw_tail(struct pconsole *pc, unsigned extra)
{
    for (unsigned i = pc->cur; i < pc->len; i++)
        kprintf("%c", pc->line[i]);
    put_n(' ', extra);
    put_n('\b', pc->len - pc->cur + extra);
}

// Start of the k-th newest history line (k >= 1), or -1 if there are fewer.
static int hist_find(const struct pconsole *pc, unsigned k)
{
    int p = pc->hist_len;
    while (k--) {
        if (p == 0)
            return -1;
        p--; // onto the previous line's NUL
        while (p > 0 && pc->hist[p - 1])
            p--;
    }
    return p;
}

static void hist_push(struct pconsole *pc)
{
    int last = hist_find(pc, 1);
    unsigned n = pc->len + 1u;
    pc->line[pc->len] = '\0';
    if (pc->len == 0 || n > PCONSOLE_HIST)
        return;
    if (last >= 0) { // the same line twice in a row is kept once
        unsigned i = 0;
        while (pc->hist[last + (int)i] == pc->line[i] && pc->line[i])
            i++;
        if (pc->hist[last + (int)i] == pc->line[i])
            return;
    }
    while (pc->hist_len + n > PCONSOLE_HIST) { // drop the oldest lines
        unsigned first = 0;
        while (pc->hist[first++])
            ;
        for (unsigned i = first; i < pc->hist_len; i++)
            pc->hist[i - first] = pc->hist[i];
        pc->hist_len = (uint8_t)(pc->hist_len - first);
    }
    for (unsigned i = 0; i < n; i++)
        pc->hist[pc->hist_len + i] = pc->line[i];
    pc->hist_len = (uint8_t)(pc->hist_len + n);
}

// Up (dir 1) or down (dir -1) through the history; below the newest is an empty line.
static void hist_move(struct pconsole *pc, int dir)
{
    int sel = pc->hist_sel + dir;
    int at = sel > 0 ? hist_find(pc, (unsigned)sel) : 0;
    if (sel < 0 || at < 0)
        return;
    pc->hist_sel = (uint8_t)sel;
    wipe(pc);
    pc->len = 0;
    while (sel > 0 && pc->hist[at + pc->len])
        pc->line[pc->len] = pc->hist[at + pc->len], pc->len++;
    pc->cur = pc->len;
    for (unsigned i = 0; i < pc->len; i++)
        kprintf("%c", pc->line[i]);
}

static void edit_key(struct pconsole *pc, uint8_t ch)
{
    if (pc->esc) {
        if (pc->esc == 1 && (ch == '[' || ch == 'O')) {
            pc->esc = 2;
            return;
        }
        if (pc->esc == 2 && ch >= '0' && ch <= '9')
            return; // parameters (ESC [ 3 ~): ignored
        pc->esc = 0;
        if (ch == 'A' || ch == 'B') {
            hist_move(pc, ch == 'A' ? 1 : -1);
        } else if (ch == 'C' && pc->cur < pc->len) {
            kprintf("%c", pc->line[pc->cur++]);
        } else if (ch == 'D' && pc->cur > 0) {
            pc->cur--;
            kprintf("\b");
        }
        return;
    }
    if (ch == 0x1B) {
        pc->esc = 1;
    } else if (ch == '\r' || ch == '\n') {
        // CR LF from a terminal is one Enter: an LF right after a CR is dropped.
        if (ch == '\n' && pc->after_cr) {
            pc->after_cr = 0;
            return;
        }
        kprintf("\n");
        hist_push(pc);
        pc->hist_sel = 0;
        pc->len = pc->cur = 0;
        run_line(pc, pc->line);
        if (!pc->app_mode)
            kprintf(PROMPT);
    } else if (ch == 0x7F || ch == '\b') {
        if (pc->cur == 0)
            return;
        pc->cur--;
        for (unsigned i = pc->cur; i + 1u < pc->len; i++)
            pc->line[i] = pc->line[i + 1];
        pc->len--;
        kprintf("\b");
        redraw_tail(pc, 1);
    } else if (ch == 0x15) { // Ctrl-U: kill the line
        wipe(pc);
        pc->len = 0;
    } else if (ch >= ' ' && ch < 0x7F && pc->len + 1 < PCONSOLE_LINE_MAX) {
        for (unsigned i = pc->len; i > pc->cur; i--)
            pc->line[i] = pc->line[i - 1];
        pc->line[pc->cur] = (char)ch;
        pc->len++;
        kprintf("%c", ch);
        pc->cur++;
        redraw_tail(pc, 0);
    }
}

// App mode: the byte goes to the console driver's input ring. Terminals send CR for
// Enter and stdio waits for LF, so CR becomes LF and the LF of a CR LF pair is dropped.
static void app_key(struct pconsole *pc, uint8_t ch)
{
    if (ch == PCONSOLE_ESCAPE) {
        pc->app_mode = 0;
        pc->len = pc->cur = 0;
        pc->esc = 0;
        kprintf("\nProcess console active.\n" PROMPT);
        return;
    }
    bool lf = ch == '\n' && pc->after_cr;
    pc->after_cr = ch == '\r';
    if (lf)
        return;
    if (ch == '\r')
        ch = '\n';
    if (!console_input(pc->con, ch))
        kprintf("\a"); // ring full: the byte is refused, the terminal beeps
    else if (ch == '\n')
        kprintf("\n");
    else if (ch >= ' ' && ch < 0x7F)
        kprintf("%c", ch);
}

static void pconsole_rx_done(struct uart_client *c, uint8_t *buf, uint32_t len, int err)
{
    struct pconsole *pc = PC_OF(c);
    if (err == OK && len == 1) {
        if (pc->app_mode) {
            app_key(pc, buf[0]);
        } else {
            edit_key(pc, buf[0]);
            pc->after_cr = buf[0] == '\r';
        }
    }
    uart_receive(pc->uart, &pc->rx, 1);
}

void pconsole_init(struct pconsole *pc, struct uart *uart, struct console *con,
                   const struct pconsole_board *board)
{
    pc->uart = uart;
    pc->con = con;
    pc->board = board;
    pc->client.rx_done = pconsole_rx_done;
    pc->client.tx_done = NULL;
    uart_set_client(uart, &pc->client);
    kprintf(PROMPT);
    uart_receive(uart, &pc->rx, 1);
}
