// SPDX-License-Identifier: Apache-2.0
// Syscall decode and dispatch: validate every argument first, then act (decode/invoke).
#include <stddef.h>

#include "ipc.h"
#include "process.h"
#include "sched.h"
#include <cairn/driver.h>
#include <cairn/errorcode.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/poison.h>
#include <cairn/deferred.h>
#include <cairn/tbf.h>

// Processes tend to call one driver many times in a row: the last hit is tried first.
// Not static: a port's command fast path in assembly tries it too (kernel_run points it
// at the first driver, so it is never null while processes run; a miss there goes to
// syscall_fast, which searches).
const struct driver *syscall_last_driver;
#define last_driver syscall_last_driver

const struct driver *driver_lookup(uint32_t num)
{
    if (last_driver && last_driver->num == num)
        return last_driver;
    const struct kernel_config *cfg = kernel_config();
    uint32_t lo = 0, hi = cfg->n_drivers;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t n = cfg->drivers[mid].num;
        if (n == num)
            return last_driver = &cfg->drivers[mid];
        if (n < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

// driver_lookup with its cache check inlined, for command's path.
static inline const struct driver *driver_find(uint32_t num)
{
    const struct driver *d = last_driver;
    return d && d->num == num ? d : driver_lookup(num);
}

// Syscall handlers read their arguments from r[0..3], the trapped argument registers,
// and write their return values there (arch_syscall_regs). The stack holding them was
// checked once at this kernel entry (kernel_fast_syscall or syscall_handle), and the
// only thing that can move the bounds under it, the break, is re-checked where memop
// moves it; so these writes need no check of their own.
// Counts a call p made (its status line and fault dump show both): cls is the class
// (low 8 bits), r0 its first argument (driver or yield number).
static inline void count_call(struct process *p, uint32_t cls, uint32_t r0)
{
    p->syscalls++;
    p->last_syscall = cls | (r0 << 8);
}

static void ret_fail(uint32_t *r, int err)
{
    r[0] = SYSCALL_FAILURE;
    r[1] = (uint32_t)err;
}

static void ret_u32(uint32_t *r, uint32_t v)
{
    r[0] = SYSCALL_SUCCESS_U32;
    r[1] = v;
}

static void ret_ok(uint32_t *r)
{
    r[0] = SYSCALL_SUCCESS;
}

// Deliver one task as a call into the process (upcall frame), leaving it running, or
// fault it (then p is a new incarnation, or dead: callers check the state).
static void deliver(struct process *p, struct upcall_task *t)
{
    if (CAIRN_FEATURE_IPC && t->origin >> 8 == IPC_DRIVER_NUM) // no IPC task without IPC
        ipc_deliver(p, t);
    struct arch_mem_bounds mem = process_bounds(p);
    if (!arch_push_upcall(&p->ctx, &mem, t->fn, t->a, t->appdata)) {
        process_fault(p, "upcall frame outside the process's RAM", false);
        return;
    }
    p->state = PROC_RUNNING;
}

bool syscall_resume_yielded(struct process *p)
{
    struct upcall_task t;
    if (p->state == PROC_YIELDED) {
        if (!process_queue_pop_callable(p, &t))
            return false;
        deliver(p, &t);
    } else if (p->state == PROC_YIELDED_FOR) {
        // yield-wait-for returns the upcall's arguments, with no variant and no call.
        // The stack was checked when the process trapped into the yield and nothing has
        // moved its bounds since (only its own memop moves its break), so the arguments
        // go straight into the trapped registers.
        uint32_t *r = arch_syscall_regs(&p->ctx);
        uint32_t origin = p->yield_for_origin;
        if (CAIRN_FEATURE_IPC && origin >> 8 == IPC_DRIVER_NUM) {
            // IPC's delivery needs the whole task (it maps the sharer's buffer).
            if (!process_queue_take_origin(p, origin, &t))
                return false;
            ipc_deliver(p, &t);
            r[0] = t.a[0];
            r[1] = t.a[1];
            r[2] = t.a[2];
        } else if (!process_queue_take_args(p, origin, r)) {
            return false;
        }
        p->state = PROC_RUNNING;
    }
    // A failed delivery faulted p: restarted it is YIELDED again (its entry call queued,
    // no frame pushed yet), stopped it is FAULTED; either way it must not be entered.
    return p->state == PROC_RUNNING;
}

static KUNCHECKED void store_u8(uint32_t addr, uint8_t v)
{
    *(volatile uint8_t *)(uintptr_t)addr = v;
}

// The origin a yield-wait-for with arguments a waits for. Origins pack the driver in 24
// bits and the subscribe number in 8; numbers outside that can never be queued, so such
// a wait never matches (as in Tock, the process stays blocked) instead of aliasing
// another slot.
static inline uint32_t wait_for_origin(const uint32_t *a)
{
    return (a[1] > TASK_DRIVER_MAX || a[2] > TASK_SUB_MAX) ? TASK_ORIGIN_NEVER
                                                           : TASK_ORIGIN(a[1], a[2]);
}

static void sys_yield(struct process *p, const uint32_t *a)
{
    switch (a[0]) {
    case YIELD_NO_WAIT: {
        struct upcall_task t;
        bool have = process_queue_pop_callable(p, &t);
        // The flag byte is written only where the process may write: [mem_start, brk).
        uint32_t flag = a[1];
        if (flag >= p->mem_start && flag < p->app_brk)
            store_u8(flag, have ? 1 : 0);
        if (have)
            deliver(p, &t);
        return;
    }
    case YIELD_WAIT:
        p->state = PROC_YIELDED;
        syscall_resume_yielded(p);
        return;
    case YIELD_WAIT_FOR:
        p->yield_for_origin = wait_for_origin(a);
        p->state = PROC_YIELDED_FOR;
        syscall_resume_yielded(p);
        return;
    default:
        process_fault(p, "yield with an unknown yield number", false);
        return;
    }
}

int syscall_yield_wait(struct process *p)
{
    uint32_t *r = arch_syscall_regs(&p->ctx);
    if (r[0] != YIELD_WAIT && r[0] != YIELD_WAIT_FOR)
        return YIELD_WAIT_NONE;
    count_call(p, SYSCALL_CLASS_YIELD, r[0]);
    if (p->q_len) {
        sys_yield(p, r);
        return YIELD_WAIT_SERVED;
    }
    // Nothing queued: it blocks (sys_yield's rule, without looking into an empty queue).
    if (r[0] == YIELD_WAIT) {
        p->state = PROC_YIELDED;
    } else {
        p->yield_for_origin = wait_for_origin(r);
        p->state = PROC_YIELDED_FOR;
    }
    return YIELD_WAIT_BLOCKED;
}

procid_t syscall_caller = PROCID_NONE;

// False if the driver faulted, restarted or ended the caller: then the frame is gone (or
// is the next incarnation's) and nothing was written for this call.
static bool sys_command(struct process *p, uint32_t *r, uint32_t id)
{
    const struct driver *d = driver_find(r[0]);
    if (!d) {
        ret_fail(r, NODEVICE);
        return true;
    }
    struct cmd_result res = d->command(d, id, r[1], r[2], r[3]);
    if (p->id != id)
        return false;
    // r0-r3 are exactly the four words of a cmd_result.
    *(struct cmd_result *)(void *)r = res;
    return true;
}

// The break moved: the trapped frame must still lie in what the process may access,
// or the return values (and the resumption) would use memory it gave up.
static void ret_after_brk(struct process *p, uint32_t *r, int err, uint32_t v, bool with_v)
{
    struct arch_mem_bounds mem = process_bounds(p);
    if (!arch_ctx_stack_ok(&p->ctx, &mem)) {
        process_fault(p, "syscall return frame outside the process's RAM", false);
        return;
    }
    if (err)
        ret_fail(r, err);
    else if (with_v)
        ret_u32(r, v);
    else
        ret_ok(r);
}

static void sys_memop(struct process *p, uint32_t *r)
{
    uint32_t arg = r[1];
    switch (r[0]) {
    case MEMOP_BRK: {
        ret_after_brk(p, r, process_set_brk(p, arg), 0, false);
        return;
    }
    case MEMOP_SBRK: {
        uint32_t old = p->app_brk;
        int32_t inc = (int32_t)arg;
        uint64_t target = (uint64_t)old + (int64_t)inc;
        // Out of 32-bit range counts as "too large", not as a wrapped address.
        int err = target > 0xFFFFFFFFull ? NOMEM : process_set_brk(p, (uint32_t)target);
        ret_after_brk(p, r, err, old, true);
        return;
    }
    case MEMOP_RAM_START:
        ret_u32(r, p->mem_start);
        return;
    case MEMOP_RAM_END:
        ret_u32(r, p->mem_start + p->mem_len);
        return;
    case MEMOP_FLASH_START:
        ret_u32(r, p->flash_start);
        return;
    case MEMOP_FLASH_END:
        ret_u32(r, p->flash_start + p->flash_len);
        return;
    case MEMOP_GRANT_START:
        ret_u32(r, p->kernel_brk);
        return;
    case MEMOP_WFR_COUNT:
        ret_u32(r, p->wfr_count);
        return;
    case MEMOP_WFR_START:
    case MEMOP_WFR_END: {
        // As Tock: FAIL for an index past the count and for a region of size 0. The
        // loader checked offset + size <= total_size, and flash_start + flash_len fits in
        // 32 bits, so neither sum wraps.
        struct tbf_wfr w;
        if (arg >= p->wfr_count ||
            !tbf_wfr_get((const uint8_t *)(uintptr_t)p->flash_start, p->flash_len, arg, &w) ||
            w.size == 0) {
            ret_fail(r, FAIL);
            return;
        }
        uint32_t start = p->flash_start + w.offset;
        ret_u32(r, r[0] == MEMOP_WFR_START ? start : start + w.size);
        return;
    }
    case MEMOP_HINT_STACK_TOP:
        if (arg >= p->mem_start && arg < p->mem_start + p->mem_len)
            p->stack_hint = arg;
        ret_ok(r);
        return;
    case MEMOP_HINT_HEAP_START:
        if (arg >= p->mem_start && arg < p->mem_start + p->mem_len)
            p->heap_hint = arg;
        ret_ok(r);
        return;
    default:
        ret_fail(r, NOSUPPORT);
        return;
    }
}

static void sys_exit(struct process *p, uint32_t *r)
{
    switch (r[0]) {
    case EXIT_TERMINATE:
        process_terminate(p, r[1]);
        return;
    case EXIT_RESTART:
        p->completion_code = r[1];
        process_restart(p);
        return;
    default:
        ret_fail(r, NOSUPPORT);
        return;
    }
}

// The classes syscall_fast may serve: all but exit, which changes what runs (the kernel
// thread serves it), and unknown ones, which fault the process. Of yield it serves only
// a yield-no-wait with nothing to deliver (fast_yield); the rest defers. Command, the
// call apps make most, costs one comparison.
static inline bool fast_class(uint32_t cls)
{
    return cls == SYSCALL_CLASS_COMMAND || (cls != SYSCALL_CLASS_EXIT && cls <= SYSCALL_CLASS_LAST);
}

// A yield-no-wait with no callable upcall queued only writes 0 through its flag pointer
// (where the process may write) and lets the process go on: true when it did that.
// Anything else (a wait, an upcall to deliver, an unknown yield number) is left to the
// slow path, untouched.
static bool fast_yield(struct process *p, uint32_t *r)
{
    if (r[0] != YIELD_NO_WAIT || process_queue_has_callable(p))
        return false;
    uint32_t flag = r[1];
    if (flag >= p->mem_start && flag < p->app_brk)
        store_u8(flag, 0);
    return true;
}

// Non-blocking classes, served in the trap on ports that call kernel_fast_syscall and
// from syscall_handle on the others: one stack check, one dispatch, results written
// straight into the trapped registers, command's handler inlined.
// pre: fast_class(cls), and the stack was checked for this entry (syscall_fast).
static int syscall_fast_checked(struct process *p, uint32_t cls)
{
    uint32_t *r = arch_syscall_regs(&p->ctx);
    if (cls == SYSCALL_CLASS_YIELD) {
        if (!fast_yield(p, r))
            return FAST_SYSCALL_DEFER; // the slow path counts this call
        count_call(p, cls, r[0]);
        return deferred_call_pending() ? FAST_SYSCALL_DONE : FAST_SYSCALL_RESUME;
    }
    uint32_t id = p->id;
    count_call(p, cls, r[0]);
    if (cls == SYSCALL_CLASS_COMMAND) {
        if (!sys_command(p, r, id))
            return FAST_SYSCALL_GONE;
    } else {
        if (cls == SYSCALL_CLASS_MEMOP)
            sys_memop(p, r);
        else
            syscall_subscribe_allow(p, cls, r);
        if (p->id != id)
            return FAST_SYSCALL_GONE;
    }
    // Every fault, restart and exit leaves the process with a new id (handled above: the
    // registers still in the CPU belong to the incarnation that is gone). A moved break
    // (or a new grant) marks the MPU plan dirty, and a deferred call a driver scheduled
    // must run before the process goes on.
    if (p->state != PROC_RUNNING || p->mpu_dirty || deferred_call_pending())
        return FAST_SYSCALL_DONE;
    return FAST_SYSCALL_RESUME;
}

#if CAIRN_FEATURE_PERMISSIONS
// The TBF Permissions filter, Tock's order (doc/tbf.md): after the decode, before the
// driver lookup, for subscribe, command and the allows only. A refused call answers as a
// driver the board does not have answers that class (so libtock-c takes it the same way):
// command Failure NODEVICE; subscribe and allow Failure with 2 u32, NODEVICE and the two
// arguments echoed (Tock returns the plain Failure there, which libtock-c treats as a
// broken kernel and exits on). True if refused, with the return values written.
static bool filter_refuses(const struct process *p, uint32_t cls, uint32_t *r)
{
    if (cls == SYSCALL_CLASS_YIELD || cls == SYSCALL_CLASS_MEMOP)
        return false; // never filtered (exit never gets here)
    // The entries, from the header in the process's flash (the loader saw the TLV there,
    // and the header cannot change while the process lives): a count, then the entries.
    uint16_t len = 0;
    const uint8_t *v =
        tbf_find_tlv((const uint8_t *)(uintptr_t)p->flash_start, TBF_TLV_PERMISSIONS, &len);
    const uint8_t *perms = v ? v + 2 : NULL;
    uint16_t n = v ? (uint16_t)((len - 2u) / 16u) : 0; // none: everything refused
    switch (cls) {
    case SYSCALL_CLASS_COMMAND:
        if (tbf_perms_command_allowed(perms, n, r[0], r[1]))
            return false;
        ret_fail(r, NODEVICE);
        return true;
    case SYSCALL_CLASS_SUBSCRIBE:
    case SYSCALL_CLASS_ALLOW_RW:
    case SYSCALL_CLASS_ALLOW_RO:
    case SYSCALL_CLASS_ALLOW_URA:
        if (tbf_perms_driver_listed(perms, n, r[0]))
            return false;
        r[0] = SYSCALL_FAILURE_2U32;
        r[1] = NODEVICE; // r[2], r[3]: the function and appdata, or the buffer, echoed
        return true;
    default:
        return false;
    }
}

// What syscall_filter answers for a call the filter lets through.
#define FILTER_PASS (-1)

// A filtered process's call (the frame checked): FILTER_PASS, or the refusal written into
// the frame, counted as a served call, and what the trap does next (FAST_SYSCALL_*). Out
// of line: only filtered processes come here.
static __attribute__((noinline)) int syscall_filter(struct process *p, uint32_t cls)
{
    uint32_t *r = arch_syscall_regs(&p->ctx);
    if (!filter_refuses(p, cls, r))
        return FILTER_PASS;
    count_call(p, cls, r[0]);
    return deferred_call_pending() ? FAST_SYSCALL_DONE : FAST_SYSCALL_RESUME;
}
#endif

// pre: fast_class(cls). A bad stack is not served: a fault dump from here would show
// registers the trap has not saved yet, so the slow path faults the process.
static int syscall_fast(struct process *p, uint32_t cls)
{
    struct arch_mem_bounds mem = process_bounds(p);
    if (!arch_ctx_stack_ok(&p->ctx, &mem))
        return FAST_SYSCALL_DEFER;
#if CAIRN_FEATURE_PERMISSIONS
    // One load and one branch for an unfiltered process, on the paths that come here
    // (every trap on RISC-V and the host; on Cortex-M only the kernel thread's and the
    // traps that failed the SVC handler's frame check).
    if (process_filtered(p)) {
        int v = syscall_filter(p, cls);
        if (v != FILTER_PASS)
            return v;
    }
#endif
    return syscall_fast_checked(p, cls);
}

int kernel_fast_syscall(struct arch_ctx *ctx)
{
    uint32_t cls = arch_syscall_class(ctx);
    if (!fast_class(cls))
        return FAST_SYSCALL_DEFER;
    // The context is the first member of its process's control block.
    return syscall_fast((struct process *)(void *)ctx, cls);
}

// Never reached by a filtered process (kernel/arch.h): it skips the filter.
int kernel_fast_syscall_checked(struct arch_ctx *ctx)
{
    uint32_t cls = arch_syscall_class(ctx);
    if (!fast_class(cls))
        return FAST_SYSCALL_DEFER;
    return syscall_fast_checked((struct process *)(void *)ctx, cls);
}

// Yield, exit and unknown classes. pre: the stack was checked for this entry.
static void syscall_slow(struct process *p, uint32_t cls)
{
    uint32_t *r = arch_syscall_regs(&p->ctx);
    count_call(p, cls & 0xFF, r[0]);
    if (cls == SYSCALL_CLASS_YIELD)
        sys_yield(p, r);
    else if (cls == SYSCALL_CLASS_EXIT)
        sys_exit(p, r);
    else
        process_fault(p, "system call with an unknown class number", false);
}

void syscall_handle(struct process *p)
{
    procid_t caller = syscall_caller;
    syscall_caller = p->id;
    uint32_t cls = arch_syscall_class(&p->ctx);
    // Yield skips syscall_fast: the only one it serves (no-wait, nothing queued) was
    // tried at the trap already, and the slow path serves every yield.
    if (cls == SYSCALL_CLASS_YIELD || !fast_class(cls) ||
        syscall_fast(p, cls) == FAST_SYSCALL_DEFER) {
        // The one stack check of this entry (syscall_fast found the stack bad, or the
        // class is not one it serves).
        struct arch_mem_bounds mem = process_bounds(p);
        if (!arch_ctx_stack_ok(&p->ctx, &mem))
            process_fault(p, "stack pointer outside the process's accessible RAM", false);
        else
            syscall_slow(p, cls);
    }
    syscall_caller = caller;
}
