// SPDX-License-Identifier: Apache-2.0
// LM3S6965 ADC (10-bit, 4 inputs) triggered by a general-purpose timer, behind the ADC HIL.
//
// Sample sequencer 3 (one step: the chosen channel, end of sequence, interrupt) is
// triggered by timer A of a GPTM of its own: periodic at the requested rate for
// continuous sampling, one-shot after a few microseconds for a single sample. QEMU 7.2
// models only this trigger (the processor trigger PSSI is "unimplemented", and its
// converter returns 0x200 plus noise from a fixed generator whatever the input), and the
// silicon supports it as well, so one path serves both.
#ifndef CAIRN_LM3S_ADC_H
#define CAIRN_LM3S_ADC_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/adc.h>

#include "lm3s_regs.h"

#define LM3S_ADC_CHANNELS 4u
#define LM3S_ADC_MAX_HZ   1000u // one interrupt per sample: kept well below the kernel's budget

struct lm3s_adc {
    struct adc hil;
    struct adc_regs *regs;
    struct gptm_regs *timer;
    struct adc_client *client;
    uint32_t hz; // the timer's clock
    bool running, continuous;
};

// adc_irq: sequencer 3's line; timer: a GPTM nobody else uses (its timeout drives the
// ADC trigger); hz: that timer's clock. post: the line unmasked, nothing sampling.
void lm3s_adc_init(struct lm3s_adc *a, struct adc_regs *regs, uint8_t adc_irq,
                   struct gptm_regs *timer, uint32_t hz);
void lm3s_adc_service(struct lm3s_adc *a);

#endif
