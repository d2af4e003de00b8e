// SPDX-License-Identifier: Apache-2.0
// SiFive test finisher (QEMU virt "sifive_test"): ends the emulator with an exit code.
#ifndef CAIRN_SIFIVE_TEST_FINISHER_H
#define CAIRN_SIFIVE_TEST_FINISHER_H

#include <stdint.h>

// Ends the run: code 0 as a pass, any other code as a failure with that exit status
// (the device takes 16 bits of it). Returns only if the device is absent.
void sifive_test_finish(uintptr_t base, int code);

#endif
