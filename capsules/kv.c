// SPDX-License-Identifier: Apache-2.0
// Key-value capsule: per-process queue of one operation, served round-robin over the store.
#include "kv.h"

#include <cairn/errorcode.h>

#define RO_KEY   0
#define RO_VALUE 1
#define RW_VALUE 0

static bool writes_value(uint32_t op)
{
    return op == KV_OP_SET || op == KV_OP_ADD || op == KV_OP_UPDATE;
}

static void set_op(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct kv_app *a = state;
    uint32_t *op = ctx;
    uint32_t had = a->op;
    if (*op != 0 && had == 0)
        a->op = (uint8_t)*op;
    else if (*op == 0)
        a->op = 0;
    *op = had;
}

// Sets the process's queued op to op if it has none. Returns the op it had (0: set).
static uint32_t queue_op(struct kv_capsule *k, procid_t pid, uint32_t op, int *err)
{
    *err = grant_enter(&k->grant, pid, set_op, &op);
    return op;
}

static void clear_op(struct kv_capsule *k, procid_t pid)
{
    uint32_t op = 0;
    grant_enter_existing(&k->grant, pid, set_op, &op);
}

struct pick {
    uint8_t after;
    procid_t first, next; // lowest slot pending; lowest slot after `after` pending
};

static void pick_one(procid_t pid, void *state, void *ctx)
{
    struct pick *p = ctx;
    if (!((struct kv_app *)state)->op)
        return;
    if (p->first == PROCID_NONE)
        p->first = pid;
    if (p->next == PROCID_NONE && PROCID_INDEX(pid) > p->after)
        p->next = pid;
}

static void op_of(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    *(uint32_t *)ctx = ((struct kv_app *)state)->op;
}

static void complete(struct kv_capsule *k, procid_t pid, int err, uint32_t vlen)
{
    clear_op(k, pid);
    upcall_schedule(pid, KV_DRIVER_NUM, 0, (uint32_t)err, vlen, 0);
}

// Starts pid's queued op. Returns true if the store is now busy with it; otherwise the op
// is finished (its upcall queued).
static bool start(struct kv_capsule *k, procid_t pid)
{
    uint32_t op = 0;
    grant_enter_existing(&k->grant, pid, op_of, &op);
    struct storage_perms perms;
    process_storage_perms(pid, &perms);
    struct kvstore *s = k->store;
    uint32_t klen = 0, vlen = 0;
    if (op != KV_OP_GC) {
        // The allows are read now: they may have changed since the command.
        klen = allow_ro_len(&k->grant, pid, RO_KEY);
        if (klen == 0 || klen > KV_KEY_MAX) {
            complete(k, pid, klen ? SIZE : RESERVE, 0);
            return false;
        }
        allow_ro_read(&k->grant, pid, RO_KEY, 0, kvstore_key_buf(s), klen);
    }
    if (op == KV_OP_GET) {
        const uint8_t *val;
        int err = kvstore_get(s, kvstore_key_buf(s), klen, &perms, &val, &vlen);
        if (err != OK) {
            complete(k, pid, err, 0);
            return false;
        }
        uint32_t room = allow_rw_len(&k->grant, pid, RW_VALUE);
        if (room == 0) {
            complete(k, pid, RESERVE, vlen);
            return false;
        }
        allow_rw_write(&k->grant, pid, RW_VALUE, 0, val, vlen < room ? vlen : room);
        complete(k, pid, vlen > room ? SIZE : OK, vlen);
        return false;
    }
    if (writes_value(op)) {
        vlen = allow_ro_len(&k->grant, pid, RO_VALUE);
        if (vlen == 0 || vlen > KV_VALUE_MAX) {
            complete(k, pid, vlen ? SIZE : RESERVE, 0);
            return false;
        }
        allow_ro_read(&k->grant, pid, RO_VALUE, 0, kvstore_value_buf(s, klen), vlen);
    }
    int err = kvstore_begin(s, (enum kv_op)op, klen, vlen, &perms);
    if (err == KV_PENDING) {
        k->running = pid;
        return true;
    }
    complete(k, pid, err, 0);
    return false;
}

// Runs queued operations, round-robin by slot, until one is in progress or none is left.
static void run_queue(struct kv_capsule *k)
{
    while (k->running == PROCID_NONE) {
        struct pick p = {k->last_slot, PROCID_NONE, PROCID_NONE};
        grant_each(&k->grant, pick_one, &p);
        procid_t pid = p.next != PROCID_NONE ? p.next : p.first;
        if (pid == PROCID_NONE)
            return;
        k->last_slot = (uint8_t)PROCID_INDEX(pid);
        start(k, pid);
    }
}

void kv_capsule_store_done(struct kv_capsule *k, int err)
{
    procid_t pid = k->running;
    k->running = PROCID_NONE;
    // A process that died meanwhile has no grant and no queue: nothing is delivered, and
    // its new incarnation starts with no operation queued.
    if (pid != PROCID_NONE)
        complete(k, pid, err, 0);
    run_queue(k);
}

void kv_capsule_init(struct kv_capsule *k, struct kvstore *store)
{
    k->store = store;
    k->running = PROCID_NONE;
    k->last_slot = 0xFF;
    k->grant = (struct grant)GRANT_INIT(KV_DRIVER_NUM, struct kv_app, 1, 2, 1);
    grant_register(&k->grant);
}

struct cmd_result kv_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                             uint32_t arg1)
{
    struct kv_capsule *k = d->ctx;
    (void)arg0, (void)arg1;
    if (!k->store)
        return cmd_failure(NODEVICE);
    if (cmd == 0)
        return cmd_success();
    if (cmd > KV_OP_GC)
        return cmd_failure(NOSUPPORT);
    struct storage_perms perms;
    if (!process_storage_perms(pid, &perms))
        return cmd_failure(INVAL);
    if (writes_value(cmd) && perms.write_id == 0)
        return cmd_failure(INVAL);
    if (cmd != KV_OP_GC) {
        uint32_t klen = allow_ro_len(&k->grant, pid, RO_KEY);
        if (klen == 0)
            return cmd_failure(RESERVE);
        if (klen > KV_KEY_MAX)
            return cmd_failure(SIZE);
    }
    if (writes_value(cmd)) {
        uint32_t vlen = allow_ro_len(&k->grant, pid, RO_VALUE);
        if (vlen == 0)
            return cmd_failure(RESERVE);
        if (vlen > KV_VALUE_MAX)
            return cmd_failure(SIZE);
    }
    if (cmd == KV_OP_GET && allow_rw_len(&k->grant, pid, RW_VALUE) == 0)
        return cmd_failure(RESERVE);
    int err;
    uint32_t had = queue_op(k, pid, cmd, &err);
    if (err != OK)
        return cmd_failure(err == NODEVICE ? err : NOMEM);
    if (had != 0)
        return cmd_failure(NOMEM);
    run_queue(k);
    return cmd_success();
}
