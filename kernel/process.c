// SPDX-License-Identifier: Apache-2.0
// Process lifecycle (create, restart, terminate, fault policy), break moves, upcall queue.
#include <stddef.h>

#include "process.h"
#include "sched.h"
#include <cairn/debug.h>
#include <cairn/errorcode.h>
#include <cairn/kassert.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>

struct process *process_table[PROCESS_MAX];

// Generations start at 1 so that no live pid is ever PROCID_NONE (0).
static uint32_t next_generation = 1;

static uint32_t new_id(unsigned index)
{
    uint32_t g = next_generation++;
    if (next_generation >= (1u << 24))
        next_generation = 1;
    return (g << 8) | index;
}

uint32_t process_kernel_part(void)
{
    return (sizeof(struct process) + 7u) & ~7u;
}

struct process *process_get(procid_t pid)
{
    unsigned i = PROCID_INDEX(pid);
    if (i >= PROCESS_MAX)
        return NULL;
    struct process *p = process_table[i];
    if (!p || p->id != pid)
        return NULL;
    return p;
}

bool process_alive(procid_t pid)
{
    struct process *p = process_get(pid);
    return p && p->state != PROC_FAULTED && p->state != PROC_TERMINATED;
}

uint32_t process_short_id(procid_t pid)
{
    return pid >> 8;
}

static void zero(uint32_t from, uint32_t to)
{
    for (uint8_t *b = (uint8_t *)(uintptr_t)from; b < (uint8_t *)(uintptr_t)to; b++)
        *b = 0;
}

// The MPU is about to let p reach [mem_start, reach): zero what this incarnation has not
// been able to reach before (it may hold an earlier incarnation's data or grants). Costs
// only the newly exposed bytes, so a restart does not pay for the whole block.
static void expose(struct process *p, uint32_t reach)
{
    if (reach <= p->clean_to)
        return;
    zero(p->clean_to, reach);
    p->clean_to = reach;
}

// Fresh incarnation: registers, break, queue, counters. The RAM block and flash stay.
static void process_reset(struct process *p)
{
    grant_release_all(p);
    p->id = new_id(p->index);
    p->app_brk = p->mem_start + ARCH_MIN_APP_RAM;
    p->kernel_brk = (uint32_t)(uintptr_t)p;
    p->allow_hwm = p->mem_start;
    p->q_head = p->q_len = 0;
    p->syscalls = p->timeslice_expirations = p->dropped_upcalls = 0;
    p->last_syscall = 0;
    p->stack_hint = p->heap_hint = 0;
    p->yield_for_origin = 0;
    p->slice_left_us = 0;
    // Nothing below the control block is this incarnation's yet.
    p->clean_to = p->mem_start;
    expose(p, arch_mpu_ram_reach(p->mem_start, p->mem_len, p->app_brk));
    arch_ctx_init(&p->ctx, p->mem_start);
    bool ok = arch_mpu_plan(&p->mpu, p->flash_start, p->flash_len, p->mem_start, p->mem_len,
                            p->app_brk, p->kernel_brk);
    kassert(ok); // the loader checked the same plan before creating the process
    p->mpu_dirty = 1;
    // The entry call: _start(app_start, mem_start, mem_len, app_brk), delivered like an
    // upcall the first time the process is scheduled.
    struct upcall_task entry = {
        .fn = p->entry,
        .appdata = p->app_brk,
        .a = {p->app_start, p->mem_start, p->mem_len},
        .origin = TASK_ORIGIN_KERNEL,
    };
    process_queue_push(p, &entry);
    p->state = PROC_YIELDED;
}

struct process *process_create(unsigned index, uint32_t flash_start, uint32_t flash_len,
                               uint32_t app_start, uint32_t entry, uint32_t min_ram,
                               const char *name, uint32_t name_len, uint32_t mem_start,
                               uint32_t mem_len)
{
    kassert(index < PROCESS_MAX && !process_table[index]);
    struct process *p = (struct process *)(uintptr_t)(mem_start + mem_len - process_kernel_part());
    zero((uint32_t)(uintptr_t)p, mem_start + mem_len);
    p->mem_start = mem_start;
    p->mem_len = mem_len;
    p->flash_start = flash_start;
    p->flash_len = flash_len;
    p->app_start = app_start;
    p->entry = entry;
    p->min_ram = min_ram;
    p->name = name;
    p->name_len = (uint8_t)(name_len > 255 ? 255 : name_len);
    p->index = (uint8_t)index;
    process_table[index] = p;
    process_reset(p);
    return p;
}

