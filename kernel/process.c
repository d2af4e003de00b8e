// SPDX-License-Identifier: Apache-2.0
// Process lifecycle (create, restart, terminate, fault policy), break moves, upcall queue.
#include <stddef.h>

#include "ipc.h"
#include "process.h"
#include <cairn/tbf.h>
#include "sched.h"
#include <cairn/debug.h>
#include <cairn/errorcode.h>
#include <cairn/kassert.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>

// Set per image by the build (boards/common/features.mk); host tests build it in.
#ifndef CAIRN_FEATURE_PCONSOLE
#define CAIRN_FEATURE_PCONSOLE 1
#endif

struct process **process_table;
unsigned process_count;

void process_table_init(struct process **table, unsigned n)
{
    kassert(n <= PROCESS_MAX);
    for (unsigned i = 0; i < n; i++)
        table[i] = NULL;
    process_table = table;
    process_count = n;
}

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
    if (i >= process_count)
        return NULL;
    struct process *p = process_table[i];
    if (!p || p->id != pid)
        return NULL;
    return p;
}

bool process_alive(procid_t pid)
{
    return process_live(pid) != NULL;
}

uint32_t process_short_id(procid_t pid)
{
    return pid >> 8;
}

bool process_storage_perms(procid_t pid, struct storage_perms *out)
{
    *out = (struct storage_perms){0};
    struct process *p = process_get(pid);
    if (!p)
        return false;
    // The header in flash is what the loader accepted; it is parsed again rather than kept
    // so that every process does not carry 72 bytes it rarely needs.
    struct tbf_header h;
    enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)p->flash_start, p->flash_len, &h);
    if ((st != TBF_OK && st != TBF_DISABLED) || !h.has_storage)
        return false;
    out->write_id = h.storage_write_id;
    out->n_read = (uint8_t)h.storage_read_count;
    out->n_modify = (uint8_t)h.storage_modify_count;
    for (uint16_t i = 0; i < h.storage_read_count; i++)
        out->read[i] = tbf_storage_read_id(&h, i);
    for (uint16_t i = 0; i < h.storage_modify_count; i++)
        out->modify[i] = tbf_storage_modify_id(&h, i);
    return true;
}

// The kernel's memset (kernel/string.c) stores words where it can: one call for each of
// the three zeroings below instead of a byte loop inlined into each.
void *memset(void *dst, int c, size_t n);

