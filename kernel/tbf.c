// SPDX-License-Identifier: Apache-2.0
// TBF v2 header parser and validator (see cairn/tbf.h and doc/tbf.md).
#include <cairn/tbf.h>
#include <cairn/kprint.h>

#include <stddef.h>

// Little-endian loads through memcpy: every target is little-endian, and the compiler
// emits one load where the target allows unaligned access (ARMv7-M and ARMv8-M Mainline,
// the host) and byte loads where it does not (RISC-V), so a fuzzer-supplied or
// unaligned buffer is read correctly either way.
static uint16_t rd16(const uint8_t *p)
{
    uint16_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

static uint32_t align4(uint32_t v)
{
    return (v + 3u) & ~3u;
}

uint32_t tbf_checksum(const uint8_t *hdr, uint32_t header_size)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 4 <= header_size; i += 4) {
        if (i != 12)
            sum ^= rd32(hdr + i);
    }
    return sum;
}

bool tbf_utf8_valid(const uint8_t *s, uint32_t len)
{
    uint32_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        // need = continuation bytes; [lo, hi] = allowed range of the first continuation
        // byte, which is what rules out overlong forms (E0, F0), surrogates (ED) and
        // code points above U+10FFFF (F4).
        uint32_t need;
        uint8_t lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return false; // continuation byte first, C0/C1 (overlong) or F5..FF
        }
        if (len - i <= need)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (uint32_t k = 2; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        }
        i += need + 1;
    }
    return true;
}

// Parses one TLV value of a known type into out. Length checks for fixed-size TLVs are
// strict (as Tock's), because a wrong length means the writer disagrees with us about the
// layout and nothing read from it can be trusted.
static enum tbf_status parse_tlv(uint16_t type, const uint8_t *v, uint32_t len,
                                 struct tbf_header *out)
{
    switch (type) {
    case TBF_TLV_MAIN:
        if (len != 12)
            return TBF_ERR_TLV;
        // The first Main wins; Program (any position) overrides it after the walk.
        if (!out->has_main) {
            out->has_main = true;
            if (!out->has_program) {
                out->init_fn_offset = rd32(v);
                out->protected_trailer_size = rd32(v + 4);
                out->minimum_ram_size = rd32(v + 8);
            }
        }
        return TBF_OK;
    case TBF_TLV_PROGRAM:
        if (len != 20)
            return TBF_ERR_TLV;
        if (!out->has_program) {
            out->has_program = true;
            out->init_fn_offset = rd32(v);
            out->protected_trailer_size = rd32(v + 4);
            out->minimum_ram_size = rd32(v + 8);
            out->binary_end_offset = rd32(v + 12);
            out->app_version = rd32(v + 16);
        }
        return TBF_OK;
    case TBF_TLV_WRITEABLE_FLASH_REGIONS:
        // Counted here, checked against the binary once its bounds are known (a Program
        // TLV may come later): check_wfrs().
        if (len % 8 != 0)
            return TBF_ERR_TLV;
        out->wfr_count += len / 8;
        return TBF_OK;
    case TBF_TLV_PACKAGE_NAME:
        if (!tbf_utf8_valid(v, len))
            return TBF_ERR_NAME;
        out->name = (const char *)v;
        out->name_len = len;
        return TBF_OK;
    case TBF_TLV_FIXED_ADDRESSES:
        if (len != 8)
            return TBF_ERR_TLV;
        out->has_fixed = true;
        out->fixed_ram = rd32(v);
        out->fixed_flash = rd32(v + 4);
        return TBF_OK;
    case TBF_TLV_PERMISSIONS: {
        if (len < 2)
            return TBF_ERR_TLV;
        uint16_t n = rd16(v);
        if (len != 2 + 16u * n)
            return TBF_ERR_TLV;
        out->has_permissions = true;
        out->permission_count = n;
        out->permissions = v + 2;
        return TBF_OK;
    }
    case TBF_TLV_STORAGE_PERMISSIONS: {
        if (len < 6)
            return TBF_ERR_TLV;
        uint16_t nr = rd16(v + 4);
        if (nr > TBF_MAX_STORAGE_IDS || len < 8u + 4u * nr)
            return TBF_ERR_TLV;
        uint16_t nm = rd16(v + 6 + 4u * nr);
        if (nm > TBF_MAX_STORAGE_IDS || len != 8u + 4u * nr + 4u * nm)
            return TBF_ERR_TLV;
        out->has_storage = true;
        out->storage_write_id = rd32(v);
        out->storage_read_count = nr;
        out->storage_read_ids = v + 6;
        out->storage_modify_count = nm;
        out->storage_modify_ids = v + 8 + 4u * nr;
        return TBF_OK;
    }
    case TBF_TLV_KERNEL_VERSION:
        if (len != 4)
            return TBF_ERR_TLV;
        out->has_kernel_version = true;
        out->kernel_major = rd16(v);
        out->kernel_minor = rd16(v + 2);
        return TBF_OK;
    case TBF_TLV_SHORT_ID:
        if (len != 4)
            return TBF_ERR_TLV;
        out->short_id = rd32(v);
        return TBF_OK;
    default:
        // Unknown, obsolete (PIC option 1), footer-only (credentials) and out-of-tree
        // (bit 15) types: skipped by length, so newer tools stay loadable.
        return TBF_OK;
    }
}

