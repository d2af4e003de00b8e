// SPDX-License-Identifier: Apache-2.0
// Host tests of the TBF parser (kernel/tbf.c): every status, TLV rules, UTF-8, walking.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <cairn/tbf.h>

// --- a tiny TBF builder ------------------------------------------------------------------

#define IMG_MAX 4096

struct bld {
    uint8_t b[IMG_MAX];
    uint32_t pos; // where the next TLV goes
};

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, (uint16_t)v);
    wr16(p + 2, (uint16_t)(v >> 16));
}

// An empty header: no TLV at all.
static void bld_init_bare(struct bld *x)
{
    memset(x->b, 0, sizeof(x->b));
    x->pos = TBF_BASE_HEADER_SIZE;
}

static void bld_kv(struct bld *x, uint16_t major, uint16_t minor);

// A header that starts with KernelVersion 2.3, which every runnable app needs; the other
// TLVs follow (8 bytes later than in a bare header).
static void bld_init(struct bld *x)
{
    bld_init_bare(x);
    bld_kv(x, 2, 3);
}

static void bld_tlv(struct bld *x, uint16_t type, const void *v, uint16_t len)
{
    wr16(x->b + x->pos, type);
    wr16(x->b + x->pos + 2, len);
    if (len)
        memcpy(x->b + x->pos + 4, v, len);
    x->pos += 4 + ((len + 3u) & ~3u);
}

static void bld_main(struct bld *x, uint32_t init, uint32_t pts, uint32_t ram)
{
    uint8_t v[12];
    wr32(v, init);
    wr32(v + 4, pts);
    wr32(v + 8, ram);
    bld_tlv(x, TBF_TLV_MAIN, v, sizeof(v));
}

static void bld_program(struct bld *x, uint32_t init, uint32_t pts, uint32_t ram, uint32_t bend,
                        uint32_t ver)
{
    uint8_t v[20];
    wr32(v, init);
    wr32(v + 4, pts);
    wr32(v + 8, ram);
    wr32(v + 12, bend);
    wr32(v + 16, ver);
    bld_tlv(x, TBF_TLV_PROGRAM, v, sizeof(v));
}

static void bld_name(struct bld *x, const char *s)
{
    bld_tlv(x, TBF_TLV_PACKAGE_NAME, s, (uint16_t)strlen(s));
}

static void bld_kv(struct bld *x, uint16_t major, uint16_t minor)
{
    uint8_t v[4];
    wr16(v, major);
    wr16(v + 2, minor);
    bld_tlv(x, TBF_TLV_KERNEL_VERSION, v, 4);
}

static void fix_checksum(uint8_t *b)
{
    // Clamped: some tests store header sizes larger than the builder's buffer.
    uint32_t hs = (uint32_t)(b[2] | (b[3] << 8));
    wr32(b + 12, tbf_checksum(b, hs < IMG_MAX ? hs : IMG_MAX));
}

// Writes the base header with header_size = the TLVs written so far, and the checksum.
static void bld_finish(struct bld *x, uint32_t total, uint32_t flags)
{
    wr16(x->b, 2);
    wr16(x->b + 2, (uint16_t)x->pos);
    wr32(x->b + 4, total);
    wr32(x->b + 8, flags);
    fix_checksum(x->b);
}

// The usual elf2tab shape: Main + Program + name + kernel version 2.3, 512 bytes.
static void bld_app(struct bld *x, const char *name)
{
    bld_init_bare(x);
    bld_main(x, 0x29, 0, 4096);
    bld_program(x, 0x29, 0, 4096, 300, 7);
    bld_name(x, name);
    bld_kv(x, 2, 3);
    bld_finish(x, 512, TBF_FLAG_ENABLED);
}

static enum tbf_status parse(struct bld *x, struct tbf_header *h)
{
    return tbf_parse(x->b, IMG_MAX, h);
}

// --- tests ---------------------------------------------------------------------------------

static void test_valid_app(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_app(&x, "blink");
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.version, 2);
    assert_int_equal(h.header_size, 16 + 16 + 24 + 12 + 8);
    assert_int_equal(h.total_size, 512);
    assert_true(h.has_main);
    assert_true(h.has_program);
    assert_int_equal(h.init_fn_offset, 0x29);
    assert_int_equal(h.protected_trailer_size, 0);
    assert_int_equal(h.minimum_ram_size, 4096);
    assert_int_equal(h.binary_end_offset, 300);
    assert_int_equal(h.app_version, 7);
    assert_int_equal(h.name_len, 5);
    assert_memory_equal(h.name, "blink", 5);
    assert_ptr_equal(h.name, (const char *)x.b + 16 + 16 + 24 + 4);
    assert_true(h.has_kernel_version);
    assert_int_equal(h.kernel_major, 2);
    assert_int_equal(h.kernel_minor, 3);
    assert_false(h.has_fixed);
    assert_false(h.has_permissions);
    assert_int_equal(h.wfr_count, 0);
    assert_int_equal(tbf_app_start_offset(&h), h.header_size);
    assert_int_equal(tbf_entry_offset(&h), h.header_size + 0x29);
    // The whole object must be available, and exactly that is enough.
    assert_int_equal(tbf_parse(x.b, 512, &h), TBF_OK);
}