void process_restart(struct process *p)
{
    arch_fault_cleanup();
    p->restarts++;
    process_reset(p);
}

void process_terminate(struct process *p, uint32_t code)
{
    grant_release_all(p);
    p->kernel_brk = (uint32_t)(uintptr_t)p;
    p->completion_code = code;
    p->q_len = 0;
    // A new generation now, so capsules holding the old pid fail from this moment.
    p->id = new_id(p->index);
    p->state = PROC_TERMINATED;
}

const char *process_state_name(unsigned state)
{
    static const char *const names[] = {"running", "yielded", "yielded-for",
                                        "stopped", "faulted", "terminated"};
    return state < sizeof names / sizeof names[0] ? names[state] : "?";
}

void process_print_map(const struct process *p)
{
    uint32_t end = p->mem_start + p->mem_len;
    kprintf("  memory map:\n");
    kprintf("    flash  0x%08x-0x%08x  (%u B, binary at 0x%08x)\n", (unsigned)p->flash_start,
            (unsigned)(p->flash_start + p->flash_len), (unsigned)p->flash_len,
            (unsigned)p->app_start);
    kprintf("    ram    0x%08x-0x%08x  (%u B)\n", (unsigned)p->mem_start, (unsigned)end,
            (unsigned)p->mem_len);
    kprintf("    app    0x%08x-0x%08x  (%u B accessible, break 0x%08x)\n", (unsigned)p->mem_start,
            (unsigned)p->app_brk, (unsigned)(p->app_brk - p->mem_start), (unsigned)p->app_brk);
    kprintf("    free   0x%08x-0x%08x  (%u B)\n", (unsigned)p->app_brk, (unsigned)p->kernel_brk,
            (unsigned)(p->kernel_brk - p->app_brk));
    kprintf("    kernel 0x%08x-0x%08x  (%u B: grants, process control block)\n",
            (unsigned)p->kernel_brk, (unsigned)end, (unsigned)(end - p->kernel_brk));
    if (p->stack_hint)
        kprintf("    stack top hint 0x%08x, heap start hint 0x%08x\n", (unsigned)p->stack_hint,
                (unsigned)p->heap_hint);
}

static void print_name(const struct process *p)
{
    kprintf("'");
    for (unsigned i = 0; i < p->name_len; i++)
        kprintf("%c", p->name[i]);
    kprintf("'");
}

// Where the process was, in the terms of its own ELF: the address each was linked at
// (ARCH_APP_FLASH_LINK: position-independent apps are linked there and run at app_start;
// 0: linked where they run), as a line to paste into a shell.
static void print_where(const struct process *p, const struct arch_mem_bounds *mem)
{
    uint32_t pc, lr, end = p->flash_start + p->flash_len;
    if (!arch_ctx_pc_lr(&p->ctx, mem, &pc, &lr) || pc < p->app_start || pc >= end)
        return;
    uint32_t base = ARCH_APP_FLASH_LINK ? ARCH_APP_FLASH_LINK : p->app_start;
    kprintf("  pc app+0x%x; source: " ARCH_ADDR2LINE " -pfi -e " ARCH_APPS_DIR "/",
            (unsigned)(pc - p->app_start));
    for (unsigned k = 0; k < 2; k++) {
        kprintf(k ? "/" : "");
        for (unsigned i = 0; i < p->name_len; i++)
            kprintf("%c", p->name[i]);
    }
    if (!ARCH_APP_FLASH_LINK) // one ELF per slot: the one linked for this flash and RAM
        kprintf(".0x%08x.0x%08x", (unsigned)p->app_start, (unsigned)p->mem_start);
    kprintf(".elf 0x%x", (unsigned)(pc - p->app_start + base));
    if (lr >= p->app_start && lr < end)
        kprintf(" 0x%x", (unsigned)(lr - p->app_start + base));
    kprintf("\n");
}

