// SPDX-License-Identifier: Apache-2.0
// The kernel main loop: bottom halves, deferred calls, then one process until it traps.
#include <stddef.h>

#include "process.h"
#include "sched.h"
#include <cairn/debug.h>
#include <cairn/deferred.h>
#include <cairn/kassert.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>

static const struct kernel_config *config;
static unsigned rr_next; // round-robin: the slot to consider first next time

const struct kernel_config *kernel_config(void)
{
    return config;
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
        did = true;
    }
    if (deferred_call_pending()) {
        deferred_call_run();
        did = true;
    }
    return did;
}

static struct process *sched_pick(void)
{
    unsigned n = process_count, i = rr_next;
    for (unsigned k = 0; k < n; k++, i++) {
        if (i >= n)
            i = 0;
        struct process *p = process_table[i];
        if (p && process_runnable(p)) {
            rr_next = i + 1;
            return p;
        }
    }
    return NULL;
}

// The process whose regions are in the MPU now (the MPU is reloaded only on a change of
// process or of that process's plan).
static struct process *mpu_owner;
// The process arch_switch_to_process is running (for kernel_fast_syscall).
static struct process *current;
// Its id when run_process entered it.
static uint32_t entered_id;

// Served in the trap itself: command, memop, subscribe and allows never block, so when
// nothing else needs the CPU the process resumes without a switch to the kernel thread.
// Yield and exit always take the slow path (they change what runs).
int kernel_fast_syscall(void)
{
    struct process *p = current;
    struct syscall_args a;
    struct arch_mem_bounds mem = process_bounds(p);
    // A bad stack goes to the slow path, which faults the process (a fault here could
    // restart it under the trap's feet). Pending kernel work need not stop the call: it
    // is checked after serving it.
    if (!arch_ctx_stack_ok(&p->ctx, &mem))
        return FAST_SYSCALL_DEFER;
    if (!arch_syscall_decode(&p->ctx, &a) || a.class_num == SYSCALL_CLASS_YIELD ||
        a.class_num == SYSCALL_CLASS_EXIT || a.class_num > SYSCALL_CLASS_LAST)
        return FAST_SYSCALL_DEFER;
    uint32_t id = p->id;
    syscall_dispatch(p, &a);
    // A moved break always marks the MPU plan dirty, so "not dirty" also means the stack
    // checked above is still inside the process's RAM. Every fault, restart and exit
    // leaves the process not running with a new id: then the registers still in the CPU
    // belong to the incarnation that is gone (checked only on this rarer branch).
    if (p->state != PROC_RUNNING || p->mpu_dirty || arch_kernel_attention() ||
        deferred_call_pending())
        return p->id != id ? FAST_SYSCALL_GONE : FAST_SYSCALL_DONE;
    return FAST_SYSCALL_RESUME;
}

// Run p for the rest of its timeslice, serving its non-blocking syscalls in a tight
// loop while nothing else needs the CPU. Returns when it blocks, faults, exits, its
// slice ends, or kernel work (an interrupt, a deferred call) is pending. The slice timer
// keeps running while the kernel serves p's syscalls: that time is p's.
static void run_process(struct process *p)
{
    if (!syscall_resume_yielded(p))
        return;
    // A syscall served below can fault, restart or end p: then p is a new incarnation
    // (or none) that must not inherit this one's slice or be checked as if it had run.
    // Kept in memory, not a register: the serving loop below is the syscall slow path.
    entered_id = p->id;
    if (p->slice_left_us == 0)
        p->slice_left_us = config->timeslice_us;
    arch_timeslice_start(p->slice_left_us);
    enum switch_reason why;
    for (;;) {
        if (mpu_owner != p || p->mpu_dirty) {
            arch_mpu_load(&p->mpu);
            mpu_owner = p;
            p->mpu_dirty = 0;
        }
        current = p;
        why = arch_switch_to_process(&p->ctx);
        if (why != SWITCH_SYSCALL && why != SWITCH_SYSCALL_DONE)
            break;
        struct arch_mem_bounds mem = process_bounds(p);
        if (!arch_ctx_stack_ok(&p->ctx, &mem))
            break; // handled below, with the timer stopped
        if (why == SWITCH_SYSCALL)
            syscall_handle(p);
        if (p->state != PROC_RUNNING || arch_timeslice_expired() || arch_kernel_work_pending() ||
            deferred_call_pending())
            break;
    }
    uint32_t left = arch_timeslice_stop();
    if (p->id != entered_id)
        return;
    p->slice_left_us = left;
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
    if (p->slice_left_us == 0 && p->state == PROC_RUNNING)
        p->timeslice_expirations++;
}

bool kernel_loop_once(void)
{
    kernel_service();
    struct process *p = sched_pick();
    if (!p)
        return false;
    run_process(p);
    return true;
}

_Noreturn void kernel_run(const struct kernel_config *cfg)
{
    config = cfg;
    unsigned n = loader_load_all(cfg);
    kprintf("kernel: %u process%s loaded\n", n, n == 1 ? "" : "es");
    if (cfg->on_ready)
        cfg->on_ready();
    for (;;) {
        if (kernel_loop_once())
            continue;
        // Idle: no tick, only real events wake the CPU. Masking first closes the race
        // between "nothing pending" and the wfi.
        uint32_t s = arch_irq_save();
        if (!arch_kernel_work_pending() && !deferred_call_pending())
            arch_wait_for_interrupt();
        arch_irq_restore(s);
    }
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
            kprintf_sync("  process slot %u: %s, %u syscalls, sp 0x%08x\n", i,
                         process_state_name(p->state), (unsigned)p->syscalls,
                         (unsigned)arch_ctx_sp(&p->ctx));
    }
    kprintf_sync("*** halted ***\n");
    arch_exit(CAIRN_PANIC_EXIT_CODE);
}

// Host tests drive syscalls without the main loop; they install their config here.
void kernel_set_config_for_test(const struct kernel_config *cfg);
void kernel_set_config_for_test(const struct kernel_config *cfg)
{
    config = cfg;
    // A fresh loop too, so a fuzzer input replays the same schedule in any process.
    rr_next = 0;
    mpu_owner = current = NULL;
}