static void test_unaligned_image(void **state)
{
    // Byte loads only: an image at an odd address parses the same (UBSan would flag
    // misaligned word loads).
    static uint8_t buf[IMG_MAX + 3];
    struct bld x;
    struct tbf_header h;
    bld_app(&x, "odd");
    memcpy(buf + 1, x.b, 512);
    assert_int_equal(tbf_parse(buf + 1, 512, &h), TBF_OK);
    assert_int_equal(h.name_len, 3);
}

static void test_checksum(void **state)
{
    // Known value by hand: words 0..2 and 4, word 3 excluded.
    uint8_t b[20] = {0};
    wr32(b + 0, 0x00140002);
    wr32(b + 4, 0x00000200);
    wr32(b + 8, 0x00000001);
    wr32(b + 12, 0xDEADBEEF); // ignored
    wr32(b + 16, 0x12345678);
    assert_int_equal(tbf_checksum(b, 20), 0x00140002 ^ 0x200 ^ 1 ^ 0x12345678);
    // A trailing partial word is ignored.
    assert_int_equal(tbf_checksum(b, 19), 0x00140002 ^ 0x200 ^ 1);

    struct bld x;
    struct tbf_header h;
    bld_app(&x, "c");
    x.b[12] ^= 0x80;
    assert_int_equal(parse(&x, &h), TBF_ERR_CHECKSUM);
    assert_true(tbf_walk_can_continue(TBF_ERR_CHECKSUM));
    assert_int_equal(h.total_size, 512);
    bld_app(&x, "c");
    x.b[16 + 4] ^= 1; // a TLV byte
    assert_int_equal(parse(&x, &h), TBF_ERR_CHECKSUM);
}

static void test_padding(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_init_bare(&x);
    bld_finish(&x, 1024, 0);
    assert_int_equal(parse(&x, &h), TBF_PADDING);
    assert_int_equal(h.total_size, 1024);
    assert_int_equal(h.header_size, 16);
    assert_true(tbf_walk_can_continue(TBF_PADDING));
    // Padding with the enabled flag is still padding.
    bld_finish(&x, 1024, 1);
    assert_int_equal(parse(&x, &h), TBF_PADDING);
}

static void test_disabled(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_app(&x, "off");
    wr32(x.b + 8, TBF_FLAG_STICKY); // bit 0 clear
    fix_checksum(x.b);
    assert_int_equal(parse(&x, &h), TBF_DISABLED);
    // Fully parsed all the same.
    assert_int_equal(h.name_len, 3);
    assert_int_equal(h.init_fn_offset, 0x29);
}

static void test_end_and_version(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_app(&x, "v");
    assert_int_equal(tbf_parse(x.b, 7, &h), TBF_END);
    assert_int_equal(tbf_parse(x.b, 0, &h), TBF_END);
    wr16(x.b, 0xFFFF);
    assert_int_equal(parse(&x, &h), TBF_END);
    wr16(x.b, 0);
    assert_int_equal(parse(&x, &h), TBF_END);
    // tockloader ends its list with one 0x00 byte (clear_bytes) over whatever was there:
    // over erased flash the version reads 0xFF00. Tock stops there silently, so must we.
    wr16(x.b, 0xFF00);
    assert_int_equal(parse(&x, &h), TBF_END);
    x.b[0] = 0;
    x.b[1] = 0x02;
    assert_int_equal(parse(&x, &h), TBF_END);
    wr16(x.b, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_VERSION);
    wr16(x.b, 3);
    assert_int_equal(parse(&x, &h), TBF_ERR_VERSION);
    assert_false(tbf_walk_can_continue(TBF_END));
    assert_false(tbf_walk_can_continue(TBF_ERR_VERSION));
}

