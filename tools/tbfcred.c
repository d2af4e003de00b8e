// SPDX-License-Identifier: Apache-2.0
// TBF credential footers and P-256 keys with OpenSSL's libcrypto (see tbfcred.h).
#include "tbfcred.h"

#include <cairn/tbf.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int fail(char err[TBFGEN_ERR_LEN], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, TBFGEN_ERR_LEN, fmt, ap);
    va_end(ap);
    return -1;
}

// OpenSSL's own reason for the last failure, for messages.
static const char *ossl_reason(void)
{
    unsigned long e = ERR_get_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    return r ? r : "unknown OpenSSL error";
}

static void wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v & 0xFFFFu);
    wr16(p + 2, v >> 16);
}

// Parses the TBF (any status whose fields are complete) into h.
static int parse(const uint8_t *tbf, size_t len, struct tbf_header *h, char err[TBFGEN_ERR_LEN])
{
    if (len > UINT32_MAX)
        return fail(err, "TBF too large");
    enum tbf_status st = tbf_parse(tbf, (uint32_t)len, h);
    if (st != TBF_OK && st != TBF_DISABLED && st != TBF_ERR_KERNEL_VERSION &&
        st != TBF_ERR_NO_KERNEL_VERSION)
        return fail(err, "not a valid TBF: %s", tbf_status_str(st));
    if (!h->has_program)
        return fail(err, "the TBF has no Program TLV, so it can carry no footers");
    return 0;
}

// Puts footer (format, data) where the Reserved footer is, shrinking it.
static int put_footer(uint8_t *tbf, size_t len, uint32_t format, const uint8_t *data,
                      uint32_t data_len, char err[TBFGEN_ERR_LEN])
{
    struct tbf_header h;
    if (parse(tbf, len, &h, err) != 0)
        return -1;
    uint32_t pos = h.binary_end_offset, need = 8 + data_len;
    struct tbf_footer f;
    enum tbf_footer_status st;
    while ((st = tbf_footer_next(tbf, &h, &pos, &f)) == TBF_FOOTER_OK) {
        if (f.format != TBF_CRED_RESERVED)
            continue;
        uint32_t room = 8 + f.data_len; // the whole Reserved footer
        if (room != need && room < need + 8)
            continue; // too small to hold it and still be a footer after it
        uint8_t *at = tbf + f.offset;
        wr16(at, TBF_TLV_CREDENTIALS);
        wr16(at + 2, 4 + data_len);
        wr32(at + 4, format);
        memcpy(at + 8, data, data_len);
        if (room > need) {
            uint8_t *rest = at + need;
            memset(rest, 0, room - need);
            wr16(rest, TBF_TLV_CREDENTIALS);
            wr16(rest + 2, room - need - 4);
            wr32(rest + 4, TBF_CRED_RESERVED);
        }
        return 0;
    }
    if (st == TBF_FOOTER_BAD)
        return fail(err, "malformed footer at offset %u", pos);
    return fail(err,
                "no Reserved footer with room for %u more bytes (build with elf2tbf "
                "--sha256/--ecdsa-p256-key/--minimum-footer-size)",
                need);
}

static int covered_sha256(const uint8_t *tbf, size_t len, uint8_t out[32], char err[TBFGEN_ERR_LEN])
{
    struct tbf_header h;
    if (parse(tbf, len, &h, err) != 0)
        return -1;
    unsigned olen = 0;
    if (!EVP_Digest(tbf, h.binary_end_offset, out, &olen, EVP_sha256(), NULL) || olen != 32)
        return fail(err, "SHA-256: %s", ossl_reason());
    return 0;
}

int tbfcred_add_sha256(uint8_t *tbf, size_t len, char err[TBFGEN_ERR_LEN])
{
    uint8_t d[32];
    if (covered_sha256(tbf, len, d, err) != 0)
        return -1;
    return put_footer(tbf, len, TBF_CRED_SHA256, d, 32, err);
}

