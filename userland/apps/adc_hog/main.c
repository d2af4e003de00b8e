// SPDX-License-Identifier: Apache-2.0
// adc_hog: faults mid-sampling; restarted, it checks no sample reaches it and the ADC is free.
//
// First incarnation: lends two buffers, starts double-buffered sampling (command 4) and
// plain continuous upcalls are not involved; after the first full buffer it faults with
// the sampling still running. The kernel restarts it (test kernel: restart policy). The
// second incarnation places fresh buffers at the same addresses (its .bss, zeroed), lends
// nothing, subscribes, and for 300 ms checks that no upcall arrives and the buffers stay
// zero; then the ADC must serve it a single sample (not BUSY: the dead owner's sampling
// was stopped). Test kernel only (restart count from the test driver).

#include <stdio.h>

#include "cairn.h"

#define TEST_DRIVER       0xCA170u
#define TEST_CMD_RESTARTS 5
#define N                 8

static uint16_t buf0[N], buf1[N];
static int fulls, stray;

static void full(uint32_t ch, uint16_t *buf, size_t n, void *ud)
{
    (void)ch;
    (void)buf;
    (void)n;
    (void)ud;
    fulls++;
}

static void any(int a0, int a1, int a2, void *ud)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)ud;
    stray++;
}

int main(void)
{
    uint32_t restarts = 0;
    if (command_u32(command(TEST_DRIVER, TEST_CMD_RESTARTS, 0, 0), &restarts) < 0) {
        printf("adc_hog: needs the test kernel\n");
        return 1;
    }
    if (restarts == 0) {
        returncode_t rc = adc_sample_continuous_buffer(0, 1000, buf0, buf1, N, full, NULL);
        printf("adc_hog: sampling (%s)\n", returncode_name(rc));
        while (fulls < 1)
            yield_wait();
        printf("adc_hog: one buffer full, dying with the sampling running\n");
        *(volatile uint32_t *)0 = 1; // MemManage: the kernel restarts this process
        return 1;
    }
    subscribe(ADC_DRIVER, 0, any, NULL);
    delay_ms(300);
    int dirty = 0;
    for (int i = 0; i < N; i++)
        dirty += buf0[i] != 0 || buf1[i] != 0;
    uint16_t v = 0;
    returncode_t rc;
    // Another process may be taking a single sample right now: BUSY then is fair.
    for (int tries = 0; (rc = adc_sample_sync(0, &v)) == RETURNCODE_EBUSY && tries < 50; tries++)
        delay_ms(10);
    printf("adc_hog: restarted %lu: %d stray upcalls, %d dirty samples, single %s\n",
           (unsigned long)restarts, stray, dirty, returncode_name(rc));
    return 0;
}
