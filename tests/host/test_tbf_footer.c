// SPDX-License-Identifier: Apache-2.0
// Host tests of the credentials footer walk (tbf_footer_next): well-formed footers in order, and
// every malformed footer (lengths, types, formats, trailing bytes) stops the walk.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <cairn/tbf.h>

// A TBF of TOTAL bytes: header (KernelVersion, Program with binary_end BEND), 64 binary
// bytes of 0xAA, then whatever each test writes at BEND.
#define TOTAL 512u
#define HS    (16u + 8u + 24u)
#define BEND  (HS + 64u)

static uint8_t img[TOTAL];

static void wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, v & 0xFFFF);
    wr16(p + 2, v >> 16);
}

static void build(void)
{
    memset(img, 0, sizeof(img));
    wr16(img, 2);
    wr16(img + 2, HS);
    wr32(img + 4, TOTAL);
    wr32(img + 8, TBF_FLAG_ENABLED);
    uint8_t *t = img + 16;
    wr16(t, TBF_TLV_KERNEL_VERSION);
    wr16(t + 2, 4);
    wr16(t + 4, 2);
    wr16(t + 6, 3);
    t += 8;
    wr16(t, TBF_TLV_PROGRAM);
    wr16(t + 2, 20);
    wr32(t + 4, 0);     // init offset
    wr32(t + 8, 0);     // protected trailer
    wr32(t + 12, 1024); // minimum RAM
    wr32(t + 16, BEND);
    wr32(t + 20, 1); // version
    wr32(img + 12, tbf_checksum(img, HS));
    memset(img + HS, 0xAA, BEND - HS);
}

// A footer TLV at off: type, length field, format, data_len bytes of fill. Returns the
// offset after it.
static uint32_t footer(uint32_t off, uint16_t type, uint16_t len, uint32_t format, uint8_t fill)
{
    wr16(img + off, type);
    wr16(img + off + 2, len);
    if (len >= 4)
        wr32(img + off + 4, format);
    if (len > 4)
        memset(img + off + 8, fill, len - 4u);
    return off + 4u + len;
}

// The rest of the object [off, TOTAL) as one Reserved footer.
static void reserved_to_end(uint32_t off)
{
    footer(off, TBF_TLV_CREDENTIALS, (uint16_t)(TOTAL - off - 4), TBF_CRED_RESERVED, 0);
}

static struct tbf_header parsed(void)
{
    struct tbf_header h;
    assert_int_equal(tbf_parse(img, TOTAL, &h), TBF_OK);
    return h;
}

static void test_sha_ecdsa_reserved_in_order(void **state)
{
    build();
    uint32_t o = footer(BEND, TBF_TLV_CREDENTIALS, 36, TBF_CRED_SHA256, 0x11);
    o = footer(o, TBF_TLV_CREDENTIALS, 68, TBF_CRED_ECDSA_P256, 0x22);
    reserved_to_end(o);
    struct tbf_header h = parsed();
    uint32_t pos = h.binary_end_offset;
    struct tbf_footer f;
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_OK);
    assert_int_equal(f.format, TBF_CRED_SHA256);
    assert_int_equal(f.offset, BEND);
    assert_int_equal(f.data_len, 32);
    assert_ptr_equal(f.data, img + BEND + 8);
    assert_int_equal(f.data[31], 0x11);
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_OK);
    assert_int_equal(f.format, TBF_CRED_ECDSA_P256);
    assert_int_equal(f.data_len, 64);
    assert_int_equal(f.data[0], 0x22);
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_OK);
    assert_int_equal(f.format, TBF_CRED_RESERVED);
    assert_int_equal(pos, TOTAL);
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_END);
}

// What elf2tbf wrote before credentials existed: zeros after the binary.
static void test_zero_padding_is_the_end(void **state)
{
    build();
    struct tbf_header h = parsed();
    uint32_t pos = h.binary_end_offset;
    struct tbf_footer f;
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_END);
}

// A zero TLV with anything non-zero after it is not padding.
static void test_zero_tlv_then_bytes_is_bad(void **state)
{
    build();
    img[TOTAL - 1] = 1;
    struct tbf_header h = parsed();
    uint32_t pos = h.binary_end_offset;
    struct tbf_footer f;
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_BAD);
}

