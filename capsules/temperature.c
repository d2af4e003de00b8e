// SPDX-License-Identifier: Apache-2.0
// Temperature capsule: one reading at a time, delivered to every process waiting for it.
#include "temperature.h"

#include <cairn/errorcode.h>
#include <cairn/kprint.h>

static void deliver_one(procid_t pid, void *state, void *ctx)
{
    struct temperature_app *a = state;
    if (!a->waiting)
        return;
    a->waiting = 0;
    upcall_schedule(pid, TEMPERATURE_DRIVER_NUM, 0, (uint32_t) * (int32_t *)ctx, 0, 0);
}

static void drop_one(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)ctx;
    ((struct temperature_app *)state)->waiting = 0;
}

static void sensor_done(struct temperature_client *c, int status, int32_t centi)
{
    struct temperature_capsule *t =
        (struct temperature_capsule *)((char *)c -
                                       __builtin_offsetof(struct temperature_capsule, client));
    t->busy = false;
    if (status != OK) {
        kprintf("temperature: the sensor did not answer (error %d): driver 0x60000 is now "
                "absent\n",
                status);
        t->failed = true;
        grant_each(&t->grant, drop_one, NULL);
        return;
    }
    grant_each(&t->grant, deliver_one, &centi);
}

void temperature_capsule_init(struct temperature_capsule *t, struct temperature_sensor *sensor)
{
    t->sensor = sensor;
    t->busy = t->failed = false;
    t->client.done = sensor_done;
    t->grant = (struct grant)GRANT_INIT(TEMPERATURE_DRIVER_NUM, struct temperature_app, 1, 0, 0);
    grant_register(&t->grant);
    if (sensor)
        sensor->ops->set_client(sensor, &t->client);
}

static void mark_waiting(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)ctx;
    ((struct temperature_app *)state)->waiting = 1;
}

struct cmd_result temperature_command(const struct driver *d, procid_t pid, uint32_t cmd,
                                      uint32_t arg0, uint32_t arg1)
{
    struct temperature_capsule *t = d->ctx;
    (void)arg0;
    (void)arg1;
    if (!t->sensor || t->failed)
        return cmd_failure(NODEVICE);
    switch (cmd) {
    case 0:
        return cmd_success();
    case 1: {
        int err = grant_enter(&t->grant, pid, mark_waiting, NULL);
        if (err != OK)
            return cmd_failure(err);
        if (t->busy)
            return cmd_success();
        err = t->sensor->ops->read(t->sensor);
        if (err != OK) {
            grant_enter_existing(&t->grant, pid, drop_one, NULL);
            return cmd_failure(err);
        }
        t->busy = true;
        return cmd_success();
    }
    default:
        return cmd_failure(NOSUPPORT);
    }
}
