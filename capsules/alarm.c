// SPDX-License-Identifier: Apache-2.0
// Alarm capsule: per-process alarms in grants, kept in expiry order, over one virtual alarm.
//
// The armed alarms form a list sorted by expiry, linked through the processes' own grant
// state by process id (capsules hold no pointers into process memory). The capsule keeps
// only the head: an expiry pops the due alarms off the front and arms the hardware for
// the next, so its cost does not depend on how many processes there are. Arming walks
// the list to its place (the armed alarms ahead of it).
//
// A process that dies or restarts takes its node with it, and its id goes stale: any
// walk that meets a stale id rebuilds the list from the grants (grant_each), which is
// what a death costs, once.
#include <stddef.h>

#include "alarm.h"

#include <cairn/errorcode.h>

#define CAP_OF(c) ((struct alarm_capsule *)((uint8_t *)(c)-offsetof(struct alarm_capsule, client)))

// ---- one process's node: copied out and back through short grant entries ----------------

enum node_op { NODE_GET, NODE_SET_NEXT };

struct node_access {
    enum node_op op;
    procid_t next;        // NODE_SET_NEXT: the new link
    struct alarm_app val; // the node as it was
};

static void node_cb(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct alarm_app *app = state;
    struct node_access *n = ctx;
    n->val = *app;
    if (n->op == NODE_SET_NEXT)
        app->next = n->next;
}

// False if pid is dead, stale or has no alarm state (the list met a vanished node).
static bool node(struct alarm_capsule *a, procid_t pid, enum node_op op, uint32_t arg,
                 struct alarm_app *out)
{
    struct node_access n; // fields set one by one: a designated initializer zeroes the
    n.op = op;            // rest through a memset call
    n.next = arg;
    if (grant_enter_existing(&a->grant, pid, node_cb, &n) != OK)
        return false;
    if (out)
        *out = n.val;
    return true;
}

// Ticks from now until the alarm is due (0 if due). All alarms' values shrink alike as
// time passes, so the order by this value does not change until they fall due.
static uint32_t left(uint32_t now, const struct alarm_app *app)
{
    uint32_t elapsed = now - app->reference;
    return elapsed >= app->dt ? 0 : app->dt - elapsed;
}

// ---- the list ----------------------------------------------------------------------------

// Link pid (armed, its values in app) at its place. False if the walk met a stale node
// (the list is then unchanged).
static bool insert(struct alarm_capsule *a, procid_t pid, const struct alarm_app *app, uint32_t now)
{
    uint32_t mine = left(now, app);
    procid_t prev = PROCID_NONE, cur = a->head;
    struct alarm_app n;
    while (cur != PROCID_NONE) {
        if (!node(a, cur, NODE_GET, 0, &n))
            return false;
        if (left(now, &n) > mine)
            break; // after the ones due as soon: equal deadlines fire in arming order
        prev = cur;
        cur = n.next;
    }
    if (!node(a, pid, NODE_SET_NEXT, cur, NULL))
        return false;
    if (prev == PROCID_NONE)
        a->head = pid;
    else
        node(a, prev, NODE_SET_NEXT, pid, NULL);
    return true;
}

// Take pid out of the list (its node says where it was). False on a stale node.
static bool unlink(struct alarm_capsule *a, procid_t pid, procid_t after)
{
    if (a->head == pid) {
        a->head = after;
        return true;
    }
    struct alarm_app n;
    for (procid_t cur = a->head; cur != PROCID_NONE; cur = n.next) {
        if (!node(a, cur, NODE_GET, 0, &n))
            return false;
        if (n.next == pid)
            return node(a, cur, NODE_SET_NEXT, after, NULL);
    }
    return true; // not linked
}

static void link_cb(procid_t pid, void *state, void *ctx)
{
    struct alarm_app *app = state;
    procid_t *chain = ctx;
    if (!app->armed)
        return;
    app->next = *chain;
    *chain = pid;
}

// Rebuild the sorted list from every live process's node: after a death or restart left
// a stale id in it. Collecting touches each node once; sorting walks the new list.
static void rebuild(struct alarm_capsule *a)
{
    procid_t chain = PROCID_NONE;
    grant_each(&a->grant, link_cb, &chain);
    a->head = PROCID_NONE;
    uint32_t now = alarm_hw_now(a->hw);
    struct alarm_app n;
    while (chain != PROCID_NONE && node(a, chain, NODE_GET, 0, &n)) {
        procid_t pid = chain;
        chain = n.next;
        // Every node linked so far is live, so this insertion cannot meet a stale one.
        insert(a, pid, &n, now);
    }
}

