// SPDX-License-Identifier: Apache-2.0
// Boot-time app loader: walk the TBF objects in the apps region, create a process each.
#include <stddef.h>

#include "process.h"
#include "sched.h"
#include <cairn/errorcode.h>
#include <cairn/kernel.h>
#include <cairn/kprint.h>
#include <cairn/procinfo.h>
#include <cairn/tbf.h>

// A function, not an expression: with ARCH_MIN_APP_RAM 0 (RISC-V) an inline comparison
// would be one the compiler flags as always false.
static inline uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static void print_name(const struct tbf_header *h)
{
    if (!h->name) {
        kprintf("(unnamed)");
        return;
    }
    for (uint32_t i = 0; i < h->name_len && i < 32; i++)
        kprintf("%c", h->name[i]);
}

static void report(uint32_t offset, const struct tbf_header *h, const char *what)
{
    kprintf("loader: app at offset 0x%05x '", (unsigned)offset);
    print_name(h);
    kprintf("': %s\n", what);
}

// Apps considered for RAM at once: a few more than there are process slots, so that an
// app that cannot get RAM does not cost a later one its slot.
#define LOADER_CANDIDATES_MAX (PROCESS_MAX + 4)

// The process RAM pool [pool_start, pool_end) and the blocks given out so far, sorted by
// address. Apps with a fixed RAM address get exactly that block; the others are packed
// from the top of the highest gap that holds them.
static uint32_t pool_start, pool_end;
static struct block {
    uint32_t start, len;
} blocks[LOADER_CANDIDATES_MAX];
static unsigned n_blocks;

uint32_t process_pool_free(void)
{
    uint32_t used = 0;
    for (unsigned i = 0; i < n_blocks; i++)
        used += blocks[i].len;
    return pool_end - pool_start - used;
}

static void add_block(uint32_t start, uint32_t len)
{
    unsigned i = n_blocks++;
    for (; i > 0 && blocks[i - 1].start > start; i--)
        blocks[i] = blocks[i - 1];
    blocks[i] = (struct block){start, len};
}

// True if [start, start + len) lies in the pool and touches no block given out.
static bool ram_free(uint32_t start, uint32_t len)
{
    if (start < pool_start || start > pool_end || len > pool_end - start)
        return false;
    for (unsigned i = 0; i < n_blocks; i++)
        if (start < blocks[i].start + blocks[i].len && blocks[i].start < start + len)
            return false;
    return true;
}

// start of a candidate that lost out on a process slot (all slots went to larger apps).
#define NO_SLOT 1u
// start of a fixed-RAM candidate whose block is taken or outside the pool.
#define FIXED_TAKEN 2u

// An app that passed every flash check, waiting for its RAM.
struct candidate {
    uint32_t start; // its RAM block, chosen between the two walks (len 0: none fits)
    uint32_t at;    // TBF start in flash
    uint32_t off;   // offset in the apps region, for messages
    uint32_t total; // TBF total_size
    uint32_t app_start, entry;
    uint32_t min_ram; // minimum_ram_size as the TBF states it (for messages)
    uint32_t want;    // RAM the app gets below its kernel part (rounded; valid if len)
    uint32_t len;     // the block the MPU needs for it (0: it cannot fit at all)
    const char *name;
    uint32_t name_len;
    uint32_t wfr_count; // writeable flash regions (checked by the parser)
    uint32_t fixed_ram; // FixedAddresses RAM address, or TBF_NOT_FIXED
};

static void print_cand_name(const struct candidate *c)
{
    for (uint32_t i = 0; i < c->name_len && i < 32; i++)
        kprintf("%c", c->name[i]);
}

static void admit(struct candidate *c);

// The same app's copy that wins over the runnable app h at `at` (Tock's uniqueness rule,
// tbf_blocked_by), or 0 if h wins. Costs one walk of the region per app: the app store
// leaves at most two copies of an app (an update in progress), so a region holds few.
static uint32_t superseded_by(const struct kernel_config *cfg, uint32_t at,
                              const struct tbf_header *h)
{
    for (uint32_t o = cfg->app_flash_start; o < cfg->app_flash_end;) {
        struct tbf_header b = {0};
        enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)o, cfg->app_flash_end - o, &b);
        if (!tbf_walk_can_continue(st))
            break;
        if (st == TBF_OK && tbf_blocked_by(h, at, &b, o))
            return o;
        o += b.total_size;
    }
    return 0;
}

