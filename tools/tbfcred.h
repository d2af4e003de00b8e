// SPDX-License-Identifier: Apache-2.0
// Host side of TBF credentials: SHA-256 and ECDSA P-256 footers, P-256 keys (OpenSSL libcrypto).
//
// Credentials go into a TBF's Reserved footer (format 0), as tockloader adds them: the new
// footer takes the Reserved footer's place and the Reserved footer shrinks behind it (or
// disappears when the new one fills it exactly), so total_size and every covered byte
// stay as they are. elf2tbf reserves the room (--sha256, --ecdsa-p256-key,
// --minimum-footer-size). Functions return 0, or -1 with a one-line message in err.
#ifndef CAIRN_TOOLS_TBFCRED_H
#define CAIRN_TOOLS_TBFCRED_H

#include <stddef.h>
#include <stdint.h>

#include "tbfgen.h"

// Bytes one footer of each kind takes: type, length, format, data.
#define TBFCRED_SHA256_SIZE (8u + 32u)
#define TBFCRED_ECDSA_SIZE  (8u + 64u)

// SHA-256 of the covered bytes [0, binary_end_offset) of the TBF as a format-3 footer.
int tbfcred_add_sha256(uint8_t *tbf, size_t len, char err[TBFGEN_ERR_LEN]);

// ECDSA P-256 signature (r || s, big-endian) of the SHA-256 of the covered bytes, with the
// private key in key_path (PEM or DER, PKCS#8 or SEC1), as a format-6 footer.
int tbfcred_add_ecdsa_p256(uint8_t *tbf, size_t len, const char *key_path,
                           char err[TBFGEN_ERR_LEN]);

// Writes a new P-256 private key to path (PEM, PKCS#8; mode 0600).
int tbfcred_keygen(const char *path, char err[TBFGEN_ERR_LEN]);

// The public key X || Y (64 bytes, big-endian) of a P-256 private or public key file.
int tbfcred_public_xy(const char *key_path, uint8_t xy[64], char err[TBFGEN_ERR_LEN]);

#endif
