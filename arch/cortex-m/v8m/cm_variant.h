// SPDX-License-Identifier: Apache-2.0
// ARMv8-M variant of the Cortex-M port: the PMSAv8 MPU plan type and fault extras.
#ifndef CAIRN_CM_VARIANT_H
#define CAIRN_CM_VARIANT_H

#include "../pmsav8.h"

// The MPU plan of one process: the four PMSAv8 regions it owns.
#define arch_mpu_config pmsav8_config

// SHCSR.SECUREFAULTPENDED: a SecureFault left pending by a process's trap is cleared with
// the common ones (see fault.c).
#define CM_SHCSR_VARIANT_PENDED (1u << 20)

#endif