// Walk the apps region and collect what can run, in flash order. The first walk is
// silent and only sizes the candidates; the second (verbose) reports each skipped object
// and admits each candidate where it stands, so messages come out in flash order.
static unsigned collect(const struct kernel_config *cfg, struct candidate *out, bool verbose)
{
    unsigned n = 0;
    uint32_t at = cfg->app_flash_start;
    while (at < cfg->app_flash_end) {
        struct tbf_header h = {0};
        uint32_t off = at - cfg->app_flash_start;
        enum tbf_status st = tbf_parse((const uint8_t *)(uintptr_t)at, cfg->app_flash_end - at, &h);
        if (st == TBF_END)
            break;
        if (st != TBF_OK && !h.name)
            tbf_peek_name((const uint8_t *)(uintptr_t)at, cfg->app_flash_end - at, &h.name,
                          &h.name_len);
        if (!tbf_walk_can_continue(st)) {
            // The object's size cannot be trusted, so nothing after it can be found.
            if (verbose) {
                report(off, &h, tbf_status_str(st));
                kprintf("loader: apps after offset 0x%05x cannot be located, walk stopped\n",
                        (unsigned)off);
            }
            break;
        }
        uint32_t next = at + h.total_size;
        const char *skip = NULL;
        char why[64];
        uint32_t winner;
        if (st == TBF_PADDING || st == TBF_RETIRED) {
            at = next; // free space (a removed or superseded app is free space too)
            continue;
        } else if (st == TBF_UNCOMMITTED) {
            skip = "install not completed (power cut or aborted), skipped";
        } else if (st == TBF_DISABLED) {
            skip = "disabled, not started";
        } else if (st == TBF_ERR_KERNEL_VERSION) {
            ksnprintf(why, sizeof why, "built for kernel %u.%u, this is %u.%u, skipped",
                      (unsigned)h.kernel_major, (unsigned)h.kernel_minor, CAIRN_KERNEL_MAJOR,
                      CAIRN_KERNEL_MINOR);
            skip = why;
        } else if (st == TBF_ERR_NO_KERNEL_VERSION) {
            // Tock's loader refuses these too: nothing says which ABI the app expects.
            skip = "no KernelVersion TLV (it says which ABI the app needs), skipped";
        } else if (st != TBF_OK) {
            ksnprintf(why, sizeof why, "%s, skipped", tbf_status_str(st));
            skip = why;
        } else if (!tbf_fixed_flash_ok(&h, at)) {
            // Linked for another slot: its code would run with every address wrong.
            ksnprintf(why, sizeof why, "linked for flash 0x%08x, installed at 0x%08x, skipped",
                      (unsigned)h.fixed_flash, (unsigned)(at + tbf_app_start_offset(&h)));
            skip = why;
        } else if ((winner = superseded_by(cfg, at, &h)) != 0) {
            ksnprintf(why, sizeof why, "superseded by the copy at offset 0x%05x, skipped",
                      (unsigned)(winner - cfg->app_flash_start));
            skip = why;
        } else if (!arch_mpu_flash_ok(at, h.total_size)) {
            skip = "flash placement the MPU cannot protect (size/alignment), skipped";
        } else if (n >= LOADER_CANDIDATES_MAX) {
            skip = "too many apps to consider, skipped";
        }
        if (skip) {
            if (verbose)
                report(off, &h, skip);
            at = next;
            continue;
        }
        // minimum_ram_size is untrusted and may be anything up to 2^32 - 1: the rounding
        // is done in 64 bits, and a request that does not even fit 32 bits once rounded
        // can never be placed (rounding it in 32 bits would wrap it to a tiny block).
        uint64_t want = max_u64(h.minimum_ram_size, ARCH_MIN_APP_RAM);
        want = (want + 7u) & ~(uint64_t)7u;
        struct candidate *c = &out[n];
        if (verbose) {
            admit(&out[n++]);
            at = next;
            continue;
        }
        n++;
        *c = (struct candidate){
            .at = at,
            .off = off,
            .total = h.total_size,
            .app_start = at + tbf_app_start_offset(&h),
            .entry = at + tbf_entry_offset(&h),
            .min_ram = h.minimum_ram_size,
            .want = want > UINT32_MAX ? 0 : (uint32_t)want,
            .name = h.name,
            .name_len = h.name_len,
            .wfr_count = h.wfr_count,
            .fixed_ram = h.has_fixed ? h.fixed_ram : TBF_NOT_FIXED,
        };
        uint32_t start;
        // The block size alone, from an unbounded pool: used to order the placement.
        if (want > UINT32_MAX ||
            !arch_mpu_place_ram(0, 0xFFFFF000u, c->want, process_kernel_part(), &start, &c->len))
            c->len = 0;
        // A fixed RAM address must be one the MPU can start a block of that size at: a
        // block placed in [fixed, fixed + len) then starts exactly there.
        uint32_t len2;
        if (c->len && c->fixed_ram != TBF_NOT_FIXED &&
            ((uint64_t)c->fixed_ram + c->len > 0xFFFFFFFFull ||
             !arch_mpu_place_ram(c->fixed_ram, c->fixed_ram + c->len, c->want,
                                 process_kernel_part(), &start, &len2) ||
             start != c->fixed_ram)) {
            c->len = 0;
            c->start = FIXED_TAKEN;
        }
        at = next;
    }
    return n;
}

