// SPDX-License-Identifier: Apache-2.0
// Alarm capsule: per-process alarms in grants, multiplexed on one virtual alarm.
#include <stddef.h>

#include "alarm.h"

#include <cairn/errorcode.h>

#define CAP_OF(c) ((struct alarm_capsule *)((uint8_t *)(c)-offsetof(struct alarm_capsule, client)))

struct scan {
    uint32_t now;
    bool any;
    uint32_t best_left, best_ref, best_dt;
};

static void scan_one(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct alarm_app *app = state;
    struct scan *s = ctx;
    if (!app->armed)
        return;
    uint32_t elapsed = s->now - app->reference;
    uint32_t left = elapsed >= app->dt ? 0 : app->dt - elapsed;
    if (!s->any || left < s->best_left) {
        s->any = true;
        s->best_left = left;
        s->best_ref = app->reference;
        s->best_dt = app->dt;
    }
}

// Arm the virtual alarm for the soonest process alarm (grant_each visits only processes
// that use the driver, so dead processes drop out by themselves).
static void rearm(struct alarm_capsule *a)
{
    struct scan s = {.now = alarm_hw_now(&a->valarm->hil)};
    grant_each(&a->grant, scan_one, &s);
    if (s.any)
        alarm_hw_set(&a->valarm->hil, s.best_ref, s.best_dt);
    else
        alarm_hw_disarm(&a->valarm->hil);
}

static void fire_one(procid_t pid, void *state, void *ctx)
{
    struct alarm_app *app = state;
    uint32_t now = *(uint32_t *)ctx;
    if (!app->armed || !alarm_due(now, app->reference, app->dt))
        return;
    app->armed = 0;
    upcall_schedule(pid, ALARM_DRIVER_NUM, 0, now, app->reference + app->dt, 0);
}

static void alarm_fired(struct alarm_hw_client *c)
{
    struct alarm_capsule *a = CAP_OF(c);
    uint32_t now = alarm_hw_now(&a->valarm->hil);
    grant_each(&a->grant, fire_one, &now);
    rearm(a);
}

void alarm_capsule_init(struct alarm_capsule *a, struct valarm *v)
{
    a->valarm = v;
    a->client.fired = alarm_fired;
    alarm_hw_set_client(&v->hil, &a->client);
    a->grant = (struct grant)GRANT_INIT(ALARM_DRIVER_NUM, struct alarm_app, 1, 0, 0);
    grant_register(&a->grant);
}

struct cmd_ctx {
    struct alarm_capsule *a;
    uint32_t cmd, arg0, arg1;
    struct cmd_result r;
    bool changed;
};

static void command_in_grant(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    struct alarm_app *app = state;
    struct cmd_ctx *c = ctx;
    uint32_t now = alarm_hw_now(&c->a->valarm->hil);
    switch (c->cmd) {
    case 0:
        c->r = cmd_success();
        return;
    case 3:
        c->r = app->armed ? cmd_success() : cmd_failure(ALREADY);
        app->armed = 0;
        c->changed = true;
        return;
    case 5:
        app->reference = now;
        app->dt = c->arg0;
        break;
    case 6:
        app->reference = c->arg0;
        app->dt = c->arg1;
        break;
    default:
        c->r = cmd_failure(NOSUPPORT);
        return;
    }
    app->armed = 1;
    c->changed = true;
    c->r = cmd_success_u32(app->reference + app->dt);
}

struct cmd_result alarm_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                uint32_t arg1)
{
    struct alarm_capsule *a = d->ctx;
    switch (cmd) {
    case 1:
        return cmd_success_u32(alarm_hw_frequency(&a->valarm->hil));
    case 2:
        return cmd_success_u32(alarm_hw_now(&a->valarm->hil));
    case 4:
        return cmd_failure(NOSUPPORT);
    case 0:
    case 3:
    case 5:
    case 6:
        break;
    default:
        return cmd_failure(NOSUPPORT);
    }
    struct cmd_ctx c = {.a = a, .cmd = cmd, .arg0 = arg0, .arg1 = arg1};
    int err = grant_enter(&a->grant, pid, command_in_grant, &c);
    if (err)
        return cmd_failure(err);
    if (c.changed)
        rearm(a);
    return c.r;
}
