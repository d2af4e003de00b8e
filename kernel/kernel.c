// SPDX-License-Identifier: Apache-2.0
// The kernel main loop: bottom halves, deferred calls, then one process until it traps.
#include <stddef.h>

#include "ipc.h"
#include "process.h"
#include "sched.h"
#include <cairn/debug.h>
#include <cairn/deferred.h>
#include <cairn/kassert.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>

static const struct kernel_config *config;
static uint32_t timeslice_us; // config->timeslice_us, one load nearer for every slice start
static unsigned rr_next;      // round-robin: the slot to consider first next time

const struct kernel_config *kernel_config(void)
{
    return config;
}

static uint32_t irqs_serviced;

uint32_t kernel_interrupts_serviced(void)
{
    return irqs_serviced;
}

bool kernel_interrupt_waiting(void)
{
    return arch_kernel_work_pending();
}

// Run every pending bottom half, then deferred calls. True if anything ran.
static bool kernel_service(void)
{
    bool did = false;
    int irq;
    while ((irq = arch_irq_next_pending()) >= 0) {
        if (!config->service_irq || !config->service_irq((unsigned)irq)) {
            // Nobody owns this line: leave it masked instead of taking it forever.
            kprintf("kernel: interrupt %d has no driver, masked\n", irq);
            arch_irq_disable((unsigned)irq);
            continue;
        }
        arch_irq_complete((unsigned)irq);
        irqs_serviced++;
        did = true;
    }
    if (deferred_call_pending()) {
        deferred_call_run();
        did = true;
    }
    return did;
}

// The ready set: bit i of word i / 32 set = slot i may be runnable, and bit w of
// sched_ready_words set exactly when word w is not zero. Kept by the events that can make
// a process runnable (sched_ready), so picking the next process is two count-trailing-
// zeros, whatever the number of slots: no scan of slots, queues or words. It may hold a
// process that turns out not to be runnable (run_process finds nothing to deliver and
// drops it), never miss one that is: every change that can wake a process calls
// sched_ready.
uint32_t sched_ready_set[SCHED_WORDS];
uint32_t sched_ready_words;

// The first ready slot at or after rr_next, wrapping around; its bit is cleared.
// sched_pick and sched_requeue_pick below try the common cases first; this is the whole rule.
static __attribute__((noinline)) struct process *sched_pick_any(void)
{
    for (;;) {
        unsigned w = rr_next / 32;
        uint32_t bits = sched_ready_set[w] & (~0u << (rr_next % 32)); // this word, from rr_next on
        if (!bits) {
            uint32_t words = sched_ready_words;
            if (!words)
                return NULL;
            unsigned first = (unsigned)__builtin_ctz(words);
            // The next non-empty word after w, else the first one (w itself included: then
            // its bits below rr_next, since none at or above it is set).
            uint32_t later = words & ~((2u << w) - 1u);
            w = later ? (unsigned)__builtin_ctz(later) : first;
            bits = sched_ready_set[w];
        }
        unsigned i = w * 32 + (unsigned)__builtin_ctz(bits);
        sched_ready_set[w] = bits = sched_ready_set[w] & ~(1u << (i % 32));
        if (!bits)
            sched_ready_words &= ~(1u << w);
        rr_next = i + 1 < process_count ? i + 1 : 0;
        if (process_table[i])
            return process_table[i];
        // A stale bit of an empty slot: look on.
    }
}

// The same, taking the common case at once: exactly one slot ready, among the first 32
// (one event woke one process while the CPU idled, or a notify woke the partner of a
// process that blocks): it is the pick wherever rr_next is. Anything else, a ready slot
// at 32 or above included, takes the whole rule.
__attribute__((always_inline)) static inline struct process *sched_pick(void)
{
    if (sched_ready_words == 1u) {
        uint32_t word = sched_ready_set[0];
        if (!(word & (word - 1u))) {
            // word is not zero (its summary bit is set): its one bit is the only one.
            unsigned i = (unsigned)__builtin_ctz(word);
            struct process *q = process_table[i];
            if (q) {
                sched_ready_set[0] = 0;
                sched_ready_words = 0;
                rr_next = i + 1 < process_count ? i + 1 : 0;
                return q;
            }
        }
    }
    return sched_pick_any();
}