static const char *syscall_class_name(unsigned c)
{
    static const char *const names[] = {"yield",    "subscribe", "command", "allow-rw",
                                        "allow-ro", "memop",     "exit",    "allow-ur"};
    return c < sizeof names / sizeof names[0] ? names[c] : "?";
}

void process_fault(struct process *p, const char *why, bool cpu_fault)
{
    const struct kernel_config *cfg = kernel_config();
    debug_reserve(700);
    kprintf("\n--- process ");
    print_name(p);
    kprintf(" (slot %u, id %u) faulted: %s ---\n", (unsigned)p->index,
            (unsigned)process_short_id(p->id), why);
    if (cpu_fault)
        arch_fault_print();
    struct arch_mem_bounds mem = process_bounds(p);
    arch_ctx_print(&p->ctx, &mem);
    debug_reserve(700);
    print_where(p, &mem);
    uint32_t sp = arch_ctx_sp(&p->ctx);
    if (!arch_ctx_stack_ok(&p->ctx, &mem)) {
        kprintf("  stack pointer 0x%08x is outside the process's RAM 0x%08x-0x%08x\n", (unsigned)sp,
                (unsigned)mem.start, (unsigned)mem.brk);
        // The stack is at the bottom of the process's RAM (userland/app.ld): just below
        // it, the stack ran out. Its size is what crt0 reported (memop 10, stack top).
        if (sp < mem.start && mem.start - sp <= 4096)
            kprintf("  stack overflow: %u B below the stack (stack %u B)\n",
                    (unsigned)(mem.start - sp),
                    (unsigned)(p->stack_hint > mem.start ? p->stack_hint - mem.start : 0));
    }
    // The dump is longer than the debug buffer: drain it again rather than lose lines.
    debug_reserve(700);
    process_print_map(p);
    unsigned cls = p->last_syscall & 0xFF;
    bool to_driver = cls == 1 || cls == 2 || cls == 3 || cls == 4 || cls == 7;
    kprintf("  syscalls %u, last syscall class %u (%s, %s 0x%x), timeslice expirations %u, "
            "restarts %u, dropped upcalls %u\n",
            (unsigned)p->syscalls, cls, syscall_class_name(cls), to_driver ? "driver" : "arg0",
            (unsigned)(p->last_syscall >> 8), (unsigned)p->timeslice_expirations,
            (unsigned)p->restarts, (unsigned)p->dropped_upcalls);
    arch_fault_cleanup();
    switch (cfg ? cfg->fault_policy : FAULT_POLICY_STOP) {
    case FAULT_POLICY_PANIC:
        kpanic("process fault with the panic policy");
    case FAULT_POLICY_RESTART:
        if (p->restarts < cfg->restart_threshold) {
            kprintf("  policy: restart (%u of %u)\n", (unsigned)p->restarts + 1,
                    (unsigned)cfg->restart_threshold);
            process_restart(p);
            return;
        }
        kprintf("  policy: restart threshold %u reached, process stopped\n",
                (unsigned)cfg->restart_threshold);
        break;
    case FAULT_POLICY_STOP:
        kprintf("  policy: stop\n");
        break;
    }
    grant_release_all(p);
    p->kernel_brk = (uint32_t)(uintptr_t)p;
    p->q_len = 0;
    p->id = new_id(p->index);
    p->state = PROC_FAULTED;
}

int process_set_brk(struct process *p, uint32_t new_brk)
{
    // Checked in this order so each rule stands alone (and overflow cannot slip by):
    // not below allowed buffers (nor mem_start), not into the kernel part, and only what
    // the MPU can express without exposing kernel-owned bytes.
    if (new_brk < p->allow_hwm || new_brk > p->kernel_brk)
        return NOMEM;
    if (new_brk == p->app_brk)
        return OK; // sbrk(0), the common "where is the break" query: nothing to replan
    struct arch_mpu_config plan = p->mpu;
    if (!arch_mpu_plan(&plan, p->flash_start, p->flash_len, p->mem_start, p->mem_len, new_brk,
                       p->kernel_brk))
        return NOMEM;
    // Memory below a raised break starts zeroed (the contract apps see), also where this
    // incarnation had it before; what lies above clean_to, expose clears anyway.
    uint32_t own_end = new_brk < p->clean_to ? new_brk : p->clean_to;
    if (own_end > p->app_brk)
        zero(p->app_brk, own_end);
    expose(p, arch_mpu_ram_reach(p->mem_start, p->mem_len, new_brk));
    p->app_brk = new_brk;
    p->mpu = plan;
    p->mpu_dirty = 1;
    return OK;
}