static void test_total_size(void **state)
{
    struct bld x;
    struct tbf_header h;
    static const uint32_t bad[] = {0, 4, 12, 514, 511};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bld_app(&x, "t");
        wr32(x.b + 4, bad[i]);
        fix_checksum(x.b);
        assert_int_equal(parse(&x, &h), TBF_ERR_TOTAL_SIZE);
    }
    assert_false(tbf_walk_can_continue(TBF_ERR_TOTAL_SIZE));
}

static void test_truncated(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_app(&x, "t");
    assert_int_equal(tbf_parse(x.b, 511, &h), TBF_ERR_TRUNCATED);
    assert_int_equal(tbf_parse(x.b, 16, &h), TBF_ERR_TRUNCATED);
    assert_int_equal(h.total_size, 512); // still reported, for the message
    wr32(x.b + 4, 0xFFFFFFFC);
    fix_checksum(x.b);
    assert_int_equal(parse(&x, &h), TBF_ERR_TRUNCATED);
    assert_false(tbf_walk_can_continue(TBF_ERR_TRUNCATED));
}

static void test_header_size(void **state)
{
    struct bld x;
    struct tbf_header h;
    static const uint16_t bad[] = {0, 12, 18, 66, 516, 0xFFFC};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bld_app(&x, "hs");
        wr16(x.b + 2, bad[i]);
        fix_checksum(x.b);
        assert_int_equal(parse(&x, &h), TBF_ERR_HEADER_SIZE);
        assert_int_equal(h.total_size, 512);
    }
    assert_true(tbf_walk_can_continue(TBF_ERR_HEADER_SIZE));
    // header_size == total_size is allowed (but then there is no room for a binary).
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_finish(&x, 40, 1);
    assert_int_equal(x.pos, 40);
    assert_int_equal(parse(&x, &h), TBF_ERR_LAYOUT);
}

static void test_tlv_past_header(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_app(&x, "abcd");
    // Name TLV claims 200 bytes.
    wr16(x.b + 16 + 16 + 24 + 2, 200);
    fix_checksum(x.b);
    assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
    // Exactly to the end of the header is fine, one more is not.
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, 0x77, "xyzw", 4);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    wr16(x.b + 40 + 2, 5);
    fix_checksum(x.b);
    assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
}

static void test_fixed_length_tlvs(void **state)
{
    struct bld x;
    struct tbf_header h;
    uint8_t z[40] = {0};
    static const struct {
        uint16_t type, len;
    } bad[] = {
        {TBF_TLV_MAIN, 8},
        {TBF_TLV_MAIN, 16},
        {TBF_TLV_PROGRAM, 12},
        {TBF_TLV_PROGRAM, 24},
        {TBF_TLV_FIXED_ADDRESSES, 4},
        {TBF_TLV_KERNEL_VERSION, 8},
        {TBF_TLV_SHORT_ID, 2},
        {TBF_TLV_WRITEABLE_FLASH_REGIONS, 12},
        {TBF_TLV_PERMISSIONS, 1},
        {TBF_TLV_PERMISSIONS, 20},
        {TBF_TLV_STORAGE_PERMISSIONS, 4},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bld_init(&x);
        bld_main(&x, 0, 0, 0);
        bld_tlv(&x, bad[i].type, z, bad[i].len);
        bld_finish(&x, 512, 1);
        assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
    }
}

static void test_unknown_tlvs_skipped(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_init(&x);
    bld_tlv(&x, 0x42, "abc", 3);                   // unknown, odd length: padded
    bld_tlv(&x, 0x8001, "vendor-specific", 15);    // out-of-tree (bit 15)
    bld_tlv(&x, TBF_TLV_PIC_OPTION_1, "12345", 5); // obsolete: not length-checked
    bld_tlv(&x, TBF_TLV_CREDENTIALS, "", 0);       // footer type in the header
    bld_tlv(&x, 0, NULL, 0);                       // zero TLV
    bld_main(&x, 4, 0, 100);
    bld_name(&x, "after");
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.init_fn_offset, 4);
    assert_int_equal(h.name_len, 5);
    assert_memory_equal(h.name, "after", 5);
}