static unsigned loaded;

// Create the process for a placed candidate (slots in flash order), or say why not.
static void admit(struct candidate *c)
{
    if (!c->len) {
        kprintf("loader: app at offset 0x%05x '", (unsigned)c->off);
        print_cand_name(c);
        if (c->start == NO_SLOT)
            kprintf("': no free process slot, skipped\n");
        else if (c->start == FIXED_TAKEN)
            kprintf("': linked for RAM at 0x%08x (%u B + %u B kernel part), which is not free "
                    "process RAM here (0x%08x-0x%08x, other apps' blocks excluded), skipped\n",
                    (unsigned)c->fixed_ram, (unsigned)c->min_ram, (unsigned)process_kernel_part(),
                    (unsigned)pool_start, (unsigned)pool_end);
        else
            kprintf("': needs %u B of RAM + %u B kernel part, %u B left, skipped\n",
                    (unsigned)c->min_ram, (unsigned)process_kernel_part(),
                    (unsigned)process_pool_free());
        return;
    }
    unsigned slot = loaded++;
    struct process *p = process_create(slot, c->at, c->total, c->app_start, c->entry, c->want,
                                       c->name, c->name_len, c->start, c->len);
    // A 64 kB header cannot hold 2^16 regions of 8 bytes, so the count fits.
    p->wfr_count = (uint16_t)c->wfr_count;
    kprintf("loader: '");
    print_cand_name(c);
    kprintf("' slot %u: flash 0x%08x (%u B), ram 0x%08x (%u B)\n", slot, (unsigned)c->at,
            (unsigned)c->total, (unsigned)c->start, (unsigned)c->len);
}

// Highest gap between given-out blocks (or the pool ends) that holds c's block.
static bool place_in_gap(const struct candidate *c, uint32_t *start, uint32_t *len)
{
    for (unsigned g = n_blocks + 1; g-- > 0;) {
        uint32_t lo = g == 0 ? pool_start : blocks[g - 1].start + blocks[g - 1].len;
        uint32_t hi = g == n_blocks ? pool_end : blocks[g].start;
        if (lo < hi && arch_mpu_place_ram(lo, hi, c->want, process_kernel_part(), start, len))
            return true;
    }
    return false;
}

