// SPDX-License-Identifier: Apache-2.0
// IPC driver (0x10000): discovery by package name, notifies, MPU access to shared buffers.
//
// It lives in the kernel, not in capsules/, because it reaches other processes' names and
// MPU state (as Tock's kernel/src/ipc.rs does). The per-process part of the ABI (upcall
// slots, the name to discover, the shared buffers) is an ordinary grant; the access a
// process has to another's buffer is kept in its PCB (struct process, shared_*) so that
// the context switch finds it without a grant lookup.
//
// An IPC upcall is queued with the notifier's full id in its second argument and resolved
// when it reaches the recipient (ipc_deliver): the buffer is read from the notifier's slot
// at that moment, so a buffer shared, changed or revoked after the notify is seen as it is
// then, and the recipient is mapped the buffer of the event it is handling.
#include "ipc.h"

#if CAIRN_FEATURE_IPC // else nothing here: ipc.h makes the hooks empty

#include <stddef.h>

#include "sched.h"
#include <cairn/errorcode.h>
#include <cairn/grant.h>

static struct grant ipc_grant;

// The indices IPC can name: slots below this many (Tock: the board's NUM_PROCS). The
// process table may be longer (120 minimal apps fit in an385's pool), but every IPC user
// carries an upcall and a read-write allow slot per nameable index in its grant, so the
// count is kept where a realistic set of cooperating apps fits.
#ifndef IPC_MAX_PROCS
#define IPC_MAX_PROCS 16u
#endif
_Static_assert(IPC_MAX_PROCS <= 255u, "grant slot counts are 8-bit");

// The processes IPC can name: the first IPC_MAX_PROCS slots of the process table.
static unsigned ipc_slots(void)
{
    return process_count < IPC_MAX_PROCS ? process_count : IPC_MAX_PROCS;
}

void ipc_init(void)
{
    // No state of its own beyond the slots: upcall i, read-write allow i per process index,
    // read-only allow 0 for the name to discover (Tock: UpcallCount<NUM_PROCS>,
    // AllowRoCount<1>, AllowRwCount<NUM_PROCS>).
    ipc_grant = (struct grant){
        .driver_num = IPC_DRIVER_NUM,
        .n_upcalls = IPC_MAX_PROCS,
        .n_ro = 1,
        .n_rw = IPC_MAX_PROCS,
    };
    grant_register(&ipc_grant);
}

static void no_state(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)state;
    (void)ctx;
}

// True if the read-only buffer of pid's allow 0 holds exactly q's package name.
static bool name_matches(procid_t pid, uint32_t len, const struct process *q)
{
    if (q->name_len != len)
        return false;
    char chunk[16];
    for (uint32_t off = 0; off < len; off += sizeof chunk) {
        uint32_t n = allow_ro_read(&ipc_grant, pid, 0, off, chunk, sizeof chunk);
        for (uint32_t i = 0; i < n; i++)
            if (chunk[i] != q->name[off + i])
                return false;
    }
    return true;
}

static struct cmd_result discover(procid_t pid)
{
    int err = grant_enter(&ipc_grant, pid, no_state, NULL);
    if (err != OK)
        return cmd_failure(err);
    uint32_t len = allow_ro_len(&ipc_grant, pid, 0);
    // Slot order, first match, every loaded process whatever its state (as Tock).
    for (unsigned i = 0; i < ipc_slots(); i++)
        if (process_table[i] && name_matches(pid, len, process_table[i]))
            return cmd_success_u32(i);
    return cmd_failure(NODEVICE);
}

static struct cmd_result notify(procid_t pid, uint32_t target, bool to_service)
{
    if (target >= ipc_slots() || !process_table[target])
        return cmd_failure(INVAL);
    // A service's notifies arrive on its own index, a client's on the service's.
    uint32_t sub = to_service ? target : PROCID_INDEX(pid);
    int err =
        upcall_schedule(process_table[target]->id, IPC_DRIVER_NUM, sub, PROCID_INDEX(pid), pid, 0);
    // NOSUPPORT: the target never used IPC, so it has no upcall to run: Tock answers
    // Success there too (its task is queued, then finds no upcall).
    if (err == OK || err == NOSUPPORT)
        return cmd_success();
    return cmd_failure(err);
}

struct cmd_result ipc_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                              uint32_t arg1)
{
    (void)d;
    (void)arg1;
    // A process past the slots IPC reaches could discover and notify a service, but the
    // service could never notify it back (nor name its buffer): it is told at once.
    if (cmd >= 1 && cmd <= 3 && PROCID_INDEX(pid) >= IPC_MAX_PROCS)
        return cmd_failure(NOSUPPORT);
    switch (cmd) {
    case 0:
        return cmd_success();
    case 1:
        return discover(pid);
    case 2:
        return notify(pid, arg0, true);
    case 3:
        return notify(pid, arg0, false);
    default:
        return cmd_failure(NOSUPPORT);
    }
}

// ---- the shared region -------------------------------------------------------------------

// Same plan, word by word (every arch_mpu_shared is whole 32-bit words, no padding).
static bool same_plan(const struct arch_mpu_shared *a, const struct arch_mpu_shared *b)
{
    const uint32_t *x = (const uint32_t *)a, *y = (const uint32_t *)b;
    for (unsigned i = 0; i < sizeof *a / 4; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

static void unshare(struct process *q)
{
    if (q->shared_on) {
        q->shared_on = 0;
        q->mpu_dirty = 1;
    }
}

int ipc_allow_rw_check(uint32_t addr, uint32_t len)
{
    struct arch_mpu_shared sh;
    return len == 0 || arch_mpu_plan_shared(&sh, addr, len) ? OK : INVAL;
}

void ipc_allow_rw_changed(struct process *p, unsigned slot)
{
    struct process *q = slot < ipc_slots() ? process_table[slot] : NULL;
    if (!q || !q->shared_on || q->shared_owner != p->id)
        return;
    uint32_t addr, len;
    struct arch_mpu_shared sh;
    if (!grant_rw_slot_get(&ipc_grant, p, slot, &addr, &len) || len == 0 ||
        !arch_mpu_plan_shared(&sh, addr, len) || !same_plan(&sh, &q->mpu_shared))
        unshare(q);
}

void ipc_process_gone(struct process *p)
{
    for (unsigned i = 0; i < process_count; i++) {
        struct process *q = process_table[i];
        if (q && q->shared_on && q->shared_owner == p->id)
            unshare(q);
    }
    unshare(p);
}

void ipc_deliver(struct process *p, struct upcall_task *t)
{
    // a[1] carries the notifier's id until now (see notify).
    procid_t from = t->a[1];
    struct process *o = process_alive(from) ? process_get(from) : NULL;
    uint32_t addr = 0, len = 0;
    if (!o || !grant_rw_slot_get(&ipc_grant, o, p->index, &addr, &len) || len == 0)
        addr = len = 0;
    t->a[1] = len;
    t->a[2] = addr;
    unshare(p);
    // A process's own buffer needs no region (and on PMSAv8 one overlapping its RAM
    // region would fault every access to it).
    struct arch_mpu_shared sh;
    if (o && o != p && len && arch_mpu_plan_shared(&sh, addr, len)) {
        p->mpu_shared = sh;
        p->shared_owner = from;
        p->shared_on = 1;
        p->mpu_dirty = 1;
    }
}
#endif