static void test_program_vs_main(void **state)
{
    struct bld x;
    struct tbf_header h;
    // Program after Main wins.
    bld_init(&x);
    bld_main(&x, 8, 0, 111);
    bld_program(&x, 12, 4, 222, 400, 3);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.init_fn_offset, 12);
    assert_int_equal(h.protected_trailer_size, 4);
    assert_int_equal(h.minimum_ram_size, 222);
    assert_int_equal(h.binary_end_offset, 400);
    assert_int_equal(h.app_version, 3);
    // Program before Main wins too.
    bld_init(&x);
    bld_program(&x, 12, 4, 222, 400, 3);
    bld_main(&x, 8, 0, 111);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.minimum_ram_size, 222);
    // First Main wins.
    bld_init(&x);
    bld_main(&x, 8, 0, 111);
    bld_main(&x, 16, 0, 333);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.minimum_ram_size, 111);
    assert_false(h.has_program);
    assert_int_equal(h.binary_end_offset, 512); // Main only: binary runs to the end
    assert_int_equal(h.app_version, 0);
    // First Program wins.
    bld_init(&x);
    bld_program(&x, 12, 0, 222, 400, 3);
    bld_program(&x, 20, 0, 444, 300, 9);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.minimum_ram_size, 222);
    assert_int_equal(h.app_version, 3);
}

static void test_no_program(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_init(&x);
    bld_name(&x, "nothing");
    bld_kv(&x, 2, 2);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_NO_PROGRAM);
    assert_true(tbf_walk_can_continue(TBF_ERR_NO_PROGRAM));
    assert_int_equal(h.name_len, 7); // still available for the message
}

static void test_layout(void **state)
{
    struct bld x;
    struct tbf_header h;
    uint32_t hs = 16 + 8 + 24;
    struct {
        uint32_t init, pts, bend;
        enum tbf_status want;
    } cases[] = {
        {0, 0, 512, TBF_OK},
        {511 - hs, 0, 512, TBF_OK},         // last byte of the binary
        {512 - hs, 0, 512, TBF_ERR_LAYOUT}, // one past
        {100, 0, 100 + hs, TBF_ERR_LAYOUT}, // entry at binary end
        {99, 0, 100 + hs, TBF_OK},
        {0, 0, 513, TBF_ERR_LAYOUT},           // binary end past total
        {0, 0, hs - 4, TBF_ERR_LAYOUT},        // binary end inside the header
        {8, 8, hs + 16, TBF_OK},               // entry at app_start
        {7, 8, hs + 16, TBF_ERR_LAYOUT},       // entry in the protected trailer
        {8, 512, 512, TBF_ERR_LAYOUT},         // trailer past the object
        {8, 0xFFFFFFF0u, 512, TBF_ERR_LAYOUT}, // overflow attempt
        {0xFFFFFFFFu, 0, 512, TBF_ERR_LAYOUT},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bld_init(&x);
        bld_program(&x, cases[i].init, cases[i].pts, 0, cases[i].bend, 0);
        bld_finish(&x, 512, 1);
        assert_int_equal(parse(&x, &h), cases[i].want);
    }
    // Main only: the entry must be below total_size.
    bld_init(&x);
    bld_main(&x, 512 - 32, 0, 0);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_LAYOUT);
    assert_true(tbf_walk_can_continue(TBF_ERR_LAYOUT));
}

static void test_name_utf8(void **state)
{
    struct bld x;
    struct tbf_header h;
    bld_app(&x, "caf\xc3\xa9-\xf0\x9f\x98\x80"); // "café-😀"
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.name_len, 10);
    bld_app(&x, "bad\xff");
    assert_int_equal(parse(&x, &h), TBF_ERR_NAME);
    bld_app(&x, "cut\xc3");
    assert_int_equal(parse(&x, &h), TBF_ERR_NAME);
    // Empty name is valid UTF-8.
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_PACKAGE_NAME, "", 0);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_non_null(h.name);
    assert_int_equal(h.name_len, 0);
}

