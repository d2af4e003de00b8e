// SPDX-License-Identifier: Apache-2.0
// mbed TLS build configuration for Cairn: ECDSA P-256 verification only, no libc, no RNG.
//
// Used for the kernel images (Cortex-M, RV32) and the host test alike (mk/crypto.mk). The
// heap is a caller-lent buffer (memory_buffer_alloc), which keeps mbed TLS off the kernel's
// static RAM; the smallest window (2) keeps that heap small. ECP_NO_INTERNAL_RNG: blinding
// needs randomness only for operations with a secret, and verification has none.
#ifndef CAIRN_MBEDTLS_CONFIG_H
#define CAIRN_MBEDTLS_CONFIG_H

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C // ECDSA requires them; the raw r||s path never calls them
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_NO_INTERNAL_RNG
#define MBEDTLS_ECP_WINDOW_SIZE       2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECP_MAX_BITS          256
#define MBEDTLS_MPI_MAX_SIZE          32
#define MBEDTLS_MPI_WINDOW_SIZE       1

#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_EXIT_MACRO cairn_mbedtls_exit
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#define MBEDTLS_NO_PLATFORM_ENTROPY

// Called by the allocator only on heap corruption (a bug, never input-driven).
void cairn_mbedtls_exit(int status);

#include "mbedtls/check_config.h"

#endif
