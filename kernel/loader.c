// SPDX-License-Identifier: Apache-2.0
// Boot-time app loader: walk the TBF objects in the apps region, create a process each.
//
// The loader keeps no table of candidates: it walks the apps region several times (one
// header parse per object per walk) and keeps what it decided in memory nobody uses yet,
// so the kernel stack holds one candidate at a time and the number of apps is limited
// only by the process pool. The process table itself lives at the bottom of the pool.
// At run time the app store starts and stops single apps (loader_start_app/stop_app);
// then the live processes' blocks are the given-out RAM (the boot records are gone).
#include <stdarg.h>
#include <stddef.h>

#include "process.h"
#include "sched.h"
#include <cairn/errorcode.h>
#include <cairn/kassert.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/cred.h>
#include <cairn/procinfo.h>
#include <cairn/tbf.h>

// A function, not an expression: with ARCH_MIN_APP_RAM 0 (RISC-V) an inline comparison
// would be one the compiler flags as always false.
static inline uint32_t max_u32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

// The RAM an app gets below its kernel part: its minimum_ram_size (untrusted, anything
// up to 2^32 - 1), at least ARCH_MIN_APP_RAM, rounded up to 8 bytes. False if that does
// not fit 32 bits: such a request can never be placed (rounding it in 32 bits would wrap
// it to a tiny block).
static bool app_want(uint32_t min_ram, uint32_t *want)
{
    uint32_t w = max_u32(min_ram, ARCH_MIN_APP_RAM);
    if (w > UINT32_MAX - 7u)
        return false;
    *want = (w + 7u) & ~7u;
    return true;
}

// The process RAM pool, [pool_start, pool_end) once the process table is taken from its
// bottom, and what is left of it once the loader is done.
static uint32_t pool_start, pool_end, pool_free;

uint32_t process_pool_free(void)
{
    return pool_free;
}

// An app that passed every flash check, as one walk sees it.
struct candidate {
    uint32_t at;        // TBF start in flash
    uint32_t off;       // offset in the apps region, for messages
    uint32_t want;      // RAM the app gets below its kernel part (rounded; valid if len)
    uint32_t len;       // the block the MPU needs for it (0: it cannot fit at all)
    uint32_t fixed_ram; // FixedAddresses RAM address, or TBF_NOT_FIXED
    bool fixed_bad;     // fixed_ram is not where the MPU can start a block of that size
    struct tbf_header h;
};

// A given-out block starts with this record until its process is created: the loader's
// decision kept in the block itself (the pool is unused until then). The records form a
// list sorted by address, which also tells the gaps still free. The first granule is
// zeroed again when the process starts (process_reset), so nothing of it reaches the app.
struct placed {
    uint32_t at;         // the candidate's TBF start in flash
    uint32_t len;        // the block's length
    struct placed *next; // the block above it
};

static struct placed *blocks;

// Credential outcomes (enum cred_outcome) of the runnable objects that carry a SHA-256 or
// ECDSA footer, in walk order: checked once, before the first walk, because an ECDSA
// check costs millions of cycles and borrows pool RAM, which is free only before
// placement. Objects without such a footer are not counted: their outcome needs no hash
// and no RAM (a footer walk), so every walk works it out again, and their number stays
// limited by RAM alone. Checkable objects past LOADER_CRED_MAX are refused (never run
// unchecked).
#define LOADER_CRED_MAX 32u
#define CRED_TOO_MANY   0xFFu
static uint8_t cred_outcomes[LOADER_CRED_MAX];

// True if the object has a footer whose check costs a hash or a signature check; else
// *bad tells whether its footer walk ended at a malformed footer.
static bool checkable(const uint8_t *img, const struct tbf_header *h, bool *bad)
{
    uint32_t pos = h->binary_end_offset;
    struct tbf_footer f;
    enum tbf_footer_status st;
    while ((st = tbf_footer_next(img, h, &pos, &f)) == TBF_FOOTER_OK)
        if (f.format == TBF_CRED_SHA256 || f.format == TBF_CRED_ECDSA_P256)
            return true;
    *bad = st == TBF_FOOTER_BAD;
    return false;
}