// Checks the Program/Main numbers against the object; all arithmetic stays in 32 bits
// without overflow because every subtraction is guarded by the comparison before it.
static enum tbf_status check_layout(struct tbf_header *out)
{
    uint32_t hs = out->header_size, total = out->total_size;
    uint32_t pts = out->protected_trailer_size;

    if (pts > total - hs)
        return TBF_ERR_LAYOUT;
    uint32_t app_start = hs + pts;
    if (!out->has_program) {
        // Main only: no footers, the binary runs to the end of the object.
        out->binary_end_offset = total;
        out->app_version = 0;
    }
    uint32_t end = out->binary_end_offset;
    if (end > total || end < app_start)
        return TBF_ERR_LAYOUT;
    // The entry must be a byte of the binary: not in the protected region, not in the
    // footers. (Bit 0 may be set for Thumb; the check still holds for the byte.)
    if (out->init_fn_offset < pts || out->init_fn_offset >= end - hs)
        return TBF_ERR_LAYOUT;
    return TBF_OK;
}

// Steps to the next writeable flash region of the header img[0, hs): *pos is the offset
// of the TLV being read, *k the offset of the next region in its value (start with
// TBF_BASE_HEADER_SIZE and 0). Every read is bounded by hs, which the caller bounds by
// what is readable, so a header that tbf_parse() never saw cannot make it read outside.
static bool wfr_next(const uint8_t *img, uint32_t hs, uint32_t *pos, uint32_t *k, struct tbf_wfr *r)
{
    while (*pos < hs && hs - *pos >= 4) {
        uint32_t type = rd16(img + *pos), len = rd16(img + *pos + 2);
        if (len > hs - *pos - 4)
            return false;
        if (type == TBF_TLV_WRITEABLE_FLASH_REGIONS && *k < len && len - *k >= 8) {
            r->offset = rd32(img + *pos + 4 + *k);
            r->size = rd32(img + *pos + 8 + *k);
            *k += 8;
            return true;
        }
        *pos += 4 + align4(len);
        *k = 0;
    }
    return false;
}

// Every writeable flash region must lie inside the app's own binary, [app_start,
// binary_end): never over the header or the protected trailer (kernel data, read to
// decide what the app may do) nor over the footers, and without wrapping. One pass over
// the header, whatever the number of regions.
static enum tbf_status check_wfrs(const uint8_t *img, const struct tbf_header *h)
{
    uint32_t start = tbf_app_start_offset(h), end = h->binary_end_offset;
    uint32_t pos = TBF_BASE_HEADER_SIZE, k = 0;
    struct tbf_wfr r;
    while (wfr_next(img, h->header_size, &pos, &k, &r)) {
        // start <= end (check_layout), so end - r.offset cannot wrap once r.offset <= end.
        if (r.offset < start || r.offset > end || r.size > end - r.offset)
            return TBF_ERR_LAYOUT;
    }
    return TBF_OK;
}

bool tbf_wfr_get(const uint8_t *img, uint32_t avail, uint32_t index, struct tbf_wfr *out)
{
    if (avail < TBF_BASE_HEADER_SIZE)
        return false;
    uint32_t hs = rd16(img + 2);
    if (hs > avail)
        return false;
    uint32_t pos = TBF_BASE_HEADER_SIZE, k = 0;
    for (uint32_t i = 0; wfr_next(img, hs, &pos, &k, out); i++) {
        if (i == index)
            return true;
    }
    return false;
}

