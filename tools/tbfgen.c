// SPDX-License-Identifier: Apache-2.0
// Builders behind elf2tbf and mkappflash: ELF -> TBF, TAB (ustar) and apps-flash layout.
#include "tbfgen.h"

#include <cairn/tbf.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

// ---------------------------------------------------------------------------------------
// Small helpers. The ELF and the TBF are little-endian whatever the host is, so every
// field goes through these.

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}

static bool is_pow2(uint64_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

static uint64_t next_pow2(uint64_t v)
{
    uint64_t p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

__attribute__((format(printf, 2, 3))) static int fail(char err[TBFGEN_ERR_LEN], const char *fmt,
                                                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, TBFGEN_ERR_LEN, fmt, ap);
    va_end(ap);
    return -1;
}

// ---------------------------------------------------------------------------------------
// ELF32 (only the fields used here; offsets from the ELF specification).

enum {
    EHDR_SIZE = 52,
    PHDR_SIZE = 32,
    SHDR_SIZE = 40,
    EM_ARM_ = 40,
    EM_RISCV_ = 243,
    ET_EXEC_ = 2,
    ET_DYN_ = 3,
    PT_LOAD_ = 1,
    PF_W_ = 2,
    SHT_NOBITS_ = 8,
    SHT_REL_ = 9,
    SHF_WRITE_ = 1,
    SHF_ALLOC_ = 2,
};

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

struct seg {
    unsigned idx;
    uint32_t offset, vaddr, paddr, filesz, memsz, flags;
};

// Largest flash image accepted: far beyond any microcontroller, small enough that a
// nonsense p_paddr spread is reported instead of allocating gigabytes.
#define MAX_FLASH_IMAGE (64u << 20)

static int cmp_paddr(const void *a, const void *b)
{
    const struct seg *x = a, *y = b;
    return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static int cmp_vaddr(const void *a, const void *b)
{
    const struct seg *x = a, *y = b;
    return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

// Collects elf2tab's relocation blob payload: for every allocated writable section S (in
// section-header order), the contents of a SHT_REL section named ".rel" + S's name.
// libtock-c's crt0 applies these (linked with --emit-relocs); Cairn apps linked with
// -pie carry their relocations inside the image and get an empty blob (length word 0).
static int collect_relocs(const uint8_t *elf, size_t len, uint8_t **rel, size_t *rel_len,
                          char err[TBFGEN_ERR_LEN])
{
    *rel = NULL;
    *rel_len = 0;
    uint32_t shoff = rd32(elf + 32);
    uint16_t shentsize = rd16(elf + 46), shnum = rd16(elf + 48), shstrndx = rd16(elf + 50);
    if (shoff == 0 || shnum == 0)
        return 0; // stripped of section headers: nothing to find, not an error
    if (shentsize < SHDR_SIZE || shoff > len || (uint64_t)shnum * shentsize > len - shoff)
        return fail(err, "section header table is outside the file");
    if (shstrndx >= shnum)
        return fail(err, "bad section name table index %u", shstrndx);
    const uint8_t *strsh = elf + shoff + (size_t)shstrndx * shentsize;
    uint32_t stroff = rd32(strsh + 16), strsize = rd32(strsh + 20);
    if (stroff > len || strsize > len - stroff)
        return fail(err, "section name table is outside the file");
    const char *strtab = (const char *)elf + stroff;

    // Section names are looked up bounded by the table; a name without NUL is bad input.
#define SH(i) (elf + shoff + (size_t)(i)*shentsize)
    for (unsigned i = 0; i < shnum; i++) {
        uint32_t nm = rd32(SH(i));
        if (nm >= strsize || !memchr(strtab + nm, 0, strsize - nm))
            return fail(err, "section %u has a bad name offset", i);
    }
    for (unsigned i = 0; i < shnum; i++) {
        uint32_t flags = rd32(SH(i) + 8), size = rd32(SH(i) + 20);
        if ((flags & (SHF_WRITE_ | SHF_ALLOC_)) != (SHF_WRITE_ | SHF_ALLOC_) || size == 0)
            continue;
        const char *name = strtab + rd32(SH(i));
        for (unsigned j = 0; j < shnum; j++) {
            const char *rn = strtab + rd32(SH(j));
            if (rd32(SH(j) + 4) != SHT_REL_ || strncmp(rn, ".rel", 4) != 0 ||
                strcmp(rn + 4, name) != 0)
                continue;
            uint32_t roff = rd32(SH(j) + 16), rsize = rd32(SH(j) + 20);
            // On failure *rel stays valid (or NULL): the caller frees it either way.
            if (roff > len || rsize > len - roff)
                return fail(err, "section %s is outside the file", rn);
            uint8_t *grown = realloc(*rel, *rel_len + rsize + 1);
            if (!grown)
                return fail(err, "out of memory");
            *rel = grown;
            memcpy(*rel + *rel_len, elf + roff, rsize);
            *rel_len += rsize;
        }
    }
#undef SH
    return 0;
}

void tbfgen_opts_default(struct tbfgen_opts *o)
{
    *o = (struct tbfgen_opts){
        .name = NULL,
        .stack = 0,
        .app_heap = 1024,
        .kernel_heap = 1024,
        .kernel_version = true,
        .kernel_major = CAIRN_KERNEL_MAJOR,
        .kernel_minor = CAIRN_KERNEL_MINOR,
        .disabled = false,
        .min_size = 0,
        .relocs = true,
    };
}

int tbfgen_parse_ids(const char *s, uint32_t *ids, uint16_t max, uint16_t *n)
{
    char buf[16];
    *n = 0;
    while (*s) {
        size_t len = strcspn(s, ",");
        if (len == 0 || len >= sizeof buf || *n >= max)
            return -1;
        memcpy(buf, s, len);
        buf[len] = 0;
        if (tbfgen_parse_u32(buf, &ids[*n]) != 0)
            return -1;
        (*n)++;
        s += len;
        if (*s == ',' && !*++s)
            return -1;
    }
    return 0;
}

// One number of a permission entry: all of s up to stop (or its end), at most max.
static int parse_field(const char *s, char stop, uint64_t max, uint64_t *out, const char **next)
{
    if (!*s || *s == '-' || *s == '+' || *s == stop || isspace((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end != stop || v > max)
        return -1;
    *out = v;
    *next = stop ? end + 1 : end;
    return 0;
}

int tbfgen_parse_perm(const char *s, struct tbfgen_perm *e)
{
    uint64_t driver, offset, mask;
    if (parse_field(s, ':', UINT32_MAX, &driver, &s) != 0 ||
        parse_field(s, ':', UINT32_MAX, &offset, &s) != 0 ||
        parse_field(s, '\0', UINT64_MAX, &mask, &s) != 0)
        return -1;
    e->driver = (uint32_t)driver;
    e->offset = (uint32_t)offset;
    e->mask = mask;
    return 0;
}

int tbfgen_add_perm(struct tbfgen_opts *o, const char *s)
{
    struct tbfgen_perm e;
    if (strchr(s, ',')) {
        // elf2tab's form: one command of one driver, merged into the entry for its block
        // of 64 commands, so that a list of pairs costs one entry per block.
        uint32_t pair[2];
        uint16_t n;
        if (tbfgen_parse_ids(s, pair, 2, &n) != 0 || n != 2)
            return -1;
        uint32_t driver = pair[0], command = pair[1];
        for (uint16_t i = 0; i < o->n_perms; i++) {
            if (o->perms[i].driver == driver && o->perms[i].offset == command / 64) {
                o->perms[i].mask |= 1ull << (command % 64);
                o->has_perms = true;
                return 0;
            }
        }
        e.driver = driver;
        e.offset = command / 64;
        e.mask = 1ull << (command % 64);
    } else if (tbfgen_parse_perm(s, &e) != 0) {
        return -1;
    }
    if (o->n_perms >= TBFGEN_MAX_PERMS)
        return -2;
    o->perms[o->n_perms++] = e;
    o->has_perms = true;
    return 0;
}

// Appends one TLV at h + pos (value then zero padding to 4); returns the new position.
static uint32_t put_tlv(uint8_t *h, uint32_t pos, uint16_t type, const void *val, uint16_t len)
{
    wr16(h + pos, type);
    wr16(h + pos + 2, len);
    memcpy(h + pos + 4, val, len);
    return pos + 4 + (uint32_t)align_up(len, 4);
}

// One writeable flash region found in the ELF: flash address (load address) and size.
struct wfr_sec {
    uint32_t addr, size;
};

// Finds elf2tab's writeable flash regions: every allocated section with contents whose
// name starts with ".wfr" (libtock-c's linker script puts persistent app state in
// ".wfr.app_state"), in section-header order. Each must lie inside the flash image
// [origin, origin + bin_len); the TBF gets one WriteableFlashRegions TLV per section.
static int collect_wfrs(const uint8_t *elf, size_t len, uint32_t origin, uint32_t bin_len,
                        struct wfr_sec **out, size_t *n, char err[TBFGEN_ERR_LEN])
{
    *out = NULL;
    *n = 0;
    uint32_t shoff = rd32(elf + 32);
    uint16_t shentsize = rd16(elf + 46), shnum = rd16(elf + 48), shstrndx = rd16(elf + 50);
    if (shoff == 0 || shnum == 0)
        return 0;
    if (shentsize < SHDR_SIZE || shoff > len || (uint64_t)shnum * shentsize > len - shoff)
        return fail(err, "section header table is outside the file");
    if (shstrndx >= shnum)
        return fail(err, "bad section name table index %u", shstrndx);
    const uint8_t *strsh = elf + shoff + (size_t)shstrndx * shentsize;
    uint32_t stroff = rd32(strsh + 16), strsize = rd32(strsh + 20);
    if (stroff > len || strsize > len - stroff)
        return fail(err, "section name table is outside the file");
    const char *strtab = (const char *)elf + stroff;
    *out = calloc(shnum, sizeof(**out));
    if (!*out)
        return fail(err, "out of memory");
    for (unsigned i = 0; i < shnum; i++) {
        const uint8_t *sh = elf + shoff + (size_t)i * shentsize;
        uint32_t nm = rd32(sh);
        if (nm >= strsize || !memchr(strtab + nm, 0, strsize - nm))
            return fail(err, "section %u has a bad name offset", i);
        const char *name = strtab + nm;
        uint32_t type = rd32(sh + 4), flags = rd32(sh + 8), addr = rd32(sh + 12);
        uint32_t size = rd32(sh + 20);
        if (strncmp(name, ".wfr", 4) != 0 || !(flags & SHF_ALLOC_) || type == SHT_NOBITS_ ||
            size == 0)
            continue;
        if (addr < origin || addr - origin > bin_len || size > bin_len - (addr - origin))
            return fail(err, "writeable flash section %s (0x%08x, %u bytes) is outside flash", name,
                        addr, size);
        (*out)[(*n)++] = (struct wfr_sec){addr, size};
    }
    return 0;
}

// ---------------------------------------------------------------------------------------
// Architecture: e_machine and, for ARM, the build attributes the compiler and linker
// record in .ARM.attributes ("ELF for the Arm Architecture" and "Addenda to, and Errata
// in, the ABI for the Arm Architecture": Tag_CPU_arch = 6, Tag_CPU_arch_profile = 7,
// Tag_FP_arch = 10, Tag_MVE_arch = 48). The linker merges every object's, so the
// executable's say what its code needs.

enum {
    SHT_ARM_ATTRIBUTES_ = 0x70000003,
    TAG_FILE = 1,
    TAG_CPU_RAW_NAME = 4,
    TAG_CPU_NAME = 5,
    TAG_CPU_ARCH = 6,
    TAG_FP_ARCH = 10,
    TAG_COMPATIBILITY = 32,
    TAG_MVE_ARCH = 48,
    CPU_ARCH_V6M = 11,
    CPU_ARCH_V6SM = 12,
    CPU_ARCH_V7EM = 13,
    CPU_ARCH_V8M_BASE = 16,
    CPU_ARCH_V8M_MAIN = 17,
    CPU_ARCH_V81M_MAIN = 21,
};

static const uint8_t *uleb(const uint8_t *p, const uint8_t *end, uint32_t *v)
{
    *v = 0;
    for (unsigned shift = 0; p < end && shift < 35; shift += 7) {
        uint8_t b = *p++;
        *v |= (uint32_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            return p;
    }
    return NULL;
}

static const uint8_t *skip_ntbs(const uint8_t *p, const uint8_t *end)
{
    const uint8_t *z = memchr(p, 0, (size_t)(end - p));
    return z ? z + 1 : NULL;
}

// The file-scope "aeabi" attributes of one .ARM.attributes section (format version 'A').
static void arm_attributes(const uint8_t *p, const uint8_t *end, struct tbfgen_arch *a)
{
    if (p >= end || *p++ != 'A')
        return;
    while (end - p >= 4) {
        uint32_t sublen = rd32(p);
        if (sublen < 4 || sublen > (uint32_t)(end - p))
            return;
        const uint8_t *sub_end = p + sublen, *q = skip_ntbs(p + 4, sub_end);
        bool aeabi = q && strcmp((const char *)p + 4, "aeabi") == 0;
        while (aeabi && q && sub_end - q >= 5) {
            uint8_t tag = *q;
            uint32_t size = rd32(q + 1);
            if (size < 5 || size > (uint32_t)(sub_end - q))
                break;
            const uint8_t *r = q + 5, *r_end = q + size;
            while (tag == TAG_FILE && r && r < r_end) {
                uint32_t t, v;
                r = uleb(r, r_end, &t);
                if (!r)
                    break;
                if (t == TAG_CPU_RAW_NAME || t == TAG_CPU_NAME) {
                    r = skip_ntbs(r, r_end);
                } else if (t == TAG_COMPATIBILITY) {
                    r = uleb(r, r_end, &v);
                    r = r ? skip_ntbs(r, r_end) : NULL;
                } else if (t >= 32 && (t & 1)) {
                    r = skip_ntbs(r, r_end);
                } else {
                    r = uleb(r, r_end, &v);
                    if (r && t == TAG_CPU_ARCH)
                        a->cpu_arch = v;
                    else if (r && (t == TAG_FP_ARCH || t == TAG_MVE_ARCH) && v)
                        a->fpu = true;
                }
            }
            q = r_end;
        }
        p = sub_end;
    }
}

int tbfgen_elf_arch(const uint8_t *elf, size_t len, struct tbfgen_arch *a, char err[TBFGEN_ERR_LEN])
{
    memset(a, 0, sizeof(*a));
    if (len < EHDR_SIZE || memcmp(elf, elf_magic, 4) != 0 || elf[4] != 1 || elf[5] != 1)
        return fail(err, "not a 32-bit little-endian ELF");
    uint16_t machine = rd16(elf + 18);
    if (machine == EM_RISCV_) {
        snprintf(a->name, sizeof a->name, "rv32imac");
        return 0;
    }
    if (machine != EM_ARM_)
        return fail(err, "not an ARM or RISC-V ELF (e_machine %u)", machine);
    a->cpu_arch = 10; // ARMv7 (M profile): what an ELF without attributes is taken for
    uint32_t shoff = rd32(elf + 32);
    uint16_t shentsize = rd16(elf + 46), shnum = rd16(elf + 48);
    if (shoff && shnum && shentsize >= SHDR_SIZE && shoff <= len &&
        (uint64_t)shnum * shentsize <= len - shoff) {
        for (unsigned i = 0; i < shnum; i++) {
            const uint8_t *sh = elf + shoff + (size_t)i * shentsize;
            uint32_t off = rd32(sh + 16), size = rd32(sh + 20);
            if (rd32(sh + 4) == SHT_ARM_ATTRIBUTES_ && off <= len && size <= len - off)
                arm_attributes(elf + off, elf + off + size, a);
        }
    }
    // Tock's names for the TBFs of a TAB, by the oldest core that runs the code.
    const char *n = "cortex-m3";
    if (a->cpu_arch == CPU_ARCH_V6M || a->cpu_arch == CPU_ARCH_V6SM)
        n = "cortex-m0";
    else if (a->cpu_arch == CPU_ARCH_V7EM)
        n = "cortex-m4";
    else if (a->cpu_arch == CPU_ARCH_V8M_BASE)
        n = "cortex-m23";
    else if (a->cpu_arch == CPU_ARCH_V8M_MAIN)
        n = "cortex-m33";
    else if (a->cpu_arch == CPU_ARCH_V81M_MAIN)
        n = "cortex-m55";
    else if (a->cpu_arch != 10)
        return fail(err, "built for ARM architecture %u (Tag_CPU_arch), not a Cortex-M core",
                    a->cpu_arch);
    snprintf(a->name, sizeof a->name, "%s", n);
    return 0;
}

int tbfgen_arch_check(const struct tbfgen_arch *a, const char *target, char err[TBFGEN_ERR_LEN])
{
    // What each target core executes: its architecture and the older ones it includes.
    static const struct {
        const char *name;
        unsigned runs[4];
        bool fpu;
    } cores[] = {
        {"cortex-m0", {CPU_ARCH_V6M, CPU_ARCH_V6SM}, false},
        {"cortex-m3", {10, CPU_ARCH_V6M, CPU_ARCH_V6SM}, false},
        {"cortex-m4", {CPU_ARCH_V7EM, 10, CPU_ARCH_V6M, CPU_ARCH_V6SM}, true},
        {"cortex-m33", {CPU_ARCH_V8M_MAIN, 10, CPU_ARCH_V6M, CPU_ARCH_V6SM}, false},
        {"rv32imac", {0}, false},
    };
    for (size_t i = 0; i < sizeof cores / sizeof cores[0]; i++) {
        if (strcmp(cores[i].name, target) != 0)
            continue;
        bool riscv_target = strcmp(target, "rv32imac") == 0;
        bool riscv_elf = strcmp(a->name, "rv32imac") == 0;
        if (riscv_target != riscv_elf)
            return fail(err, "built for %s, but this image is for %s", a->name, target);
        if (riscv_elf)
            return 0;
        // The FPU first: the likelier mistake, and the one that faults with NOCP.
        if (a->fpu && !cores[i].fpu)
            return fail(err,
                        "built to use a floating-point unit (Tag_FP_arch), which %s does "
                        "not have (the app would fault with NOCP at its first float "
                        "instruction); build with -mfloat-abi=soft and no -mfpu",
                        target);
        bool runs = false;
        for (unsigned k = 0; k < 4; k++)
            runs |= cores[i].runs[k] == a->cpu_arch && cores[i].runs[k];
        if (!runs)
            return fail(err,
                        "built for %s (Tag_CPU_arch %u): %s cannot execute it; build with "
                        "-mcpu=%s",
                        a->name, a->cpu_arch, target, target);
        return 0;
    }
    return fail(err,
                "unknown target architecture '%s' (cortex-m0, cortex-m3, cortex-m4, "
                "cortex-m33, rv32imac)",
                target);
}

int tbfgen_elf_to_tbf(const uint8_t *elf, size_t len, const struct tbfgen_opts *o, uint8_t **out,
                      size_t *out_len, char err[TBFGEN_ERR_LEN])
{
    *out = NULL;
    *out_len = 0;

    // --- ELF header ---
    if (len < 16 || memcmp(elf, elf_magic, 4) != 0)
        return fail(err, "not an ELF file");
    if (elf[4] != 1 || elf[5] != 1)
        return fail(err, "not a 32-bit little-endian ELF (class %u, data %u)", elf[4], elf[5]);
    if (len < EHDR_SIZE)
        return fail(err, "truncated ELF header");
    uint16_t type = rd16(elf + 16), machine = rd16(elf + 18);
    if (machine != EM_ARM_ && machine != EM_RISCV_)
        return fail(err, "not an ARM or RISC-V ELF (e_machine %u)", machine);
    if (o->arch) {
        struct tbfgen_arch a;
        if (tbfgen_elf_arch(elf, len, &a, err) != 0 || tbfgen_arch_check(&a, o->arch, err) != 0)
            return -1;
    }
    // RISC-V apps are linked for fixed addresses (Tock's convention): the TBF records both
    // and is laid out so that the binary starts exactly at its link address.
    bool fixed = machine == EM_RISCV_;
    if (type != ET_EXEC_ && type != ET_DYN_)
        return fail(err, "not an executable ELF (e_type %u)", type);
    uint32_t entry = rd32(elf + 24), phoff = rd32(elf + 28);
    uint16_t phentsize = rd16(elf + 42), phnum = rd16(elf + 44);
    if (phnum == 0)
        return fail(err, "no loadable segments (no program headers)");
    if (phentsize < PHDR_SIZE || phoff > len || (uint64_t)phnum * phentsize > len - phoff)
        return fail(err, "program header table is outside the file");

    // --- program headers ---
    struct seg *segs = calloc(phnum, sizeof(*segs));
    struct seg *flash = calloc(phnum, sizeof(*flash));
    struct seg *ram = calloc(phnum, sizeof(*ram));
    uint8_t *rel = NULL, *img = NULL;
    struct wfr_sec *wfrs = NULL;
    size_t nseg = 0, nflash = 0, nram = 0, rel_len = 0, nwfr = 0;
    int rc = -1;
    if (!segs || !flash || !ram) {
        fail(err, "out of memory");
        goto done;
    }
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = elf + phoff + (size_t)i * phentsize;
        if (rd32(ph) != PT_LOAD_)
            continue;
        struct seg s = {.idx = i,
                        .offset = rd32(ph + 4),
                        .vaddr = rd32(ph + 8),
                        .paddr = rd32(ph + 12),
                        .filesz = rd32(ph + 16),
                        .memsz = rd32(ph + 20),
                        .flags = rd32(ph + 24)};
        if (s.filesz > s.memsz) {
            fail(err, "segment %u: p_filesz 0x%x > p_memsz 0x%x", i, s.filesz, s.memsz);
            goto done;
        }
        if (s.offset > len || s.filesz > len - s.offset) {
            fail(err, "segment %u: contents are outside the file", i);
            goto done;
        }
        if ((uint64_t)s.vaddr + s.memsz > 0x100000000ull ||
            (uint64_t)s.paddr + s.filesz > 0x100000000ull) {
            fail(err, "segment %u wraps around the 32-bit address space", i);
            goto done;
        }
        if (s.memsz != 0)
            segs[nseg++] = s;
    }

    // The segment whose file contents hold the entry point defines flash: it must run
    // where it is loaded (vaddr == paddr). Bit 0 of a Thumb entry is ignored for the test.
    const struct seg *es = NULL;
    uint32_t entry_addr = entry & ~1u;
    bool any_file = false;
    for (size_t i = 0; i < nseg; i++) {
        any_file |= segs[i].filesz != 0;
        if (segs[i].filesz != 0 && entry_addr >= segs[i].vaddr &&
            entry_addr - segs[i].vaddr < segs[i].filesz)
            es = &segs[i];
    }
    if (!any_file) {
        fail(err, "no loadable segments with contents");
        goto done;
    }
    if (!es) {
        fail(err, "entry point 0x%08x is outside flash (not in any loaded segment)", entry);
        goto done;
    }
    if (es->vaddr != es->paddr) {
        fail(err, "entry point 0x%08x is in segment %u, which is copied to RAM", entry, es->idx);
        goto done;
    }

    // Classify. Flash: every segment with file contents, placed at its load address
    // (p_paddr) -- except writable data loaded straight to its run address, which
    // would need a loader to put it in RAM. RAM: writable segments with a RAM image
    // distinct from flash (vaddr != paddr: .got/.data; or no file contents: .bss/.stack).
    for (size_t i = 0; i < nseg; i++) {
        const struct seg *s = &segs[i];
        bool writable = (s->flags & PF_W_) != 0;
        if (s != es && writable && s->filesz != 0 && s->vaddr == s->paddr) {
            fail(err,
                 "segment %u at 0x%08x is initialised RAM data without a flash load address "
                 "(link .data with AT> flash)",
                 s->idx, s->vaddr);
            goto done;
        }
        if (s->filesz != 0)
            flash[nflash++] = *s;
        if (s != es && writable && (s->vaddr != s->paddr || s->filesz == 0))
            ram[nram++] = *s;
    }

    qsort(flash, nflash, sizeof(*flash), cmp_paddr);
    uint32_t origin = flash[0].paddr;
    uint64_t flash_end = 0;
    for (size_t i = 0; i < nflash; i++) {
        if (i > 0 && flash[i].paddr < (uint64_t)flash[i - 1].paddr + flash[i - 1].filesz) {
            fail(err, "segments %u and %u overlap in flash (0x%08x)", flash[i - 1].idx,
                 flash[i].idx, flash[i].paddr);
            goto done;
        }
        uint64_t e = (uint64_t)flash[i].paddr + flash[i].filesz;
        flash_end = e > flash_end ? e : flash_end;
    }
    if (flash_end - origin > MAX_FLASH_IMAGE) {
        fail(err, "flash image spans 0x%08x..0x%08llx, more than %u MiB", origin,
             (unsigned long long)flash_end, MAX_FLASH_IMAGE >> 20);
        goto done;
    }
    uint32_t bin_len = (uint32_t)(flash_end - origin);

    qsort(ram, nram, sizeof(*ram), cmp_vaddr);
    uint64_t ram_end = 0;
    for (size_t i = 0; i < nram; i++) {
        uint64_t start = ram[i].vaddr, end = start + ram[i].memsz;
        if (i > 0 && start < (uint64_t)ram[i - 1].vaddr + ram[i - 1].memsz) {
            fail(err, "segments %u and %u overlap in RAM (0x%08x)", ram[i - 1].idx, ram[i].idx,
                 ram[i].vaddr);
            goto done;
        }
        if (start < flash_end && end > origin) {
            fail(err, "RAM segment %u (0x%08x) overlaps the flash image", ram[i].idx, ram[i].vaddr);
            goto done;
        }
        ram_end = end > ram_end ? end : ram_end;
    }

    // Fixed-address apps: RAM is linked at its run address, which the lowest RAM segment
    // (Cairn's .stack, at the start of the block) gives; sizes count from there.
    uint32_t ram_origin = 0;
    if (fixed) {
        if (nram == 0) {
            fail(err, "fixed-address app without a RAM segment");
            goto done;
        }
        ram_origin = ram[0].vaddr;
    }
    bool relocs = o->relocs && !fixed; // a fixed-address binary needs no relocation
    if (relocs && collect_relocs(elf, len, &rel, &rel_len, err) != 0)
        goto done;
    if (collect_wfrs(elf, len, origin, bin_len, &wfrs, &nwfr, err) != 0)
        goto done;

    // --- sizes ---
    // RAM is linked at origin 0, so the end address of the RAM image is its size, stack
    // included when the linker script reserves it (Cairn's does: .stack at 0).
    uint64_t min_ram = (ram_end - ram_origin) + align_up(o->app_heap, 4) +
                       align_up(o->kernel_heap, 4) + align_up(o->stack, 8);
    if (min_ram > UINT32_MAX) {
        fail(err, "minimum RAM size 0x%llx does not fit in 32 bits", (unsigned long long)min_ram);
        goto done;
    }
    size_t name_len = o->name ? strlen(o->name) : 0;
    if (name_len > 1024) {
        fail(err, "package name too long (%zu bytes, at most 1024)", name_len);
        goto done;
    }
    if (!tbf_utf8_valid((const uint8_t *)o->name, (uint32_t)name_len)) {
        fail(err, "package name is not valid UTF-8");
        goto done;
    }
    if (nwfr > 1000) {
        fail(err, "%zu writeable flash sections, at most 1000", nwfr);
        goto done;
    }
    uint32_t hs = TBF_BASE_HEADER_SIZE + (4 + 12) + (4 + 20) + (o->kernel_version ? 8 : 0) +
                  (uint32_t)nwfr * (4 + 8) + (fixed ? 4 + 8 : 0) + (o->short_id ? 8 : 0);
    if (name_len > 0)
        hs += 4 + (uint32_t)align_up(name_len, 4);
    if (o->n_perms > TBFGEN_MAX_PERMS) {
        fail(err, "at most %d permission entries", TBFGEN_MAX_PERMS);
        goto done;
    }
    uint32_t perms_len = o->has_perms ? 2u + 16u * o->n_perms : 0;
    if (o->has_perms)
        hs += 4 + (uint32_t)align_up(perms_len, 4);
    uint32_t storage_len = o->has_storage ? 8u + 4u * o->n_read + 4u * o->n_modify : 0;
    if (o->has_storage) {
        if (o->n_read > TBF_MAX_STORAGE_IDS || o->n_modify > TBF_MAX_STORAGE_IDS) {
            fail(err, "at most %d read and %d modify ids", TBF_MAX_STORAGE_IDS,
                 TBF_MAX_STORAGE_IDS);
            goto done;
        }
        hs += 4 + storage_len;
    }
    // tockloader reads only the first TBFGEN_TOCKLOADER_HEADER_MAX bytes of a header: a
    // longer one hides the app from it, and its next install writes over that app.
    if (hs > TBFGEN_TOCKLOADER_HEADER_MAX) {
        uint32_t other = hs - (name_len ? 4 + (uint32_t)align_up(name_len, 4) : 0);
        uint32_t room = other + 4 < TBFGEN_TOCKLOADER_HEADER_MAX
                            ? (TBFGEN_TOCKLOADER_HEADER_MAX - other - 4) & ~3u
                            : 0;
        fail(err,
             "the TBF header would be %u bytes; tockloader reads only %u and would not see "
             "this app (and overwrite it): a package name of at most %u bytes fits",
             hs, TBFGEN_TOCKLOADER_HEADER_MAX, room);
        goto done;
    }
    // Fixed address: the TBF starts on the 256-byte boundary below the binary (at least a
    // header's worth below), and the gap after the header is a protected trailer, as
    // elf2tab lays it out; the binary then starts exactly at its link address.
    uint32_t trailer = 0;
    if (fixed) {
        uint32_t tbf_start = origin & ~0xFFu;
        while (origin - tbf_start < hs) {
            if (tbf_start < 256) {
                fail(err, "no room for the TBF header below the binary at 0x%08x", origin);
                goto done;
            }
            tbf_start -= 256;
        }
        trailer = origin - tbf_start - hs;
    }
    uint64_t binary_end = (uint64_t)hs + trailer + bin_len + (relocs ? 4 + rel_len : 0);
    if (o->footer_size && (o->footer_size < 8 || o->footer_size > 0xFFFFu)) {
        fail(err, "footer room of %u bytes: 8 to 65535 bytes hold one footer", o->footer_size);
        goto done;
    }
    // Footers fill [binary_end, total) exactly: the padding below becomes part of the
    // Reserved footer, so the room is at least footer_size (a footer length fits 16 bits).
    uint64_t total = binary_end + o->footer_size;
    if (fixed) {
        // The PMP protects any 4-byte-aligned range: no power-of-two padding.
        total = total < o->min_size ? o->min_size : total;
        total = align_up(total, 4);
    } else {
        total = total < 512 ? 512 : total;
        total = total < o->min_size ? o->min_size : total;
        total = next_pow2(total); // Cortex-M MPU: one region = power of two, aligned to it
    }
    if (total > 0x80000000ull) {
        fail(err, "TBF would be %llu bytes", (unsigned long long)total);
        goto done;
    }

    // --- image ---
    img = calloc(1, (size_t)total);
    if (!img) {
        fail(err, "out of memory");
        goto done;
    }
    // Relative to the end of the header, so the protected trailer counts.
    uint32_t init_fn = trailer + (entry - origin);
    wr16(img, TBF_VERSION);
    wr16(img + 2, (uint16_t)hs);
    wr32(img + 4, (uint32_t)total);
    wr32(img + 8, o->disabled ? 0 : TBF_FLAG_ENABLED);
    uint8_t v[20];
    uint32_t pos = TBF_BASE_HEADER_SIZE;
    // TLV order as elf2tab: Main, Program, PackageName, WriteableFlashRegions (one per
    // region), FixedAddresses, Permissions, StoragePermissions, KernelVersion, ShortId.
    wr32(v, init_fn);
    wr32(v + 4, trailer); // protected_trailer_size
    wr32(v + 8, (uint32_t)min_ram);
    pos = put_tlv(img, pos, TBF_TLV_MAIN, v, 12);
    wr32(v + 12, (uint32_t)binary_end);
    wr32(v + 16, o->app_version);
    pos = put_tlv(img, pos, TBF_TLV_PROGRAM, v, 20);
    if (name_len > 0)
        pos = put_tlv(img, pos, TBF_TLV_PACKAGE_NAME, o->name, (uint16_t)name_len);
    for (size_t i = 0; i < nwfr; i++) {
        // Offsets count from the TBF start; the binary starts after header and trailer.
        wr32(v, hs + trailer + (wfrs[i].addr - origin));
        wr32(v + 4, wfrs[i].size);
        pos = put_tlv(img, pos, TBF_TLV_WRITEABLE_FLASH_REGIONS, v, 8);
    }
    if (fixed) {
        wr32(v, ram_origin); // start_process_ram
        wr32(v + 4, origin); // start_process_flash: the first byte of the binary
        pos = put_tlv(img, pos, TBF_TLV_FIXED_ADDRESSES, v, 8);
    }
    if (o->has_perms) {
        // Entries 2-byte aligned after the count, as elf2tab writes them.
        uint8_t pv[2 + 16 * TBFGEN_MAX_PERMS];
        wr16(pv, o->n_perms);
        for (uint16_t i = 0; i < o->n_perms; i++) {
            wr32(pv + 2 + 16 * i, o->perms[i].driver);
            wr32(pv + 6 + 16 * i, o->perms[i].offset);
            wr32(pv + 10 + 16 * i, (uint32_t)o->perms[i].mask);
            wr32(pv + 14 + 16 * i, (uint32_t)(o->perms[i].mask >> 32));
        }
        pos = put_tlv(img, pos, TBF_TLV_PERMISSIONS, pv, (uint16_t)perms_len);
    }
    if (o->has_storage) {
        uint8_t sp[8 + 4 * 2 * TBF_MAX_STORAGE_IDS];
        uint32_t k = 0;
        wr32(sp, o->write_id);
        wr16(sp + 4, o->n_read);
        k = 6;
        for (uint16_t i = 0; i < o->n_read; i++, k += 4)
            wr32(sp + k, o->read_ids[i]);
        wr16(sp + k, o->n_modify);
        k += 2;
        for (uint16_t i = 0; i < o->n_modify; i++, k += 4)
            wr32(sp + k, o->modify_ids[i]);
        pos = put_tlv(img, pos, TBF_TLV_STORAGE_PERMISSIONS, sp, (uint16_t)k);
    }
    if (o->kernel_version) {
        wr16(v, o->kernel_major);
        wr16(v + 2, o->kernel_minor);
        pos = put_tlv(img, pos, TBF_TLV_KERNEL_VERSION, v, 4);
    }
    if (o->short_id) {
        wr32(v, o->short_id);
        pos = put_tlv(img, pos, TBF_TLV_SHORT_ID, v, 4);
    }
    if (pos != hs) {
        fail(err, "internal error: header is %u bytes, expected %u", pos, hs);
        goto done;
    }
    wr32(img + 12, tbf_checksum(img, hs));
    for (size_t i = 0; i < nflash; i++)
        memcpy(img + hs + trailer + (flash[i].paddr - origin), elf + flash[i].offset,
               flash[i].filesz);
    if (relocs) {
        wr32(img + hs + bin_len, (uint32_t)rel_len);
        if (rel_len)
            memcpy(img + hs + bin_len + 4, rel, rel_len);
    }
    // The room as Reserved footers (data: calloc's zeros), each at most 4 + 0xFFFF bytes,
    // none under 8 (the first holds the room the credentials need: footer_size <= 0xFFFF).
    for (uint64_t at = binary_end; o->footer_size && at < total;) {
        uint64_t n = total - at > 4u + 0xFFFFu ? 4u + 0xFFFFu : total - at;
        if (total - at - n != 0 && total - at - n < 8)
            n -= 8;
        wr16(img + at, TBF_TLV_CREDENTIALS);
        wr16(img + at + 2, (uint16_t)(n - 4));
        wr32(img + at + 4, TBF_CRED_RESERVED);
        at += n;
    }

    // Self-check with the kernel's own parser. An incompatible or missing kernel version
    // is what the user asked for (tests of the loader's skip path), anything else is our
    // bug.
    struct tbf_header h;
    enum tbf_status st = tbf_parse(img, (uint32_t)total, &h);
    if (st != TBF_OK && st != TBF_DISABLED && st != TBF_ERR_KERNEL_VERSION &&
        st != TBF_ERR_NO_KERNEL_VERSION) {
        fail(err, "internal error: generated TBF does not parse: %s", tbf_status_str(st));
        goto done;
    }
    *out = img;
    *out_len = (size_t)total;
    img = NULL;
    rc = 0;
done:
    free(img);
    free(rel);
    free(wfrs);
    free(segs);
    free(flash);
    free(ram);
    return rc;
}

// ---------------------------------------------------------------------------------------
// TAB

enum { TAR_BLOCK = 512 };

// Octal field of width w: w-1 digits then NUL, as ustar wants.
static void tar_octal(uint8_t *f, size_t w, uint64_t v)
{
    for (size_t i = w - 1; i-- > 0;) {
        f[i] = (uint8_t)('0' + (v & 7));
        v >>= 3;
    }
    f[w - 1] = 0;
}

int tbfgen_tar(const struct tbfgen_tar_entry *e, size_t n, uint8_t **out, size_t *out_len,
               char err[TBFGEN_ERR_LEN])
{
    size_t total = 2 * TAR_BLOCK;
    for (size_t i = 0; i < n; i++) {
        if (strlen(e[i].name) == 0 || strlen(e[i].name) >= 100)
            return fail(err, "tar entry name \"%s\" must be 1..99 bytes", e[i].name);
        if (e[i].len >= (1ull << 33))
            return fail(err, "tar entry %s too large", e[i].name);
        total += TAR_BLOCK + (size_t)align_up(e[i].len, TAR_BLOCK);
    }
    uint8_t *t = calloc(1, total);
    if (!t)
        return fail(err, "out of memory");
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t *h = t + pos;
        memcpy(h, e[i].name, strlen(e[i].name));
        tar_octal(h + 100, 8, 0644); // mode
        tar_octal(h + 108, 8, 0);    // uid
        tar_octal(h + 116, 8, 0);    // gid
        tar_octal(h + 124, 12, e[i].len);
        tar_octal(h + 136, 12, 0); // mtime 0: deterministic
        h[156] = '0';              // regular file
        memcpy(h + 257, "ustar", 6);
        memcpy(h + 263, "00", 2);
        // Checksum: byte sum of the header with the checksum field counted as spaces.
        memset(h + 148, ' ', 8);
        unsigned sum = 0;
        for (size_t k = 0; k < TAR_BLOCK; k++)
            sum += h[k];
        tar_octal(h + 148, 7, sum);
        h[155] = ' ';
        pos += TAR_BLOCK;
        if (e[i].len)
            memcpy(t + pos, e[i].data, e[i].len);
        pos += (size_t)align_up(e[i].len, TAR_BLOCK);
    }
    *out = t;
    *out_len = total;
    return 0;
}

// Appends s as a TOML basic string (quotes included) to buf at *pos.
static int toml_string(char *buf, size_t cap, size_t *pos, const char *s)
{
    size_t p = *pos;
#define PUT(c)                                                                                     \
    do {                                                                                           \
        if (p + 1 >= cap)                                                                          \
            return -1;                                                                             \
        buf[p++] = (char)(c);                                                                      \
    } while (0)
    PUT('"');
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            PUT('\\');
            PUT(*c);
        } else if (*c < 0x20 || *c == 0x7F) {
            char esc[8];
            snprintf(esc, sizeof(esc), "\\u%04X", *c);
            for (char *q = esc; *q; q++)
                PUT(*q);
        } else {
            PUT(*c); // UTF-8 passes through unchanged
        }
    }
    PUT('"');
#undef PUT
    buf[p] = 0;
    *pos = p;
    return 0;
}

int tbfgen_tab_entries(const struct tbfgen_tar_entry *tbfs, size_t n, const char *name, bool has_kv,
                       uint16_t kv_major, uint16_t kv_minor, uint8_t **out, size_t *out_len,
                       char err[TBFGEN_ERR_LEN])
{
    size_t cap = 256 + 6 * strlen(name);
    char *meta = malloc(cap);
    struct tbfgen_tar_entry *e = calloc(n + 1, sizeof(*e));
    if (!meta || !e) {
        free(meta);
        free(e);
        return fail(err, "out of memory");
    }
    size_t pos = (size_t)snprintf(meta, cap, "tab-version = 1\nname = ");
    if (toml_string(meta, cap, &pos, name) != 0) {
        free(meta);
        free(e);
        return fail(err, "internal error: metadata too long");
    }
    pos += (size_t)snprintf(meta + pos, cap - pos, "\n");
    if (has_kv)
        pos += (size_t)snprintf(meta + pos, cap - pos, "minimum-tock-kernel-version = \"%u.%u\"\n",
                                kv_major, kv_minor);
    e[0] = (struct tbfgen_tar_entry){"metadata.toml", (const uint8_t *)meta, pos};
    for (size_t i = 0; i < n; i++)
        e[i + 1] = tbfs[i];
    int rc = tbfgen_tar(e, n + 1, out, out_len, err);
    free(meta);
    free(e);
    return rc;
}

int tbfgen_tab(const uint8_t *tbf, size_t tbf_len, const char *arch, const char *name, bool has_kv,
               uint16_t kv_major, uint16_t kv_minor, uint8_t **out, size_t *out_len,
               char err[TBFGEN_ERR_LEN])
{
    char tbf_name[100];
    int nl = snprintf(tbf_name, sizeof(tbf_name), "%s.tbf", arch);
    if (nl < 0 || (size_t)nl >= sizeof(tbf_name))
        return fail(err, "architecture name too long");
    struct tbfgen_tar_entry e = {tbf_name, tbf, tbf_len};
    return tbfgen_tab_entries(&e, 1, name, has_kv, kv_major, kv_minor, out, out_len, err);
}

// Value of an octal ustar field of width w (NUL or space terminated); -1 if malformed.
static int64_t tar_field(const uint8_t *f, size_t w)
{
    int64_t v = 0;
    size_t i = 0;
    while (i < w && f[i] == ' ')
        i++;
    for (; i < w && f[i] >= '0' && f[i] <= '7'; i++)
        v = v * 8 + (f[i] - '0');
    if (i < w && f[i] != 0 && f[i] != ' ')
        return -1;
    return v;
}

int tbfgen_tar_read(const uint8_t *tar, size_t len, struct tbfgen_tar_member **out, size_t *n,
                    char err[TBFGEN_ERR_LEN])
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    for (size_t pos = 0; pos + TAR_BLOCK <= len;) {
        const uint8_t *h = tar + pos;
        bool zero = true;
        for (size_t k = 0; k < TAR_BLOCK && zero; k++)
            zero = h[k] == 0;
        if (zero)
            break; // end of archive
        unsigned sum = 0;
        for (size_t k = 0; k < TAR_BLOCK; k++)
            sum += (k >= 148 && k < 156) ? ' ' : h[k];
        int64_t want = tar_field(h + 148, 8), size = tar_field(h + 124, 12);
        if (want < 0 || (unsigned)want != sum || size < 0) {
            free(*out);
            *out = NULL;
            return fail(err, "bad tar header at offset %zu", pos);
        }
        pos += TAR_BLOCK;
        if ((uint64_t)size > len - pos) {
            free(*out);
            *out = NULL;
            return fail(err, "tar member at offset %zu runs past the end", pos - TAR_BLOCK);
        }
        if (h[156] == '0' || h[156] == 0) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 8;
                struct tbfgen_tar_member *g = realloc(*out, cap * sizeof(**out));
                if (!g) {
                    free(*out);
                    *out = NULL;
                    return fail(err, "out of memory");
                }
                *out = g;
            }
            struct tbfgen_tar_member *m = &(*out)[(*n)++];
            memcpy(m->name, h, 99);
            m->name[99] = 0;
            m->data = tar + pos;
            m->len = (size_t)size;
        }
        pos += (size_t)align_up((uint64_t)size, TAR_BLOCK);
    }
    return 0;
}