// The cached outcome of the checkable object at `at`: its rank among the checkable objects
// before it. Not inlined: its header copy stays off the kernel stack of the walks that
// meet only unsigned apps.
static __attribute__((noinline)) unsigned cached_outcome(const struct kernel_config *cfg,
                                                         uint32_t at)
{
    unsigned n = 0;
    bool bad;
    for (uint32_t o = cfg->app_flash_start; o < cfg->app_flash_end && o < at;) {
        struct tbf_header b;
        const uint8_t *bi = (const uint8_t *)(uintptr_t)o;
        enum tbf_status st = tbf_parse(bi, cfg->app_flash_end - o, &b);
        if (!tbf_walk_can_continue(st))
            break;
        n += st == TBF_OK && checkable(bi, &b, &bad);
        o += b.total_size;
    }
    return n < LOADER_CRED_MAX ? cred_outcomes[n] : CRED_TOO_MANY;
}

// The outcome for the runnable object h at `at` (one more header walk up to it if it is
// checkable). For the others it is what cred_check would answer without hashing, worked
// out here: cred_check's frame is too deep for the 1 kB kernel stack at this depth of the
// loader's walks.
static unsigned cred_outcome_at(const struct kernel_config *cfg, uint32_t at,
                                const struct tbf_header *h)
{
    const struct app_checker *c = cfg->checker;
    bool bad = false;
    if (!CAIRN_FEATURE_CREDS || !c)
        return CRED_UNCHECKED;
    if (!checkable((const uint8_t *)(uintptr_t)at, h, &bad))
        return !c->require_signature ? CRED_UNCHECKED : bad ? CRED_R_MALFORMED : CRED_R_UNSIGNED;
    return cached_outcome(cfg, at);
}

// Checks the checkable runnable objects' credentials, lending the top of the (still
// empty) pool.
static void check_credentials(const struct kernel_config *cfg)
{
    const struct app_checker *c = cfg->checker;
    if (!CAIRN_FEATURE_CREDS || !c)
        return;
    uintptr_t scratch = 0;
    if (pool_end - pool_start >= CRED_SCRATCH_LEN + 8u)
        scratch = (pool_end - CRED_SCRATCH_LEN) & ~(uintptr_t)7u;
    unsigned n = 0;
    for (uint32_t o = cfg->app_flash_start; o < cfg->app_flash_end && n < LOADER_CRED_MAX;) {
        struct tbf_header b;
        const uint8_t *img = (const uint8_t *)(uintptr_t)o;
        enum tbf_status st = tbf_parse(img, cfg->app_flash_end - o, &b);
        if (!tbf_walk_can_continue(st))
            break;
        bool bad;
        if (st == TBF_OK && checkable(img, &b, &bad))
            cred_outcomes[n++] = (uint8_t)c->check(c, img, &b, scratch, NULL);
        o += b.total_size;
    }
}

static uint32_t rec_start(const struct placed *r)
{
    return (uint32_t)(uintptr_t)r;
}

// Record the block [start, start + len) for the app at `at`, keeping the list sorted.
static void add_block(uint32_t at, uint32_t start, uint32_t len)
{
    struct placed *r = (struct placed *)(uintptr_t)start, **link = &blocks;
    while (*link && rec_start(*link) < start)
        link = &(*link)->next;
    *r = (struct placed){at, len, *link};
    *link = r;
}

// True if [start, start + len) lies in the pool and touches no block given out.
static bool ram_free(uint32_t start, uint32_t len)
{
    if (start < pool_start || start > pool_end || len > pool_end - start)
        return false;
    for (const struct placed *r = blocks; r; r = r->next)
        if (start < rec_start(r) + r->len && rec_start(r) < start + len)
            return false;
    return true;
}

// The same app's copy that wins over the runnable app h at `at` (Tock's uniqueness rule,
// tbf_blocked_by), or 0 if h wins. Costs one walk of the region per app and walk: the app
// store leaves at most two copies of an app (an update in progress), and a region holds
// few apps.
static uint32_t superseded_by(const struct kernel_config *cfg, uint32_t at,
                              const struct tbf_header *h)
{
    for (uint32_t o = cfg->app_flash_start; o < cfg->app_flash_end;) {
        struct tbf_header b = {0};
        enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)o, cfg->app_flash_end - o, &b);
        if (!tbf_walk_can_continue(st))
            break;
        if (st == TBF_OK && tbf_blocked_by(h, at, &b, o) &&
            cred_runs((enum cred_outcome)cred_outcome_at(cfg, o, &b)))
            return o;
        o += b.total_size;
    }
    return 0;
}

