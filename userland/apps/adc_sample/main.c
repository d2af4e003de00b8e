// SPDX-License-Identifier: Apache-2.0
// adc_sample: the ADC driver (0x5) in each mode: single, continuous, buffered, double-buffered.

#include <stdio.h>

#include "cairn.h"

#define CONTINUOUS_N 5
#define BUF_N        4

static int seen;

static void each(uint32_t ch, uint16_t v, void *ud)
{
    (void)ud;
    printf("adc_sample: continuous ch%lu %u\n", (unsigned long)ch, v);
    if (++seen == CONTINUOUS_N)
        adc_stop();
}

static uint16_t buf_a[BUF_N], buf_b[BUF_N];
static int buffers;

static void print_buf(const char *what, uint32_t ch, const uint16_t *buf, size_t n)
{
    printf("adc_sample: %s ch%lu", what, (unsigned long)ch);
    for (size_t i = 0; i < n; i++)
        printf(" %u", buf[i]);
    printf("\n");
}

static void full(uint32_t ch, uint16_t *buf, size_t n, void *ud)
{
    (void)ud;
    print_buf(buf == buf_a ? "double A" : buf == buf_b ? "double B" : "double ?", ch, buf, n);
    if (++buffers == 3)
        adc_stop();
}

int main(void)
{
    uint32_t channels;
    returncode_t rc = adc_channel_count(&channels);
    if (rc < 0) {
        printf("adc_sample: no ADC on this board (%s)\n", returncode_name(rc));
        return 0;
    }
    // Bad arguments first, with Tock's answers (the QEMU test checks this line).
    printf("adc_sample: %lu channels; channel-%lu %s, rate-0 %s, rate-big %s, buffer-none %s, "
           "command-9 %s\n",
           (unsigned long)channels, (unsigned long)channels,
           returncode_name(adc_command_single(channels)),
           returncode_name(adc_command_continuous(0, 0)),
           returncode_name(adc_command_continuous(0, 0xFFFFFF)),
           returncode_name(adc_command_buffered(0, 10)),
           returncode_name(command_ok(command(ADC_DRIVER, 9, 0, 0))));

    for (uint32_t ch = 0; ch < channels; ch++) {
        uint16_t v;
        rc = adc_sample_sync(ch, &v);
        printf("adc_sample: single ch%lu %s %u\n", (unsigned long)ch, returncode_name(rc), v);
    }

    // Continuous, 10 Hz; a second start while running is BUSY.
    rc = adc_sample_continuous(1, 10, each, NULL);
    printf("adc_sample: continuous %s, again %s\n", returncode_name(rc),
           returncode_name(adc_command_continuous(1, 10)));
    while (seen < CONTINUOUS_N)
        yield_wait();

    // One buffer, 100 Hz.
    uint16_t buf[BUF_N];
    size_t got = 0;
    rc = adc_sample_buffer_sync(2, 100, buf, BUF_N, &got);
    printf("adc_sample: buffer %s\n", returncode_name(rc));
    print_buf("buffer", 2, buf, got);

    // Two buffers in turn, 100 Hz, three buffers' worth.
    rc = adc_sample_continuous_buffer(3, 100, buf_a, buf_b, BUF_N, full, NULL);
    printf("adc_sample: double %s\n", returncode_name(rc));
    while (buffers < 3)
        yield_wait();
    printf("adc_sample: done, stop %s\n", returncode_name(adc_stop()));
    return 0;
}
