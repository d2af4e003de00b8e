// SPDX-License-Identifier: Apache-2.0
// Host tests of the tool core (tools/tbfgen.c): ELF -> TBF, TAB, apps-flash layout.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cairn/tbf.h>

#include "../../tools/tbfgen.h"

// --- a tiny ELF32 writer -------------------------------------------------------------------

struct eseg {
    uint32_t type, vaddr, paddr, filesz, memsz, flags;
};

struct esec {
    const char *name;
    uint32_t type, flags;
    const uint8_t *data;
    uint32_t size;
    uint32_t addr; // sh_addr (0 unless a test needs it)
};

enum { PF_X = 1, PF_W = 2, PF_R = 4, SHF_W = 1, SHF_A = 2, SHF_X = 4, SHT_PROGBITS = 1 };

struct elfopt {
    uint8_t cls, data;
    uint16_t machine, type;
};

static const struct elfopt ARM = {1, 1, 40, 2};

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

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

// Segment contents are a byte pattern derived from the segment index and offset, so a test
// can check where each byte landed. Returns the ELF length; buf is zeroed first.
static size_t mk_elf(uint8_t *buf, size_t cap, const struct elfopt *eo, uint32_t entry,
                     const struct eseg *s, unsigned ns, const struct esec *sec, unsigned nsec)
{
    memset(buf, 0, cap);
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
    memcpy(buf, magic, 4);
    buf[4] = eo->cls;
    buf[5] = eo->data;
    buf[6] = 1;
    wr16(buf + 16, eo->type);
    wr16(buf + 18, eo->machine);
    wr32(buf + 20, 1);
    wr32(buf + 24, entry);
    wr32(buf + 28, 52);
    wr16(buf + 40, 52);
    wr16(buf + 42, 32);
    wr16(buf + 44, (uint16_t)ns);
    size_t pos = 52 + 32u * ns;
    for (unsigned i = 0; i < ns; i++) {
        uint8_t *ph = buf + 52 + 32 * i;
        pos = (pos + 3) & ~(size_t)3;
        wr32(ph, s[i].type);
        wr32(ph + 4, (uint32_t)pos);
        wr32(ph + 8, s[i].vaddr);
        wr32(ph + 12, s[i].paddr);
        wr32(ph + 16, s[i].filesz);
        wr32(ph + 20, s[i].memsz);
        wr32(ph + 24, s[i].flags);
        wr32(ph + 28, 4);
        assert_true(pos + s[i].filesz <= cap);
        for (uint32_t k = 0; k < s[i].filesz; k++)
            buf[pos + k] = (uint8_t)(0x10 * (i + 1) + k * 7);
        pos += s[i].filesz;
    }
    if (nsec == 0)
        return pos;
    // Section data, then the name table, then the headers: [0] null, sections, .shstrtab.
    uint32_t off[16];
    assert_true(nsec < 15);
    for (unsigned i = 0; i < nsec; i++) {
        off[i] = (uint32_t)pos;
        if (sec[i].size)
            memcpy(buf + pos, sec[i].data, sec[i].size);
        pos += sec[i].size;
    }
    uint32_t strtab = (uint32_t)pos, name_off[16];
    buf[pos++] = 0;
    for (unsigned i = 0; i < nsec; i++) {
        name_off[i] = (uint32_t)(pos - strtab);
        memcpy(buf + pos, sec[i].name, strlen(sec[i].name) + 1);
        pos += strlen(sec[i].name) + 1;
    }
    uint32_t shstr_name = (uint32_t)(pos - strtab);
    memcpy(buf + pos, ".shstrtab", 10);
    pos += 10;
    uint32_t strsize = (uint32_t)pos - strtab;
    pos = (pos + 3) & ~(size_t)3;
    wr32(buf + 32, (uint32_t)pos);
    wr16(buf + 46, 40);
    wr16(buf + 48, (uint16_t)(nsec + 2));
    wr16(buf + 50, (uint16_t)(nsec + 1));
    uint8_t *sh = buf + pos + 40; // skip the null section
    for (unsigned i = 0; i < nsec; i++, sh += 40) {
        wr32(sh, name_off[i]);
        wr32(sh + 4, sec[i].type);
        wr32(sh + 8, sec[i].flags);
        wr32(sh + 12, sec[i].addr);
        wr32(sh + 16, off[i]);
        wr32(sh + 20, sec[i].size);
    }
    wr32(sh, shstr_name);
    wr32(sh + 4, 3); // SHT_STRTAB
    wr32(sh + 16, strtab);
    wr32(sh + 20, strsize);
    pos += 40u * (nsec + 2);
    assert_true(pos <= cap);
    return pos;
}

// The shape of a Cairn app: .stack at RAM 0, crt0 header + text in flash at 0x80000000,
// .got/.data in RAM at 0x800 loaded at the end of text, .bss after it.
static const struct eseg APP[] = {
    {1, 0x00000000, 0x00000000, 0, 0x800, PF_R | PF_W},
    {1, 0x80000000, 0x80000000, 0x54, 0x54, PF_R | PF_X},
    {1, 0x00000800, 0x80000054, 0x20, 0x48, PF_R | PF_W},
};
static const uint8_t REL_DATA[8] = {0x1c, 0x08, 0, 0, 0x02, 0x13, 0, 0};
static const struct esec APP_SECS[] = {
    {".text", SHT_PROGBITS, SHF_A | SHF_X, NULL, 0, 0},
    {".data", SHT_PROGBITS, SHF_A | SHF_W, NULL, 0, 0},
    {".rel.data", 9, 0, REL_DATA, sizeof(REL_DATA), 0},
    {".rel.text", 9, 0, REL_DATA, sizeof(REL_DATA), 0}, // not writable: must be ignored
};

static uint8_t elf[16384];

static size_t app_elf(void)
{
    // .data needs a non-zero size to be considered.
    static struct esec secs[4];
    memcpy(secs, APP_SECS, sizeof(secs));
    secs[1].data = REL_DATA;
    secs[1].size = 4;
    return mk_elf(elf, sizeof(elf), &ARM, 0x80000029, APP, 3, secs, 4);
}