// c's block in the highest gap between given-out blocks (or the pool ends) that holds it.
static bool place_in_gap(const struct candidate *c, uint32_t *start, uint32_t *len)
{
    bool found = false;
    uint32_t lo = pool_start;
    for (const struct placed *r = blocks;; r = r->next) {
        uint32_t hi = r ? rec_start(r) : pool_end, s, l;
        // Gaps come in address order: the last one that holds it is the highest.
        if (lo < hi && arch_mpu_place_ram(lo, hi, c->want, process_kernel_part(), &s, &l)) {
            *start = s;
            *len = l;
            found = true;
        }
        if (!r)
            return found;
        lo = rec_start(r) + r->len;
    }
}

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
            report(c, "%s; walk stopped (nothing after it can be located)\n", tbf_status_str(st));
        return false;
    }
    uint32_t next = here + h->total_size;
    *at = next < cfg->app_flash_end ? next : 0;
    const char *skip = NULL;
    // Every reason's numbers, for the formats that use them (the others ignore them).
    uint32_t n0 = h->kernel_major, n1 = h->kernel_minor, n2 = CAIRN_KERNEL_MAJOR,
             n3 = CAIRN_KERNEL_MINOR, winner;
    unsigned cred = CRED_UNCHECKED;
    if (st == TBF_PADDING || st == TBF_RETIRED) {
        return false; // free space (a removed or superseded app is free space too)
    } else if (st == TBF_ERR_KERNEL_VERSION) {
        skip = "built for kernel %u.%u, this is %u.%u";
    } else if (st != TBF_OK) {
        // The status's own text (tbf_status_str), e.g. for an app without KernelVersion,
        // which Tock's loader refuses too: nothing says which ABI the app expects.
        skip = tbf_status_str(st);
    } else if (!tbf_fixed_flash_ok(h, here)) {
        // Linked for another slot: its code would run with every address wrong.
        skip = "linked for flash 0x%08x, installed at 0x%08x";
        n0 = h->fixed_flash;
        n1 = here + tbf_app_start_offset(h);
    } else if (!cred_runs((enum cred_outcome)(cred = cred_outcome_at(cfg, here, h)))) {
        // One line naming the app and the reason (the rest of the region still boots).
        if (verbose)
            report(c, "refused: %s\n",
                   cred == CRED_TOO_MANY
                       ? "more signed or hashed apps than the loader checks credentials for"
                       : cred_outcome_str((enum cred_outcome)cred));
        return false;
    } else if ((winner = superseded_by(cfg, here, h)) != 0) {
        // A tie is a duplicate ShortId (tbf_blocked_by): name it as such.
        struct tbf_header w;
        tbf_parse((const uint8_t *)(uintptr_t)winner, cfg->app_flash_end - winner, &w);
        skip = w.app_version == h->app_version ? "ShortId 0x%08x already used by the app at offset "
                                                 "0x%05x"
                                               : "superseded by the copy at offset 0x%05x";
        n0 = winner - cfg->app_flash_start;
        if (w.app_version == h->app_version) {
            n1 = n0;
            n0 = h->short_id;
        }
    } else if (!arch_mpu_flash_ok(here, h->total_size)) {
        skip = "flash size or alignment the MPU cannot protect";
    }
    if (skip) {
        if (verbose) {
            report(c, skip, (unsigned)n0, (unsigned)n1, (unsigned)n2, (unsigned)n3);
            kprintf(st == TBF_DISABLED ? ", not started\n" : ", skipped\n");
        }
        return false;
    }
    c->at = here;
    c->want = 0;
    bool fits = app_want(h->minimum_ram_size, &c->want);
    c->fixed_ram = h->has_fixed ? h->fixed_ram : TBF_NOT_FIXED;
    c->fixed_bad = false;
    uint32_t start, len2;
    // The block size alone, from an unbounded pool: it orders the placement.
    if (!fits ||
        !arch_mpu_place_ram(0, 0xFFFFF000u, c->want, process_kernel_part(), &start, &c->len))
        c->len = 0;
    // A fixed RAM address must be one the MPU can start a block of that size at: a block
    // placed in [fixed, fixed + len) then starts exactly there (fixed + len past 2^32 - 1,
    // i.e. len > ~fixed, never does).
    if (c->len && c->fixed_ram != TBF_NOT_FIXED &&
        (c->len > ~c->fixed_ram ||
         !arch_mpu_place_ram(c->fixed_ram, c->fixed_ram + c->len, c->want, process_kernel_part(),
                             &start, &len2) ||
         start != c->fixed_ram)) {
        c->len = 0;
        c->fixed_bad = true;
    }
    return true;
}