unsigned loader_load_all(const struct kernel_config *cfg)
{
    struct candidate cand[LOADER_CANDIDATES_MAX];
    unsigned n = collect(cfg, cand, false);
    pool_start = cfg->app_ram_start;
    pool_end = cfg->app_ram_end;
    n_blocks = 0;
    bool done[LOADER_CANDIDATES_MAX] = {false};
    unsigned placed = 0;
    // Apps linked for a RAM address first, in flash order: they can go nowhere else.
    for (unsigned i = 0; i < n; i++) {
        struct candidate *c = &cand[i];
        if (c->fixed_ram == TBF_NOT_FIXED)
            continue;
        done[i] = true;
        if (placed == PROCESS_MAX) {
            c->len = 0;
            c->start = NO_SLOT;
        } else if (c->len && ram_free(c->fixed_ram, c->len)) {
            c->start = c->fixed_ram;
            add_block(c->start, c->len);
            placed++;
        } else {
            // Too large to size at all ("needs ..."), or its block is not free.
            c->start = c->len ? FIXED_TAKEN : c->start;
            c->len = 0;
        }
    }
    // Then the others, largest blocks first, each as high as it fits in the highest gap
    // that holds it: big blocks have the strictest alignment, so packing them from the
    // aligned top leaves the odd-sized remainder at the bottom for the small ones. Slots
    // and ids keep flash order.
    for (unsigned k = 0; k < n; k++) {
        unsigned best = n;
        for (unsigned i = 0; i < n; i++)
            if (!done[i] && (best == n || cand[i].len > cand[best].len))
                best = i;
        if (best == n)
            break; // the rest were placed by address
        struct candidate *c = &cand[best];
        done[best] = true;
        uint32_t start, len;
        if (placed == PROCESS_MAX) {
            c->len = 0;
            c->start = NO_SLOT;
        } else if (c->len && place_in_gap(c, &start, &len)) {
            c->start = start;
            c->len = len;
            add_block(start, len);
            placed++;
        } else {
            c->len = 0;
            c->start = 0;
        }
    }
    loaded = 0;
    collect(cfg, cand, true);
    return loaded;
}

// ---- run time: the app store starts and stops apps one at a time ------------------------
// Narrow on purpose (two functions over the same pool bookkeeping as the boot walk), so
// that a rewrite of the boot loader's internals only has to keep these two working.

static bool same_name(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
    if (alen != blen)
        return false;
    for (uint32_t i = 0; i < alen; i++)
        if (a[i] != b[i])
            return false;
    return true;
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
    unsigned slot = PROCESS_MAX;
    for (unsigned i = 0; i < PROCESS_MAX; i++) {
        const struct process *p = process_table[i];
        if (!p) {
            if (slot == PROCESS_MAX)
                slot = i;
        } else if (h.name_len && same_name(p->name, p->name_len, h.name, h.name_len)) {
            return ALREADY;
        }
    }
    if (slot == PROCESS_MAX || n_blocks >= LOADER_CANDIDATES_MAX)
        return BUSY; // no free process slot
    uint64_t want64 = max_u64(h.minimum_ram_size, ARCH_MIN_APP_RAM);
    want64 = (want64 + 7u) & ~(uint64_t)7u;
    if (want64 > UINT32_MAX)
        return NOMEM;
    struct candidate c = {.want = (uint32_t)want64};
    uint32_t start, len;
    if (h.has_fixed && h.fixed_ram != TBF_NOT_FIXED) {
        if (!arch_mpu_place_ram(h.fixed_ram, 0xFFFFF000u, c.want, process_kernel_part(), &start,
                                &len) ||
            start != h.fixed_ram || !ram_free(start, len))
            return NOMEM;
    } else if (!place_in_gap(&c, &start, &len)) {
        return NOMEM;
    }
    add_block(start, len);
    struct process *p =
        process_create(slot, at, h.total_size, at + tbf_app_start_offset(&h),
                       at + tbf_entry_offset(&h), c.want, h.name, h.name_len, start, len);
    p->wfr_count = (uint16_t)h.wfr_count;
    *slot_out = slot;
    return OK;
}

int loader_stop_app(unsigned slot)
{
    if (slot >= PROCESS_MAX || !process_table[slot])
        return INVAL;
    struct process *p = process_table[slot];
    process_terminate(p, 0);
    uint32_t start = p->mem_start;
    for (unsigned i = 0; i < n_blocks; i++) {
        if (blocks[i].start == start) {
            for (unsigned k = i + 1; k < n_blocks; k++)
                blocks[k - 1] = blocks[k];
            n_blocks--;
            break;
        }
    }
    process_table[slot] = NULL;
    return OK;
}