// sched_ready(p) then sched_pick(), for a process p whose slice just ran out, as one
// read-modify-write of the ready set's first word when it holds every slot (at most 32
// processes; rr_next < process_count always): with p's bit added, the pick is the first
// ready slot at or after rr_next, else the lowest (the round robin wraps around).
// Summary word: only word 0 can be non-zero. If it is after the pick, its summary bit
// was set already (the picked slot's bit was there before p's was added, or, when p
// itself is the pick, the bits left were). More slots take the general rule.
__attribute__((always_inline)) static inline struct process *sched_requeue_pick(struct process *p)
{
    unsigned n = process_count, r = rr_next;
    if (n <= 32) {
        uint32_t word = sched_ready_set[0] | 1u << p->index;
        // The word rotated so that slot rr_next is bit 0: its lowest bit is the pick, the
        // wrap-around included (word is not zero: p's bit is set).
        uint32_t rot = word >> r | word << ((32u - r) % 32u);
        unsigned i = (r + (unsigned)__builtin_ctz(rot)) % 32u;
        struct process *q = process_table[i];
        if (q) {
            word &= ~(1u << i);
            sched_ready_set[0] = word;
            if (!word)
                sched_ready_words = 0;
            rr_next = i + 1 < n ? i + 1 : 0;
            return q;
        }
    }
    sched_ready(p);
    return sched_pick_any();
}

// The process whose regions are in the MPU now (the MPU is reloaded only on a change of
// process or of that process's plan).
static struct process *mpu_owner;
// Whether the IPC shared region is on in the MPU (kernel/arch.h: loaded after the plan
// only when the new or the previous process has one).
static bool shared_loaded;
// The id of the process entered last, when it was entered (not syscall_caller, which a
// bottom half served on the process's behalf may change).
static uint32_t entered_id;
// The process the CPU runs (or that trapped into the kernel thread): set at every entry,
// by loop_once or by a switch made inside an exception handler (kernel_switch_*,
// kernel_irq_from_*), so it is the one to read after arch_switch_to_process (or the
// idle wait) returns: the process loop_once entered may have been switched out
// meanwhile. NULL when a handler concluded the run of the process it switched out
// (booked it as run_process's tail would) and then left the next choice to the kernel
// thread.
static struct process *sched_current;

__attribute__((always_inline)) static inline void mpu_load_for(struct process *p)
{
    if (mpu_owner != p || p->mpu_dirty) {
        arch_mpu_load(&p->mpu);
        // Without IPC no process ever has a shared region: the test is compiled away.
        if (CAIRN_FEATURE_IPC && (p->shared_on || shared_loaded)) {
            arch_mpu_load_shared(p->shared_on ? &p->mpu_shared : NULL);
            shared_loaded = p->shared_on;
        }
        mpu_owner = p;
        p->mpu_dirty = 0;
    }
}

// Start p's run: the rest of its slice (a whole one if the last ran out or it blocked;
// slice_left_us is 0 then, and is written again only when the run is concluded). A
// syscall served below can fault, restart or end p: then p is a new incarnation (or
// none) that must not inherit this one's slice or be checked as if it had run, hence
// entered_id. renew: the slice timer has just expired in kernel_switch_preempted
// (arch_timeslice_renew).
__attribute__((always_inline)) static inline void run_start(struct process *p, bool renew)
{
    entered_id = p->id;
    syscall_caller = p->id;
    sched_current = p;
    uint32_t us = p->slice_left_us ? p->slice_left_us : timeslice_us;
    if (renew)
        arch_timeslice_renew(us);
    else
        arch_timeslice_start(us);
}