static void test_utf8_validator(void **state)
{
    static const struct {
        const char *s;
        bool ok;
    } cases[] = {
        {"", true},
        {"ascii 123 ~", true},
        {"\x7f", true},
        {"\xc2\x80", true},         // U+0080
        {"\xdf\xbf", true},         // U+07FF
        {"\xe0\xa0\x80", true},     // U+0800
        {"\xed\x9f\xbf", true},     // U+D7FF
        {"\xee\x80\x80", true},     // U+E000
        {"\xef\xbf\xbf", true},     // U+FFFF
        {"\xf0\x90\x80\x80", true}, // U+10000
        {"\xf4\x8f\xbf\xbf", true}, // U+10FFFF
        {"\x80", false},            // lone continuation
        {"\xbf", false},
        {"\xc0\x80", false},         // overlong NUL
        {"\xc1\xbf", false},         // overlong
        {"\xe0\x80\x80", false},     // overlong 3-byte
        {"\xe0\x9f\xbf", false},     // overlong 3-byte
        {"\xf0\x80\x80\x80", false}, // overlong 4-byte
        {"\xf0\x8f\xbf\xbf", false}, // overlong 4-byte
        {"\xed\xa0\x80", false},     // surrogate U+D800
        {"\xed\xbf\xbf", false},     // surrogate U+DFFF
        {"\xf4\x90\x80\x80", false}, // U+110000
        {"\xf5\x80\x80\x80", false},
        {"\xff", false},
        {"\xfe", false},
        {"\xc3", false},         // truncated
        {"\xe2\x82", false},     // truncated
        {"\xf0\x9f\x98", false}, // truncated
        {"\xc3\x28", false},     // bad continuation
        {"\xe2\x28\xa1", false},
        {"\xe2\x82\x28", false},
        {"\xf0\x9f\x28\x80", false},
        {"\xf0\x9f\x98\x28", false},
        {"ok\xc3\xa9ok\xe2\x82\xac", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const uint8_t *s = (const uint8_t *)cases[i].s;
        if (tbf_utf8_valid(s, (uint32_t)strlen(cases[i].s)) != cases[i].ok)
            fail_msg("case %zu", i);
    }
    // NUL inside is a valid code point.
    assert_true(tbf_utf8_valid((const uint8_t *)"a\0b", 3));
    // Length bounds the read: a valid prefix of an invalid string.
    assert_true(tbf_utf8_valid((const uint8_t *)"ab\xff", 2));
}

static void test_kernel_version(void **state)
{
    struct bld x;
    struct tbf_header h;
    static const struct {
        uint16_t major, minor;
        enum tbf_status want;
    } cases[] = {
        {2, 0, TBF_OK},
        {2, 2, TBF_OK},
        {2, CAIRN_KERNEL_MINOR, TBF_OK},
        {2, CAIRN_KERNEL_MINOR + 1, TBF_ERR_KERNEL_VERSION},
        {1, 0, TBF_ERR_KERNEL_VERSION},
        {3, 0, TBF_ERR_KERNEL_VERSION},
        {0xFFFF, 0xFFFF, TBF_ERR_KERNEL_VERSION},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bld_init_bare(&x);
        bld_main(&x, 0, 0, 0);
        bld_name(&x, "kv");
        bld_kv(&x, cases[i].major, cases[i].minor);
        bld_finish(&x, 512, 1);
        assert_int_equal(parse(&x, &h), cases[i].want);
        assert_int_equal(h.name_len, 2); // complete even when incompatible
    }
    // Absent TLV: refused, as Tock's loader does (an app must say which ABI it needs);
    // the rest of the header is complete for the message, and a walk goes on past it.
    bld_init_bare(&x);
    bld_main(&x, 0, 0, 0);
    bld_name(&x, "nokv");
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_NO_KERNEL_VERSION);
    assert_false(h.has_kernel_version);
    assert_int_equal(h.name_len, 4);
    assert_true(tbf_walk_can_continue(TBF_ERR_NO_KERNEL_VERSION));
    assert_string_equal(tbf_status_str(TBF_ERR_NO_KERNEL_VERSION),
                        "no KernelVersion TLV (the ABI it needs)");
    // Also when disabled: the message is more useful than "disabled".
    bld_finish(&x, 512, 0);
    assert_int_equal(parse(&x, &h), TBF_ERR_NO_KERNEL_VERSION);
    // A KernelVersion of the wrong length is malformed, not absent.
    bld_init_bare(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_KERNEL_VERSION, "\2\0", 2);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
    // The last of two KernelVersion TLVs counts (Tock: last wins for repeated types).
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_kv(&x, 3, 0);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_KERNEL_VERSION);
    // Incompatible beats disabled: the message is more useful.
    bld_init_bare(&x);
    bld_main(&x, 0, 0, 0);
    bld_kv(&x, 3, 0);
    bld_finish(&x, 512, 0);
    assert_int_equal(parse(&x, &h), TBF_ERR_KERNEL_VERSION);
}

static void test_fixed_and_short_id(void **state)
{
    struct bld x;
    struct tbf_header h;
    uint8_t v[8];
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    wr32(v, 0x20004000);
    wr32(v + 4, 0x00040000 + 60);
    bld_tlv(&x, TBF_TLV_FIXED_ADDRESSES, v, 8);
    wr32(v, 0xC0FFEE);
    bld_tlv(&x, TBF_TLV_SHORT_ID, v, 4);
    bld_finish(&x, 512, 1);
    assert_int_equal(x.pos, 60);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_true(h.has_fixed);
    assert_int_equal(h.fixed_ram, 0x20004000);
    assert_int_equal(h.short_id, 0xC0FFEE);
    assert_true(tbf_fixed_flash_ok(&h, 0x00040000));
    assert_false(tbf_fixed_flash_ok(&h, 0x00040200));
    // A TBF placed where start + header would pass 4 GB is never where a fixed app was
    // linked, even if the wrapped sum happens to equal the fixed address.
    h.fixed_flash = 60 - 0x20;
    assert_false(tbf_fixed_flash_ok(&h, 0xFFFFFFE0u));
    h.fixed_flash = TBF_NOT_FIXED;
    assert_true(tbf_fixed_flash_ok(&h, 0x00040200));
    h.has_fixed = false;
    assert_true(tbf_fixed_flash_ok(&h, 0x12345678));
}

