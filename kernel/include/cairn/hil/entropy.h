// SPDX-License-Identifier: Apache-2.0
// Entropy HIL: a source of unpredictable bytes (a TRNG, or what the platform hands in).
//
// A source delivers full-entropy bytes on request. It is synchronous: the RNG capsule asks
// only when it seeds or reseeds its CSPRNG, rarely and in small amounts (48 bytes), so a
// split-phase interface would buy nothing on the boards Cairn has. A source that cannot
// deliver (no hardware, the host refused) fails; it never returns predictable bytes.
#ifndef CAIRN_HIL_ENTROPY_H
#define CAIRN_HIL_ENTROPY_H

#include <stdint.h>

struct entropy_source;

struct entropy_source_ops {
    // Fill buf[0..len) with entropy. Returns OK, or FAIL (nothing usable was written).
    int (*read)(struct entropy_source *s, uint8_t *buf, uint32_t len);
};

struct entropy_source {
    const struct entropy_source_ops *ops;
    const char *what; // for the boot banner: where the entropy really comes from
};

#endif