// Arm the virtual alarm for the head of the list, or disarm it.
static void rearm(struct alarm_capsule *a)
{
    struct alarm_app n;
    while (a->head != PROCID_NONE && !node(a, a->head, NODE_GET, 0, &n))
        rebuild(a);
    if (a->head != PROCID_NONE)
        alarm_hw_set(a->hw, n.reference, n.dt);
    else
        alarm_hw_disarm(a->hw);
}

struct fire_access {
    uint32_t now;
    struct alarm_app val; // the node before it is disarmed
};

// The head's node: read it and, if it is due at now, disarm it and have its upcall
// (now, reference + dt, 0) queued in the same grant entry.
__attribute__((always_inline)) static inline bool fire_cb(procid_t pid, void *state, void *ctx,
                                                          uint32_t args[3])
{
    (void)pid;
    struct alarm_app *app = state;
    struct fire_access *f = ctx;
    f->val = *app;
    if (!app->armed || !alarm_due(f->now, app->reference, app->dt))
        return false;
    app->armed = 0;
    args[0] = f->now;
    args[1] = app->reference + app->dt;
    args[2] = 0;
    return true;
}

static void alarm_fired(struct alarm_hw_client *c, uint32_t now)
{
    struct alarm_capsule *a = CAP_OF(c);
    // Due-ness is decided against one `now`, so an alarm its process re-arms (it runs
    // later anyway) cannot fire twice in one pass.
    struct fire_access f;
    f.now = now;
    bool rebuilt = false;
    while (a->head != PROCID_NONE) {
        procid_t pid = a->head;
        // One grant entry reads the head and, if it is due, disarms it and queues its
        // upcall: the process is looked up once per expiry.
        if (grant_enter_upcall(&a->grant, pid, 0, fire_cb, &f) != OK || !f.val.armed) {
            // A vanished node (or one disarmed behind the list's back, which no path
            // does): start afresh, once; the rebuilt list holds only live armed nodes.
            if (rebuilt)
                break;
            rebuild(a);
            rebuilt = true;
            continue;
        }
        if (!alarm_due(f.now, f.val.reference, f.val.dt)) {
            alarm_hw_set(a->hw, f.val.reference, f.val.dt);
            return;
        }
        a->head = f.val.next;
    }
    // Nothing left armed: the alarm under us was disarmed before it fired (the HIL's
    // rule), and nothing above armed it again, so there is nothing to disarm.
}

void alarm_capsule_init(struct alarm_capsule *a, struct alarm_hw *hw)
{
    a->hw = hw;
    a->head = PROCID_NONE;
    a->client.fired = alarm_fired;
    alarm_hw_set_client(hw, &a->client);
    a->grant = (struct grant)GRANT_INIT(ALARM_DRIVER_NUM, struct alarm_app, 1, 0, 0);
    grant_register(&a->grant);
}

// ---- commands ----------------------------------------------------------------------------

struct cmd_ctx {
    uint32_t cmd, arg0, arg1, now;
    struct cmd_result r;
    struct alarm_app old, set; // the node before, and after (set.armed: to be linked)
};

static void command_in_grant(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct alarm_app *app = state;
    struct cmd_ctx *c = ctx;
    c->old = *app;
    switch (c->cmd) {
    case 0:
        c->r = cmd_success();
        return;
    case 3:
        c->r = app->armed ? cmd_success() : cmd_failure(ALREADY);
        app->armed = 0;
        break;
    case 5:
        app->reference = c->now;
        app->dt = c->arg0;
        app->armed = 1;
        c->r = cmd_success_u32(app->reference + app->dt);
        break;
    case 6:
        app->reference = c->arg0;
        app->dt = c->arg1;
        app->armed = 1;
        c->r = cmd_success_u32(app->reference + app->dt);
        break;
    }
    c->set = *app;
}

struct cmd_result alarm_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                uint32_t arg1)
{
    struct alarm_capsule *a = d->ctx;
    switch (cmd) {
    case 1:
        return cmd_success_u32(alarm_hw_frequency(a->hw));
    case 2:
        return cmd_success_u32(alarm_hw_now(a->hw));
    case 0:
    case 3:
    case 5:
    case 6:
        break;
    default: // 4 (Tock 1.x absolute set) included
        return cmd_failure(NOSUPPORT);
    }
    struct cmd_ctx c = {.cmd = cmd, .arg0 = arg0, .arg1 = arg1};
    c.now = alarm_hw_now(a->hw);
    int err = grant_enter(&a->grant, pid, command_in_grant, &c);
    if (err)
        return cmd_failure(err);
    if (cmd == 0)
        return c.r;
    // The node is rewritten: out of the list at its old place, in at its new one.
    bool ok = !c.old.armed || unlink(a, pid, c.old.next);
    if (ok && c.set.armed)
        ok = insert(a, pid, &c.set, c.now);
    if (!ok)
        rebuild(a); // the node's armed flag is already what it should be
    rearm(a);
    return c.r;
}