// Run the process sched_current, entered by loop_once or by a handler, from the moment
// it trapped into the kernel thread (with why): serve its non-blocking syscalls in a
// tight loop while nothing else needs the CPU, then conclude its run. Returns when it
// blocks, faults, exits, its slice ends, or kernel work (an interrupt, a deferred call)
// is pending. The slice timer keeps running while the kernel serves its syscalls: that
// time is the process's. A switch made in a handler changes which process this loop
// serves (sched_current) without returning here: the loop then serves, and concludes,
// the process that trapped last. Inlined at its one call: its frame would otherwise
// deepen every syscall path on the kernel stack. p: the process to enter (its slice
// started); NULL: sched_current has trapped already, with why (after the idle wait).
// One entry site for both: a second call of mpu_load_for made GCC stop inlining
// arch_mpu_load into the switches in the handlers.
__attribute__((always_inline)) static inline void run_process(struct process *p,
                                                              enum switch_reason why)
{
    if (!p)
        goto trapped;
    for (;;) {
        mpu_load_for(p);
        why = arch_switch_to_process(&p->ctx);
    trapped:
        p = sched_current;
        if (!p)
            return; // a handler concluded the run and left the next pick to this thread
        if (why == SWITCH_SYSCALL)
            syscall_handle(p); // checks the stack, faulting p if it is bad
        else if (why != SWITCH_SYSCALL_DONE)
            break; // the fast path served a call (and checked the stack) for DONE
        if (p->state != PROC_RUNNING || arch_timeslice_expired() || arch_kernel_work_pending() ||
            deferred_call_pending())
            break;
    }
    sched_current = NULL;
    syscall_caller = PROCID_NONE;
    uint32_t left = arch_timeslice_stop();
    if (p->id != entered_id)
        return;
    // A process that blocked gets a whole slice when it next runs (as in Tock's round
    // robin); one that was preempted or interrupted keeps the rest of its slice.
    p->slice_left_us = p->state == PROC_RUNNING ? left : 0;
    if (why == SWITCH_FAULT) {
        process_fault(p, "CPU fault", true);
        return;
    }
    struct arch_mem_bounds mem = process_bounds(p);
    if (p->state == PROC_RUNNING && !arch_ctx_stack_ok(&p->ctx, &mem)) {
        // Checked at every entry: the kernel would otherwise write a return frame (or
        // read arguments) through a pointer the process chose.
        process_fault(p, "stack pointer outside the process's accessible RAM", false);
        return;
    }
    if (p->state == PROC_RUNNING) {
        // Preempted or interrupted: still runnable, behind the others.
        if (p->slice_left_us == 0)
            p->timeslice_expirations++;
        sched_ready(p);
    }
}

// ---- Switches inside an exception handler (kernel/arch.h) ------------------------------
// The run of the process that trapped has been concluded exactly as run_process's tail
// concludes it, and no bottom half or deferred call waits (the port looked for bottom
// halves, kernel/arch.h): pick the next process and prepare its entry as run_process
// would (delivery to a yielded one, slice, MPU). NULL when the kernel thread must choose
// instead (nothing ready, nothing to deliver, or the delivery left kernel work); the
// handler then returns to the kernel thread, which finds sched_current NULL and goes
// round its loop.
// q: the pick (NULL: none ready). sched_current and syscall_caller still name the process
// that trapped: they name q once it is entered, nothing when NULL is returned.
__attribute__((always_inline)) static inline struct arch_ctx *switch_next(struct process *q,
                                                                          bool renew)
{
    if (!q)
        goto none;
    if (q->state != PROC_RUNNING) {
        syscall_caller = PROCID_NONE; // q's delivery serves no syscall of the one that trapped
        if (!syscall_resume_yielded(q))
            goto none; // a stale ready bit (dropped, as run_process drops it) or q faulted
        if (deferred_call_pending()) {
            // The delivery scheduled kernel work, which runs first; q stays first in line.
            // (Nothing else here can: both callers found no deferred call pending.)
            sched_ready(q);
            rr_next = q->index;
            goto none;
        }
    }
    run_start(q, renew);
    mpu_load_for(q);
    return &q->ctx;
none:
    sched_current = NULL;
    syscall_caller = PROCID_NONE;
    return NULL;
}