static void test_permissions(void **state)
{
    struct bld x;
    struct tbf_header h;
    uint8_t v[2 + 3 * 16];
    wr16(v, 3);
    wr32(v + 2, 1); // console, commands 0..63: 0, 1, 63
    wr32(v + 6, 0);
    wr32(v + 10, 0x3);
    wr32(v + 14, 0x80000000);
    wr32(v + 18, 0x8); // alarm: command 3
    wr32(v + 22, 0);
    wr32(v + 26, 0x8);
    wr32(v + 30, 0);
    wr32(v + 34, 1); // console, commands 64..127: 64
    wr32(v + 38, 1);
    wr32(v + 42, 1);
    wr32(v + 46, 0);
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_PERMISSIONS, v, sizeof(v));
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_true(h.has_permissions);
    assert_int_equal(h.permission_count, 3);
    uint32_t d, o;
    uint64_t a;
    assert_true(tbf_permission_get(&h, 0, &d, &o, &a));
    assert_int_equal(d, 1);
    assert_int_equal(o, 0);
    assert_true(a == 0x8000000000000003ull);
    assert_false(tbf_permission_get(&h, 3, &d, &o, &a));
    assert_true(tbf_driver_permitted(&h, 1));
    assert_true(tbf_driver_permitted(&h, 8));
    assert_false(tbf_driver_permitted(&h, 2));
    assert_true(tbf_command_permitted(&h, 1, 0));
    assert_true(tbf_command_permitted(&h, 1, 1));
    assert_false(tbf_command_permitted(&h, 1, 2));
    assert_true(tbf_command_permitted(&h, 1, 63));
    assert_true(tbf_command_permitted(&h, 1, 64));
    assert_false(tbf_command_permitted(&h, 1, 65));
    assert_true(tbf_command_permitted(&h, 8, 3));
    assert_false(tbf_command_permitted(&h, 8, 0));
    assert_false(tbf_command_permitted(&h, 2, 0));
    // No TLV: no filter.
    struct tbf_header none = {0};
    assert_true(tbf_driver_permitted(&none, 2));
    assert_true(tbf_command_permitted(&none, 2, 99));
    // Zero entries: everything denied.
    wr16(v, 0);
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_PERMISSIONS, v, 2);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_false(tbf_driver_permitted(&h, 1));
    // Count disagreeing with the length.
    wr16(v, 2);
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_PERMISSIONS, v, 2 + 16);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
}

static void test_storage_permissions(void **state)
{
    struct bld x;
    struct tbf_header h;
    uint8_t v[64];
    wr32(v, 0x1234); // write id
    wr16(v + 4, 2);  // 2 read ids
    wr32(v + 6, 0x11);
    wr32(v + 10, 0x22);
    wr16(v + 14, 1); // 1 modify id
    wr32(v + 16, 0x33);
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_STORAGE_PERMISSIONS, v, 20);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_true(h.has_storage);
    assert_int_equal(h.storage_write_id, 0x1234);
    assert_int_equal(h.storage_read_count, 2);
    assert_int_equal(tbf_storage_read_id(&h, 0), 0x11);
    assert_int_equal(tbf_storage_read_id(&h, 1), 0x22);
    assert_int_equal(h.storage_modify_count, 1);
    assert_int_equal(tbf_storage_modify_id(&h, 0), 0x33);
    // Too many read ids.
    wr16(v + 4, TBF_MAX_STORAGE_IDS + 1);
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_STORAGE_PERMISSIONS, v, 20);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
    // Length not matching the counts.
    wr16(v + 4, 2);
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_STORAGE_PERMISSIONS, v, 24);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
    // Read count pointing past the value.
    wr16(v + 4, 5);
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_STORAGE_PERMISSIONS, v, 20);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
}