enum tbf_status tbf_parse(const uint8_t *img, uint32_t avail, struct tbf_header *out)
{
    *out = (struct tbf_header){0};

    // Need version, header_size and total_size to say anything (Tock stops likewise).
    if (avail < 8)
        return TBF_END;
    out->version = rd16(img);
    // Erased NOR flash (FFFF), zero-filled images (0000) and tockloader's end-of-list
    // marker (one 0x00 byte written over what was there: a zero low byte) end the list
    // without noise, as in Tock; any other version is reported, but its total_size has
    // unknown meaning: stop too.
    if ((out->version & 0xFF) == 0 || out->version == 0xFFFF)
        return TBF_END;
    if (out->version != TBF_VERSION)
        return TBF_ERR_VERSION;
    out->header_size = rd16(img + 2);
    out->total_size = rd32(img + 4);

    // total_size is how the walk advances: 0 would loop forever, and an object smaller
    // than its own base header or not word-aligned means the region is garbage from here.
    uint32_t total = out->total_size;
    if (total < TBF_BASE_HEADER_SIZE || total % 4 != 0)
        return TBF_ERR_TOTAL_SIZE;
    if (total > avail)
        return TBF_ERR_TRUNCATED;
    // From here on [img, img + total) is readable.
    out->flags = rd32(img + 8);
    out->checksum = rd32(img + 12);

    uint32_t hs = out->header_size;
    if (hs < TBF_BASE_HEADER_SIZE || hs > total || hs % 4 != 0)
        return TBF_ERR_HEADER_SIZE;
    // The app store's markers (see cairn/tbf.h): a checksum word still erased (install not
    // committed) or cleared to zero (removed or superseded) on an object that is otherwise
    // sound. Any other mismatch is damage, and so is a marker on an object that turns out
    // unsound below (reported as a bad checksum, as before the markers existed).
    enum tbf_status store_state = TBF_OK;
    if (tbf_checksum(img, hs) != out->checksum) {
        if (out->checksum == TBF_CHECKSUM_UNCOMMITTED)
            store_state = TBF_UNCOMMITTED;
        else if (out->checksum == TBF_CHECKSUM_RETIRED)
            store_state = TBF_RETIRED;
        else
            return TBF_ERR_CHECKSUM;
    }
    if (hs == TBF_BASE_HEADER_SIZE)
        return store_state == TBF_OK ? TBF_PADDING : store_state;

    // TLV walk. off stays a multiple of 4 and hs is one, so off < hs implies the 4-byte
    // type/length fits; a value must end within hs, and then so does its padding.
    uint32_t off = TBF_BASE_HEADER_SIZE;
    while (off < hs) {
        uint16_t type = rd16(img + off);
        uint32_t len = rd16(img + off + 2);
        uint32_t voff = off + 4;
        if (len > hs - voff)
            return store_state == TBF_OK ? TBF_ERR_TLV : TBF_ERR_CHECKSUM;
        enum tbf_status st = parse_tlv(type, img + voff, len, out);
        if (st != TBF_OK)
            return store_state == TBF_OK ? st : TBF_ERR_CHECKSUM;
        off = voff + align4(len);
    }

    // Tock's book calls such an object padding, but tockloader's padding is always a bare
    // 16-byte header: TLVs without Main/Program are a broken app, so say so (it is skipped
    // either way, never run).
    if (!out->has_main && !out->has_program)
        return store_state == TBF_OK ? TBF_ERR_NO_PROGRAM : TBF_ERR_CHECKSUM;
    enum tbf_status st = check_layout(out);
    if (st == TBF_OK && out->wfr_count)
        st = check_wfrs(img, out);
    if (st != TBF_OK)
        return store_state == TBF_OK ? st : TBF_ERR_CHECKSUM;
    if (store_state != TBF_OK)
        return store_state;