struct arch_ctx *kernel_switch_preempted(struct arch_ctx *ctx)
{
    struct process *p = (struct process *)(void *)ctx;
    // A deferred call runs in the kernel thread first (the port saw no bottom half and
    // checked p's stack pointer, kernel/arch.h): p's run is left unconcluded.
    if (deferred_call_pending())
        return NULL;
    // run_process's tail for a preempted process whose slice ran out: a whole slice next
    // time, and it goes back into the ready set (sched_requeue_pick).
    p->slice_left_us = 0;
    p->timeslice_expirations++;
    return switch_next(sched_requeue_pick(p), true);
}

uintptr_t kernel_switch_yield(struct arch_ctx *ctx)
{
    struct process *p = (struct process *)(void *)ctx;
    uint32_t id = p->id;
    if (deferred_call_pending())
        return KERNEL_SWITCH_DEFER;
    int served = syscall_yield_wait(p);
    if (served == YIELD_WAIT_NONE)
        return KERNEL_SWITCH_DEFER;
    if (served == YIELD_WAIT_SERVED) {
        // A delivery may have faulted p (a new id), changed its MPU plan (IPC) or left
        // kernel work.
        if (p->id != id || p->mpu_dirty || deferred_call_pending())
            return KERNEL_SWITCH_DONE;
        if (p->state == PROC_RUNNING)
            return (uintptr_t)ctx; // its upcall was queued already: delivered, it goes on
    }
    // It blocks: run_process's tail for a process that is no longer RUNNING, whose next
    // run gets a whole slice. The counter is left counting: the next process's slice
    // start reloads it (arch_timeslice_start), and only the way back to the kernel
    // thread, which may idle, stops it.
    p->slice_left_us = 0;
    struct arch_ctx *next = switch_next(sched_pick(), false);
    if (next)
        return (uintptr_t)next;
    (void)arch_timeslice_stop();
    return KERNEL_SWITCH_DONE;
}

#if ARCH_IRQ_IN_HANDLER
// True only while the kernel thread waits for an interrupt in kernel_run's idle branch
// (set with interrupts masked, cleared once it goes on): a point where it holds nothing
// half done, so a handler may run a bottom half and enter a process from there.
static volatile bool kernel_idle;

uintptr_t kernel_irq_from_thread(unsigned irq)
{
    if (!kernel_idle)
        return KERNEL_IRQ_DECLINED; // the thread is busy (maybe in a capsule): it serves
    // One handler per idle wait: any other before the thread goes on finds it busy.
    // kernel_idle implies that no deferred call waits (set after the check, with
    // interrupts masked; a handler that may have scheduled one cleared it).
    kernel_idle = false;
    (void)config->service_irq(irq); // the board marked the line: it owns it
    irqs_serviced++;
    if (deferred_call_pending())
        return KERNEL_IRQ_SERVED; // the thread runs it first
    // The pick and the entry, as a switch in a handler makes them. The kernel thread
    // then stays suspended in this exception and goes on with whichever process traps
    // into it (loop_once).
    struct arch_ctx *next = switch_next(sched_pick(), false);
    return next ? (uintptr_t)next : KERNEL_IRQ_SERVED;
}

uintptr_t kernel_irq_from_process(struct arch_ctx *ctx, unsigned irq)
{
    struct process *p = (struct process *)(void *)ctx;
    // The kernel thread is suspended in its svc (run_process): p's run goes on after the
    // bottom half, and the port writes p's frame when it returns to it.
    struct arch_mem_bounds mem = process_bounds(p);
    if (!arch_ctx_stack_ok(ctx, &mem) || deferred_call_pending())
        return KERNEL_IRQ_DECLINED; // the thread faults p, or runs the deferred call, first
    // The bottom half serves interrupts, not p: grants it enters are not marked used by p.
    procid_t id = p->id;
    syscall_caller = PROCID_NONE;
    (void)config->service_irq(irq);
    irqs_serviced++;
    // Tock's round robin: a woken process waits for p's slice to end (SysTick, which
    // shares this priority, is taken next if it ran out meanwhile). A bottom half that
    // left a deferred call, or ended, stopped or faulted p, or changed its MPU plan,
    // leaves p's run to the thread to conclude (it sees SWITCH_INTERRUPT).
    if (deferred_call_pending() || p->id != id || p->state != PROC_RUNNING || p->mpu_dirty)
        return KERNEL_IRQ_SERVED;
    syscall_caller = id;
    return (uintptr_t)ctx;
}
#endif