static void zero(uint32_t from, uint32_t to)
{
    if (to > from)
        memset((void *)(uintptr_t)from, 0, to - from);
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

// Empty queue, the small one in the control block: a full-size one lived in a grant
// block, and the grants are gone. Out of line: called on restart, fault and exit only.
static __attribute__((noinline)) void queue_reset(struct process *p)
{
    p->q = p->q_small;
    p->q_cap = UPCALL_QUEUE_SMALL;
    p->q_head = p->q_len = 0;
}

// Fresh incarnation: registers, break, queue, counters. The RAM block and flash stay.
static void process_reset(struct process *p)
{
    grant_release_all(p);
    p->id = new_id(p->index);
    process_set_app_brk(p, p->mem_start + ARCH_MIN_APP_RAM);
    p->kernel_brk = (uint32_t)(uintptr_t)p;
    p->allow_hwm = p->mem_start;
    queue_reset(p);
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
    // upcall the first time the process is scheduled (task_resolve supplies _start and
    // the break).
    struct upcall_rec entry = {
        .a = {p->app_start, p->mem_start, p->mem_len},
        .origin = TASK_ORIGIN_KERNEL,
    };
    process_queue_push(p, &entry);
    p->state = PROC_YIELDED;
    sched_ready(p);
}

struct process *process_create(unsigned index, uint32_t flash_start, uint32_t flash_len,
                               uint32_t app_start, uint32_t entry, const char *name,
                               uint32_t name_len, uint32_t mem_start, uint32_t mem_len)
{
    kassert(index < process_count && !process_table[index]);
    struct process *p = (struct process *)(uintptr_t)(mem_start + mem_len - process_kernel_part());
    zero((uint32_t)(uintptr_t)p, mem_start + mem_len);
    p->mem_start = mem_start;
    p->mem_len = mem_len;
    p->flash_start = flash_start;
    p->flash_len = flash_len;
    p->app_start = app_start;
    p->entry = entry;
    p->name = name;
    p->name_len = (uint8_t)(name_len > 255 ? 255 : name_len);
    p->index = (uint8_t)index;
    process_table[index] = p;
    process_reset(p);
    return p;
}

#if CAIRN_FEATURE_PERMISSIONS
void process_set_permissions(struct process *p, const struct tbf_header *h)
{
    if (!h->has_permissions)
        return;
    p->filtered = 1;
    process_set_app_brk(p, p->app_brk); // frame_limit 0 from now on
}
#endif

void process_restart(struct process *p)
{
    arch_fault_cleanup();
    p->restarts++;
    process_reset(p);
}

// End p's incarnation in state (terminated or faulted): its grants and queue go, and
// a new generation starts now, so capsules holding the old pid fail from this moment.
static void process_end(struct process *p, uint8_t state)
{
    grant_release_all(p);
    p->kernel_brk = (uint32_t)(uintptr_t)p;
    queue_reset(p);
    p->id = new_id(p->index);
    p->state = state;
}

void process_terminate(struct process *p, uint32_t code)
{
    p->completion_code = code;
    process_end(p, PROC_TERMINATED);
}

const char *process_state_name(unsigned state)
{
    return state <= PROC_TERMINATED
               ? knth("running\0yielded\0yielded-for\0stopped\0faulted\0terminated", state)
               : "?";
}

// "    NAME   0xFROM-0xTO  (N B" (the caller closes the parenthesis).
static void print_range(const char *name, uint32_t from, uint32_t to)
{
    kprintf("    %-6s %p-%p  (%u B", name, KADDR(from), KADDR(to), (unsigned)(to - from));
}

void process_print_map(const struct process *p)
{
    kprintf("  memory map:\n");
    print_range("flash", p->flash_start, p->flash_start + p->flash_len);
    kprintf(", binary at %p)\n", KADDR(p->app_start));
    // RAM rows: the whole block, then its three parts from the bottom up, each between
    // two of these bounds.
    const uint32_t b[4] = {p->mem_start, p->app_brk, p->kernel_brk, p->mem_start + p->mem_len};
    for (unsigned i = 0; i < 4; i++) {
        print_range(knth("ram\0app\0free\0kernel", i), b[i ? i - 1 : 0], b[i ? i : 3]);
        if (i == 1)
            kprintf(" accessible, break %p", KADDR(p->app_brk));
        kprintf(i == 3 ? ": grants, process control block)\n" : ")\n");
    }
    if (p->stack_hint)
        kprintf("    stack top hint %p, heap start hint %p\n", KADDR(p->stack_hint),
                KADDR(p->heap_hint));
}

// The pc of p's trapped frame if the frame is readable and the pc is in p's own TBF
// object, else 0 (app_start > 0); *lr the frame's lr. One copy for both dump forms.
static __attribute__((noinline)) uint32_t
fault_app_pc(const struct process *p, const struct arch_mem_bounds *mem, uint32_t *lr)
{
    uint32_t pc;
    if (!arch_ctx_pc_lr(&p->ctx, mem, &pc, lr) || pc < p->app_start ||
        pc >= p->flash_start + p->flash_len)
        return 0;
    return pc;
}

// Where the process was, in the terms of its own ELF: the address each was linked at
// (ARCH_APP_FLASH_LINK: position-independent apps are linked there and run at app_start;
// 0: linked where they run), as a line to paste into a shell.
static void print_where(const struct process *p, const struct arch_mem_bounds *mem)
{
    uint32_t lr, end = p->flash_start + p->flash_len, pc = fault_app_pc(p, mem, &lr);
    if (!pc)
        return;
    uint32_t base = ARCH_APP_FLASH_LINK ? ARCH_APP_FLASH_LINK : p->app_start;
    kprintf("  pc app+0x%x; source: " ARCH_ADDR2LINE " -pfi -e " ARCH_APPS_DIR "/",
            (unsigned)(pc - p->app_start));
    kprintf("%.*s/%.*s", (int)p->name_len, p->name, (int)p->name_len, p->name);
    if (!ARCH_APP_FLASH_LINK) // one ELF per slot: the one linked for this flash and RAM
        kprintf(".%p.%p", KADDR(p->app_start), KADDR(p->mem_start));
    kprintf(".elf 0x%x", (unsigned)(pc - p->app_start + base));
    if (lr >= p->app_start && lr < end)
        kprintf(" 0x%x", (unsigned)(lr - p->app_start + base));
    kprintf("\n");
}

static const char *syscall_class_name(unsigned c)
{
    return c < 8 ? knth("yield\0subscribe\0command\0allow-rw\0allow-ro\0memop\0exit\0allow-ur", c)
                 : "?";
}

// The whole dump after the fault cause: registers, where, stack, memory map, counters.
static void dump_details(struct process *p, const struct arch_mem_bounds *mem)
{
    arch_ctx_print(&p->ctx, mem);
    debug_reserve(700);
    print_where(p, mem);
    uint32_t sp = arch_ctx_sp(&p->ctx);
    if (!arch_ctx_stack_ok(&p->ctx, mem)) {
        kprintf("  stack pointer %p is outside the process's RAM %p-%p\n", KADDR(sp),
                KADDR(mem->start), KADDR(mem->brk));
        // The stack is at the bottom of the process's RAM (userland/app.ld): just below
        // it, the stack ran out. Its size is what crt0 reported (memop 10, stack top).
        if (sp < mem->start && mem->start - sp <= 4096)
            kprintf("  stack overflow: %u B below the stack (stack %u B)\n",
                    (unsigned)(mem->start - sp),
                    (unsigned)(p->stack_hint > mem->start ? p->stack_hint - mem->start : 0));
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
}

void process_fault(struct process *p, const char *why, bool cpu_fault)
{
    const struct kernel_config *cfg = kernel_config();
    // The dump comes out whole, however much the ring holds (until the policy is applied).
    debug_hold(true);
    struct arch_mem_bounds mem = process_bounds(p);
    // A restart loop would repeat the same 30 lines each time: after the first fault one
    // line, with where it was, and the whole dump stays the one of the first fault.
    bool again = p->restarts && !(cfg && cfg->dump_every_fault);
    kprintf("%s--- process '%.*s' (slot %u, id %u) faulted%s: %s", again ? "" : "\n",
            (int)p->name_len, p->name, (unsigned)p->index, (unsigned)process_short_id(p->id),
            again ? " again" : "", why);
    if (again) {
        uint32_t lr, pc = fault_app_pc(p, &mem, &lr);
        if (pc)
            kprintf(", pc app+0x%x", (unsigned)(pc - p->app_start));
        // The process console's `process` command, where the image has it.
        kprintf("; restarts %u (full dump at its first fault%s)\n", (unsigned)p->restarts,
                CAIRN_FEATURE_PCONSOLE ? "; `process` shows its state" : "");
    } else {
        kprintf(" ---\n");
        if (cpu_fault)
            arch_fault_print();
        dump_details(p, &mem);
    }
    arch_fault_cleanup();
    enum fault_policy policy = cfg ? cfg->fault_policy : FAULT_POLICY_STOP;
    bool restart = policy == FAULT_POLICY_RESTART && p->restarts < cfg->restart_threshold;
    if (policy == FAULT_POLICY_PANIC)
        kpanic("process fault (panic policy)");
    else if (restart)
        kprintf("  policy: restart (%u of %u)\n", (unsigned)p->restarts + 1,
                (unsigned)cfg->restart_threshold);
    else if (policy == FAULT_POLICY_RESTART)
        kprintf("  policy: restart threshold %u reached, process stopped\n",
                (unsigned)cfg->restart_threshold);
    else
        kprintf("  policy: stop\n");
    debug_hold(false);
    if (restart) {
        process_restart(p);
        return;
    }
    process_end(p, PROC_FAULTED);
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
    process_set_app_brk(p, new_brk);
    p->mpu = plan;
    p->mpu_dirty = 1;
    return OK;
}

// ---- upcall queue: ring of q_cap tasks at q, q_head oldest, q_len stored ------------

__attribute__((always_inline)) static inline struct upcall_rec *q_at(const struct process *p,
                                                                     unsigned i)
{
    return &p->q[(p->q_head + i) & (p->q_cap - 1u)]; // q_cap is 2 or 8
}

// The function and appdata the task calls now (0 for a null record).
static void task_resolve(const struct process *p, const struct upcall_rec *r,
                         struct upcall_task *out)
{
    out->a[0] = r->a[0];
    out->a[1] = r->a[1];
    out->a[2] = r->a[2];
    out->origin = r->origin;
    if (r->origin == TASK_ORIGIN_KERNEL) {
        // Nothing of the process has run yet, so its break is still the initial one.
        out->fn = p->entry;
        out->appdata = p->mem_start + ARCH_MIN_APP_RAM;
        return;
    }
    const uint32_t *slot = (const uint32_t *)(uintptr_t)((uint32_t)(uintptr_t)p - 4u * r->slot);
    out->fn = slot[0];
    out->appdata = slot[1];
}

static bool task_callable(const struct process *p, const struct upcall_rec *r)
{
    return r->origin == TASK_ORIGIN_KERNEL ||
           *(const uint32_t *)(uintptr_t)((uint32_t)(uintptr_t)p - 4u * r->slot) != 0;
}

static void q_remove(struct process *p, unsigned i, struct upcall_task *out)
{
    if (out)
        task_resolve(p, q_at(p, i), out);
    p->q_len--;
    if (i == 0) {
        // The oldest, the common case: the ring just starts one later.
        p->q_head = (uint8_t)((p->q_head + 1) & (p->q_cap - 1u));
        return;
    }
    // Shift the later tasks down one to keep order (the queue is at most 8 long).
    for (unsigned j = i; j < p->q_len; j++)
        *q_at(p, j) = *q_at(p, j + 1);
}

void process_queue_move(struct process *p, struct upcall_rec *ring, unsigned cap)
{
    // Oldest first into the new ring; the old one may overlap nothing of it (the new
    // ring is freshly allocated kernel memory).
    for (unsigned i = 0; i < p->q_len; i++)
        ring[i] = *q_at(p, i);
    p->q = ring;
    p->q_cap = (uint8_t)cap;
    p->q_head = 0;
}

void process_queue_peek(const struct process *p, unsigned i, struct upcall_task *out)
{
    task_resolve(p, q_at(p, i), out);
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

static unsigned q_count_origin(const struct process *p, uint32_t origin)
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
static int q_victim(const struct process *p, const struct upcall_rec *t)
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

bool process_queue_push(struct process *p, const struct upcall_rec *t)
{
    if (p->q_len == p->q_cap) {
        // Every overflow loses one event, the new one or an older one: count it.
        p->dropped_upcalls++;
        int victim = q_victim(p, t);
        if (victim < 0)
            return false;
        q_remove(p, (unsigned)victim, NULL);
    }
    *q_at(p, p->q_len) = *t;
    p->q_len++;
    // What a blocked process waits for: any upcall to call, or this origin.
    if ((p->state == PROC_YIELDED && task_callable(p, t)) ||
        (p->state == PROC_YIELDED_FOR && t->origin == p->yield_for_origin))
        sched_ready(p);
    return true;
}

bool process_queue_pop_callable(struct process *p, struct upcall_task *out)
{
    // Only the oldest is ever taken here: the ring just starts one later (q_remove's
    // common case, without its shift loop), and the record is resolved where it lies.
    while (p->q_len) {
        const struct upcall_rec *r = q_at(p, 0);
        p->q_len--;
        p->q_head = (uint8_t)((p->q_head + 1) & (p->q_cap - 1u));
        if (task_callable(p, r)) {
            task_resolve(p, r, out); // the slot stays intact until the next push
            return true;
        }
        // A null record: nobody to call, yield-wait drops it.
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

bool process_queue_take_args(struct process *p, uint32_t origin, uint32_t a[3])
{
    if (p->q_len && p->q[p->q_head].origin == origin) {
        // The oldest matches (a process waiting for one thing has nothing else queued):
        // the ring just starts one later.
        const struct upcall_rec *r = &p->q[p->q_head];
        a[0] = r->a[0];
        a[1] = r->a[1];
        a[2] = r->a[2];
        p->q_len--;
        p->q_head = (uint8_t)((p->q_head + 1) & (p->q_cap - 1u));
        return true;
    }
    for (unsigned i = 1; i < p->q_len; i++) {
        const struct upcall_rec *r = q_at(p, i);
        if (r->origin == origin) {
            a[0] = r->a[0];
            a[1] = r->a[1];
            a[2] = r->a[2];
            q_remove(p, i, NULL);
            return true;
        }
    }
    return false;
}

bool process_queue_has_origin(const struct process *p, uint32_t origin)
{
    for (unsigned i = 0; i < p->q_len; i++)
        if (q_at(p, i)->origin == origin)
            return true;
    return false;
}

bool process_queue_has_callable(const struct process *p)
{
    for (unsigned i = 0; i < p->q_len; i++)
        if (task_callable(p, q_at(p, i)))
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

bool upcall_post(struct process *p, const struct upcall_rec *t)
{
    // Handed over at once only when nothing is queued (so no older task is overtaken) and
    // the process blocks on exactly this: the result is what syscall_resume_yielded would
    // produce when the process is next picked, since a blocked process can change neither
    // its subscriptions nor its stack meanwhile. pre: t is not IPC's (its delivery maps
    // the sharer's buffer, which only the queue path does; upcall_schedule routes it).
    if (p->q_len)
        return process_queue_push(p, t);
    if (p->state == PROC_YIELDED) {
        const uint32_t *slot = (const uint32_t *)(uintptr_t)((uint32_t)(uintptr_t)p - 4u * t->slot);
        struct arch_mem_bounds mem = process_bounds(p);
        // A null upcall is a null record, which yield-wait drops, and a frame that cannot
        // be written is the delivery's to fault: both take the queue path, whose delivery
        // at the pick does exactly that (a fault here could pull a grant from under the
        // capsule calling).
        if (!slot[0] || !arch_push_upcall(&p->ctx, &mem, slot[0], t->a, slot[1]))
            return process_queue_push(p, t);
    } else if (p->state == PROC_YIELDED_FOR && t->origin == p->yield_for_origin) {
        // The yield-wait-for's return values, into the registers checked at its trap.
        uint32_t *r = arch_syscall_regs(&p->ctx);
        r[0] = t->a[0];
        r[1] = t->a[1];
        r[2] = t->a[2];
    } else {
        return process_queue_push(p, t);
    }
    p->state = PROC_RUNNING;
    sched_ready(p);
    return true;
}

int upcall_schedule(procid_t pid, uint32_t driver, uint32_t subscribe, uint32_t a0, uint32_t a1,
                    uint32_t a2)
{
    struct process *p = process_live(pid);
    if (!p)
        return NODEVICE;
    // Until the process subscribes a function the event is a null record, which only
    // yield-wait-for consumes.
    struct upcall_rec t = {.a = {a0, a1, a2}};
    int err = upcall_lookup_subscription(p, driver, subscribe, &t);
    if (err)
        return err;
    // IPC's notifications always take the queue: their delivery at the pick maps the
    // sharer's buffer into the receiver's MPU regions, which upcall_post cannot do.
    if (!(CAIRN_FEATURE_IPC && driver == IPC_DRIVER_NUM ? process_queue_push(p, &t)
                                                        : upcall_post(p, &t)))
        return NOMEM;
    return OK;
}

// ---- read-only views and control for kernel services ----------------------------------

unsigned process_slots(void)
{
    return process_count;
}

bool process_info_get(unsigned slot, struct process_info *out)
{
    if (slot >= process_count || !process_table[slot])
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
        .sp = arch_ctx_sp(&p->ctx),
        .stack_hint = p->stack_hint,
        .heap_hint = p->heap_hint,
        .app_start = p->app_start,
        .pcb = (uint32_t)(uintptr_t)p,
        .completion_code = p->completion_code,
        .filtered = process_filtered(p),
    };
    return true;
}

procid_t process_slot_pid(unsigned slot)
{
    if (slot >= process_count || !process_table[slot])
        return PROCID_NONE;
    return process_table[slot]->id;
}

int process_control(unsigned slot, enum process_action action)
{
    if (slot >= process_count || !process_table[slot])
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
        sched_ready(p);
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
