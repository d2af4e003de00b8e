// SPDX-License-Identifier: Apache-2.0
// ADC capsule (driver 0x5): single, repeated and buffered samples of the board's ADC.
//
// ABI (Tock 2.x, doc/syscalls/00005_adc.md and capsules/core/src/adc.rs). A channel
// argument ch is an index from 0; "ch | hz << 8" packs a channel in the low 8 bits and
// a rate in Hz in the high 24 bits.
//   command 0: -> Success-u32(number of channels)
//   command 1 (ch): one sample -> Success; upcall (0, ch, sample)
//   command 2 (ch | hz << 8): a sample every 1/hz s until command 5 -> Success; upcall
//              (1, ch, sample) per sample
//   command 3 (ch | hz << 8): fill read-write allow 0 with 16-bit samples at hz, then
//              stop -> Success; upcall (2, ch | samples << 8, buffer address)
//   command 4 (ch | hz << 8): fill allows 0 and 1 alternately at hz until command 5 ->
//              Success; upcall (3, ch | samples << 8, buffer address) per full buffer
//   command 5: stop the caller's own sampling (another process's is not touched) ->
//              Success, always
//   other commands: Failure NOSUPPORT
//   Commands 1-4 fail with BUSY while any live process is sampling (checked first),
//   INVAL for a channel >= the count or a rate outside 1..max_hz, NOMEM for 3 without a
//   buffer of at least one sample or 4 without two, or if the grant does not fit.
//   subscribe 0: the upcalls above; read-write allows 0 and 1: sample buffers.
// One process samples at a time, as in Tock's dedicated ADC capsule; it owns the ADC
// until its operation ends, it stops, or it dies: the capsule checks at every sample that
// its owner is the same live incarnation, and otherwise stops the converter and frees it
// for others. Samples reach buffers only through the grant's allow accessors (which
// check the incarnation and the current bounds), never through a kept pointer.
#ifndef CAIRN_CAPSULE_ADC_H
#define CAIRN_CAPSULE_ADC_H

#include <cairn/driver.h>
#include <cairn/grant.h>
#include <cairn/hil/adc.h>

#define ADC_DRIVER_NUM 0x5u

struct adc_app {
    uint8_t unused; // the grant holds the upcall and allow slots; the state is global
};

struct adc_capsule {
    struct adc *adc;
    struct adc_client client;
    struct grant grant;
    procid_t owner; // PROCID_NONE: idle
    uint8_t mode, channel, slot;
    uint32_t idx; // samples written into the current buffer
};

void adc_capsule_init(struct adc_capsule *c, struct adc *adc);
struct cmd_result adc_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                              uint32_t arg1);

#endif
