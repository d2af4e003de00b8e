// SPDX-License-Identifier: Apache-2.0
// Boot-time app loader: walk the TBF objects in the apps region, create a process each.
//
// The loader keeps no table of candidates: it walks the apps region several times (one
// header parse per object per walk) and keeps what it decided in memory nobody uses yet,
// so the kernel stack holds one candidate at a time and the number of apps is limited
// only by the process pool. The process table itself lives at the bottom of the pool.
#include <stdarg.h>
#include <stddef.h>

#include "process.h"
#include "sched.h"
#include <cairn/kassert.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>
#include <cairn/tbf.h>

// The process RAM pool is filled from the top down: [pool_start, pool_top) is still free.
static uint32_t pool_start, pool_top;

uint32_t process_pool_free(void)
{
    return pool_top - pool_start;
}

// An app that passed every flash check, as one walk sees it.
struct candidate {
    uint32_t at;      // TBF start in flash
    uint32_t off;     // offset in the apps region, for messages
    uint32_t min_ram; // minimum_ram_size as the TBF states it (for messages)
    uint32_t want;    // RAM the app gets below its kernel part (rounded; valid if len)
    uint32_t len;     // the block the MPU needs for it (0: it cannot fit at all)
    struct tbf_header h;
};

// A placed block starts with this record until its process is created: the loader's
// decision kept in the block itself (the pool is unused until then). Blocks form a
// list from the last placed one; the first granule is zeroed again when the process
// starts (process_reset), so nothing of it reaches the app.
struct placed {
    uint32_t at;         // the candidate's TBF start in flash
    struct placed *next; // placed before this one
};

// "loader: app at offset 0x..... 'name': " then what (a format for the rest of the line).
static void report(const struct candidate *c, const char *what, ...)
{
    const struct tbf_header *h = &c->h;
    kprintf("loader: app at offset 0x%05x '%.*s': ", (unsigned)c->off,
            h->name ? (int)(h->name_len > 32 ? 32 : h->name_len) : 9,
            h->name ? h->name : "(unnamed)");
    va_list ap;
    va_start(ap, what);
    kvprintf(what, ap);
    va_end(ap);
}

// Parse the object at *at and advance *at past it. True with *c filled for a candidate;
// false for anything else (reported when verbose). *at == 0 ends the walk.
static bool next_candidate(const struct kernel_config *cfg, uint32_t *at, struct candidate *c,
                           bool verbose)
{
    uint32_t here = *at;
    struct tbf_header *h = &c->h;
    *h = (struct tbf_header){0};
    c->off = here - cfg->app_flash_start;
    enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)here, cfg->app_flash_end - here, h);
    *at = 0;
    if (st == TBF_END)
        return false;
    if (st != TBF_OK && !h->name)
        tbf_peek_name((const uint8_t *)(uintptr_t)here, cfg->app_flash_end - here, &h->name,
                      &h->name_len);
    if (!tbf_walk_can_continue(st)) {
        // The object's size cannot be trusted, so nothing after it can be found.
        if (verbose)
            report(c, "%s\nloader: apps after offset 0x%05x cannot be located, walk stopped\n",
                   tbf_status_str(st), (unsigned)c->off);
        return false;
    }
    uint32_t next = here + h->total_size;
    *at = next < cfg->app_flash_end ? next : 0;
    const char *skip = NULL;
    if (st == TBF_PADDING) {
        return false;
    } else if (st == TBF_DISABLED) {
        skip = "disabled, not started";
    } else if (st == TBF_ERR_KERNEL_VERSION) {
        skip = "built for kernel %u.%u, this is %u.%u";
    } else if (st == TBF_ERR_NO_KERNEL_VERSION) {
        // Tock's loader refuses these too: nothing says which ABI the app expects.
        skip = "no KernelVersion TLV (it says which ABI the app needs)";
    } else if (st != TBF_OK) {
        skip = tbf_status_str(st);
    } else if (!tbf_fixed_flash_ok(h, here)) {
        skip = "linked for another flash address";
    } else if (!arch_mpu_flash_ok(here, h->total_size)) {
        skip = "flash placement the MPU cannot protect (size/alignment)";
    } else if (h->has_fixed && h->fixed_ram != TBF_NOT_FIXED) {
        // Fixed-RAM apps (RISC-V style) are not placed by this board's MPU rules.
        skip = "asks for a fixed RAM address, not supported here";
    }
    if (skip) {
        if (verbose) {
            // Only the kernel-version reason has numbers (the others ignore them).
            report(c, skip, (unsigned)h->kernel_major, (unsigned)h->kernel_minor,
                   CAIRN_KERNEL_MAJOR, CAIRN_KERNEL_MINOR);
            kprintf(st == TBF_DISABLED ? "\n" : ", skipped\n");
        }
        return false;
    }
    // minimum_ram_size is untrusted and may be anything up to 2^32 - 1: the rounding is
    // done in 64 bits, and a request that does not even fit 32 bits once rounded can
    // never be placed (rounding it in 32 bits would wrap it to a tiny block).
    uint64_t want = h->minimum_ram_size < ARCH_MIN_APP_RAM ? ARCH_MIN_APP_RAM : h->minimum_ram_size;
    want = (want + 7u) & ~(uint64_t)7u;
    c->at = here;
    c->min_ram = h->minimum_ram_size;
    c->want = want > UINT32_MAX ? 0 : (uint32_t)want;
    uint32_t start;
    // The block size alone, from an unbounded pool: it orders the placement.
    if (want > UINT32_MAX ||
        !arch_mpu_place_ram(0, 0xFFFFF000u, c->want, process_kernel_part(), &start, &c->len))
        c->len = 0;
    return true;
}

