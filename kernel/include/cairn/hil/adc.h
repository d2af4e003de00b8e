// SPDX-License-Identifier: Apache-2.0
// ADC HIL: one converter, one channel sampled at a time, single or repeated at a rate.
//
// Split-phase: every sample reaches the client's sample_ready from the chip's bottom half
// (kernel thread), never inside the call that started sampling. Samples are right-
// justified in `bits` bits. After stop() returns, no sample_ready follows until sampling
// is started again (a conversion already in the FIFO is dropped).
#ifndef CAIRN_HIL_ADC_H
#define CAIRN_HIL_ADC_H

#include <stdint.h>

struct adc;

struct adc_client {
    void (*sample_ready)(struct adc_client *c, uint16_t sample);
};

struct adc_ops {
    // One sample of channel ch. OK, BUSY (sampling already), INVAL (no such channel).
    int (*sample)(struct adc *a, uint32_t ch);
    // A sample of ch every 1/hz s until stop. OK, BUSY, INVAL (channel, or hz outside
    // [1, max_hz]).
    int (*sample_continuous)(struct adc *a, uint32_t ch, uint32_t hz);
    void (*stop)(struct adc *a);
    void (*set_client)(struct adc *a, struct adc_client *c);
};

struct adc {
    const struct adc_ops *ops;
    uint8_t channels; // channels 0 .. channels-1
    uint8_t bits;     // resolution
    uint32_t max_hz;  // fastest continuous rate the chip driver accepts
};

#endif