unsigned loader_load_all(const struct kernel_config *cfg)
{
    struct candidate c;
    pool_start = cfg->app_ram_start;
    pool_end = cfg->app_ram_end;
    blocks = NULL;
    // Before anything is taken from the pool: the check borrows its top.
    check_credentials(cfg);

    // Walk 1: count the candidates; the process table takes one pointer for each, and
    // the board's spare slots for apps started later (at most PROCESS_MAX in all), at the
    // bottom of the pool, below every block.
    unsigned n = cfg->spare_slots;
    for (uint32_t at = cfg->app_flash_start; at;)
        n += next_candidate(cfg, &at, &c, false);
    unsigned slots = n < PROCESS_MAX ? n : PROCESS_MAX;
    uint32_t table_bytes = ((uint32_t)slots * sizeof(struct process *) + 7u) & ~7u;
    if (table_bytes > pool_end - pool_start)
        slots = 0, table_bytes = 0;
    process_table_init((struct process **)(uintptr_t)pool_start, slots);
    pool_start += table_bytes;

    // Placement. Apps linked for a RAM address first, in flash order: they can go nowhere
    // else. Then the others, largest blocks first (equal sizes in flash order), each as
    // high as it fits in the highest gap that holds it: big blocks have the strictest
    // alignment, so packing them from the aligned top leaves the odd-sized remainder at
    // the bottom for the small ones. One walk finds the next size down, one places every
    // candidate of that size. Slots and ids keep flash order (the last walk). Once the
    // slots run out, the first candidate refused one is remembered: every candidate after
    // it in placement order was refused one too.
    unsigned placed = 0;
    uint32_t cut_fixed_at = 0, cut_len = 0, cut_at = 0;
    for (uint32_t at = cfg->app_flash_start; at;) {
        if (!next_candidate(cfg, &at, &c, false) || c.fixed_ram == TBF_NOT_FIXED)
            continue;
        if (placed == slots) {
            if (!cut_fixed_at)
                cut_fixed_at = c.at;
        } else if (c.len && ram_free(c.fixed_ram, c.len)) {
            add_block(c.at, c.fixed_ram, c.len);
            placed++;
        }
    }
    for (uint32_t size = UINT32_MAX;;) {
        uint32_t next = 0;
        for (uint32_t at = cfg->app_flash_start; at;)
            if (next_candidate(cfg, &at, &c, false) && c.fixed_ram == TBF_NOT_FIXED &&
                c.len < size && c.len > next)
                next = c.len;
        if (!next)
            break;
        size = next;
        for (uint32_t at = cfg->app_flash_start; at;) {
            uint32_t start, len;
            if (!next_candidate(cfg, &at, &c, false) || c.fixed_ram != TBF_NOT_FIXED ||
                c.len != size)
                continue;
            if (placed == slots) {
                if (!cut_len)
                    cut_len = size, cut_at = c.at;
            } else if (place_in_gap(&c, &start, &len)) {
                kassert(len == size);
                add_block(c.at, start, len);
                placed++;
            }
        }
    }
    pool_free = pool_end - pool_start;
    for (const struct placed *r = blocks; r; r = r->next)
        pool_free -= r->len;

    // Last walk, verbose: create the placed ones in flash order, report the others.
    unsigned loaded = 0;
    for (uint32_t at = cfg->app_flash_start; at;) {
        if (!next_candidate(cfg, &at, &c, true))
            continue;
        // Unlinked before its process is created: that zeroes the record (see above).
        struct placed *r, **link = &blocks;
        while ((r = *link) && r->at != c.at)
            link = &r->next;
        if (!r) {
            bool fixed = c.fixed_ram != TBF_NOT_FIXED;
            bool no_slot = fixed ? cut_fixed_at && c.at >= cut_fixed_at
                                 : c.len && (cut_fixed_at ||
                                             (cut_len && (c.len < cut_len ||
                                                          (c.len == cut_len && c.at >= cut_at))));
            if (no_slot)
                report(&c, "no free process slot, skipped\n");
            else if (fixed && (c.len || c.fixed_bad))
                report(&c,
                       "linked for RAM at %p (%u B + %u B kernel part), not free in the "
                       "pool %p-%p, skipped\n",
                       KADDR(c.fixed_ram), (unsigned)c.h.minimum_ram_size,
                       (unsigned)process_kernel_part(), KADDR(pool_start), KADDR(pool_end));
            else {
                report(&c, "needs %u B of RAM + %u B kernel part, %u B left, skipped",
                       (unsigned)c.h.minimum_ram_size, (unsigned)process_kernel_part(),
                       (unsigned)pool_free);
                // The block the MPU needs is what did not fit: say how large it is, and
                // why when rounding made it larger than the request (PMSAv7: power-of-two
                // blocks aligned to their size; "B left" may then look like plenty).
                if (c.len) {
                    bool pow2 = !(c.len & (c.len - 1)) && c.len > c.want + process_kernel_part();
                    kprintf(": MPU block %u B%s, no free gap that large", (unsigned)c.len,
                            pow2 ? " (a power of two, aligned to its size)" : "");
                }
                kprintf("\n");
            }
            continue;
        }
        *link = r->next;
        uint32_t start = rec_start(r), len = r->len;
        unsigned slot = loaded++;
        struct process *p =
            process_create(slot, c.at, c.h.total_size, c.at + tbf_app_start_offset(&c.h),
                           c.at + tbf_entry_offset(&c.h), c.h.name, c.h.name_len, start, len);
        // A 64 kB header cannot hold 2^16 regions of 8 bytes, so the count fits.
        p->wfr_count = (uint16_t)c.h.wfr_count;
        process_set_permissions(p, &c.h);
        kprintf("loader: '%.*s' slot %u: flash %p (%u B), ram %p (%u B)\n",
                (int)(c.h.name_len > 32 ? 32 : c.h.name_len), c.h.name ? c.h.name : "", slot,
                KADDR(c.at), (unsigned)c.h.total_size, KADDR(start), (unsigned)len);
    }
    return loaded;
}