static int convert(size_t len, const struct tbfgen_opts *o, uint8_t **out, size_t *out_len,
                   char *err)
{
    return tbfgen_elf_to_tbf(elf, len, o, out, out_len, err);
}

// --- elf2tbf -------------------------------------------------------------------------------

static void test_basic_app(void **state)
{
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    o.name = "app";
    size_t len = app_elf();
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN] = "";
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_len, 512);

    struct tbf_header h;
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    uint32_t hs = 16 + 16 + 24 + 8 + 8;
    assert_int_equal(h.header_size, hs);
    assert_int_equal(h.total_size, 512);
    assert_int_equal(h.flags, TBF_FLAG_ENABLED);
    assert_true(h.has_main && h.has_program);
    assert_int_equal(h.init_fn_offset, 0x29); // Thumb bit kept, as elf2tab does
    assert_int_equal(h.protected_trailer_size, 0);
    // RAM end 0x848 + 1024 + 1024 + stack 0.
    assert_int_equal(h.minimum_ram_size, 0x848 + 2048);
    // Flash image 0x74 bytes, then the blob: u32 length + .rel.data only.
    assert_int_equal(h.binary_end_offset, hs + 0x74 + 4 + 8);
    assert_memory_equal(h.name, "app", 3);
    assert_true(h.has_kernel_version);
    assert_int_equal(h.kernel_major, 2);
    assert_int_equal(h.kernel_minor, 3);
    // Main and Program agree.
    assert_int_equal(rd32(tbf + 16 + 4), 0x29);
    assert_int_equal(rd32(tbf + 16 + 12), 0x848 + 2048);
    // Contents: text at hs, data's load image right after it, then the blob, then zeros.
    for (uint32_t k = 0; k < 0x54; k++)
        assert_int_equal(tbf[hs + k], (uint8_t)(0x20 + k * 7));
    for (uint32_t k = 0; k < 0x20; k++)
        assert_int_equal(tbf[hs + 0x54 + k], (uint8_t)(0x30 + k * 7));
    assert_int_equal(rd32(tbf + hs + 0x74), 8);
    assert_memory_equal(tbf + hs + 0x78, REL_DATA, 8);
    for (uint32_t k = h.binary_end_offset; k < 512; k++)
        assert_int_equal(tbf[k], 0);

    // Deterministic.
    uint8_t *again;
    size_t again_len;
    assert_int_equal(convert(len, &o, &again, &again_len, err), 0);
    assert_int_equal(again_len, tbf_len);
    assert_memory_equal(again, tbf, tbf_len);
    free(again);
    free(tbf);
}

static void test_segment_order_and_gaps(void **state)
{
    // Program headers out of address order, data loaded 12 bytes after text's end.
    struct eseg s[3] = {APP[2], APP[0], APP[1]};
    s[0].paddr = 0x80000060;
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    o.relocs = false;
    size_t len = mk_elf(elf, sizeof(elf), &ARM, 0x80000029, s, 3, NULL, 0);
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    struct tbf_header h;
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    uint32_t hs = h.header_size;
    assert_null(h.name);
    assert_int_equal(h.binary_end_offset, hs + 0x80);
    // s[2] is text (pattern index 3), s[0] is data (index 1).
    assert_int_equal(tbf[hs], 0x30);
    for (uint32_t k = 0x54; k < 0x60; k++)
        assert_int_equal(tbf[hs + k], 0);
    assert_int_equal(tbf[hs + 0x60], 0x10);
    free(tbf);
}

static void test_options(void **state)
{
    size_t len = app_elf();
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN];
    struct tbf_header h;
    struct tbfgen_opts o;

    tbfgen_opts_default(&o);
    o.stack = 100;     // -> 104
    o.app_heap = 1001; // -> 1004
    o.kernel_heap = 0;
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_int_equal(h.minimum_ram_size, 0x848 + 104 + 1004);
    free(tbf);

    tbfgen_opts_default(&o);
    o.disabled = true;
    o.kernel_version = false;
    o.min_size = 3000;
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_len, 4096);
    // Without the TLV the kernel refuses the app (as Tock), before looking at the flags.
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_ERR_NO_KERNEL_VERSION);
    assert_false(h.has_kernel_version);
    assert_int_equal(h.flags, 0);
    assert_int_equal(h.header_size, 16 + 16 + 24);
    free(tbf);

    // Asking for a newer kernel is allowed (the loader's skip path is tested with it).
    tbfgen_opts_default(&o);
    o.kernel_minor = CAIRN_KERNEL_MINOR + 1;
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_ERR_KERNEL_VERSION);
    free(tbf);

    // Names: odd length padded; invalid UTF-8 refused.
    tbfgen_opts_default(&o);
    o.name = "caf\xc3\xa9";
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_int_equal(h.name_len, 5);
    assert_int_equal(h.header_size, 16 + 16 + 24 + 12 + 8);
    free(tbf);
    o.name = "bad\xc3";
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), -1);
    assert_non_null(strstr(err, "UTF-8"));
}