    // Compatible iff same major and the app needs no newer minor. Absent TLV: refused, as
    // Tock's loader does (see struct tbf_header). Both beat "disabled": more useful.
    if (!out->has_kernel_version)
        return TBF_ERR_NO_KERNEL_VERSION;
    if (out->kernel_major != CAIRN_KERNEL_MAJOR || out->kernel_minor > CAIRN_KERNEL_MINOR)
        return TBF_ERR_KERNEL_VERSION;
    if (!(out->flags & TBF_FLAG_ENABLED))
        return TBF_DISABLED;
    return TBF_OK;
}

const char *tbf_status_str(enum tbf_status s)
{
    // One name per status, in enum order (cairn/tbf.h); the loader's skip lines print
    // these as they are, so each says what a user needs (why, and what it means).
    return (unsigned)s < TBF_STATUS_COUNT
               ? knth("ok\0padding\0disabled\0end of apps\0unsupported TBF version\0"
                      "bad total size\0truncated\0bad header size\0bad checksum\0"
                      "malformed TLV\0package name not UTF-8\0no Main or Program TLV\0"
                      "offsets outside the object\0incompatible kernel version\0"
                      "no KernelVersion TLV (the ABI it needs)\0"
                      "install not completed (power cut or aborted)\0removed (free space)",
                      s)
               : "?"; // no parse returns one; "?" is the kernel's other unknown names' text
}

// The STOP statuses are consecutive in enum tbf_status: one unsigned range test.
_Static_assert(TBF_ERR_VERSION == TBF_END + 1 && TBF_ERR_TOTAL_SIZE == TBF_END + 2 &&
                   TBF_ERR_TRUNCATED == TBF_END + 3,
               "the statuses that end a walk are END..TRUNCATED");
bool tbf_walk_can_continue(enum tbf_status s)
{
    return (unsigned)s - TBF_END > TBF_ERR_TRUNCATED - TBF_END;
}

bool tbf_permission_get(const struct tbf_header *h, uint16_t i, uint32_t *driver, uint32_t *offset,
                        uint64_t *allowed_commands)
{
    if (!h->has_permissions || i >= h->permission_count)
        return false;
    const uint8_t *e = h->permissions + 16u * i;
    *driver = rd32(e);
    *offset = rd32(e + 4);
    *allowed_commands = rd64(e + 8);
    return true;
}

const uint8_t *tbf_find_tlv(const uint8_t *hdr, uint16_t type, uint16_t *len)
{
    // tbf_parse checked the walk: header_size a multiple of 4, every value within it.
    uint32_t hs = rd16(hdr + 2), off = TBF_BASE_HEADER_SIZE;
    const uint8_t *found = NULL;
    while (off < hs) {
        uint16_t l = rd16(hdr + off + 2);
        if (rd16(hdr + off) == type) {
            found = hdr + off + 4;
            *len = l;
        }
        off += 4 + align4(l);
    }
    return found;
}

bool tbf_perms_driver_listed(const uint8_t *perms, uint16_t n, uint32_t driver)
{
    for (uint16_t i = 0; i < n; i++) {
        if (rd32(perms + 16u * i) == driver)
            return true;
    }
    return false;
}

bool tbf_perms_command_allowed(const uint8_t *perms, uint16_t n, uint32_t driver, uint32_t command)
{
    // Several entries may name the same driver with different offsets; any one that has
    // the command's bit set allows it.
    for (uint16_t i = 0; i < n; i++) {
        const uint8_t *e = perms + 16u * i;
        if (rd32(e) == driver && rd32(e + 4) == command / 64 &&
            (rd64(e + 8) >> (command % 64)) & 1u)
            return true;
    }
    return false;
}

bool tbf_driver_permitted(const struct tbf_header *h, uint32_t driver)
{
    return !h->has_permissions ||
           tbf_perms_driver_listed(h->permissions, h->permission_count, driver);
}

bool tbf_command_permitted(const struct tbf_header *h, uint32_t driver, uint32_t command)
{
    return !h->has_permissions ||
           tbf_perms_command_allowed(h->permissions, h->permission_count, driver, command);
}

uint32_t tbf_storage_read_id(const struct tbf_header *h, uint16_t i)
{
    return i < h->storage_read_count ? rd32(h->storage_read_ids + 4u * i) : 0;
}

uint32_t tbf_storage_modify_id(const struct tbf_header *h, uint16_t i)
{
    return i < h->storage_modify_count ? rd32(h->storage_modify_ids + 4u * i) : 0;
}