unsigned loader_load_all(const struct kernel_config *cfg)
{
    struct candidate c;
    pool_start = cfg->app_ram_start;
    pool_top = cfg->app_ram_end;

    // Walk 1: count the candidates; the process table takes one pointer for each (at
    // most PROCESS_MAX) at the bottom of the pool, below every block.
    unsigned n = 0;
    for (uint32_t at = cfg->app_flash_start; at;)
        n += next_candidate(cfg, &at, &c, false);
    unsigned slots = n < PROCESS_MAX ? n : PROCESS_MAX;
    uint32_t table_bytes = ((uint32_t)slots * sizeof(struct process *) + 7u) & ~7u;
    if (table_bytes > pool_top - pool_start)
        slots = 0, table_bytes = 0;
    process_table_init((struct process **)(uintptr_t)pool_start, slots);
    pool_start += table_bytes;

    // Placement: largest blocks first, each as high as it fits, equal sizes in flash
    // order. Big blocks have the strictest alignment, so packing them from the aligned
    // top leaves the odd-sized remainder at the bottom for the small ones. One walk finds
    // the next size down, one places every candidate of that size. Slots and ids keep
    // flash order (the last walk). Once the slots run out, the first candidate refused
    // one is remembered: every candidate after it in placement order was refused too.
    struct placed *list = NULL;
    unsigned placed = 0;
    uint32_t size = UINT32_MAX, cut_len = 0, cut_at = 0;
    for (;;) {
        uint32_t next = 0;
        for (uint32_t at = cfg->app_flash_start; at;)
            if (next_candidate(cfg, &at, &c, false) && c.len < size && c.len > next)
                next = c.len;
        if (!next)
            break;
        size = next;
        for (uint32_t at = cfg->app_flash_start; at;) {
            uint32_t start, len;
            if (!next_candidate(cfg, &at, &c, false) || c.len != size)
                continue;
            if (placed == slots) {
                if (!cut_len)
                    cut_len = size, cut_at = c.at;
                continue;
            }
            if (!arch_mpu_place_ram(pool_start, pool_top, c.want, process_kernel_part(), &start,
                                    &len))
                continue;
            kassert(len == size);
            struct placed *rec = (struct placed *)(uintptr_t)start;
            rec->at = c.at;
            rec->next = list;
            list = rec;
            pool_top = start;
            placed++;
        }
    }

    // Last walk, verbose: create the placed ones in flash order, report the others.
    unsigned loaded = 0;
    for (uint32_t at = cfg->app_flash_start; at;) {
        if (!next_candidate(cfg, &at, &c, true))
            continue;
        // Unlinked before its process is created: that zeroes the record (see above).
        struct placed *r, **link = &list;
        while ((r = *link) && r->at != c.at)
            link = &r->next;
        if (r)
            *link = r->next;
        const char *name = c.h.name ? c.h.name : "";
        int name_len = (int)(c.h.name_len > 32 ? 32 : c.h.name_len);
        if (!r) {
            bool no_slot =
                c.len && cut_len && (c.len < cut_len || (c.len == cut_len && c.at >= cut_at));
            if (no_slot)
                report(&c, "no free process slot, skipped\n");
            else
                report(&c, "needs %u B of RAM + %u B kernel part, %u B left, skipped\n",
                       (unsigned)c.min_ram, (unsigned)process_kernel_part(),
                       (unsigned)(pool_top - pool_start));
            continue;
        }
        uint32_t start = (uint32_t)(uintptr_t)r, len = c.len;
        unsigned slot = loaded++;
        struct process *p =
            process_create(slot, c.at, c.h.total_size, c.at + tbf_app_start_offset(&c.h),
                           c.at + tbf_entry_offset(&c.h), c.h.name, c.h.name_len, start, len);
        // A 64 kB header cannot hold 2^16 regions of 8 bytes, so the count fits.
        p->wfr_count = (uint16_t)c.h.wfr_count;
        kprintf("loader: '%.*s' slot %u: flash 0x%08x (%u B), ram 0x%08x (%u B)\n", name_len, name,
                slot, (unsigned)c.at, (unsigned)c.h.total_size, (unsigned)start, (unsigned)len);
    }
    return loaded;
}