// elf2tbf --permissions/--no-permissions: the Permissions TLV as the kernel's filter reads
// it back (entries for one driver at two offsets combine; a TLV with no entry refuses
// everything), placed so the storage TLV after it still parses, and the entry parser.
static void test_permissions(void **state)
{
    (void)state;
    size_t len = app_elf();
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN];
    struct tbf_header h;
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_false(h.has_permissions);
    assert_true(tbf_command_permitted(&h, 0x1234, 99));
    free(tbf);

    o.has_perms = true;
    assert_int_equal(tbfgen_parse_perm("0x1:0:0x3", &o.perms[0]), 0);
    assert_int_equal(tbfgen_parse_perm("0x60000:1:0x8000000000000001", &o.perms[1]), 0);
    assert_int_equal(tbfgen_parse_perm("0x1:2:4", &o.perms[2]), 0);
    o.n_perms = 3;
    o.has_storage = true;
    o.write_id = 9;
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_true(h.has_permissions);
    assert_int_equal(h.permission_count, 3);
    assert_true(h.has_storage);
    assert_int_equal(h.storage_write_id, 9);
    uint32_t drv, off;
    uint64_t mask;
    assert_true(tbf_permission_get(&h, 1, &drv, &off, &mask));
    assert_int_equal(drv, 0x60000);
    assert_int_equal(off, 1);
    assert_true(mask == 0x8000000000000001ull);
    assert_true(tbf_command_permitted(&h, 0x1, 0));
    assert_true(tbf_command_permitted(&h, 0x1, 1));
    assert_false(tbf_command_permitted(&h, 0x1, 2));
    assert_true(tbf_command_permitted(&h, 0x1, 130));
    assert_true(tbf_command_permitted(&h, 0x60000, 64));
    assert_true(tbf_command_permitted(&h, 0x60000, 127));
    assert_false(tbf_command_permitted(&h, 0x60000, 63));
    assert_true(tbf_driver_permitted(&h, 0x60000));
    assert_false(tbf_driver_permitted(&h, 0x0));
    free(tbf);

    o.n_perms = 0; // --no-permissions
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_true(h.has_permissions);
    assert_int_equal(h.permission_count, 0);
    assert_false(tbf_driver_permitted(&h, 0x1));
    free(tbf);

    struct tbfgen_perm e;
    static const char *const bad[] = {
        "",
        "1",
        "1:2",
        "1:2:",
        ":2:3",
        "1::3",
        "1:2:3:4",
        "-1:0:1",
        "1:0:-1",
        "0x100000000:0:1",
        "1:0x100000000:1",
        "1:0:0x10000000000000000",
        "1:0:3x",
        " 1:0:1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(tbfgen_parse_perm(bad[i], &e), -1);
    assert_int_equal(tbfgen_parse_perm("65536:0:0xFFFFFFFFFFFFFFFF", &e), 0);
    assert_int_equal(e.driver, 0x10000);
    assert_true(e.mask == UINT64_MAX);
}

// elf2tbf --permissions DRIVER,COMMAND (elf2tab's form): pairs of one driver and one block
// of 64 commands share an entry, other blocks and drivers get their own, the D:O:M form
// still appends as given, the table refuses a 17th entry, and malformed pairs are refused.
static void test_permissions_elf2tab_pairs(void **state)
{
    (void)state;
    size_t len = app_elf();
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN];
    struct tbf_header h;
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    assert_int_equal(tbfgen_add_perm(&o, "1,0"), 0);
    assert_true(o.has_perms);
    assert_int_equal(tbfgen_add_perm(&o, "1,1"), 0);
    assert_int_equal(tbfgen_add_perm(&o, "0x60000,127"), 0);
    assert_int_equal(tbfgen_add_perm(&o, "1,130"), 0);
    assert_int_equal(tbfgen_add_perm(&o, "2:0:0x10"), 0);
    assert_int_equal(o.n_perms, 4);
    assert_int_equal(o.perms[0].driver, 1);
    assert_int_equal(o.perms[0].offset, 0);
    assert_true(o.perms[0].mask == 0x3);
    assert_int_equal(o.perms[1].offset, 1);
    assert_true(o.perms[1].mask == 1ull << 63);
    assert_int_equal(o.perms[2].offset, 2);
    assert_true(o.perms[2].mask == 1ull << 2);

    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_int_equal(h.permission_count, 4);
    assert_true(tbf_command_permitted(&h, 1, 0));
    assert_true(tbf_command_permitted(&h, 1, 1));
    assert_false(tbf_command_permitted(&h, 1, 2));
    assert_true(tbf_command_permitted(&h, 1, 130));
    assert_false(tbf_command_permitted(&h, 1, 129));
    assert_true(tbf_command_permitted(&h, 0x60000, 127));
    assert_false(tbf_command_permitted(&h, 0x60000, 126));
    assert_true(tbf_command_permitted(&h, 2, 4));
    assert_false(tbf_driver_permitted(&h, 3));
    free(tbf);

    static const char *const bad[] = {
        ",", "1,", ",1", "1,2,3", "1,-1", "-1,0", "1,0x100000000", "1:0:3,4", "1,2x", "1,,2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(tbfgen_add_perm(&o, bad[i]), -1);
    assert_int_equal(o.n_perms, 4);
    for (uint32_t d = 10; o.n_perms < TBFGEN_MAX_PERMS; d++) {
        char arg[16];
        snprintf(arg, sizeof arg, "%u,5", (unsigned)d);
        assert_int_equal(tbfgen_add_perm(&o, arg), 0);
    }
    assert_int_equal(tbfgen_add_perm(&o, "99,0"), -2);
    assert_int_equal(tbfgen_add_perm(&o, "99:0:1"), -2);
    // A command in a block that already has an entry still fits.
    assert_int_equal(tbfgen_add_perm(&o, "1,5"), 0);
    assert_int_equal(o.n_perms, TBFGEN_MAX_PERMS);
    assert_true(o.perms[0].mask == 0x23);
}

// elf2tbf --write-id/--read-ids/--modify-ids: the Storage Permissions TLV the loader and
// the key-value driver read back, and the id lists' parser.
static void test_storage_permissions(void **state)
{
    (void)state;
    size_t len = app_elf();
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN];
    struct tbf_header h;
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_false(h.has_storage);
    free(tbf);

    o.has_storage = true;
    o.write_id = 0x1234;
    assert_int_equal(tbfgen_parse_ids("0x1234,7", o.read_ids, 8, &o.n_read), 0);
    assert_int_equal(tbfgen_parse_ids("0x1234", o.modify_ids, 8, &o.n_modify), 0);
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_true(h.has_storage);
    assert_int_equal(h.storage_write_id, 0x1234);
    assert_int_equal(h.storage_read_count, 2);
    assert_int_equal(tbf_storage_read_id(&h, 0), 0x1234);
    assert_int_equal(tbf_storage_read_id(&h, 1), 7);
    assert_int_equal(h.storage_modify_count, 1);
    assert_int_equal(tbf_storage_modify_id(&h, 0), 0x1234);
    free(tbf);

    uint32_t ids[8];
    uint16_t n;
    assert_int_equal(tbfgen_parse_ids("1,2,3,4,5,6,7,8", ids, 8, &n), 0);
    assert_int_equal(n, 8);
    assert_int_equal(tbfgen_parse_ids("1,2,3,4,5,6,7,8,9", ids, 8, &n), -1);
    assert_int_equal(tbfgen_parse_ids("1,,2", ids, 8, &n), -1);
    assert_int_equal(tbfgen_parse_ids("1,", ids, 8, &n), -1);
    assert_int_equal(tbfgen_parse_ids("x", ids, 8, &n), -1);
    assert_int_equal(tbfgen_parse_ids("", ids, 8, &n), 0);
    assert_int_equal(n, 0);
}