bool tbfgen_tab_member_is_arch(const char *name, const char *arch)
{
    size_t al = strlen(arch), nl = strlen(name);
    if (nl < 4 || strcmp(name + nl - 4, ".tbf") != 0 || strncmp(name, arch, al) != 0)
        return false;
    return name[al] == '.';
}

// ---------------------------------------------------------------------------------------
// Apps flash region

void tbfgen_padding_header(uint8_t *dst, uint32_t size)
{
    wr16(dst, TBF_VERSION);
    wr16(dst + 2, TBF_BASE_HEADER_SIZE);
    wr32(dst + 4, size);
    wr32(dst + 8, 0);
    wr32(dst + 12, tbf_checksum(dst, TBF_BASE_HEADER_SIZE));
}

static bool in_list(const uint32_t *l, size_t n, uint32_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (l[i] == v)
            return true;
    }
    return false;
}

// Parses "M.m" (each part a u16).
static int parse_version(const char *s, uint16_t *major, uint16_t *minor)
{
    char *end;
    errno = 0;
    unsigned long a = strtoul(s, &end, 10);
    if (errno || end == s || *end != '.' || a > 0xFFFF)
        return -1;
    const char *m = end + 1;
    unsigned long b = strtoul(m, &end, 10);
    if (errno || end == m || *end || b > 0xFFFF)
        return -1;
    *major = (uint16_t)a;
    *minor = (uint16_t)b;
    return 0;
}

