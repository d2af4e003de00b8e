// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the TBF parser: no input may crash it or break its stated invariants.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairn/tbf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// Not assert(): must stay active whatever NDEBUG says, and name the broken invariant.
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_tbf: invariant broken: %s (line %d)\n", #cond, __LINE__);        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static bool inside(const uint8_t *base, uint32_t len, const void *p, uint64_t n)
{
    const uint8_t *q = p;
    return q >= base && (uint64_t)(q - base) + n <= len;
}

static void check(const uint8_t *img, uint32_t avail, enum tbf_status st,
                  const struct tbf_header *h)
{
    CHECK(st < TBF_STATUS_COUNT);
    CHECK(tbf_status_str(st) != NULL);
    if (!tbf_walk_can_continue(st))
        return;
    // Whenever the walk may go on, the step is sane: no zero-length loop, stays in region.
    CHECK(h->version == TBF_VERSION);
    CHECK(h->total_size >= TBF_BASE_HEADER_SIZE && h->total_size % 4 == 0);
    CHECK(h->total_size <= avail);
    if (st == TBF_ERR_HEADER_SIZE)
        return;
    CHECK(h->header_size >= TBF_BASE_HEADER_SIZE && h->header_size <= h->total_size);
    CHECK(h->header_size % 4 == 0);
    if (st == TBF_ERR_CHECKSUM)
        return;
    // The app store's markers: only the two marker values, on a mismatching checksum.
    bool store = st == TBF_UNCOMMITTED || st == TBF_RETIRED;
    if (store) {
        CHECK(h->checksum ==
              (st == TBF_UNCOMMITTED ? TBF_CHECKSUM_UNCOMMITTED : TBF_CHECKSUM_RETIRED));
        CHECK(tbf_checksum(img, h->header_size) != h->checksum);
        if (h->header_size == TBF_BASE_HEADER_SIZE)
            return; // a padding object's shape
    } else {
        CHECK(tbf_checksum(img, h->header_size) == h->checksum);
    }
    if (st == TBF_PADDING) {
        CHECK(h->header_size == TBF_BASE_HEADER_SIZE);
        return;
    }
    bool kv_err = st == TBF_ERR_KERNEL_VERSION || st == TBF_ERR_NO_KERNEL_VERSION;
    if (st != TBF_OK && st != TBF_DISABLED && !kv_err && !store)
        return;

    // A complete app: everything it points at lies inside the header, every offset
    // inside the object, and the entry inside the binary.
    uint32_t hs = h->header_size;
    CHECK(h->has_main || h->has_program);
    uint64_t app_start = (uint64_t)hs + h->protected_trailer_size;
    uint64_t entry = (uint64_t)hs + h->init_fn_offset;
    CHECK(app_start <= entry);
    CHECK(entry < h->binary_end_offset);
    CHECK(h->binary_end_offset <= h->total_size);
    CHECK(tbf_app_start_offset(h) == app_start && tbf_entry_offset(h) == entry);
    if (h->name) {
        CHECK(inside(img + TBF_BASE_HEADER_SIZE, hs - TBF_BASE_HEADER_SIZE, h->name, h->name_len));
        CHECK(tbf_utf8_valid((const uint8_t *)h->name, h->name_len));
    } else {
        CHECK(h->name_len == 0);
    }
    if (h->has_permissions) {
        CHECK(inside(img, hs, h->permissions, 16ull * h->permission_count));
        for (uint16_t i = 0; i < h->permission_count; i++) {
            uint32_t d, o;
            uint64_t a;
            CHECK(tbf_permission_get(h, i, &d, &o, &a));
            CHECK(tbf_driver_permitted(h, d));
        }
    }
    if (h->has_storage) {
        CHECK(h->storage_read_count <= TBF_MAX_STORAGE_IDS);
        CHECK(h->storage_modify_count <= TBF_MAX_STORAGE_IDS);
        CHECK(inside(img, hs, h->storage_read_ids, 4ull * h->storage_read_count));
        CHECK(inside(img, hs, h->storage_modify_ids, 4ull * h->storage_modify_count));
    }
    // Writeable flash regions: exactly wfr_count of them, each inside the binary. (The
    // first few and the last: each lookup walks the header.)
    struct tbf_wfr r;
    for (uint32_t i = 0; i < h->wfr_count; i++) {
        if (i == 8 && h->wfr_count > 9)
            i = h->wfr_count - 1;
        CHECK(tbf_wfr_get(img, avail, i, &r));
        CHECK(r.offset >= app_start);
        CHECK((uint64_t)r.offset + r.size <= h->binary_end_offset);
    }
    CHECK(!tbf_wfr_get(img, avail, h->wfr_count, &r));
    if (store)
        return; // the kernel version and flags are not looked at on a store marker
    // Runnable or disabled only with a compatible KernelVersion; absent is its own error.
    CHECK((st == TBF_ERR_NO_KERNEL_VERSION) == !h->has_kernel_version);
    if (st == TBF_ERR_KERNEL_VERSION)
        CHECK(h->kernel_major != CAIRN_KERNEL_MAJOR || h->kernel_minor > CAIRN_KERNEL_MINOR);
    if (!kv_err)
        CHECK(h->kernel_major == CAIRN_KERNEL_MAJOR && h->kernel_minor <= CAIRN_KERNEL_MINOR);
    CHECK((st == TBF_DISABLED) == (!kv_err && !(h->flags & 1)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1u << 20)
        return 0;
    uint32_t avail = (uint32_t)size;
    struct tbf_header h;
    enum tbf_status st = tbf_parse(data, avail, &h);
    check(data, avail, st, &h);

    // The loader's best-effort name lookup for error messages trusts nothing either.
    const char *name;
    uint32_t name_len;
    if (tbf_peek_name(data, avail, &name, &name_len))
        CHECK(inside(data, avail, name, name_len) && name_len > 0);
    // The region lookup memop 8/9 use stays inside the buffer on any bytes (ASan).
    struct tbf_wfr r;
    for (uint32_t i = 0; i < 4; i++) {
        if (tbf_wfr_get(data, avail, i, &r))
            CHECK(size >= TBF_BASE_HEADER_SIZE);
    }

    // Walk the input as an apps region, as the kernel does: it must terminate (each step
    // advances by >= 16 bytes) and never read outside the buffer (ASan watches).
    uint32_t off = 0;
    unsigned steps = 0;
    while (off < avail) {
        st = tbf_parse(data + off, avail - off, &h);
        check(data + off, avail - off, st, &h);
        if (!tbf_walk_can_continue(st))
            break;
        CHECK(h.total_size >= TBF_BASE_HEADER_SIZE);
        off += h.total_size;
        CHECK(++steps <= avail / TBF_BASE_HEADER_SIZE);
    }
    return 0;
}