static void test_power_of_two_sizes(void **state)
{
    static const struct {
        uint32_t text;
        size_t total;
    } cases[] = {{0x10, 512}, {452, 512}, {453, 1024}, {964, 1024}, {965, 2048}, {5000, 8192}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct eseg s = {1, 0x80000000, 0x80000000, cases[i].text, cases[i].text, PF_R | PF_X};
        size_t len = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, &s, 1, NULL, 0);
        struct tbfgen_opts o;
        tbfgen_opts_default(&o);
        o.kernel_version = false;
        uint8_t *tbf;
        size_t tbf_len;
        char err[TBFGEN_ERR_LEN];
        // header 56 + text + 4 (empty relocation blob); without KernelVersion the header
        // is complete but the app is refused.
        assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
        assert_int_equal(tbf_len, cases[i].total);
        struct tbf_header h;
        assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_ERR_NO_KERNEL_VERSION);
        assert_int_equal(h.binary_end_offset, 56 + cases[i].text + 4);
        assert_int_equal(h.init_fn_offset, 1);
        assert_int_equal(h.minimum_ram_size, 2048); // no RAM segments: just the heaps
        free(tbf);
    }
}

static void expect_error(size_t len, const char *needle)
{
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    uint8_t *tbf = (uint8_t *)1;
    size_t tbf_len = 1;
    char err[TBFGEN_ERR_LEN] = "";
    assert_int_equal(tbfgen_elf_to_tbf(elf, len, &o, &tbf, &tbf_len, err), -1);
    assert_null(tbf);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void test_errors(void **state)
{
    struct eseg s[3];
    size_t len;

    memset(elf, 0, sizeof(elf));
    memcpy(elf, "garbage", 7);
    expect_error(100, "not an ELF");
    expect_error(3, "not an ELF");

    struct elfopt eo = ARM;
    eo.cls = 2;
    len = mk_elf(elf, sizeof(elf), &eo, 0x80000001, APP, 3, NULL, 0);
    expect_error(len, "32-bit little-endian");
    eo = ARM;
    eo.data = 2;
    len = mk_elf(elf, sizeof(elf), &eo, 0x80000001, APP, 3, NULL, 0);
    expect_error(len, "32-bit little-endian");
    eo = ARM;
    eo.machine = 3;
    len = mk_elf(elf, sizeof(elf), &eo, 0x80000001, APP, 3, NULL, 0);
    expect_error(len, "not an ARM");
    expect_error(40, "truncated ELF header");

    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, APP, 0, NULL, 0);
    expect_error(len, "no loadable segments");
    memcpy(s, APP, sizeof(s));
    s[1].type = 6; // PT_PHDR: not loadable
    s[2].type = 4;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, s, 3, NULL, 0);
    expect_error(len, "no loadable segments");

    // Overlapping flash segments.
    memcpy(s, APP, sizeof(s));
    s[2].paddr = 0x80000050;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000029, s, 3, NULL, 0);
    expect_error(len, "overlap");
    // Overlapping RAM segments.
    memcpy(s, APP, sizeof(s));
    s[2].vaddr = 0x7F0;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000029, s, 3, NULL, 0);
    expect_error(len, "overlap");

    // Entry outside flash, or in a segment copied to RAM.
    len = mk_elf(elf, sizeof(elf), &ARM, 0x90000001, APP, 3, NULL, 0);
    expect_error(len, "outside flash");
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000055, APP, 3, NULL, 0); // past text's bytes
    expect_error(len, "outside flash");
    len = mk_elf(elf, sizeof(elf), &ARM, 0x00000801, APP, 3, NULL, 0);
    expect_error(len, "copied to RAM");

    // Malformed segments.
    memcpy(s, APP, sizeof(s));
    s[1].memsz = 0x10;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, s, 3, NULL, 0);
    expect_error(len, "p_filesz");
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, APP, 3, NULL, 0);
    expect_error(len - 8, "outside the file");
    wr16(elf + 44, 200); // program headers past the end
    expect_error(len, "program header table");

    // Initialised writable data with no flash load address.
    memcpy(s, APP, sizeof(s));
    s[2].paddr = s[2].vaddr;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000029, s, 3, NULL, 0);
    expect_error(len, "without a flash load address");

    // RAM image overlapping the flash image.
    memcpy(s, APP, sizeof(s));
    s[0].vaddr = s[0].paddr = 0x80000000;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000029, s, 3, NULL, 0);
    expect_error(len, "overlaps the flash image");

    // Absurd flash spread.
    memcpy(s, APP, sizeof(s));
    s[2].paddr = 0xF0000000;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000029, s, 3, NULL, 0);
    expect_error(len, "MiB");

    // Section headers pointing outside the file.
    len = app_elf();
    wr32(elf + 32, (uint32_t)len);
    expect_error(len, "section header table");
    // A relocation section outside the file; a section name outside the name table.
    len = app_elf();
    uint8_t *sh = elf + rd32(elf + 32);
    wr32(sh + 3 * 40 + 16, (uint32_t)len - 4);
    expect_error(len, ".rel.data is outside the file");
    len = app_elf();
    wr32(sh + 2 * 40, 0x7FFF);
    expect_error(len, "bad name offset");
    // Without the relocation blob the section headers are still read, for writeable
    // flash sections (.wfr*): the bad name is an error either way.
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    o.relocs = false;
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), -1);
    assert_non_null(strstr(err, "bad name offset"));
}