bool tbf_fixed_flash_ok(const struct tbf_header *h, uint32_t tbf_addr)
{
    if (!h->has_fixed || h->fixed_flash == TBF_NOT_FIXED)
        return true;
    // A sum past 4 GB must not wrap onto the fixed address: off <= ~tbf_addr says it
    // does not (tbf_addr + off <= UINT32_MAX).
    uint32_t off = tbf_app_start_offset(h);
    return off <= ~tbf_addr && h->fixed_flash == tbf_addr + off;
}

bool tbf_peek_name(const uint8_t *img, uint32_t avail, const char **name, uint32_t *len)
{
    // Diagnostics only: no checksum or layout is trusted, every read is bounded by both
    // the claimed header_size and what is really there.
    if (avail < TBF_BASE_HEADER_SIZE)
        return false;
    uint32_t end = rd16(img + 2);
    if (end > avail)
        end = avail;
    for (uint32_t at = TBF_BASE_HEADER_SIZE; at + 4 <= end;) {
        uint32_t type = rd16(img + at), tlen = rd16(img + at + 2);
        if (tlen > end - at - 4)
            return false;
        if (type == TBF_TLV_PACKAGE_NAME) {
            if (tlen == 0 || !tbf_utf8_valid(img + at + 4, tlen))
                return false;
            *name = (const char *)(img + at + 4);
            *len = tlen;
            return true;
        }
        at += 4 + align4(tlen);
    }
    return false;
}

bool tbf_same_app(const struct tbf_header *a, const struct tbf_header *b)
{
    if (a->short_id && a->short_id == b->short_id)
        return true;
    if (!a->name_len || a->name_len != b->name_len)
        return false;
    for (uint32_t i = 0; i < a->name_len; i++)
        if (a->name[i] != b->name[i])
            return false;
    return true;
}

bool tbf_blocked_by(const struct tbf_header *a, uint32_t a_at, const struct tbf_header *b,
                    uint32_t b_at)
{
    if (a_at == b_at || !tbf_same_app(a, b))
        return false;
    if (b->app_version != a->app_version)
        return b->app_version > a->app_version;
    // A tie: one ShortId TLV on both means one app, and the copy earlier in flash runs
    // (Tock's rule). Name-only copies are LocallyUnique, as Tock's TBF-header assigner
    // makes apps without a ShortId TLV: they all run.
    return a->short_id && a->short_id == b->short_id && b_at < a_at;
}

int32_t tbf_cred_data_len(uint32_t format)
{
    switch (format) {
    case TBF_CRED_RESERVED:
        return 0;
    case TBF_CRED_RSA3072:
        return 768;
    case TBF_CRED_RSA4096:
        return 1024;
    case TBF_CRED_SHA256:
        return 32;
    case TBF_CRED_SHA384:
        return 48;
    case TBF_CRED_SHA512:
    case TBF_CRED_ECDSA_P256:
        return 64;
    default:
        return -1;
    }
}

enum tbf_footer_status tbf_footer_next(const uint8_t *img, const struct tbf_header *h,
                                       uint32_t *pos, struct tbf_footer *f)
{
    uint32_t total = h->total_size, at = *pos;
    // binary_end_offset <= total_size (tbf_parse), and *pos only grows up to total below.
    if (at >= total)
        return TBF_FOOTER_END;
    if (total - at < 4)
        return TBF_FOOTER_BAD;
    uint32_t type = rd16(img + at), len = rd16(img + at + 2);
    if (type == 0 && len == 0) {
        for (uint32_t i = at + 4; i < total; i++)
            if (img[i])
                return TBF_FOOTER_BAD;
        return TBF_FOOTER_END;
    }
    if (type != TBF_TLV_CREDENTIALS || len < 4 || len > total - at - 4)
        return TBF_FOOTER_BAD;
    uint32_t format = rd32(img + at + 4);
    int32_t want = tbf_cred_data_len(format);
    if (want < 0 || (want > 0 && (uint32_t)want != len - 4))
        return TBF_FOOTER_BAD;
    f->offset = at;
    f->format = format;
    f->data = img + at + 8;
    f->data_len = len - 4;
    *pos = at + 4 + len;
    return TBF_FOOTER_OK;
}