// ---- upcall queue: ring of UPCALL_QUEUE_LEN tasks, q_head oldest, q_len stored ----

static struct upcall_task *q_at(struct process *p, unsigned i)
{
    return &p->q[(p->q_head + i) % UPCALL_QUEUE_LEN];
}

static void q_remove(struct process *p, unsigned i, struct upcall_task *out)
{
    if (out)
        *out = *q_at(p, i);
    // Shift the later tasks down one to keep order (the queue is at most 8 long).
    for (unsigned j = i; j + 1 < p->q_len; j++)
        *q_at(p, j) = *q_at(p, j + 1);
    p->q_len--;
}

// The origin a process is blocked on in yield-wait-for (also while stopped there), or
// TASK_ORIGIN_KERNEL, which no upcall_schedule can produce, when it waits for none.
static uint32_t awaited_origin(const struct process *p)
{
    if (p->state == PROC_YIELDED_FOR ||
        (p->state == PROC_STOPPED && p->stopped_from == PROC_YIELDED_FOR))
        return p->yield_for_origin;
    return TASK_ORIGIN_KERNEL;
}

static unsigned q_count_origin(struct process *p, uint32_t origin)
{
    unsigned n = 0;
    for (unsigned i = 0; i < p->q_len; i++)
        n += q_at(p, i)->origin == origin;
    return n;
}

// Which queued task makes room for t in a full queue (doc/kernel.md, "Queue policy"), or
// -1 if t itself is the one to drop. The origin holding the most tasks, t counted with
// its own, loses its oldest task, t's own origin first on a tie: a repeating source keeps
// its latest events instead of a backlog, and never pushes out a source that has fewer.
// Only when every task (t included) has an origin of its own is t dropped, unless t is
// what the process is blocked waiting for: then the oldest task goes. The entry call is
// never chosen. Invariant this keeps: an origin with a task queued still has one after
// any push, except in that last case (more distinct origins than the queue holds).
static int q_victim(struct process *p, const struct upcall_task *t)
{
    unsigned own = q_count_origin(p, t->origin) + 1, most = own;
    int victim = -1;
    // Oldest first with a strict comparison: the index kept is the oldest task of the
    // fullest other origin, and among equally full ones the one waiting longest.
    for (unsigned i = 0; i < p->q_len; i++) {
        uint32_t o = q_at(p, i)->origin;
        if (o == TASK_ORIGIN_KERNEL || o == t->origin)
            continue;
        unsigned n = q_count_origin(p, o);
        if (n > most) {
            most = n;
            victim = (int)i;
        }
    }
    if (victim >= 0)
        return victim;
    bool awaited = t->origin == awaited_origin(p);
    for (unsigned i = 0; i < p->q_len; i++) {
        uint32_t o = q_at(p, i)->origin;
        if ((own >= 2 && o == t->origin) || (own < 2 && awaited && o != TASK_ORIGIN_KERNEL))
            return (int)i;
    }
    return -1;
}

bool process_queue_push(struct process *p, const struct upcall_task *t)
{
    if (p->q_len == UPCALL_QUEUE_LEN) {
        // Every overflow loses one event, the new one or an older one: count it.
        p->dropped_upcalls++;
        int victim = q_victim(p, t);
        if (victim < 0)
            return false;
        q_remove(p, (unsigned)victim, NULL);
    }
    *q_at(p, p->q_len) = *t;
    p->q_len++;
    return true;
}

bool process_queue_pop_callable(struct process *p, struct upcall_task *out)
{
    while (p->q_len) {
        struct upcall_task *t = q_at(p, 0);
        if (t->fn) {
            q_remove(p, 0, out);
            return true;
        }
        q_remove(p, 0, NULL); // null record: nobody to call, yield-wait drops it
    }
    return false;
}

