// SPDX-License-Identifier: Apache-2.0
// ECDSA P-256 signature verification through mbed TLS (Debian's source package, verify only).
#include <cairn/cred.h>

#include "mbedtls/bignum.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"
#include "mbedtls/memory_buffer_alloc.h"

#include <cairn/kassert.h>

void cairn_mbedtls_exit(int status)
{
    kpanic("mbed TLS heap corrupted (%d)", status);
}

int cred_p256_verify(const uint8_t key[CRED_P256_KEY_LEN], const uint8_t hash[32],
                     const uint8_t sig[64], void *heap, uint32_t heap_len)
{
    mbedtls_memory_buffer_alloc_init(heap, heap_len);
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi r, s;
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    // The key must be a point of the curve (check_pubkey): mbed TLS's verify assumes it.
    // r and s out of [1, n-1] are refused by mbedtls_ecdsa_verify itself.
    int ret;
    if ((ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1)) == 0 &&
        (ret = mbedtls_mpi_read_binary(&q.X, key, 32)) == 0 &&
        (ret = mbedtls_mpi_read_binary(&q.Y, key + 32, 32)) == 0 &&
        (ret = mbedtls_mpi_lset(&q.Z, 1)) == 0 && (ret = mbedtls_ecp_check_pubkey(&grp, &q)) == 0 &&
        (ret = mbedtls_mpi_read_binary(&r, sig, 32)) == 0 &&
        (ret = mbedtls_mpi_read_binary(&s, sig + 32, 32)) == 0)
        ret = mbedtls_ecdsa_verify(&grp, hash, 32, &q, &r, &s);
    mbedtls_mpi_free(&s);
    mbedtls_mpi_free(&r);
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    mbedtls_memory_buffer_alloc_free();
    if (ret == MBEDTLS_ERR_MPI_ALLOC_FAILED || ret == MBEDTLS_ERR_ECP_ALLOC_FAILED)
        return -1;
    return ret == 0;
}