// Any key file OpenSSL reads: PEM private, PEM public, DER private (PKCS#8 or SEC1).
static EVP_PKEY *load_key(const char *path, bool want_private, char err[TBFGEN_ERR_LEN])
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, "%s: cannot open", path);
        return NULL;
    }
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    if (!k && !want_private) {
        rewind(f);
        k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
    }
    if (!k) {
        rewind(f);
        k = d2i_PrivateKey_fp(f, NULL);
    }
    fclose(f);
    if (!k) {
        fail(err, "%s: not a %s key OpenSSL can read", path, want_private ? "private" : "P-256");
        return NULL;
    }
    char group[64] = "";
    size_t glen = 0;
    if (EVP_PKEY_get_base_id(k) != EVP_PKEY_EC ||
        !EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                        &glen) ||
        strcmp(group, "prime256v1") != 0) {
        fail(err, "%s: not a NIST P-256 (prime256v1) key", path);
        EVP_PKEY_free(k);
        return NULL;
    }
    return k;
}

int tbfcred_add_ecdsa_p256(uint8_t *tbf, size_t len, const char *key_path, char err[TBFGEN_ERR_LEN])
{
    uint8_t d[32], rs[64], der[80];
    if (covered_sha256(tbf, len, d, err) != 0)
        return -1;
    EVP_PKEY *k = load_key(key_path, true, err);
    if (!k)
        return -1;
    int rc = -1;
    size_t der_len = sizeof der;
    ECDSA_SIG *sig = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k, NULL);
    // Sign the digest itself: the kernel hashes the covered bytes and verifies the prehash.
    if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) <= 0 ||
        EVP_PKEY_sign(ctx, der, &der_len, d, sizeof d) <= 0) {
        fail(err, "ECDSA signing failed: %s", ossl_reason());
        goto out;
    }
    const uint8_t *p = der;
    const BIGNUM *r, *s;
    if (!(sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len))) {
        fail(err, "ECDSA signature not decodable: %s", ossl_reason());
        goto out;
    }
    ECDSA_SIG_get0(sig, &r, &s);
    if (BN_bn2binpad(r, rs, 32) != 32 || BN_bn2binpad(s, rs + 32, 32) != 32) {
        fail(err, "ECDSA signature value out of range");
        goto out;
    }
    rc = put_footer(tbf, len, TBF_CRED_ECDSA_P256, rs, 64, err);
out:
    ECDSA_SIG_free(sig);
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(k);
    return rc;
}

int tbfcred_keygen(const char *path, char err[TBFGEN_ERR_LEN])
{
    EVP_PKEY *k = EVP_EC_gen("P-256");
    if (!k)
        return fail(err, "P-256 key generation failed: %s", ossl_reason());
    mode_t old = umask(077);
    FILE *f = fopen(path, "wx");
    umask(old);
    int rc = 0;
    if (!f)
        rc = fail(err, "%s: cannot create (an existing key is never overwritten)", path);
    else if (!PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL))
        rc = fail(err, "%s: cannot write the key: %s", path, ossl_reason());
    if (f && fclose(f) != 0 && rc == 0)
        rc = fail(err, "%s: write error", path);
    EVP_PKEY_free(k);
    return rc;
}

int tbfcred_public_xy(const char *key_path, uint8_t xy[64], char err[TBFGEN_ERR_LEN])
{
    EVP_PKEY *k = load_key(key_path, false, err);
    if (!k)
        return -1;
    uint8_t pt[65];
    size_t n = 0;
    int rc = 0;
    // The uncompressed SEC1 point 04 || X || Y.
    if (!EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof pt,
                                         &n) ||
        n != 65 || pt[0] != 0x04)
        rc = fail(err, "%s: cannot read the public point", key_path);
    else
        memcpy(xy, pt + 1, 64);
    EVP_PKEY_free(k);
    return rc;
}