int tbfgen_set_field(uint8_t *tbf, size_t len, const char *spec, char err[TBFGEN_ERR_LEN])
{
    const char *eq = strchr(spec, '=');
    if (!eq)
        return fail(err, "--set '%s': want FIELD=VALUE", spec);
    size_t flen = (size_t)(eq - spec);
    const char *val = eq + 1;
    enum { F_MIN_RAM, F_KV, F_FIXED_RAM, F_FIXED_FLASH, F_FLIP } field;
    uint32_t num = 0;
    uint16_t major = 0, minor = 0;
    bool kv_none = false;
    if (flen == 7 && strncmp(spec, "min-ram", 7) == 0) {
        field = F_MIN_RAM;
        if (tbfgen_parse_u32(val, &num) != 0)
            return fail(err, "--set '%s': bad number", spec);
    } else if (flen == 14 && strncmp(spec, "kernel-version", 14) == 0) {
        field = F_KV;
        kv_none = strcmp(val, "none") == 0;
        if (!kv_none && parse_version(val, &major, &minor) != 0)
            return fail(err, "--set '%s': want MAJOR.MINOR or none", spec);
    } else if ((flen == 9 && strncmp(spec, "fixed-ram", 9) == 0) ||
               (flen == 11 && strncmp(spec, "fixed-flash", 11) == 0)) {
        field = flen == 9 ? F_FIXED_RAM : F_FIXED_FLASH;
        if (tbfgen_parse_u32(val, &num) != 0)
            return fail(err, "--set '%s': bad number", spec);
    } else if (flen == 4 && strncmp(spec, "flip", 4) == 0) {
        field = F_FLIP;
        if (tbfgen_parse_u32(val, &num) != 0 || num >= len)
            return fail(err, "--set '%s': bad offset", spec);
    } else {
        return fail(err,
                    "--set '%s': unknown field (min-ram, kernel-version, fixed-ram, "
                    "fixed-flash, flip)",
                    spec);
    }
    if (len < TBF_BASE_HEADER_SIZE)
        return fail(err, "--set: not a TBF");
    uint32_t hs = rd16(tbf + 2);
    if (hs < TBF_BASE_HEADER_SIZE || hs > len || hs % 4 != 0)
        return fail(err, "--set: bad header size %u", hs);
    unsigned hits = 0;
    if (field == F_FLIP) {
        tbf[num] ^= 0xFF; // a credential's covered byte, or any other
        hits++;
    }
    for (uint32_t pos = TBF_BASE_HEADER_SIZE; field != F_FLIP && pos + 4 <= hs;) {
        uint16_t type = rd16(tbf + pos), tlen = rd16(tbf + pos + 2);
        uint8_t *v = tbf + pos + 4;
        if (tlen > hs - pos - 4)
            return fail(err, "--set: TLV at %u runs past the header", pos);
        if (field == F_MIN_RAM &&
            ((type == TBF_TLV_MAIN && tlen == 12) || (type == TBF_TLV_PROGRAM && tlen == 20))) {
            wr32(v + 8, num);
            hits++;
        } else if ((field == F_FIXED_RAM || field == F_FIXED_FLASH) &&
                   type == TBF_TLV_FIXED_ADDRESSES && tlen == 8) {
            wr32(v + (field == F_FIXED_RAM ? 0 : 4), num);
            hits++;
        } else if (field == F_KV && type == TBF_TLV_KERNEL_VERSION && tlen == 4) {
            if (kv_none) {
                wr16(tbf + pos, 0x8000u | TBF_TLV_KERNEL_VERSION);
            } else {
                wr16(v, major);
                wr16(v + 2, minor);
            }
            hits++;
        }
        pos += 4 + (uint32_t)align_up(tlen, 4);
    }
    if (!hits)
        return fail(err, "--set '%s': the header has no such TLV", spec);
    wr32(tbf + 12, tbf_checksum(tbf, hs));
    return 0;
}