// Every region of every WriteableFlashRegions TLV counts, in header order (Tock keeps
// only the last TLV; elf2tab writes one TLV per region), each read back by tbf_wfr_get;
// each must lie inside the app's own binary [app_start, binary_end) without wrapping.
static void test_writeable_flash_regions(void **state)
{
    struct bld x;
    struct tbf_header h;
    struct tbf_wfr r;
    uint8_t v[48];
    // Two TLVs, 1 + 5 regions (one of size 0, which counts too), a name between them.
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    wr32(v, 0x100);
    wr32(v + 4, 0x40);
    bld_tlv(&x, TBF_TLV_WRITEABLE_FLASH_REGIONS, v, 8);
    bld_name(&x, "wfr");
    for (uint32_t i = 0; i < 5; i++) {
        wr32(v + 8 * i, 0x140 + 0x10 * i);
        wr32(v + 8 * i + 4, i == 2 ? 0 : 0x10);
    }
    bld_tlv(&x, TBF_TLV_WRITEABLE_FLASH_REGIONS, v, 40);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.wfr_count, 6);
    assert_true(tbf_wfr_get(x.b, 512, 0, &r));
    assert_int_equal(r.offset, 0x100);
    assert_int_equal(r.size, 0x40);
    for (uint32_t i = 0; i < 5; i++) {
        assert_true(tbf_wfr_get(x.b, 512, 1 + i, &r));
        assert_int_equal(r.offset, 0x140 + 0x10 * i);
        assert_int_equal(r.size, i == 2 ? 0 : 0x10);
    }
    assert_false(tbf_wfr_get(x.b, 512, 6, &r));
    assert_false(tbf_wfr_get(x.b, 512, 0xFFFFFFFFu, &r));
    // Reads stay inside avail even on a header that claims more (diagnostic use).
    assert_false(tbf_wfr_get(x.b, 40, 0, &r));
    // An empty TLV is allowed and holds no region.
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_WRITEABLE_FLASH_REGIONS, v, 0);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_OK);
    assert_int_equal(h.wfr_count, 0);
    assert_false(tbf_wfr_get(x.b, 512, 0, &r));

    // Outside the binary [app_start, binary_end) = [header_size + 0x20, 0x180): the
    // header, the protected trailer, the footers, past the object, wrapping.
    static const uint32_t bad[][2] = {
        {0x100, 0x81},      {0x180, 1},           {0x1FF, 1}, {0x200, 0}, {0x10, 4},
        {0xFFFFFFF0, 0x20}, {0x100, 0xFFFFFFFFu}, {0, 0},     {0x17F, 2}, {0xFFFFFFFFu, 0},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bld_init(&x);
        bld_program(&x, 0x20, 0x20, 0, 0x180, 0);
        wr32(v, bad[i][0]);
        wr32(v + 4, bad[i][1]);
        bld_tlv(&x, TBF_TLV_WRITEABLE_FLASH_REGIONS, v, 8);
        bld_finish(&x, 512, 1);
        if (parse(&x, &h) != TBF_ERR_LAYOUT)
            fail_msg("region %zu (0x%x, 0x%x) accepted", i, bad[i][0], bad[i][1]);
    }
    // The edges: from app_start, and ending exactly at binary_end.
    bld_init(&x);
    bld_program(&x, 0x20, 0x20, 0, 0x180, 0);
    uint32_t app_start = x.pos + 12 + 0x20; // this TLV still to come
    wr32(v, app_start);
    wr32(v + 4, 0x180 - app_start);
    bld_tlv(&x, TBF_TLV_WRITEABLE_FLASH_REGIONS, v, 8);
    bld_finish(&x, 512, 1);
    assert_int_equal(x.pos + 0x20, app_start);
    assert_int_equal(parse(&x, &h), TBF_OK);
    wr32(x.b + x.pos - 8, app_start - 1); // one byte into the protected trailer
    fix_checksum(x.b);
    assert_int_equal(parse(&x, &h), TBF_ERR_LAYOUT);

    // Every region is checked, not only the first few: the sixth one is bad here.
    bld_init(&x);
    bld_main(&x, 0x20, 0x20, 0);
    for (uint32_t i = 0; i < 6; i++) {
        wr32(v + 8 * i, i == 5 ? 0x14 : 0x100);
        wr32(v + 8 * i + 4, 4);
    }
    bld_tlv(&x, TBF_TLV_WRITEABLE_FLASH_REGIONS, v, 48);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_LAYOUT);
    // Not a multiple of 8: malformed.
    bld_init(&x);
    bld_main(&x, 0, 0, 0);
    bld_tlv(&x, TBF_TLV_WRITEABLE_FLASH_REGIONS, v, 12);
    bld_finish(&x, 512, 1);
    assert_int_equal(parse(&x, &h), TBF_ERR_TLV);
}

