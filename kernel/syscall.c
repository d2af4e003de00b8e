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
#include <cairn/tbf.h>

const struct driver *driver_lookup(uint32_t num)
{
    // Processes tend to call one driver many times in a row: remember the last hit.
    static const struct driver *last;
    if (last && last->num == num)
        return last;
    const struct kernel_config *cfg = kernel_config();
    uint32_t lo = 0, hi = cfg->n_drivers;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t n = cfg->drivers[mid].num;
        if (n == num)
            return last = &cfg->drivers[mid];
        if (n < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

// Write the return registers; a process whose stack cannot take them has faulted.
static void ret(struct process *p, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3, unsigned n)
{
    uint32_t regs[4] = {r0, r1, r2, r3};
    struct arch_mem_bounds mem = process_bounds(p);
    if (!arch_syscall_return(&p->ctx, &mem, regs, n))
        process_fault(p, "syscall return frame outside the process's RAM", false);
}

static void ret_fail(struct process *p, int err)
{
    ret(p, SYSCALL_FAILURE, (uint32_t)err, 0, 0, 2);
}

static void ret_u32(struct process *p, uint32_t v)
{
    ret(p, SYSCALL_SUCCESS_U32, v, 0, 0, 2);
}

// Deliver one task as a call into the process (upcall frame), leaving it running, or
// fault it (then p is a new incarnation, or dead: callers check the state).
static void deliver(struct process *p, struct upcall_task *t)
{
    if (t->origin >> 8 == IPC_DRIVER_NUM)
        ipc_deliver(p, t);
    struct arch_mem_bounds mem = process_bounds(p);
    if (!arch_push_upcall(&p->ctx, &mem, t->fn, t->a[0], t->a[1], t->a[2], t->appdata)) {
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
        if (!process_queue_take_origin(p, p->yield_for_origin, &t))
            return false;
        // yield-wait-for returns the upcall's arguments, with no variant and no call.
        if (t.origin >> 8 == IPC_DRIVER_NUM)
            ipc_deliver(p, &t);
        p->state = PROC_RUNNING;
        ret(p, t.a[0], t.a[1], t.a[2], 0, 3);
    }
    // A failed delivery faulted p: restarted it is YIELDED again (its entry call queued,
    // no frame pushed yet), stopped it is FAULTED; either way it must not be entered.
    return p->state == PROC_RUNNING;
}

static KUNCHECKED void store_u8(uint32_t addr, uint8_t v)
{
    *(volatile uint8_t *)(uintptr_t)addr = v;
}

static void sys_yield(struct process *p, const struct syscall_args *a)
{
    switch (a->a[0]) {
    case YIELD_NO_WAIT: {
        struct upcall_task t;
        bool have = process_queue_pop_callable(p, &t);
        // The flag byte is written only where the process may write: [mem_start, brk).
        uint32_t flag = a->a[1];
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
        // Origins pack the driver in 24 bits and the subscribe number in 8; numbers
        // outside that can never be queued, so such a wait never matches (as in Tock,
        // the process stays blocked) instead of aliasing another slot.
        p->yield_for_origin = (a->a[1] > TASK_DRIVER_MAX || a->a[2] > TASK_SUB_MAX)
                                  ? TASK_ORIGIN_NEVER
                                  : TASK_ORIGIN(a->a[1], a->a[2]);
        p->state = PROC_YIELDED_FOR;
        syscall_resume_yielded(p);
        return;
    default:
        process_fault(p, "yield with an unknown yield number", false);
        return;
    }
}

procid_t syscall_caller = PROCID_NONE;

static void sys_command(struct process *p, const struct syscall_args *a)
{
    const struct driver *d = driver_lookup(a->a[0]);
    if (!d) {
        ret_fail(p, NODEVICE);
        return;
    }
    uint32_t id = p->id;
    syscall_caller = id;
    struct cmd_result r = d->command(d, id, a->a[1], a->a[2], a->a[3]);
    syscall_caller = PROCID_NONE;
    // A driver may fault, restart or end the caller; then the frame is gone (or is the
    // next incarnation's) and nothing may be written for this call.
    if (p->id != id)
        return;
    ret(p, r.variant, r.v[0], r.v[1], r.v[2], 4);
}

static void sys_memop(struct process *p, const struct syscall_args *a)
{
    uint32_t arg = a->a[1];
    switch (a->a[0]) {
    case MEMOP_BRK: {
        int err = process_set_brk(p, arg);
        if (err)
            ret_fail(p, err);
        else
            ret(p, SYSCALL_SUCCESS, 0, 0, 0, 1);
        return;
    }
    case MEMOP_SBRK: {
        uint32_t old = p->app_brk;
        int32_t inc = (int32_t)arg;
        uint64_t target = (uint64_t)old + (int64_t)inc;
        // Out of 32-bit range counts as "too large", not as a wrapped address.
        int err = target > 0xFFFFFFFFull ? NOMEM : process_set_brk(p, (uint32_t)target);
        if (err)
            ret_fail(p, err);
        else
            ret_u32(p, old);
        return;
    }
    case MEMOP_RAM_START:
        ret_u32(p, p->mem_start);
        return;
    case MEMOP_RAM_END:
        ret_u32(p, p->mem_start + p->mem_len);
        return;
    case MEMOP_FLASH_START:
        ret_u32(p, p->flash_start);
        return;
    case MEMOP_FLASH_END:
        ret_u32(p, p->flash_start + p->flash_len);
        return;
    case MEMOP_GRANT_START:
        ret_u32(p, p->kernel_brk);
        return;
    case MEMOP_WFR_COUNT:
        ret_u32(p, p->wfr_count);
        return;
    case MEMOP_WFR_START:
    case MEMOP_WFR_END: {
        // As Tock: FAIL for an index past the count and for a region of size 0. The
        // loader checked offset + size <= total_size, and flash_start + flash_len fits in
        // 32 bits, so neither sum wraps.
        struct tbf_wfr r;
        if (arg >= p->wfr_count ||
            !tbf_wfr_get((const uint8_t *)(uintptr_t)p->flash_start, p->flash_len, arg, &r) ||
            r.size == 0) {
            ret_fail(p, FAIL);
            return;
        }
        uint32_t start = p->flash_start + r.offset;
        ret_u32(p, a->a[0] == MEMOP_WFR_START ? start : start + r.size);
        return;
    }
    case MEMOP_HINT_STACK_TOP:
        if (arg >= p->mem_start && arg < p->mem_start + p->mem_len)
            p->stack_hint = arg;
        ret(p, SYSCALL_SUCCESS, 0, 0, 0, 1);
        return;
    case MEMOP_HINT_HEAP_START:
        if (arg >= p->mem_start && arg < p->mem_start + p->mem_len)
            p->heap_hint = arg;
        ret(p, SYSCALL_SUCCESS, 0, 0, 0, 1);
        return;
    default:
        ret_fail(p, NOSUPPORT);
        return;
    }
}

static void sys_exit(struct process *p, const struct syscall_args *a)
{
    switch (a->a[0]) {
    case EXIT_TERMINATE:
        process_terminate(p, a->a[1]);
        return;
    case EXIT_RESTART:
        p->completion_code = a->a[1];
        process_restart(p);
        return;
    default:
        ret_fail(p, NOSUPPORT);
        return;
    }
}

void syscall_handle(struct process *p)
{
    struct syscall_args a;
    if (!arch_syscall_decode(&p->ctx, &a)) {
        process_fault(p, "undecodable system call", false);
        return;
    }
    syscall_dispatch(p, &a);
}

void syscall_dispatch(struct process *p, const struct syscall_args *a)
{
    p->syscalls++;
    p->last_syscall = (a->class_num & 0xFF) | (a->a[0] << 8);
    switch (a->class_num) {
    case SYSCALL_CLASS_YIELD:
        sys_yield(p, a);
        return;
    case SYSCALL_CLASS_COMMAND:
        sys_command(p, a);
        return;
    case SYSCALL_CLASS_SUBSCRIBE:
    case SYSCALL_CLASS_ALLOW_RW:
    case SYSCALL_CLASS_ALLOW_RO:
    case SYSCALL_CLASS_ALLOW_URA:
        syscall_subscribe_allow(p, a);
        return;
    case SYSCALL_CLASS_MEMOP:
        sys_memop(p, a);
        return;
    case SYSCALL_CLASS_EXIT:
        sys_exit(p, a);
        return;
    default:
        process_fault(p, "system call with an unknown class number", false);
        return;
    }
}