// Region offset where a TBF with a FixedAddresses flash address must start, if it has one
// and the region start is known.
static bool fixed_place(const uint8_t *tbf, size_t len, const struct tbfgen_flash_opts *o,
                        uint64_t *place)
{
    struct tbf_header h;
    if (o->region_start == 0 || len > UINT32_MAX)
        return false;
    enum tbf_status st = tbf_parse(tbf, (uint32_t)len, &h);
    if ((st != TBF_OK && st != TBF_DISABLED) || !h.has_fixed || h.fixed_flash == TBF_NOT_FIXED)
        return false;
    uint64_t start = (uint64_t)h.fixed_flash - tbf_app_start_offset(&h);
    if (h.fixed_flash < tbf_app_start_offset(&h) || start < o->region_start)
        return false;
    *place = start - o->region_start;
    return true;
}

// The first of an app's fixed-address images (in address order) that can start at or after
// off, leaving either no gap or one a padding header fits in, and that ends in the region.
static const struct tbfgen_app *pick_fixed(const struct tbfgen_app *choices, size_t n, uint64_t off,
                                           const struct tbfgen_flash_opts *o)
{
    const struct tbfgen_app *best = NULL;
    uint64_t best_place = 0;
    for (size_t k = 0; k < n; k++) {
        const struct tbfgen_app *c = &choices[k];
        uint64_t place;
        if (!fixed_place(c->data, c->len, o, &place) || place < off ||
            (place > off && place - off < TBF_BASE_HEADER_SIZE) || place + c->len > o->region_size)
            continue;
        if (!best || place < best_place) {
            best = c;
            best_place = place;
        }
    }
    return best;
}