// ---- run time: the app store starts and stops apps one at a time ------------------------
// Narrow on purpose: two functions over the pool as the live processes hold it, so that
// the boot walk's internals stay free to change.

static bool same_name(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
    if (alen != blen)
        return false;
    for (uint32_t i = 0; i < alen; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

// The ShortId TLV of a live process's TBF (0 if none): read from its header in flash, so
// the control block does not grow for it.
static uint32_t short_id_of(const struct process *p)
{
    struct tbf_header h;
    enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)p->flash_start, p->flash_len, &h);
    return st == TBF_OK || st == TBF_DISABLED ? h.short_id : 0;
}

// The lowest start of a live process's block at or above lo, or pool_end.
static uint32_t next_taken(uint32_t lo)
{
    uint32_t hi = pool_end;
    for (unsigned i = 0; i < process_count; i++) {
        const struct process *p = process_table[i];
        if (p && p->mem_start >= lo && p->mem_start < hi)
            hi = p->mem_start;
    }
    return hi;
}

// True if [start, start + len) is in the pool and touches no live process's block.
static bool run_ram_free(uint32_t start, uint32_t len)
{
    if (start < pool_start || start > pool_end || len > pool_end - start)
        return false;
    for (unsigned i = 0; i < process_count; i++) {
        const struct process *p = process_table[i];
        if (p && start < p->mem_start + p->mem_len && p->mem_start < start + len)
            return false;
    }
    return true;
}

// The highest block for want in a gap between live processes' blocks (as place_in_gap
// does at boot). Each gap starts at the pool start or at a block's end.
static bool run_place(uint32_t want, uint32_t *start, uint32_t *len)
{
    bool found = false;
    for (unsigned i = 0; i <= process_count; i++) {
        const struct process *p = i < process_count ? process_table[i] : NULL;
        if (i < process_count && !p)
            continue;
        uint32_t lo = p ? p->mem_start + p->mem_len : pool_start, hi = next_taken(lo), s, l;
        if (lo < hi && arch_mpu_place_ram(lo, hi, want, process_kernel_part(), &s, &l) &&
            (!found || s > *start)) {
            *start = s;
            *len = l;
            found = true;
        }
    }
    return found;
}