// Sections named .wfr* in flash become writeable flash regions, one TLV each as elf2tab
// writes them, with offsets from the TBF start; the kernel's parser then reports them all
// and memop 7/8/9 can hand them out.
static void test_writeable_flash_sections(void **state)
{
    static const uint8_t st[16] = {0};
    struct esec secs[] = {
        {".text", SHT_PROGBITS, SHF_A | SHF_X, NULL, 0, 0x80000000},
        {".wfr.app_state", SHT_PROGBITS, SHF_A, st, 16, 0x80000040},
        {".wfr.empty", SHT_PROGBITS, SHF_A, NULL, 0, 0x80000050}, // no bytes: none
        {".wfr.bss", 8, SHF_A | SHF_W, NULL, 0, 0x80000050},      // NOBITS: none
        {".wfrx", SHT_PROGBITS, SHF_A, st, 4, 0x80000050},        // prefix matches
        {".notwfr", SHT_PROGBITS, SHF_A, st, 4, 0x80000050},      // not a .wfr name
    };
    struct eseg seg = {1, 0x80000000, 0x80000000, 0x60, 0x60, PF_R | PF_X};
    size_t len = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, &seg, 1, secs, 6);
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    struct tbf_header h;
    assert_int_equal(tbf_parse(tbf, (uint32_t)tbf_len, &h), TBF_OK);
    assert_int_equal(h.wfr_count, 2);
    struct tbf_wfr r;
    assert_true(tbf_wfr_get(tbf, (uint32_t)tbf_len, 0, &r));
    assert_int_equal(r.offset, h.header_size + 0x40);
    assert_int_equal(r.size, 16);
    assert_true(tbf_wfr_get(tbf, (uint32_t)tbf_len, 1, &r));
    assert_int_equal(r.offset, h.header_size + 0x50);
    assert_int_equal(r.size, 4);
    free(tbf);

    // A .wfr section outside the flash image is refused.
    secs[1].addr = 0x80000058;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, &seg, 1, secs, 2);
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), -1);
    assert_non_null(strstr(err, "outside flash"));
    secs[1].addr = 0x7FFFFFF8;
    len = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, &seg, 1, secs, 2);
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), -1);
}

static void test_pie_executable_accepted(void **state)
{
    struct elfopt eo = ARM;
    eo.type = 3; // ET_DYN (-pie)
    size_t len = mk_elf(elf, sizeof(elf), &eo, 0x80000029, APP, 3, NULL, 0);
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    free(tbf);
}

// --- TAB -----------------------------------------------------------------------------------

static uint64_t octal(const uint8_t *f, size_t w)
{
    uint64_t v = 0;
    for (size_t i = 0; i < w && f[i] >= '0' && f[i] <= '7'; i++)
        v = v * 8 + (uint64_t)(f[i] - '0');
    return v;
}

static void check_tar_header(const uint8_t *h, const char *name, size_t size)
{
    assert_string_equal((const char *)h, name);
    assert_int_equal(octal(h + 124, 12), size);
    assert_int_equal(octal(h + 136, 12), 0); // mtime
    assert_int_equal(h[156], '0');
    assert_memory_equal(h + 257,
                        "ustar\0"
                        "00",
                        8);
    unsigned sum = 0;
    for (size_t k = 0; k < 512; k++)
        sum += (k >= 148 && k < 156) ? ' ' : h[k];
    assert_int_equal(octal(h + 148, 8), sum);
}

static void test_tab(void **state)
{
    uint8_t tbf[600];
    for (size_t i = 0; i < sizeof(tbf); i++)
        tbf[i] = (uint8_t)i;
    uint8_t *tab;
    size_t tab_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(
        tbfgen_tab(tbf, sizeof(tbf), "cortex-m3", "my \"app\"\\x", true, 2, 3, &tab, &tab_len, err),
        0);
    const char *meta = "tab-version = 1\n"
                       "name = \"my \\\"app\\\"\\\\x\"\n"
                       "minimum-tock-kernel-version = \"2.3\"\n";
    size_t ml = strlen(meta);
    check_tar_header(tab, "metadata.toml", ml);
    assert_memory_equal(tab + 512, meta, ml);
    const uint8_t *h2 = tab + 1024;
    check_tar_header(h2, "cortex-m3.tbf", sizeof(tbf));
    assert_memory_equal(h2 + 512, tbf, sizeof(tbf));
    assert_int_equal(tab_len, 1024 + 512 + 1024 + 1024);
    for (size_t k = 1024 + 512 + 600; k < tab_len; k++)
        assert_int_equal(tab[k], 0);
    free(tab);

    // Without a kernel version the key is omitted.
    assert_int_equal(tbfgen_tab(tbf, 16, "cortex-m4", "x", false, 0, 0, &tab, &tab_len, err), 0);
    assert_null(strstr((const char *)tab + 512, "minimum-tock"));
    check_tar_header(tab + 1024, "cortex-m4.tbf", 16);
    free(tab);
}

// --- mkappflash ----------------------------------------------------------------------------

// A real TBF of the given total size (a power of two >= 512).
static uint8_t *make_app(const char *name, uint32_t total, size_t *len)
{
    struct eseg s = {1, 0x80000000, 0x80000000, 0x40, 0x40, PF_R | PF_X};
    size_t elen = mk_elf(elf, sizeof(elf), &ARM, 0x80000001, &s, 1, NULL, 0);
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    o.name = name;
    o.min_size = total;
    uint8_t *tbf;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(tbfgen_elf_to_tbf(elf, elen, &o, &tbf, len, err), 0);
    assert_int_equal(*len, total);
    return tbf;
}

struct walked {
    enum tbf_status st;
    uint32_t off, total;
};

// Walks an image the way the kernel does; returns the number of objects seen.
static unsigned walk(const uint8_t *img, size_t len, struct walked *w, unsigned max)
{
    unsigned n = 0;
    uint32_t off = 0;
    while (n < max) {
        struct tbf_header h;
        enum tbf_status st = tbf_parse(img + off, (uint32_t)(len - off), &h);
        w[n].st = st;
        w[n].off = off;
        w[n].total = h.total_size;
        n++;
        if (!tbf_walk_can_continue(st))
            break;
        off += h.total_size;
    }
    return n;
}

