// SPDX-License-Identifier: Apache-2.0
// ADC capsule: one owning process at a time; samples as upcalls or into allowed buffers.
#include "adc.h"

#include <stddef.h>

#include <cairn/errorcode.h>

// The operation in progress, numbered as Tock's upcalls report it (first argument).
enum { SINGLE = 0, CONTINUOUS = 1, BUFFER = 2, DOUBLE_BUFFER = 3 };

#define SAMPLE_BYTES 2u

static void release(struct adc_capsule *c)
{
    c->adc->ops->stop(c->adc);
    c->owner = PROCID_NONE;
}

static void report(struct adc_capsule *c, procid_t pid, uint32_t mode, uint32_t a1, uint32_t a2)
{
    upcall_schedule(pid, ADC_DRIVER_NUM, 0, mode, a1, a2);
}

static void buffer_sample(struct adc_capsule *c, uint16_t v)
{
    procid_t pid = c->owner;
    uint32_t cap = allow_rw_len(&c->grant, pid, c->slot) / SAMPLE_BYTES;
    uint8_t le[SAMPLE_BYTES] = {(uint8_t)v, (uint8_t)(v >> 8)};
    if (c->idx < cap && allow_rw_write(&c->grant, pid, c->slot, c->idx * SAMPLE_BYTES, le,
                                       SAMPLE_BYTES) == SAMPLE_BYTES)
        c->idx++;
    if (c->idx < cap)
        return;
    // Full (or shrunk or withdrawn by the process meanwhile: it gets what was written).
    uint32_t a1 = c->channel | c->idx << 8;
    uint32_t addr = allow_rw_addr(&c->grant, pid, c->slot);
    uint32_t mode = c->mode;
    if (mode == BUFFER) {
        release(c);
    } else {
        c->slot ^= 1u;
        c->idx = 0;
        if (allow_rw_len(&c->grant, pid, c->slot) < SAMPLE_BYTES)
            release(c); // the other buffer is gone: nowhere to go on
    }
    report(c, pid, mode, a1, addr);
}

static void sample_ready(struct adc_client *cl, uint16_t v)
{
    struct adc_capsule *c =
        (struct adc_capsule *)((char *)cl - offsetof(struct adc_capsule, client));
    if (c->owner == PROCID_NONE)
        return;
    if (!process_alive(c->owner)) {
        release(c); // died or restarted mid-operation: nobody to tell
        return;
    }
    switch (c->mode) {
    case SINGLE: {
        procid_t pid = c->owner;
        c->owner = PROCID_NONE; // the chip driver stopped after one sample
        report(c, pid, SINGLE, c->channel, v);
        break;
    }
    case CONTINUOUS:
        report(c, c->owner, CONTINUOUS, c->channel, v);
        break;
    default:
        buffer_sample(c, v);
        break;
    }
}

void adc_capsule_init(struct adc_capsule *c, struct adc *adc)
{
    c->adc = adc;
    c->owner = PROCID_NONE;
    c->client.sample_ready = sample_ready;
    c->grant = (struct grant)GRANT_INIT(ADC_DRIVER_NUM, struct adc_app, 1, 0, 2);
    grant_register(&c->grant);
    if (adc)
        adc->ops->set_client(adc, &c->client);
}

static void nothing(procid_t pid, void *state, void *ctx)
{
    (void)pid;
    (void)state;
    (void)ctx;
}

static struct cmd_result start(struct adc_capsule *c, procid_t pid, uint32_t mode, uint32_t arg)
{
    if (c->owner != PROCID_NONE) {
        if (process_alive(c->owner))
            return cmd_failure(BUSY);
        release(c); // its owner died before its next sample came
    }
    // The grant makes the process a user of the driver, so its upcalls are queued even
    // before it subscribes (Tock: "succeeds even if a callback is not registered yet").
    int err = grant_enter(&c->grant, pid, nothing, NULL);
    if (err != OK)
        return cmd_failure(err);
    uint32_t ch = mode == SINGLE ? arg : arg & 0xFFu;
    uint32_t hz = arg >> 8;
    if (ch >= c->adc->channels)
        return cmd_failure(INVAL);
    if (mode != SINGLE && (hz == 0 || hz > c->adc->max_hz))
        return cmd_failure(INVAL);
    if (mode >= BUFFER && allow_rw_len(&c->grant, pid, 0) < SAMPLE_BYTES)
        return cmd_failure(NOMEM);
    if (mode == DOUBLE_BUFFER && allow_rw_len(&c->grant, pid, 1) < SAMPLE_BYTES)
        return cmd_failure(NOMEM);
    err = mode == SINGLE ? c->adc->ops->sample(c->adc, ch)
                         : c->adc->ops->sample_continuous(c->adc, ch, hz);
    if (err != OK)
        return cmd_failure(err);
    c->owner = pid;
    c->mode = (uint8_t)mode;
    c->channel = (uint8_t)ch;
    c->slot = 0;
    c->idx = 0;
    return cmd_success();
}

struct cmd_result adc_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                              uint32_t arg1)
{
    struct adc_capsule *c = d->ctx;
    (void)arg1;
    if (!c->adc)
        return cmd_failure(NODEVICE);
    switch (cmd) {
    case 0:
        return cmd_success_u32(c->adc->channels);
    case 1:
    case 2:
    case 3:
    case 4:
        return start(c, pid, cmd - 1, arg0);
    case 5:
        if (c->owner == pid)
            release(c);
        return cmd_success();
    default:
        return cmd_failure(NOSUPPORT);
    }
}
