// SPDX-License-Identifier: Apache-2.0
// ADC driver (0x5): samples of the board's analog inputs (the qemu-lm3s6965evb's ADC).
//
// Samples are right-justified integers (10 bits on the LM3S6965). One process samples at
// a time. Return codes:
//   RETURNCODE_ENODEVICE  no ADC on this board (the mps2 and RISC-V boards)
//   RETURNCODE_EBUSY      a process (this one or another) is sampling
//   RETURNCODE_EINVAL     no such channel, or a rate outside 1..the board's maximum
//   RETURNCODE_ENOMEM     buffered sampling without a buffer (or no room for the
//                         driver's state in this process's kernel part)
#ifndef CAIRN_ADC_H
#define CAIRN_ADC_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

#define ADC_DRIVER 0x5

// First upcall argument: which kind of operation produced it.
enum adc_mode {
    ADC_MODE_SINGLE = 0,
    ADC_MODE_CONTINUOUS = 1,
    ADC_MODE_BUFFER = 2,
    ADC_MODE_CONTINUOUS_BUFFER = 3,
};

// --- raw calls --------------------------------------------------------------------------
// Upcall 0 brings (mode, channel, sample) for single and continuous sampling, and
// (mode, channel | samples << 8, buffer address) for the buffered ones.
returncode_t adc_channel_count(uint32_t *count);
returncode_t adc_command_single(uint32_t channel);
returncode_t adc_command_continuous(uint32_t channel, uint32_t hz);
returncode_t adc_command_buffered(uint32_t channel, uint32_t hz);            // into buffer 0
returncode_t adc_command_continuous_buffered(uint32_t channel, uint32_t hz); // 0 and 1 in turn
returncode_t adc_stop(void); // this process's sampling; always succeeds
// Lend a buffer of 16-bit samples as slot 0 or 1 (NULL, 0 takes it back).
returncode_t adc_allow_buffer(uint32_t slot, uint16_t *buf, size_t samples);

// --- asynchronous API -------------------------------------------------------------------
// sample_fn runs from a later yield for each sample; buffer_fn for each full buffer
// (samples: how many were written; fewer if the buffer was taken back meanwhile).
typedef void adc_sample_fn(uint32_t channel, uint16_t sample, void *userdata);
typedef void adc_buffer_fn(uint32_t channel, uint16_t *buf, size_t samples, void *userdata);
returncode_t adc_sample(uint32_t channel, adc_sample_fn *done, void *userdata);
// every sample at hz until adc_stop()
returncode_t adc_sample_continuous(uint32_t channel, uint32_t hz, adc_sample_fn *each,
                                   void *userdata);
// buf[0..samples) at hz, then done (buf must stay valid until then)
returncode_t adc_sample_buffer(uint32_t channel, uint32_t hz, uint16_t *buf, size_t samples,
                               adc_buffer_fn *done, void *userdata);

// buf0 and buf1 ([0..samples) each) filled in turn at hz, done per full buffer, until
// adc_stop() (both must stay valid until then)
returncode_t adc_sample_continuous_buffer(uint32_t channel, uint32_t hz, uint16_t *buf0,
                                          uint16_t *buf1, size_t samples, adc_buffer_fn *each,
                                          void *userdata);

// --- synchronous API --------------------------------------------------------------------
// Yield-WaitFor: no other upcall runs while these wait.
returncode_t adc_sample_sync(uint32_t channel, uint16_t *sample);
returncode_t adc_sample_buffer_sync(uint32_t channel, uint32_t hz, uint16_t *buf, size_t samples,
                                    size_t *got);

#endif // CAIRN_ADC_H