static void test_appflash_layout(void **state)
{
    size_t la, lb, lc;
    uint8_t *a = make_app("a", 512, &la), *b = make_app("b", 1024, &lb),
            *c = make_app("c", 512, &lc);
    struct tbfgen_app apps[3] = {{"a", a, la}, {"b", b, lb}, {"c", c, lc}};
    struct tbfgen_flash_opts o = {.region_size = 262144};
    uint8_t *img;
    size_t img_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(tbfgen_appflash(apps, 3, &o, &img, &img_len, NULL, err), 0);
    // a@0, padding@512 (512), b@1024, c@2048, 8-byte terminator.
    assert_int_equal(img_len, 2048 + 512 + 8);
    assert_memory_equal(img, a, 512);
    assert_memory_equal(img + 1024, b, 1024);
    assert_memory_equal(img + 2048, c, 512);
    for (size_t k = 2560; k < img_len; k++)
        assert_int_equal(img[k], 0);
    struct walked w[8];
    assert_int_equal(walk(img, img_len, w, 8), 5);
    assert_int_equal(w[0].st, TBF_OK);
    assert_int_equal(w[1].st, TBF_PADDING);
    assert_int_equal(w[1].off, 512);
    assert_int_equal(w[1].total, 512);
    assert_int_equal(w[2].st, TBF_OK);
    assert_int_equal(w[2].off, 1024);
    assert_int_equal(w[3].st, TBF_OK);
    assert_int_equal(w[3].off, 2048);
    assert_int_equal(w[4].st, TBF_END);
    free(img);

    // Exactly full region: no room for the terminator, image = region.
    struct tbfgen_app three_small[3] = {{"a", a, la}, {"c", c, lc}, {"a", a, la}};
    o.region_size = 1536;
    assert_int_equal(tbfgen_appflash(three_small, 3, &o, &img, &img_len, NULL, err), 0);
    assert_int_equal(img_len, 1536);
    free(img);
    // One byte group short: does not fit.
    o.region_size = 1532;
    assert_int_equal(tbfgen_appflash(three_small, 3, &o, &img, &img_len, NULL, err), -1);
    assert_non_null(strstr(err, "does not fit"));
    o.region_size = 1024;
    assert_int_equal(tbfgen_appflash(apps, 2, &o, &img, &img_len, NULL, err), -1);

    // No apps: just the terminator.
    o.region_size = 262144;
    assert_int_equal(tbfgen_appflash(apps, 0, &o, &img, &img_len, NULL, err), 0);
    assert_int_equal(img_len, 8);
    free(img);
    free(a);
    free(b);
    free(c);
}

static void test_appflash_non_pow2_and_small_gaps(void **state)
{
    size_t la;
    uint8_t *a = make_app("a", 512, &la);
    // Padding-style objects of sizes that are not powers of two: placed 4-aligned.
    uint8_t p100[100] = {0}, p1020[1020] = {0};
    tbfgen_padding_header(p100, sizeof(p100));
    tbfgen_padding_header(p1020, sizeof(p1020));
    struct tbfgen_app apps[3] = {{"a", a, la}, {"p100", p100, 100}, {"a", a, la}};
    struct tbfgen_flash_opts o = {.region_size = 262144};
    uint8_t *img;
    size_t img_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(tbfgen_appflash(apps, 3, &o, &img, &img_len, NULL, err), 0);
    // a@0, p100@512, padding 612..1024, a@1024.
    assert_memory_equal(img + 1024, a, 512);
    struct walked w[8];
    assert_int_equal(walk(img, img_len, w, 8), 5);
    assert_int_equal(w[1].off, 512);
    assert_int_equal(w[2].st, TBF_PADDING);
    assert_int_equal(w[2].off, 612);
    assert_int_equal(w[3].off, 1024);
    free(img);

    // A 4-byte gap cannot hold a padding header: the app moves one slot further.
    struct tbfgen_app gap[2] = {{"p1020", p1020, 1020}, {"a", a, la}};
    assert_int_equal(tbfgen_appflash(gap, 2, &o, &img, &img_len, NULL, err), 0);
    assert_int_equal(img_len, 1536 + 512 + 8);
    assert_memory_equal(img + 1536, a, 512);
    assert_int_equal(walk(img, img_len, w, 8), 4);
    assert_int_equal(w[1].st, TBF_PADDING);
    assert_int_equal(w[1].total, 516);
    assert_int_equal(w[2].st, TBF_OK);
    free(img);
    free(a);
}

static void test_appflash_truncate_last(void **state)
{
    size_t la, lb;
    uint8_t *a = make_app("a", 512, &la), *b = make_app("b", 1024, &lb);
    struct tbfgen_app apps[2] = {{"a", a, la}, {"b", b, lb}};
    struct tbfgen_flash_opts o = {.region_size = 4096, .truncate_last = true};
    uint8_t *img;
    size_t img_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(tbfgen_appflash(apps, 2, &o, &img, &img_len, NULL, err), 0);
    assert_int_equal(img_len, 4096);
    // b keeps its first half at the end of the region.
    assert_memory_equal(img + 3584, b, 512);
    struct walked w[8];
    assert_int_equal(walk(img, img_len, w, 8), 3);
    assert_int_equal(w[0].st, TBF_OK);
    assert_int_equal(w[1].st, TBF_PADDING);
    assert_int_equal(w[1].total, 3584 - 512);
    assert_int_equal(w[2].st, TBF_ERR_TRUNCATED);
    assert_int_equal(w[2].off, 3584);
    assert_int_equal(w[2].total, 1024);
    free(img);

    // Exactly room for the kept part right after a.
    o.region_size = 1024;
    assert_int_equal(tbfgen_appflash(apps, 2, &o, &img, &img_len, NULL, err), 0);
    assert_int_equal(img_len, 1024);
    assert_memory_equal(img + 512, b, 512);
    free(img);
    // No room: b would have to start inside a.
    o.region_size = 512;
    assert_int_equal(tbfgen_appflash(apps, 2, &o, &img, &img_len, NULL, err), -1);
    free(a);
    free(b);
}

