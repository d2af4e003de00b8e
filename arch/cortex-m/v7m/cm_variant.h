// SPDX-License-Identifier: Apache-2.0
// ARMv7-M variant of the Cortex-M port: the PMSAv7 MPU plan type and fault extras.
#ifndef CAIRN_CM_VARIANT_H
#define CAIRN_CM_VARIANT_H

#include "../pmsav7.h"

// The MPU plan of one process: the three PMSAv7 regions it owns.
#define arch_mpu_config pmsav7_config

// SHCSR pending bits of this variant's own faults, cleared with the common ones after a
// process fault (ARMv7-M has none beyond MemManage, BusFault, UsageFault and SVCall).
#define CM_SHCSR_VARIANT_PENDED 0u

#endif