static void test_status_strings(void **state)
{
    for (int s = 0; s < TBF_STATUS_COUNT; s++) {
        const char *a = tbf_status_str((enum tbf_status)s);
        assert_non_null(a);
        assert_true(strlen(a) > 0);
        for (int t = 0; t < s; t++)
            assert_string_not_equal(a, tbf_status_str((enum tbf_status)t));
    }
    assert_string_equal(tbf_status_str(TBF_ERR_CHECKSUM), "bad checksum");
    assert_string_equal(tbf_status_str(TBF_ERR_TRUNCATED), "truncated");
    assert_non_null(tbf_status_str(TBF_STATUS_COUNT));
}

// A region as the kernel walks it: app, padding, corrupt app, disabled app, app, end.
static void test_walk(void **state)
{
    static uint8_t region[8192];
    struct bld x;
    memset(region, 0xFF, sizeof(region));
    uint32_t at = 0;
    bld_app(&x, "one");
    memcpy(region + at, x.b, 512);
    at += 512;
    bld_init_bare(&x);
    bld_finish(&x, 512, 0);
    memcpy(region + at, x.b, 16);
    at += 512;
    bld_app(&x, "bad");
    x.b[12] ^= 4;
    memcpy(region + at, x.b, 512);
    at += 512;
    bld_app(&x, "off");
    wr32(x.b + 8, 0);
    fix_checksum(x.b);
    memcpy(region + at, x.b, 512);
    at += 512;
    bld_app(&x, "two");
    memcpy(region + at, x.b, 512);
    at += 512;

    enum tbf_status seen[8];
    unsigned n = 0, run = 0;
    uint32_t off = 0;
    for (;;) {
        struct tbf_header h;
        enum tbf_status st = tbf_parse(region + off, (uint32_t)sizeof(region) - off, &h);
        assert_true(n < 8);
        seen[n++] = st;
        if (!tbf_walk_can_continue(st))
            break;
        run += st == TBF_OK;
        off += h.total_size;
    }
    assert_int_equal(n, 6);
    assert_int_equal(seen[0], TBF_OK);
    assert_int_equal(seen[1], TBF_PADDING);
    assert_int_equal(seen[2], TBF_ERR_CHECKSUM);
    assert_int_equal(seen[3], TBF_DISABLED);
    assert_int_equal(seen[4], TBF_OK);
    assert_int_equal(seen[5], TBF_END); // erased flash
    assert_int_equal(run, 2);
    assert_int_equal(off, at);
}

// Every status a parse can return, against the STOP marks in cairn/tbf.h: exactly END and
// the three that leave total_size untrustworthy end a walk (the function tests a range).
static void test_walk_can_continue_each_status(void **state)
{
    for (int s = 0; s < TBF_STATUS_COUNT; s++) {
        bool stop = s == TBF_END || s == TBF_ERR_VERSION || s == TBF_ERR_TOTAL_SIZE ||
                    s == TBF_ERR_TRUNCATED;
        assert_int_equal(tbf_walk_can_continue((enum tbf_status)s), !stop);
    }
}

// A zeroed or an erased apps region holds nothing: the first parse ends the walk.
static void test_walk_blank_region(void **state)
{
    static uint8_t region[1024];
    static const uint8_t fill[] = {0x00, 0xFF};
    for (size_t i = 0; i < sizeof fill; i++) {
        memset(region, fill[i], sizeof region);
        struct tbf_header h;
        enum tbf_status st = tbf_parse(region, (uint32_t)sizeof region, &h);
        assert_int_equal(st, TBF_END);
        assert_false(tbf_walk_can_continue(st));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_app),
        cmocka_unit_test(test_unaligned_image),
        cmocka_unit_test(test_checksum),
        cmocka_unit_test(test_padding),
        cmocka_unit_test(test_disabled),
        cmocka_unit_test(test_end_and_version),
        cmocka_unit_test(test_total_size),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_header_size),
        cmocka_unit_test(test_tlv_past_header),
        cmocka_unit_test(test_fixed_length_tlvs),
        cmocka_unit_test(test_unknown_tlvs_skipped),
        cmocka_unit_test(test_program_vs_main),
        cmocka_unit_test(test_no_program),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_name_utf8),
        cmocka_unit_test(test_utf8_validator),
        cmocka_unit_test(test_kernel_version),
        cmocka_unit_test(test_fixed_and_short_id),
        cmocka_unit_test(test_permissions),
        cmocka_unit_test(test_storage_permissions),
        cmocka_unit_test(test_writeable_flash_regions),
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_walk_can_continue_each_status),
        cmocka_unit_test(test_walk_blank_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