int loader_start_app(uint32_t at, uint32_t avail, unsigned *slot_out)
{
    struct tbf_header h = {0};
    if (tbf_parse((const uint8_t *)(uintptr_t)at, avail, &h) != TBF_OK)
        return INVAL;
    if (!tbf_fixed_flash_ok(&h, at) || !arch_mpu_flash_ok(at, h.total_size))
        return INVAL;
    // Never two copies of one app (Tock's rule for a running process): the store stops
    // the old version before it starts the new one.
    unsigned slot = process_count;
    for (unsigned i = 0; i < process_count; i++) {
        const struct process *p = process_table[i];
        if (!p) {
            if (slot == process_count)
                slot = i;
        } else if ((h.name_len && same_name(p->name, p->name_len, h.name, h.name_len)) ||
                   (h.short_id && h.short_id == short_id_of(p))) {
            return ALREADY;
        }
    }
    if (slot == process_count)
        return BUSY; // no free process slot
    uint32_t want, start, len;
    if (!app_want(h.minimum_ram_size, &want))
        return NOMEM;
    if (h.has_fixed && h.fixed_ram != TBF_NOT_FIXED) {
        if (!arch_mpu_place_ram(h.fixed_ram, 0xFFFFF000u, want, process_kernel_part(), &start,
                                &len) ||
            start != h.fixed_ram || !run_ram_free(start, len))
            return NOMEM;
    } else if (!run_place(want, &start, &len)) {
        return NOMEM;
    }
    pool_free -= len;
    struct process *p = process_create(slot, at, h.total_size, at + tbf_app_start_offset(&h),
                                       at + tbf_entry_offset(&h), h.name, h.name_len, start, len);
    p->wfr_count = (uint16_t)h.wfr_count;
    process_set_permissions(p, &h);
    *slot_out = slot;
    return OK;
}

// Start of len free bytes (8-aligned) in a gap between live processes' blocks, or 0.
static uintptr_t run_free_gap(uint32_t len)
{
    for (unsigned i = 0; i <= process_count; i++) {
        const struct process *p = i < process_count ? process_table[i] : NULL;
        if (i < process_count && !p)
            continue;
        uint32_t lo = p ? p->mem_start + p->mem_len : pool_start, hi = next_taken(lo);
        if (lo < hi && hi - lo >= len + 8u)
            return (lo + 7u) & ~(uintptr_t)7u;
    }
    return 0;
}

// The app store's check runs on borrowed RAM too: above the ECDSA check's own scratch,
// a stack for the header copy below (the kernel stack has no room for it).
#define CHECK_HDR_MAX   256u // TBF headers the app store accepts (APPSTORE_HDR_MAX)
#define CHECK_JOB_STACK 1536u

struct check_job {
    const uint8_t *img, *base;
    uint32_t avail;
    uintptr_t scratch;
    const char *why;
};

static void check_job_run(void *arg)
{
    struct check_job *j = arg;
    // The staged image's base header is not in flash until commit: parse a copy with the
    // real one in front. tbf_parse reads no further than header_size (cairn/tbf.h).
    uint8_t hdr[CHECK_HDR_MAX];
    uint32_t hs = (uint32_t)(j->base[2] | j->base[3] << 8);
    if (hs < TBF_BASE_HEADER_SIZE || hs > CHECK_HDR_MAX || hs > j->avail) {
        j->why = "header too large to check";
        return;
    }
    for (uint32_t i = 0; i < hs; i++)
        hdr[i] = i < TBF_BASE_HEADER_SIZE ? j->base[i] : j->img[i];
    struct tbf_header h;
    enum tbf_status st = tbf_parse(hdr, j->avail, &h);
    if (st != TBF_OK || h.total_size > j->avail) {
        j->why = tbf_status_str(st);
        return;
    }
    const struct app_checker *c = kernel_config()->checker;
    enum cred_outcome o = c->check(c, j->img, &h, j->scratch, j->base);
    j->why = cred_runs(o) ? NULL : cred_outcome_str(o);
}

const char *loader_check_app(const uint8_t *img, uint32_t avail, const uint8_t base[16])
{
    const struct app_checker *c = kernel_config()->checker;
    if (!c)
        return NULL;
    // Borrowed RAM is in no process's block, and no process is started before the check
    // returns (the store starts the app only after commit).
    uintptr_t scratch = run_free_gap(CRED_SCRATCH_LEN + CHECK_JOB_STACK);
    if (!scratch)
        return cred_outcome_str(CRED_R_NO_RAM);
    struct check_job j = {img, base, avail, scratch, NULL};
    arch_call_on_stack(check_job_run, &j, scratch + CRED_SCRATCH_LEN + CHECK_JOB_STACK);
    return j.why;
}

int loader_stop_app(unsigned slot)
{
    if (slot >= process_count || !process_table[slot])
        return INVAL;
    struct process *p = process_table[slot];
    process_terminate(p, 0);
    // Its block (control block included) is free from here: nothing may use p after.
    pool_free += p->mem_len;
    process_table[slot] = NULL;
    return OK;
}