static void test_appflash_corrupt(void **state)
{
    size_t la, lb;
    uint8_t *a = make_app("a", 512, &la), *b = make_app("b", 512, &lb);
    struct tbfgen_app apps[3] = {{"a", a, la}, {"b", b, lb}, {"a", a, la}};
    uint32_t bad[] = {1};
    struct tbfgen_flash_opts o = {.region_size = 262144, .corrupt = bad, .corrupt_count = 1};
    uint8_t *img;
    size_t img_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(tbfgen_appflash(apps, 3, &o, &img, &img_len, NULL, err), 0);
    struct walked w[8];
    assert_int_equal(walk(img, img_len, w, 8), 4);
    assert_int_equal(w[0].st, TBF_OK);
    assert_int_equal(w[1].st, TBF_ERR_CHECKSUM);
    assert_int_equal(w[2].st, TBF_OK);
    assert_int_equal(w[3].st, TBF_END);
    free(img);
    // The input buffers are left alone.
    struct tbf_header h;
    assert_int_equal(tbf_parse(b, (uint32_t)lb, &h), TBF_OK);

    // Out of range index.
    bad[0] = 3;
    assert_int_equal(tbfgen_appflash(apps, 3, &o, &img, &img_len, NULL, err), -1);
    assert_non_null(strstr(err, "--corrupt"));
    free(a);
    free(b);
}

// --set rewrites a header field with a valid checksum: the kernel must see exactly the
// hostile value, in both Main and Program, and a hidden KernelVersion TLV as absent.
static void test_appflash_set_field(void **state)
{
    size_t la, lb;
    uint8_t *a = make_app("a", 512, &la), *b = make_app("b", 512, &lb);
    struct tbfgen_app apps[2] = {{"a", a, la}, {"b", b, lb}};
    struct tbfgen_set sets[] = {{1, "min-ram=0xFFFFFFF9"}, {0, "kernel-version=2.9"}};
    struct tbfgen_flash_opts o = {.region_size = 262144, .sets = sets, .set_count = 2};
    uint8_t *img;
    size_t img_len;
    char err[TBFGEN_ERR_LEN];
    assert_int_equal(tbfgen_appflash(apps, 2, &o, &img, &img_len, NULL, err), 0);
    struct tbf_header h;
    assert_int_equal(tbf_parse(img, 512, &h), TBF_ERR_KERNEL_VERSION);
    assert_int_equal(h.kernel_minor, 9);
    assert_int_equal(tbf_parse(img + 512, 512, &h), TBF_OK);
    assert_int_equal(h.minimum_ram_size, 0xFFFFFFF9u);
    // Program wins over Main in the parser; Main (the first TLV) carries the same value.
    const uint8_t *main_ram = img + 512 + TBF_BASE_HEADER_SIZE + 4 + 8;
    assert_int_equal(main_ram[0] | main_ram[1] << 8 | main_ram[2] << 16 |
                         (uint32_t)main_ram[3] << 24,
                     0xFFFFFFF9u);
    free(img);

    // kernel-version=none: the object keeps its size, the TLV is skipped as unknown.
    uint8_t copy[512];
    memcpy(copy, a, 512);
    assert_int_equal(tbfgen_set_field(copy, 512, "kernel-version=none", err), 0);
    assert_int_equal(tbf_parse(copy, 512, &h), TBF_ERR_NO_KERNEL_VERSION);
    assert_false(h.has_kernel_version);
    assert_int_equal(tbfgen_set_field(copy, 512, "kernel-version=none", err), -1);
    assert_non_null(strstr(err, "no such TLV"));

    // Bad specs and indices.
    assert_int_equal(tbfgen_set_field(copy, 512, "colour=blue", err), -1);
    assert_int_equal(tbfgen_set_field(copy, 512, "min-ram", err), -1);
    assert_int_equal(tbfgen_set_field(copy, 512, "min-ram=-1", err), -1);
    assert_int_equal(tbfgen_set_field(copy, 512, "kernel-version=2", err), -1);
    sets[0].index = 2;
    assert_int_equal(tbfgen_appflash(apps, 2, &o, &img, &img_len, NULL, err), -1);
    assert_non_null(strstr(err, "--set"));
    free(a);
    free(b);
}

static void test_appflash_bad_inputs(void **state)
{
    size_t la;
    uint8_t *a = make_app("a", 512, &la);
    struct tbfgen_flash_opts o = {.region_size = 262144};
    uint8_t *img;
    size_t img_len;
    char err[TBFGEN_ERR_LEN];
    // Truncated file.
    struct tbfgen_app cut = {"cut", a, la - 4};
    assert_int_equal(tbfgen_appflash(&cut, 1, &o, &img, &img_len, NULL, err), -1);
    assert_non_null(strstr(err, "total_size"));
    // Not a TBF.
    static const uint8_t junk[32] = {7, 7, 7};
    struct tbfgen_app j = {"junk", junk, sizeof(junk)};
    assert_int_equal(tbfgen_appflash(&j, 1, &o, &img, &img_len, NULL, err), -1);
    assert_non_null(strstr(err, "not a TBF"));

    // A TBF the kernel will skip is placed, with a note.
    a[12] ^= 1;
    FILE *diag = tmpfile();
    assert_non_null(diag);
    struct tbfgen_app skip = {"skipme", a, la};
    assert_int_equal(tbfgen_appflash(&skip, 1, &o, &img, &img_len, diag, err), 0);
    free(img);
    char buf[256] = "";
    rewind(diag);
    size_t got = fread(buf, 1, sizeof(buf) - 1, diag);
    buf[got] = 0;
    fclose(diag);
    assert_non_null(strstr(buf, "skipme"));
    assert_non_null(strstr(buf, "bad checksum"));
    free(a);
}

