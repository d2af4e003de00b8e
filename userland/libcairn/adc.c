// SPDX-License-Identifier: Apache-2.0
// ADC driver (0x5): commands 0-5, allows 0 and 1, one upcall dispatched by its mode.
#include "adc.h"
#include "syscall.h"

enum { ADC_UPCALL = 0 };

static adc_sample_fn *sample_cb;
static adc_buffer_fn *buffer_cb;
static void *cb_userdata;

static uint32_t pack(uint32_t channel, uint32_t hz)
{
    return (channel & 0xFFu) | hz << 8;
}

returncode_t adc_channel_count(uint32_t *count)
{
    return command_u32(command(ADC_DRIVER, 0, 0, 0), count);
}

returncode_t adc_command_single(uint32_t channel)
{
    return command_ok(command(ADC_DRIVER, 1, channel, 0));
}

returncode_t adc_command_continuous(uint32_t channel, uint32_t hz)
{
    return command_ok(command(ADC_DRIVER, 2, pack(channel, hz), 0));
}

returncode_t adc_command_buffered(uint32_t channel, uint32_t hz)
{
    return command_ok(command(ADC_DRIVER, 3, pack(channel, hz), 0));
}

returncode_t adc_command_continuous_buffered(uint32_t channel, uint32_t hz)
{
    return command_ok(command(ADC_DRIVER, 4, pack(channel, hz), 0));
}

returncode_t adc_stop(void)
{
    return command_ok(command(ADC_DRIVER, 5, 0, 0));
}

returncode_t adc_allow_buffer(uint32_t slot, uint16_t *buf, size_t samples)
{
    return allow_ok(allow_rw(ADC_DRIVER, slot, buf, samples * sizeof *buf));
}

static void upcall(int mode, int a1, int a2, void *userdata)
{
    (void)userdata;
    if (mode == ADC_MODE_SINGLE || mode == ADC_MODE_CONTINUOUS) {
        if (sample_cb)
            sample_cb((uint32_t)a1, (uint16_t)a2, cb_userdata);
    } else if (buffer_cb) {
        buffer_cb((uint32_t)a1 & 0xFFu, (uint16_t *)(uintptr_t)(uint32_t)a2, (uint32_t)a1 >> 8,
                  cb_userdata);
    }
}

static returncode_t hook(adc_sample_fn *s, adc_buffer_fn *b, void *userdata)
{
    returncode_t rc = subscribe_ok(subscribe(ADC_DRIVER, ADC_UPCALL, upcall, 0));
    if (rc < 0)
        return rc;
    sample_cb = s;
    buffer_cb = b;
    cb_userdata = userdata;
    return RETURNCODE_SUCCESS;
}

returncode_t adc_sample(uint32_t channel, adc_sample_fn *done, void *userdata)
{
    returncode_t rc = hook(done, 0, userdata);
    return rc < 0 ? rc : adc_command_single(channel);
}

returncode_t adc_sample_continuous(uint32_t channel, uint32_t hz, adc_sample_fn *each,
                                   void *userdata)
{
    returncode_t rc = hook(each, 0, userdata);
    return rc < 0 ? rc : adc_command_continuous(channel, hz);
}

returncode_t adc_sample_buffer(uint32_t channel, uint32_t hz, uint16_t *buf, size_t samples,
                               adc_buffer_fn *done, void *userdata)
{
    returncode_t rc = hook(0, done, userdata);
    if (rc < 0)
        return rc;
    rc = adc_allow_buffer(0, buf, samples);
    return rc < 0 ? rc : adc_command_buffered(channel, hz);
}

returncode_t adc_sample_continuous_buffer(uint32_t channel, uint32_t hz, uint16_t *buf0,
                                          uint16_t *buf1, size_t samples, adc_buffer_fn *each,
                                          void *userdata)
{
    returncode_t rc = hook(0, each, userdata);
    if (rc >= 0)
        rc = adc_allow_buffer(0, buf0, samples);
    if (rc >= 0)
        rc = adc_allow_buffer(1, buf1, samples);
    return rc < 0 ? rc : adc_command_continuous_buffered(channel, hz);
}

// The next upcall of this mode: one of an earlier operation (a continuous sample queued
// before its adc_stop) may still be waiting and is skipped.
static struct yield_wait_for_return wait_mode(uint32_t mode)
{
    struct yield_wait_for_return r;
    do
        r = yield_wait_for(ADC_DRIVER, ADC_UPCALL);
    while (r.data0 != mode);
    return r;
}

returncode_t adc_sample_sync(uint32_t channel, uint16_t *sample)
{
    returncode_t rc = adc_command_single(channel);
    if (rc < 0)
        return rc;
    struct yield_wait_for_return r = wait_mode(ADC_MODE_SINGLE);
    *sample = (uint16_t)r.data2;
    return RETURNCODE_SUCCESS;
}

returncode_t adc_sample_buffer_sync(uint32_t channel, uint32_t hz, uint16_t *buf, size_t samples,
                                    size_t *got)
{
    returncode_t rc = adc_allow_buffer(0, buf, samples);
    if (rc < 0)
        return rc;
    rc = adc_command_buffered(channel, hz);
    if (rc >= 0) {
        struct yield_wait_for_return r = wait_mode(ADC_MODE_BUFFER);
        if (got)
            *got = r.data1 >> 8;
    }
    adc_allow_buffer(0, 0, 0);
    return rc;
}