bool process_queue_take_origin(struct process *p, uint32_t origin, struct upcall_task *out)
{
    for (unsigned i = 0; i < p->q_len; i++)
        if (q_at(p, i)->origin == origin) {
            q_remove(p, i, out);
            return true;
        }
    return false;
}

bool process_queue_has_origin(const struct process *p, uint32_t origin)
{
    for (unsigned i = 0; i < p->q_len; i++)
        if (p->q[(p->q_head + i) % UPCALL_QUEUE_LEN].origin == origin)
            return true;
    return false;
}

bool process_queue_has_callable(const struct process *p)
{
    for (unsigned i = 0; i < p->q_len; i++)
        if (p->q[(p->q_head + i) % UPCALL_QUEUE_LEN].fn)
            return true;
    return false;
}

bool process_runnable(const struct process *p)
{
    switch (p->state) {
    case PROC_RUNNING:
        return true;
    case PROC_YIELDED:
        return process_queue_has_callable(p);
    case PROC_YIELDED_FOR:
        return process_queue_has_origin(p, p->yield_for_origin);
    default:
        return false;
    }
}

int upcall_schedule(procid_t pid, uint32_t driver, uint32_t subscribe, uint32_t a0, uint32_t a1,
                    uint32_t a2)
{
    struct process *p = process_get(pid);
    if (!p || p->state == PROC_FAULTED || p->state == PROC_TERMINATED)
        return NODEVICE;
    // Until the process subscribes a function the event is a null record, which only
    // yield-wait-for consumes.
    struct upcall_task t = {
        .fn = 0, .appdata = 0, .a = {a0, a1, a2}, .origin = TASK_ORIGIN(driver, subscribe)};
    int err = upcall_lookup_subscription(p, driver, subscribe, &t.fn, &t.appdata);
    if (err)
        return err;
    if (!process_queue_push(p, &t))
        return NOMEM;
    return OK;
}

// ---- read-only views and control for kernel services ----------------------------------

unsigned process_slots(void)
{
    return PROCESS_MAX;
}

bool process_info_get(unsigned slot, struct process_info *out)
{
    if (slot >= PROCESS_MAX || !process_table[slot])
        return false;
    const struct process *p = process_table[slot];
    *out = (struct process_info){
        .pid = p->id,
        .name = p->name,
        .name_len = p->name_len,
        .state = p->state,
        .state_name = process_state_name(p->state),
        .syscalls = p->syscalls,
        .timeslice_expirations = p->timeslice_expirations,
        .restarts = p->restarts,
        .dropped_upcalls = p->dropped_upcalls,
        .pending_upcalls = p->q_len,
        .mem_start = p->mem_start,
        .mem_len = p->mem_len,
        .app_brk = p->app_brk,
        .kernel_brk = p->kernel_brk,
        .flash_start = p->flash_start,
        .flash_len = p->flash_len,
    };
    return true;
}

int process_control(unsigned slot, enum process_action action)
{
    if (slot >= PROCESS_MAX || !process_table[slot])
        return INVAL;
    struct process *p = process_table[slot];
    bool dead = p->state == PROC_FAULTED || p->state == PROC_TERMINATED;
    switch (action) {
    case PROCESS_ACTION_STOP:
        if (dead || p->state == PROC_STOPPED)
            return INVAL;
        p->stopped_from = p->state;
        p->state = PROC_STOPPED;
        return OK;
    case PROCESS_ACTION_RESUME:
        if (p->state != PROC_STOPPED)
            return INVAL;
        p->state = p->stopped_from;
        return OK;
    case PROCESS_ACTION_FAULT:
        if (dead)
            return INVAL;
        process_fault(p, "requested by the kernel", false);
        return OK;
    case PROCESS_ACTION_TERMINATE:
        if (dead)
            return INVAL;
        process_terminate(p, 0);
        return OK;
    case PROCESS_ACTION_BOOT:
        if (!dead)
            return INVAL;
        p->restarts = 0;
        process_reset(p);
        return OK;
    }
    return INVAL;
}