// One pass of the main loop: bottom halves, deferred calls, then the next runnable
// process until it traps into this thread and its run is concluded (run_process). With
// nothing runnable: false, or with idle, wait for an interrupt first (no tick: only
// real events wake the CPU). A handler may then serve the interrupt and enter a process
// from there (kernel_irq_from_thread): this thread goes on with it when it traps.
__attribute__((always_inline)) static inline bool loop_once(bool idle)
{
    enum switch_reason why = SWITCH_SYSCALL_DONE; // set when p is NULL below
    kernel_service();
    struct process *p = sched_pick();
    if (p) {
        // A preempted process is still RUNNING: only a yielded one needs its queue looked at.
        if (p->state != PROC_RUNNING && !syscall_resume_yielded(p))
            return true;
        run_start(p, false);
    } else {
        if (!idle)
            return false;
        // Masking first closes the race between "nothing pending" and the wfi.
        uint32_t s = arch_irq_save();
        if (!arch_kernel_work_pending() && !deferred_call_pending()) {
#if ARCH_IRQ_IN_HANDLER
            kernel_idle = true;
#endif
            arch_wait_for_interrupt();
        }
        arch_irq_restore(s);
#if ARCH_IRQ_IN_HANDLER
        kernel_idle = false;
        // Ordered after the store above: a handler taken before it may have entered one.
        __asm volatile("" ::: "memory");
        if (!sched_current)
            return false;
        why = arch_switch_reason();
#else
        return false;
#endif
    }
    run_process(p, why);
    return true;
}

bool kernel_loop_once(void)
{
    return loop_once(false);
}

_Noreturn void kernel_run(const struct kernel_config *cfg)
{
    config = cfg;
    timeslice_us = cfg->timeslice_us;
    // A port's command fast path in assembly reads the last-driver cache without a null
    // test: it names a real driver from here on (every board has one, its console).
    kassert(cfg->n_drivers > 0);
    syscall_last_driver = cfg->drivers;
    unsigned n = loader_load_all(cfg);
    kprintf("kernel: %u process%s loaded\n", n, n == 1 ? "" : "es");
    if (cfg->on_ready)
        cfg->on_ready();
    for (;;)
        (void)loop_once(true);
}

_Noreturn void kernel_panic(const char *file, int line, const char *fmt, ...)
{
    arch_irq_save();
    debug_go_sync();
    kprintf_sync("\n*** Cairn kernel panic at %s:%d: ", file, line);
    // Synchronous now (debug_go_sync), so this formats straight to the UART.
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf_sync("\n");
    arch_panic_dump();
    for (unsigned i = 0; i < process_count; i++) {
        struct process *p = process_table[i];
        if (p)
            kprintf_sync("  process slot %u: %s, %u syscalls, sp %p\n", i,
                         process_state_name(p->state), (unsigned)p->syscalls,
                         KADDR(arch_ctx_sp(&p->ctx)));
    }
    kprintf_sync("*** halted ***\n");
    arch_exit(CAIRN_PANIC_EXIT_CODE);
}

_Noreturn void kassert_failed(const char *file, int line)
{
    kernel_panic(file, line, "assertion failed");
}

// Host tests drive syscalls without the main loop; they install their config here.
void kernel_set_config_for_test(const struct kernel_config *cfg);
void kernel_set_config_for_test(const struct kernel_config *cfg)
{
    config = cfg;
    timeslice_us = cfg->timeslice_us;
    // A fresh loop too, so a fuzzer input replays the same schedule in any process.
    rr_next = 0;
    for (unsigned w = 0; w < SCHED_WORDS; w++)
        sched_ready_set[w] = 0;
    sched_ready_words = 0;
    mpu_owner = NULL;
    shared_loaded = true; // unknown: switched off at the first load
}
