// SPDX-License-Identifier: Apache-2.0
// Entropy from the emulator's host: /dev/urandom read through Arm semihosting (QEMU only).
//
// QEMU's Cortex-M boards have no TRNG, and under -icount nothing in the guest is
// unpredictable. The host's /dev/urandom, reached with the semihosting calls SYS_OPEN and
// SYS_READ, is the only entropy there is. It needs QEMU's -semihosting-config enable=on
// and privileged code (the kernel). On real hardware this file does not apply: a board
// needs a TRNG driver behind the entropy HIL instead.
#ifndef CAIRN_SEMIHOST_ENTROPY_H
#define CAIRN_SEMIHOST_ENTROPY_H

#include <cairn/hil/entropy.h>

struct semihost_entropy {
    struct entropy_source src;
    int handle; // -1 until opened
};

void semihost_entropy_init(struct semihost_entropy *s);

#endif