static enum tbf_footer_status first(uint32_t *fmt)
{
    struct tbf_header h = parsed();
    uint32_t pos = h.binary_end_offset;
    struct tbf_footer f = {0};
    enum tbf_footer_status st = tbf_footer_next(img, &h, &pos, &f);
    if (fmt)
        *fmt = f.format;
    return st;
}

static void test_malformed_lengths(void **state)
{
    // SHA-256 with 31 and 33 data bytes, ECDSA with 63 bytes, a length under 4 (no room
    // for the format), and a length running past total_size.
    static const struct {
        uint16_t len;
        uint32_t format;
    } bad[] = {{35, TBF_CRED_SHA256},
               {37, TBF_CRED_SHA256},
               {67, TBF_CRED_ECDSA_P256},
               {3, TBF_CRED_SHA256},
               {0, 0},
               {TOTAL - BEND - 3, TBF_CRED_RESERVED}};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        build();
        if (bad[i].len == 0) {
            // type 128, length 0
            footer(BEND, TBF_TLV_CREDENTIALS, 0, 0, 0);
        } else if (bad[i].len > TOTAL - BEND - 4) {
            wr16(img + BEND, TBF_TLV_CREDENTIALS);
            wr16(img + BEND + 2, bad[i].len);
        } else {
            uint32_t o = footer(BEND, TBF_TLV_CREDENTIALS, bad[i].len, bad[i].format, 0x33);
            if (o + 8 <= TOTAL)
                reserved_to_end(o);
        }
        assert_int_equal(first(NULL), TBF_FOOTER_BAD);
    }
}

static void test_unknown_types_and_formats(void **state)
{
    // Not type 128; HMAC-SHA256 (7), RSA-2048 (0x0A), cleartext ID (0xF1), 0xFFFFFFFF.
    build();
    footer(BEND, TBF_TLV_MAIN, 12, 0, 0);
    assert_int_equal(first(NULL), TBF_FOOTER_BAD);
    static const uint32_t formats[] = {7, 0x0A, 0xF1, 0xFFFFFFFFu};
    static const uint16_t lens[] = {36, 260, 12, 36};
    for (unsigned i = 0; i < 4; i++) {
        build();
        reserved_to_end(footer(BEND, TBF_TLV_CREDENTIALS, lens[i], formats[i], 0x44));
        assert_int_equal(first(NULL), TBF_FOOTER_BAD);
    }
}

// A good footer followed by junk: the first is returned, then the walk stops.
static void test_good_then_bad(void **state)
{
    build();
    uint32_t o = footer(BEND, TBF_TLV_CREDENTIALS, 36, TBF_CRED_SHA256, 0x55);
    footer(o, 0x1234, 8, 0, 0);
    struct tbf_header h = parsed();
    uint32_t pos = h.binary_end_offset;
    struct tbf_footer f;
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_OK);
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_BAD);
}

// Fewer than 4 bytes left after the last footer cannot hold a TLV.
static void test_trailing_bytes(void **state)
{
    build();
    uint32_t o =
        footer(BEND, TBF_TLV_CREDENTIALS, (uint16_t)(TOTAL - BEND - 4 - 2), TBF_CRED_RESERVED, 0);
    assert_int_equal(o, TOTAL - 2);
    struct tbf_header h = parsed();
    uint32_t pos = h.binary_end_offset;
    struct tbf_footer f;
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_OK);
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_BAD);
}

// Main only (no Program TLV): the binary runs to total_size, there are no footers.
static void test_main_only_has_no_footers(void **state)
{
    build();
    struct tbf_header h = parsed();
    h.binary_end_offset = h.total_size;
    uint32_t pos = h.binary_end_offset;
    struct tbf_footer f;
    assert_int_equal(tbf_footer_next(img, &h, &pos, &f), TBF_FOOTER_END);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha_ecdsa_reserved_in_order),
        cmocka_unit_test(test_zero_padding_is_the_end),
        cmocka_unit_test(test_zero_tlv_then_bytes_is_bad),
        cmocka_unit_test(test_malformed_lengths),
        cmocka_unit_test(test_unknown_types_and_formats),
        cmocka_unit_test(test_good_then_bad),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_main_only_has_no_footers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