int tbfgen_appflash(const struct tbfgen_app *apps, size_t n, const struct tbfgen_flash_opts *o,
                    uint8_t **out, size_t *out_len, FILE *diag, char err[TBFGEN_ERR_LEN])
{
    *out = NULL;
    *out_len = 0;
    uint32_t region = o->region_size;
    if (region < 16 || region % 4 != 0)
        return fail(err, "region size %u must be a multiple of 4 and at least 16", region);
    for (size_t i = 0; i < o->corrupt_count; i++) {
        if (o->corrupt[i] >= n)
            return fail(err, "--corrupt %u: there are only %zu TBFs", o->corrupt[i], n);
    }
    if (o->truncate_last && n == 0)
        return fail(err, "--truncate-last needs at least one TBF");
    for (size_t i = 0; i < o->set_count; i++) {
        if (o->sets[i].index >= n)
            return fail(err, "--set %u: there are only %zu TBFs", o->sets[i].index, n);
    }

    // The whole region is built in memory and cut to the used length at the end.
    uint8_t *img = calloc(1, region);
    if (!img)
        return fail(err, "out of memory");
    uint64_t off = 0; // first free byte; always a multiple of 4
    for (size_t i = 0; i < n; i++) {
        const struct tbfgen_app *a = &apps[i];
        if (o->n_choices && o->n_choices[i] > 0) {
            a = pick_fixed(o->choices[i], o->n_choices[i], off, o);
            if (!a) {
                free(img);
                return fail(err,
                            "%s: none of its %zu fixed-address images fits at offset %llu "
                            "of the region",
                            apps[i].label, o->n_choices[i], (unsigned long long)off);
            }
        }
        if (a->len < TBF_BASE_HEADER_SIZE || rd16(a->data) != TBF_VERSION) {
            free(img);
            return fail(err, "%s: not a TBF (no version 2 header)", a->label);
        }
        uint32_t total = rd32(a->data + 4), hs = rd16(a->data + 2);
        if (total != a->len || total < TBF_BASE_HEADER_SIZE || total % 4 != 0) {
            free(img);
            return fail(err, "%s: total_size %u does not match the file size %zu", a->label, total,
                        a->len);
        }
        struct tbf_header h;
        enum tbf_status st = tbf_parse(a->data, total, &h);
        if (st != TBF_OK && st != TBF_DISABLED && st != TBF_PADDING && diag)
            fprintf(diag, "mkappflash: note: %s: %s (the kernel will skip it)\n", a->label,
                    tbf_status_str(st));

        bool last_cut = o->truncate_last && i == n - 1;
        uint64_t place;
        if (last_cut) {
            // Keep half the object (aligned like an MPU subregion would be) but at least
            // its whole header: the kernel must be able to read total_size and then see
            // that it runs past the end.
            uint64_t keep = align_up(total / 2 > hs ? total / 2 : hs, 4);
            if (keep >= total || keep > region) {
                free(img);
                return fail(err, "%s: too small (%u bytes) to straddle the region end", a->label,
                            total);
            }
            place = region - keep;
        } else if (fixed_place(a->data, total, o, &place)) {
            // Linked for one address: it goes exactly there, or the kernel skips it.
            if (place < off || (place > off && place - off < TBF_BASE_HEADER_SIZE)) {
                free(img);
                return fail(err,
                            "%s is linked for region offset %llu, but offset %llu is the "
                            "next free one",
                            a->label, (unsigned long long)place, (unsigned long long)off);
            }
        } else {
            // Cortex-M MPU: a power-of-two object must start at a multiple of its size
            // (relative to the region start, which is at least that aligned).
            uint64_t align = is_pow2(total) ? total : 4;
            place = align_up(off, align);
            // A gap must hold a 16-byte padding header; push to the next slot if not.
            while (place - off != 0 && place - off < TBF_BASE_HEADER_SIZE)
                place += align;
        }
        if (place < off || (place > off && place - off < TBF_BASE_HEADER_SIZE) ||
            (!last_cut && place + total > region)) {
            free(img);
            return fail(err, "%s (%u bytes) does not fit in the %u-byte region at offset %llu",
                        a->label, total, region, (unsigned long long)place);
        }
        if (place > off)
            tbfgen_padding_header(img + off, (uint32_t)(place - off));
        uint64_t copy = last_cut ? region - place : total;
        memcpy(img + place, a->data, (size_t)copy);
        for (size_t k = 0; k < o->set_count; k++) {
            if (o->sets[k].index == i &&
                tbfgen_set_field(img + place, (size_t)copy, o->sets[k].spec, err) != 0) {
                free(img);
                return -1;
            }
        }
        if (in_list(o->corrupt, o->corrupt_count, (uint32_t)i))
            img[place + 12] ^= 1; // checksum word: the kernel must skip this one
        off = place + copy;
    }
    // End of list: version 0. The walk also stops with fewer than 8 bytes left, so a
    // shorter tail is fine.
    uint64_t end = off + 8 <= region ? off + 8 : region;
    // tockloader instead writes one 0x00 byte after the last app (clear_bytes); over
    // erased flash the bytes after it read 0xFF.
    if (o->tockloader_end)
        memset(img + off + 1, 0xFF, (size_t)(end - off - 1));
    *out = img;
    *out_len = (size_t)end;
    return 0;
}

// ---------------------------------------------------------------------------------------
// CLI helpers

int tbfgen_parse_u32(const char *s, uint32_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return -1;
    if (*end == 'k' || *end == 'K') {
        v *= 1024;
        end++;
    } else if (*end == 'm' || *end == 'M') {
        v *= 1024 * 1024;
        end++;
    }
    if (*end || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int tbfgen_read_file(const char *path, uint8_t **out, size_t *out_len, char err[TBFGEN_ERR_LEN])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, "%s: %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *g = realloc(buf, cap);
            if (!g) {
                free(buf);
                fclose(f);
                return fail(err, "%s: out of memory", path);
            }
            buf = g;
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        len += r;
        if (r == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return fail(err, "%s: read error", path);
    }
    *out = buf;
    *out_len = len;
    return 0;
}

int tbfgen_write_file(const char *path, const uint8_t *data, size_t len, char err[TBFGEN_ERR_LEN])
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return fail(err, "%s: %s", path, strerror(errno));
    size_t w = fwrite(data, 1, len, f);
    if (fclose(f) != 0 || w != len)
        return fail(err, "%s: write error", path);
    return 0;
}
