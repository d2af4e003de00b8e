// SPDX-License-Identifier: Apache-2.0
// App store over the flash HIL: stage, verify, commit, retire, reclaim (see appstore.h).
#include <stdarg.h>
#include <stddef.h>

#include "appstore.h"

#include <cairn/errorcode.h>
#include <cairn/kprint.h>

enum state {
    ST_IDLE,
    ST_ERASING, // erase_at..end: erase every page not yet erased, in address order
    ST_PADDING, // the padding object in front of the new one
    ST_STAGING, // waiting for the next chunk
    ST_WRITING,
    ST_COMMIT_BASE, // base header words 0-2 (the object joins the chain, uncommitted)
    ST_COMMIT_SUM,  // the checksum word: committed
    ST_UNDO_NEW,    // the new copy could not start: retire it again
    ST_RETIRING,    // old copies, losers first
};

// What the erase sequence leads to.
enum phase { PH_BEGIN, PH_RECLAIM };

static void flash_done(struct flash_client *c, int err);

#define STORE_OF(c) ((struct appstore *)((uint8_t *)(c)-offsetof(struct appstore, client)))

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

uint32_t appstore_crc32(uint32_t crc, const uint8_t *p, uint32_t len)
{
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static const struct flash_info *info(const struct appstore *s)
{
    return &s->flash->info;
}

static int fail(struct appstore *s, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct appstore *s, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    return err;
}

const char *appstore_msg(const struct appstore *s)
{
    return s->msg;
}

// Objects that never run and hold nothing: what reclaiming may erase.
static bool is_free(enum tbf_status st)
{
    return st == TBF_PADDING || st == TBF_RETIRED || st == TBF_UNCOMMITTED;
}

// Committed copies an identity check counts (a disabled app is installed too).
static bool is_committed_app(enum tbf_status st)
{
    return st == TBF_OK || st == TBF_DISABLED;
}

static enum tbf_status parse_at(const struct appstore *s, uint32_t off, struct tbf_header *h)
{
    *h = (struct tbf_header){0};
    return tbf_parse(info(s)->map + off, info(s)->size - off, h);
}

// The chain: *end = offset where the walk stops, *free_from = first object of the longest
// run of free objects that reaches the end (== *end if none).
static void walk(const struct appstore *s, uint32_t *end, uint32_t *free_from)
{
    uint32_t off = 0, ff = 0;
    bool in_free = false;
    while (off < info(s)->size) {
        struct tbf_header h;
        enum tbf_status st = parse_at(s, off, &h);
        if (!tbf_walk_can_continue(st))
            break;
        if (is_free(st)) {
            if (!in_free)
                ff = off;
            in_free = true;
        } else {
            in_free = false;
        }
        off += h.total_size;
    }
    *end = off;
    *free_from = in_free ? ff : off;
}

static bool page_erased(const struct appstore *s, uint32_t off, uint32_t len)
{
    const uint8_t *p = info(s)->map + off;
    for (uint32_t i = 0; i < len; i++)
        if (p[i] != 0xFF)
            return false;
    return true;
}

// Where new objects may start (*tail), and the first page the store may erase there
// (*erase_from, page aligned, >= *tail). Everything from *tail on is free or beyond the
// chain. False if the chain ends inside a page whose rest is not erased (a layout the
// store did not make; it can then add nothing).
static bool tail_of(const struct appstore *s, uint32_t *tail, uint32_t *erase_from)
{
    uint32_t end, ff, ps = info(s)->page_size;
    walk(s, &end, &ff);
    // The first free object of the run that starts a page can be erased whole.
    for (uint32_t off = ff; off < end;) {
        if (off % ps == 0) {
            *tail = *erase_from = off;
            return true;
        }
        struct tbf_header h;
        parse_at(s, off, &h);
        off += h.total_size;
    }
    *tail = end;
    *erase_from = (end + ps - 1) & ~(ps - 1);
    if (*erase_from > info(s)->size)
        *erase_from = info(s)->size;
    return page_erased(s, end, *erase_from - end);
}

uint32_t appstore_free_tail(const struct appstore *s)
{
    uint32_t t, e;
    if (!tail_of(s, &t, &e))
        return 0;
    return info(s)->size - t;
}

void appstore_init(struct appstore *s, struct flash *f, const struct appstore_procs *procs,
                   bool pow2_align, appstore_done_fn done)
{
    *s = (struct appstore){0};
    s->flash = f;
    s->procs = procs;
    s->pow2_align = pow2_align;
    s->done = done;
    s->client.done = flash_done;
    flash_set_client(f, &s->client);
}

static void finish(struct appstore *s, int err)
{
    s->state = err == OK && s->phase == PH_BEGIN ? ST_STAGING : ST_IDLE;
    if (s->in_call) {
        // Finished without waiting for the flash: the call itself returns the result
        // (a callback never runs inside the call).
        s->sync_done = true;
        s->err = err;
        return;
    }
    if (s->done)
        s->done(s, err, s->msg);
}

// Run the first steps of a sequence inside a call: its result, or APPSTORE_PENDING.
static int settle(struct appstore *s, void (*first)(struct appstore *))
{
    s->in_call = true;
    s->sync_done = false;
    first(s);
    s->in_call = false;
    return s->sync_done ? s->err : APPSTORE_PENDING;
}

// ---- erase sequence ----------------------------------------------------------------------

static void step(struct appstore *s);

static void start_erase(struct appstore *s, uint32_t from, enum phase ph)
{
    s->erase_at = from;
    s->phase = (uint8_t)ph;
    s->state = ST_ERASING;
}

// Issue the next operation of the current state, or move on. Returns when an operation
// is in flight or the sequence has finished (then finish() ran).
static void step(struct appstore *s)
{
    uint32_t ps = info(s)->page_size;
    for (;;) {
        switch (s->state) {
        case ST_ERASING:
            while (s->erase_at < info(s)->size && page_erased(s, s->erase_at, ps))
                s->erase_at += ps;
            if (s->erase_at < info(s)->size) {
                uint32_t at = s->erase_at;
                s->erase_at += ps;
                if (flash_erase_page(s->flash, at) != OK) {
                    fail(s, FAIL, "flash erase failed at 0x%x", (unsigned)at);
                    finish(s, FAIL);
                }
                return;
            }
            if (s->phase == PH_RECLAIM) {
                finish(s, OK);
                return;
            }
            if (s->pad_at != 0xFFFFFFFFu) {
                s->state = ST_PADDING;
                if (flash_write(s->flash, s->pad_at, s->pad, 16) != OK) {
                    fail(s, FAIL, "flash write failed");
                    finish(s, FAIL);
                }
                return;
            }
            finish(s, OK);
            return;
        default:
            return;
        }
    }
}

// After a commit, update or remove: erase what follows the last committed object.
static void reclaim(struct appstore *s)
{
    uint32_t tail, from;
    if (!tail_of(s, &tail, &from)) {
        finish(s, OK); // nothing the store may erase
        return;
    }
    start_erase(s, from, PH_RECLAIM);
    step(s);
}

// ---- retiring ----------------------------------------------------------------------------

// Next copy of the app (name) to retire, other than new_at: one some other remaining
// copy beats first, so the winner (what boots) changes only with the last retire.
static bool next_to_retire(struct appstore *s, uint32_t *which)
{
    uint32_t first = 0xFFFFFFFFu;
    for (uint32_t a = 0; a < info(s)->size;) {
        struct tbf_header ha;
        enum tbf_status st = parse_at(s, a, &ha);
        if (!tbf_walk_can_continue(st))
            break;
        uint32_t next = a + ha.total_size;
        struct tbf_header id = {
            .name = s->name, .name_len = s->name_len, .short_id = s->name_short_id};
        if (a != s->new_at && is_committed_app(st) && tbf_same_app(&ha, &id)) {
            if (first == 0xFFFFFFFFu)
                first = a;
            for (uint32_t b = 0; b < info(s)->size;) {
                struct tbf_header hb;
                enum tbf_status sb = parse_at(s, b, &hb);
                if (!tbf_walk_can_continue(sb))
                    break;
                if (is_committed_app(sb) && tbf_blocked_by(&ha, a, &hb, b)) {
                    *which = a;
                    return true;
                }
                b += hb.total_size;
            }
        }
        a = next;
    }
    *which = first;
    return first != 0xFFFFFFFFu;
}

static void retire_next(struct appstore *s)
{
    uint32_t at;
    if (!next_to_retire(s, &at)) {
        reclaim(s);
        return;
    }
    s->state = ST_RETIRING;
    s->zero_word = TBF_CHECKSUM_RETIRED;
    if (flash_write(s->flash, at + 12, (const uint8_t *)&s->zero_word, 4) != OK) {
        fail(s, FAIL, "flash write failed");
        finish(s, FAIL);
    }
}

// ---- flash completions -------------------------------------------------------------------

static void committed(struct appstore *s);

static void flash_done(struct flash_client *c, int err)
{
    struct appstore *s = STORE_OF(c);
    if (err != OK) {
        fail(s, FAIL, "flash operation failed");
        finish(s, FAIL);
        return;
    }
    switch (s->state) {
    case ST_ERASING:
        step(s);
        return;
    case ST_PADDING:
        finish(s, OK);
        return;
    case ST_WRITING:
        s->written += s->chunk_len;
        s->state = ST_STAGING;
        if (s->done)
            s->done(s, OK, s->msg);
        return;
    case ST_COMMIT_BASE: {
        struct tbf_header h;
        enum tbf_status st = parse_at(s, s->at, &h);
        if (st != TBF_UNCOMMITTED) {
            // Cannot happen for an image whose header was checked and whose CRC matched;
            // it stays an uncommitted object, skipped at boot and reclaimed later.
            fail(s, FAIL, "written image reads back as '%s'", tbf_status_str(st));
            finish(s, FAIL);
            return;
        }
        s->state = ST_COMMIT_SUM;
        if (flash_write(s->flash, s->at + 12, s->base + 12, 4) != OK) {
            fail(s, FAIL, "flash write failed");
            finish(s, FAIL);
        }
        return;
    }
    case ST_COMMIT_SUM:
        committed(s);
        return;
    case ST_UNDO_NEW:
        // The new copy is retired again: flash holds the old set. Restart the old winner.
        if (s->kind == APPSTORE_UPDATE && s->procs) {
            for (uint32_t a = 0; a < info(s)->size;) {
                struct tbf_header h;
                enum tbf_status st = parse_at(s, a, &h);
                if (!tbf_walk_can_continue(st))
                    break;
                unsigned slot;
                if (st == TBF_OK &&
                    s->procs->start(info(s)->base + a, info(s)->size - a, &slot) == OK)
                    break;
                a += h.total_size;
            }
        }
        s->state = ST_IDLE;
        if (s->done)
            s->done(s, s->err, s->msg);
        return;
    case ST_RETIRING:
        retire_next(s);
        return;
    default:
        return;
    }
}

// The new copy is committed: switch the running process, then retire the old copies.
static void committed(struct appstore *s)
{
    struct tbf_header h;
    parse_at(s, s->at, &h);
    s->name = h.name;
    s->name_len = h.name_len;
    s->name_short_id = h.short_id;
    s->new_at = s->at;
    s->slot = 0xFF; // no process (offline)
    if (s->procs) {
        if (s->kind == APPSTORE_UPDATE && s->name_len)
            s->procs->stop_named(s->name, s->name_len);
        unsigned slot;
        int r = s->procs->start(info(s)->base + s->at, info(s)->size - s->at, &slot);
        if (r != OK) {
            s->err = r;
            fail(s, r, "the new app could not start (%s: %s), %s undone", errorcode_name(r),
                 r == NOMEM  ? "not enough free process RAM"
                 : r == BUSY ? "no free process slot"
                             : "refused by the loader",
                 s->kind == APPSTORE_UPDATE ? "update" : "install");
            s->state = ST_UNDO_NEW;
            s->zero_word = TBF_CHECKSUM_RETIRED;
            if (flash_write(s->flash, s->at + 12, (const uint8_t *)&s->zero_word, 4) != OK)
                finish(s, FAIL);
            return;
        }
        s->slot = slot;
    }
    if (s->kind == APPSTORE_UPDATE)
        retire_next(s);
    else
        reclaim(s);
}

// ---- the calls ---------------------------------------------------------------------------

bool appstore_busy(const struct appstore *s)
{
    return s->state != ST_IDLE && s->state != ST_STAGING;
}

bool appstore_staging(const struct appstore *s)
{
    return s->state == ST_STAGING;
}

uint32_t appstore_written(const struct appstore *s)
{
    return s->written;
}

uint32_t appstore_offset(const struct appstore *s)
{
    return s->at;
}

void appstore_abort(struct appstore *s)
{
    if (s->state == ST_STAGING)
        s->state = ST_IDLE;
}

// The committed copy of the app id names that boots (the highest version), or 0xFFFFFFFF;
// *ties = how many other copies have that same version (they would boot too).
static uint32_t installed_copy(const struct appstore *s, const struct tbf_header *id,
                               unsigned *ties)
{
    uint32_t best = 0xFFFFFFFFu, best_v = 0;
    unsigned t = 0;
    for (uint32_t a = 0; a < info(s)->size;) {
        struct tbf_header h;
        enum tbf_status st = parse_at(s, a, &h);
        if (!tbf_walk_can_continue(st))
            break;
        if (is_committed_app(st) && tbf_same_app(&h, id)) {
            if (best == 0xFFFFFFFFu || h.app_version > best_v) {
                best = a;
                best_v = h.app_version;
                t = 0;
            } else if (h.app_version == best_v) {
                t++;
            }
        }
        a += h.total_size;
    }
    if (ties)
        *ties = t;
    return best;
}

int appstore_begin(struct appstore *s, enum appstore_kind kind, uint32_t total, uint32_t crc,
                   const uint8_t *hdr, uint32_t hdr_len)
{
    if (appstore_busy(s))
        return fail(s, BUSY, "the store is busy");
    if (s->state == ST_STAGING && s->kind == kind && s->total == total && s->crc == crc)
        return OK; // the same transfer again: resume at appstore_written()
    s->state = ST_IDLE;
    if (hdr_len < 16 || (uint32_t)(hdr[2] | (hdr[3] << 8)) > hdr_len)
        return fail(s, INVAL, "header incomplete (%u bytes sent)", (unsigned)hdr_len);
    struct tbf_header h = {0};
    enum tbf_status st = tbf_parse(hdr, total, &h);
    if (h.total_size != total)
        return fail(s, INVAL, "TBF says %u bytes, transfer says %u", (unsigned)h.total_size,
                    (unsigned)total);
    if (st != TBF_OK)
        return fail(s, INVAL, "not an app this kernel runs: %s", tbf_status_str(st));
    if (h.checksum == TBF_CHECKSUM_UNCOMMITTED || h.checksum == TBF_CHECKSUM_RETIRED)
        return fail(s, INVAL, "header checksum 0x%08x collides with a store marker; rebuild",
                    (unsigned)h.checksum);
    uint32_t old = installed_copy(s, &h, NULL);
    if (kind == APPSTORE_INSTALL && old != 0xFFFFFFFFu)
        return fail(s, ALREADY, "an app named '%.*s' is already installed (use update)",
                    (int)(h.name_len > 32 ? 32 : h.name_len), h.name);
    if (kind == APPSTORE_UPDATE && old == 0xFFFFFFFFu)
        return fail(s, INVAL, "no app named '%.*s' is installed (use install)",
                    (int)(h.name_len > 32 ? 32 : h.name_len), h.name);
    if (kind == APPSTORE_UPDATE) {
        // The version decides which copy boots (tbf_blocked_by): only a newer one can take
        // over the moment it is committed.
        struct tbf_header o;
        parse_at(s, old, &o);
        if (h.app_version <= o.app_version)
            return fail(s, INVAL, "update needs a newer version: installed %u, this is %u",
                        (unsigned)o.app_version, (unsigned)h.app_version);
    }

    uint32_t tail, erase_from, ps = info(s)->page_size, size = info(s)->size;
    if (!tail_of(s, &tail, &erase_from))
        return fail(s, FAIL, "the apps region ends inside a dirty page (0x%x); erase it",
                    (unsigned)tail);
    uint32_t at;
    if (h.has_fixed && h.fixed_flash != TBF_NOT_FIXED) {
        // Fixed-address apps go exactly where they were linked, or nowhere.
        const struct flash_info *fi = info(s);
        uint32_t lo = fi->base, so = tbf_app_start_offset(&h);
        if (h.fixed_flash < lo + so || h.fixed_flash - lo - so >= size)
            return fail(s, INVAL,
                        "linked for flash %p, outside this board's apps region "
                        "(wrong architecture or board?)",
                        KADDR(h.fixed_flash));
        at = h.fixed_flash - lo - so;
        if (at < tail)
            return fail(s, NOMEM, "linked for flash %p, which is not free (apps end at %p)",
                        KADDR(h.fixed_flash), KADDR(lo + tail));
    } else if (s->pow2_align) {
        if (total & (total - 1))
            return fail(s, INVAL, "size %u is not a power of two (MPU)", (unsigned)total);
        at = (tail + total - 1) & ~(total - 1);
    } else {
        at = (tail + ps - 1) & ~(ps - 1);
    }
    if (at > size || total > size - at)
        return fail(s, NOMEM, "too big for free flash: needs %u B at 0x%x, %u B free at the end",
                    (unsigned)total, (unsigned)at, (unsigned)(size - tail));
    s->pad_at = 0xFFFFFFFFu;
    if (at > tail) {
        if (at - tail < 16)
            return fail(s, NOMEM, "no room for padding before %p", KADDR(h.fixed_flash));
        // Tock's padding object: version 2, header 16, total, flags 0, checksum.
        uint32_t w0 = 2u | (16u << 16);
        wr32(s->pad, w0);
        wr32(s->pad + 4, at - tail);
        wr32(s->pad + 8, 0);
        wr32(s->pad + 12, w0 ^ (at - tail));
        s->pad_at = tail;
    }
    s->at = at;
    s->total = total;
    s->crc = crc;
    s->kind = (uint8_t)kind;
    s->written = 0;
    for (int i = 0; i < 16; i++)
        s->base[i] = hdr[i];
    start_erase(s, erase_from, PH_BEGIN);
    return settle(s, step);
}

int appstore_write(struct appstore *s, uint32_t offset, uint8_t *data, uint32_t len)
{
    if (s->state != ST_STAGING)
        return fail(s, INVAL, "no transfer in progress");
    if (offset < s->written && len <= s->written - offset)
        return OK; // a chunk sent again (the reply was lost): already in flash
    if (offset != s->written)
        return fail(s, INVAL, "chunk at %u, expected %u", (unsigned)offset, (unsigned)s->written);
    if (len == 0 || len % info(s)->write_align || len > s->total - offset)
        return fail(s, INVAL, "bad chunk length %u", (unsigned)len);
    // The base header is written at commit, last: until then the chain ends here.
    for (uint32_t i = offset; i < 16 && i < offset + len; i++)
        data[i - offset] = 0xFF;
    s->chunk_len = len;
    s->state = ST_WRITING;
    if (flash_write(s->flash, s->at + offset, data, len) != OK) {
        s->state = ST_STAGING;
        return fail(s, FAIL, "flash write failed");
    }
    return APPSTORE_PENDING;
}

int appstore_commit(struct appstore *s)
{
    if (s->state != ST_STAGING)
        return fail(s, INVAL, "no transfer in progress");
    if (s->written != s->total)
        return fail(s, SIZE, "transfer incomplete: %u of %u bytes received", (unsigned)s->written,
                    (unsigned)s->total);
    uint32_t c = appstore_crc32(0, s->base, 16);
    c = appstore_crc32(c, info(s)->map + s->at + 16, s->total - 16);
    if (c != s->crc) {
        s->state = ST_IDLE;
        return fail(s, FAIL, "checksum failure: image CRC 0x%08x, flash holds 0x%08x",
                    (unsigned)s->crc, (unsigned)c);
    }
    // Credentials before the commit: a refused image stays uncommitted free space, and the
    // running apps never see it.
    const char *why = s->procs && s->procs->check
                          ? s->procs->check(info(s)->map + s->at, s->total, s->base)
                          : NULL;
    if (why) {
        s->state = ST_IDLE;
        return fail(s, FAIL, "credential failure: %s", why);
    }
    s->state = ST_COMMIT_BASE;
    s->phase = PH_RECLAIM; // what follows is never staging again
    if (flash_write(s->flash, s->at, s->base, 12) != OK) {
        s->state = ST_IDLE;
        return fail(s, FAIL, "flash write failed");
    }
    return APPSTORE_PENDING;
}

int appstore_remove(struct appstore *s, const char *name, uint32_t name_len)
{
    if (appstore_busy(s))
        return fail(s, BUSY, "the store is busy");
    struct tbf_header id = {.name = name, .name_len = name_len};
    unsigned ties;
    uint32_t at = installed_copy(s, &id, &ties);
    if (!name_len || at == 0xFFFFFFFFu)
        return fail(s, INVAL, "no app named '%.*s' is installed",
                    (int)(name_len > 32 ? 32 : name_len), name);
    // Several copies of one version all run; retiring them one by one would boot a set
    // that is neither the old nor the new one.
    if (ties)
        return fail(s, INVAL, "%u copies of '%.*s' run (same version): cannot remove them at once",
                    ties + 1, (int)(name_len > 32 ? 32 : name_len), name);
    struct tbf_header h;
    parse_at(s, at, &h);
    // From here on the name is read from flash, not from the caller's buffer.
    s->name = h.name;
    s->name_len = h.name_len;
    s->name_short_id = 0;
    s->new_at = 0xFFFFFFFFu;
    s->state = ST_IDLE;
    s->phase = PH_RECLAIM;
    if (s->procs)
        s->procs->stop_named(s->name, s->name_len);
    return settle(s, retire_next);
}