static void test_parse_u32(void **state)
{
    uint32_t v;
    assert_int_equal(tbfgen_parse_u32("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(tbfgen_parse_u32("2048", &v), 0);
    assert_int_equal(v, 2048);
    assert_int_equal(tbfgen_parse_u32("0x40000", &v), 0);
    assert_int_equal(v, 0x40000);
    assert_int_equal(tbfgen_parse_u32("256k", &v), 0);
    assert_int_equal(v, 262144);
    assert_int_equal(tbfgen_parse_u32("1M", &v), 0);
    assert_int_equal(v, 1048576);
    assert_int_equal(tbfgen_parse_u32("4294967295", &v), 0);
    assert_int_equal(v, 0xFFFFFFFFu);
    assert_int_equal(tbfgen_parse_u32("4294967296", &v), -1);
    assert_int_equal(tbfgen_parse_u32("4194304k", &v), -1);
    assert_int_equal(tbfgen_parse_u32("-1", &v), -1);
    assert_int_equal(tbfgen_parse_u32("", &v), -1);
    assert_int_equal(tbfgen_parse_u32("12x", &v), -1);
    assert_int_equal(tbfgen_parse_u32("k", &v), -1);
}

// tockloader reads 200 bytes of each header: a longer one hides the app from it, and its
// next install overwrites that app. A name that would make the header longer is refused.
static void test_header_fits_tockloader_read(void **state)
{
    (void)state;
    char name[200];
    memset(name, 'n', sizeof name);
    struct tbfgen_opts o;
    tbfgen_opts_default(&o);
    o.name = name;
    size_t len = app_elf();
    uint8_t *tbf;
    size_t tbf_len;
    char err[TBFGEN_ERR_LEN] = "";
    name[132] = '\0'; // 64 bytes of other header + 4 + 132 = 200: the longest that fits
    assert_int_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_int_equal(tbf[2] | tbf[3] << 8, 200);
    free(tbf);
    name[132] = 'n';
    name[133] = '\0';
    assert_int_not_equal(convert(len, &o, &tbf, &tbf_len, err), 0);
    assert_non_null(strstr(err, "200"));
    assert_non_null(strstr(err, "at most 132"));
}

// --- architecture: .ARM.attributes -> TAB name and the --arch check ------------------------

// An app ELF whose .ARM.attributes say Tag_CPU_arch = cpu_arch and Tag_FP_arch = fp (as the
// linker writes them: 'A', one "aeabi" subsection, one file-scope list), or a RISC-V one.
static size_t arch_elf(unsigned cpu_arch, unsigned fp, bool riscv)
{
    static uint8_t attrs[20];
    const uint8_t a[] = {'A', 19,         0, 0, 0, 'a', 'e', 'a', 'b',
                         'i', 0,          1, 9, 0, 0,   0,   6,   (uint8_t)cpu_arch,
                         10,  (uint8_t)fp};
    memcpy(attrs, a, sizeof a);
    static struct esec secs[5];
    memcpy(secs, APP_SECS, sizeof(APP_SECS));
    secs[1].data = REL_DATA;
    secs[1].size = 4;
    secs[4] = (struct esec){".ARM.attributes", 0x70000003, 0, attrs, sizeof attrs, 0};
    const struct elfopt rv = {1, 1, 243, 2};
    return mk_elf(elf, sizeof(elf), riscv ? &rv : &ARM, 0x80000029, APP, 3, secs, 5);
}

static void test_arch_names(void **state)
{
    (void)state;
    static const struct {
        unsigned cpu_arch;
        const char *name;
    } cases[] = {{10, "cortex-m3"}, {11, "cortex-m0"}, {13, "cortex-m4"}, {17, "cortex-m33"}};
    char err[TBFGEN_ERR_LEN];
    struct tbfgen_arch a;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = arch_elf(cases[i].cpu_arch, 0, false);
        assert_int_equal(tbfgen_elf_arch(elf, len, &a, err), 0);
        assert_string_equal(a.name, cases[i].name);
        assert_false(a.fpu);
    }
    size_t len = arch_elf(13, 5, false);
    assert_int_equal(tbfgen_elf_arch(elf, len, &a, err), 0);
    assert_true(a.fpu);
    len = arch_elf(0, 0, true);
    assert_int_equal(tbfgen_elf_arch(elf, len, &a, err), 0);
    assert_string_equal(a.name, "rv32imac");
    len = arch_elf(2, 0, false); // ARMv4T: not a microcontroller core
    assert_int_equal(tbfgen_elf_arch(elf, len, &a, err), -1);
}

// elf2tbf --arch: code the core cannot run is refused with the reason, the rest converts.
static void test_arch_check(void **state)
{
    (void)state;
    static const struct {
        unsigned cpu_arch, fp;
        bool riscv;
        const char *target, *error; // NULL: accepted
    } cases[] = {
        {10, 0, false, "cortex-m3", NULL},
        {11, 0, false, "cortex-m3", NULL},
        {10, 5, false, "cortex-m3", "floating-point unit"},
        {13, 0, false, "cortex-m3", "cannot execute"},
        {13, 5, false, "cortex-m4", NULL},
        {17, 0, false, "cortex-m3", "cannot execute"},
        {10, 0, false, "cortex-m33", NULL},
        {0, 0, true, "cortex-m3", "built for rv32imac"},
        {10, 0, false, "rv32imac", "built for cortex-m3"},
        {10, 0, false, "z80", "unknown target"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = arch_elf(cases[i].cpu_arch, cases[i].fp, cases[i].riscv);
        struct tbfgen_opts o;
        tbfgen_opts_default(&o);
        o.arch = cases[i].target;
        uint8_t *tbf = NULL;
        size_t tbf_len = 0;
        char err[TBFGEN_ERR_LEN] = "";
        int rc = tbfgen_elf_to_tbf(elf, len, &o, &tbf, &tbf_len, err);
        if (!cases[i].error) {
            if (rc != 0)
                fail_msg("case %zu refused: %s", i, err);
        } else {
            assert_int_equal(rc, -1);
            if (!strstr(err, cases[i].error))
                fail_msg("case %zu: error '%s' does not mention '%s'", i, err, cases[i].error);
        }
        free(tbf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_app),
        cmocka_unit_test(test_header_fits_tockloader_read),
        cmocka_unit_test(test_segment_order_and_gaps),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_storage_permissions),
        cmocka_unit_test(test_permissions),
        cmocka_unit_test(test_permissions_elf2tab_pairs),
        cmocka_unit_test(test_power_of_two_sizes),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_pie_executable_accepted),
        cmocka_unit_test(test_tab),
        cmocka_unit_test(test_appflash_layout),
        cmocka_unit_test(test_appflash_non_pow2_and_small_gaps),
        cmocka_unit_test(test_appflash_truncate_last),
        cmocka_unit_test(test_appflash_corrupt),
        cmocka_unit_test(test_appflash_set_field),
        cmocka_unit_test(test_writeable_flash_sections),
        cmocka_unit_test(test_appflash_bad_inputs),
        cmocka_unit_test(test_parse_u32),
        cmocka_unit_test(test_arch_names),
        cmocka_unit_test(test_arch_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
