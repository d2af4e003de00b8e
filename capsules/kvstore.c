// SPDX-License-Identifier: Apache-2.0
// Key-value store over the flash HIL: the log, its collection and its crash rules.
//
// Every step is chosen by plan() from what flash holds now (a scan of the page headers
// and records), except the successors fixed by a step already issued (s->next): a
// record's commit after its body, a page header after its erase, the rest of a copy.
// So the same code that runs an operation also finishes whatever a power cut left
// half done, and a remount is just kvstore_init.
#include <stddef.h>
#include <stdint.h>

// kernel/string.c's (not every target has libc headers).
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#include "appstore.h" // appstore_crc32: zlib's CRC-32, shared
#include "kvstore.h"

#include <cairn/errorcode.h>

#define PG_MAGIC  0x3170764Bu // "Kvp1"
#define ERASED    0xFFFFFFFFu
#define KIND_VAL  0xC3u
#define KIND_TOMB 0x3Cu
#define ISSUED    (-1) // plan(): a flash operation is under way

enum { PG_FREE, PG_USED, PG_DIRTY };
enum { NX_NONE, NX_COMMIT, NX_FINISH, NX_PREP, NX_COPY };

// One record as found in flash; at and len are region offsets and bytes.
struct rec {
    uint32_t at, len, wid;
    uint8_t kind, klen;
    uint16_t vlen, khash;
    bool committed;
};

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16),
    p[3] = (uint8_t)(v >> 24);
}

static const uint8_t *map(const struct kvstore *s)
{
    return s->flash->info.map;
}

static bool all_ff(const uint8_t *p, uint32_t n)
{
    while (n--)
        if (*p++ != 0xFF)
            return false;
    return true;
}

static uint16_t key_hash(const uint8_t *key, uint32_t klen)
{
    return (uint16_t)appstore_crc32(0, key, klen);
}

uint32_t kvstore_rec_len(const struct kvstore *s, uint32_t klen, uint32_t vlen)
{
    uint32_t a = s->align;
    return ((KV_REC_HDR + klen + vlen + a - 1) & ~(a - 1)) + a;
}

static bool has_id(const uint32_t *ids, uint8_t n, uint32_t id)
{
    for (uint8_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

// The record starting at region offset pos of a page ending at pend; false if there is
// none (erased: the append point) or the bytes are no record (the page is closed there).
static bool rec_at(const struct kvstore *s, uint32_t pos, uint32_t pend, struct rec *r)
{
    if (pos + KV_REC_HDR + s->align > pend)
        return false;
    const uint8_t *p = map(s) + pos;
    r->kind = p[0], r->klen = p[1];
    r->vlen = (uint16_t)(p[2] | p[3] << 8);
    if ((r->kind != KIND_VAL && r->kind != KIND_TOMB) || r->klen == 0 || r->klen > KV_KEY_MAX ||
        r->vlen > KV_VALUE_MAX || (r->kind == KIND_TOMB && r->vlen != 0))
        return false;
    r->len = kvstore_rec_len(s, r->klen, r->vlen);
    if (r->len > pend - pos)
        return false;
    r->at = pos;
    r->wid = rd32(p + 4);
    r->khash = (uint16_t)(p[12] | p[13] << 8);
    r->committed = rd32(p + r->len - s->align) == 0;
    return true;
}

// Committed and intact (checksum and key hash). Computed only where a record matters:
// a scan meets many records and checks few.
static bool sound(const struct kvstore *s, const struct rec *r)
{
    if (!r->committed)
        return false;
    const uint8_t *p = map(s) + r->at;
    uint32_t c = appstore_crc32(0, p, 8);
    c = appstore_crc32(c, p + KV_REC_HDR, (uint32_t)r->klen + r->vlen);
    return c == rd32(p + 8) && r->khash == key_hash(p + KV_REC_HDR, r->klen);
}

static uint32_t page_base(const struct kvstore *s, int i)
{
    return (uint32_t)i * s->psize;
}

static void scan_pages(struct kvstore *s)
{
    for (uint32_t i = 0; i < s->npages; i++) {
        struct kv_page *g = &s->pg[i];
        const uint8_t *h = map(s) + i * s->psize;
        uint32_t w0 = rd32(h), w1 = rd32(h + 4), w2 = rd32(h + 8);
        g->ec = ERASED;
        g->seq = 0;
        g->end = (uint16_t)KV_PAGE_HDR;
        if (w0 == ERASED) {
            g->state = all_ff(h, s->psize) ? PG_FREE : PG_DIRTY;
        } else if (w0 != PG_MAGIC) {
            g->state = PG_DIRTY;
        } else if (w2 == ERASED) {
            g->ec = w1;
            g->state = all_ff(h + 8, s->psize - 8) ? PG_FREE : PG_DIRTY;
        } else {
            g->ec = w1;
            g->seq = w2;
            g->state = PG_USED;
            uint32_t pos = i * s->psize + KV_PAGE_HDR, pend = (i + 1) * s->psize;
            struct rec r;
            while (rec_at(s, pos, pend, &r))
                pos += r.len;
            // Appends continue only over erased flash; anything else closes the page.
            g->end = (uint16_t)(all_ff(map(s) + pos, pend - pos) ? pos - i * s->psize : s->psize);
        }
    }
}

// The in-use page following sequence number after (0: the first), or -1.
static int next_used(const struct kvstore *s, uint32_t after)
{
    int best = -1;
    for (uint32_t i = 0; i < s->npages; i++)
        if (s->pg[i].state == PG_USED && s->pg[i].seq > after &&
            (best < 0 || s->pg[i].seq < s->pg[best].seq))
            best = (int)i;
    return best;
}

static bool key_eq(const struct kvstore *s, const struct rec *r, const uint8_t *key, uint32_t klen,
                   uint16_t kh)
{
    return r->klen == klen && r->khash == kh && memcmp(map(s) + r->at + KV_REC_HDR, key, klen) == 0;
}

// Newest committed, sound record of the key in pages with sequence in (after, before);
// before 0 means no upper bound. False if there is none.
static bool find_key(const struct kvstore *s, const uint8_t *key, uint32_t klen, uint16_t kh,
                     uint32_t after, uint32_t before, struct rec *out)
{
    bool found = false;
    for (int i = next_used(s, after); i >= 0; i = next_used(s, s->pg[i].seq)) {
        if (before && s->pg[i].seq >= before)
            break;
        uint32_t pos = page_base(s, i) + KV_PAGE_HDR, pend = page_base(s, i) + s->psize;
        struct rec r;
        for (; rec_at(s, pos, pend, &r); pos += r.len)
            if (r.committed && key_eq(s, &r, key, klen, kh) && sound(s, &r))
                *out = r, found = true;
    }
    return found;
}

// A record of page i is live if it is the newest of its key and is a value, or a
// tombstone that still hides an older record in an older page.
static bool rec_live(const struct kvstore *s, int i, const struct rec *r)
{
    if (!sound(s, r))
        return false;
    const uint8_t *key = map(s) + r->at + KV_REC_HDR;
    struct rec n;
    if (!find_key(s, key, r->klen, r->khash, 0, 0, &n) || n.at != r->at)
        return false;
    return r->kind == KIND_VAL || find_key(s, key, r->klen, r->khash, 0, s->pg[i].seq, &n);
}

// Live bytes of page i; *first the first live record when there is one.
static uint32_t page_live(const struct kvstore *s, int i, struct rec *first)
{
    uint32_t live = 0, pos = page_base(s, i) + KV_PAGE_HDR, pend = page_base(s, i) + s->psize;
    struct rec r;
    for (; rec_at(s, pos, pend, &r); pos += r.len)
        if (rec_live(s, i, &r)) {
            if (!live && first)
                *first = r;
            live += r.len;
        }
    return live;
}

static int active_page(const struct kvstore *s)
{
    int a = -1;
    for (uint32_t i = 0; i < s->npages; i++)
        if (s->pg[i].state == PG_USED && (a < 0 || s->pg[i].seq > s->pg[a].seq))
            a = (int)i;
    return a;
}

// The collection victim: the in-use page other than the active one with the fewest live
// bytes (ties: lower erase count, then older). -1 if none. Deterministic from flash alone,
// which is what lets an interrupted collection be finished after a remount.
static int victim(const struct kvstore *s, int act, uint32_t *live_out)
{
    int v = -1;
    uint32_t vlive = 0;
    for (uint32_t i = 0; i < s->npages; i++) {
        if (s->pg[i].state != PG_USED || (int)i == act)
            continue;
        uint32_t l = page_live(s, (int)i, NULL);
        if (v < 0 || l < vlive || (l == vlive && s->pg[i].ec < s->pg[v].ec)) {
            v = (int)i;
            vlive = l;
        }
    }
    *live_out = vlive;
    return v;
}

static uint32_t max_ec(const struct kvstore *s)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < s->npages; i++)
        if (s->pg[i].ec != ERASED && s->pg[i].ec > m)
            m = s->pg[i].ec;
    return m;
}

// An unknown erase count (a page never prepared, or whose prepare was cut) ranks lowest,
// so such a page is used soon and gets a count (the highest known: a guess on the
// worn side).
static uint32_t ec_rank(const struct kvstore *s, int i)
{
    return s->pg[i].ec != ERASED ? s->pg[i].ec : 0;
}

static int issue_write(struct kvstore *s, uint32_t off, const uint8_t *buf, uint32_t len)
{
    s->writes++;
    return flash_write(s->flash, off, buf, len) == OK ? ISSUED : FAIL;
}

static int erase(struct kvstore *s, int i)
{
    uint32_t ec = s->pg[i].ec;
    s->prep_page = i;
    s->prep_ec = (ec != ERASED ? ec : max_ec(s)) + 1;
    s->next = NX_PREP;
    s->erases++;
    return flash_erase_page(s->flash, page_base(s, i)) == OK ? ISSUED : FAIL;
}

// Make free page i the newest in-use page.
static int activate(struct kvstore *s, int i)
{
    uint32_t seq = 0;
    for (uint32_t k = 0; k < s->npages; k++)
        if (s->pg[k].state == PG_USED && s->pg[k].seq > seq)
            seq = s->pg[k].seq;
    wr32(s->hdr, PG_MAGIC);
    wr32(s->hdr + 4, s->pg[i].ec != ERASED ? s->pg[i].ec : max_ec(s));
    wr32(s->hdr + 8, seq + 1);
    wr32(s->hdr + 12, ERASED);
    if (rd32(map(s) + page_base(s, i)) == PG_MAGIC && s->pg[i].ec != ERASED)
        return issue_write(s, page_base(s, i) + 8, s->hdr + 8, 8);
    return issue_write(s, page_base(s, i), s->hdr, 16);
}

// Continue the copy in progress: the body in chunks, then its commit unit.
static int copy_step(struct kvstore *s)
{
    uint32_t body = s->copy_len - s->align;
    if (s->copy_done < body) {
        uint32_t n = body - s->copy_done;
        n = n > sizeof s->chunk ? (uint32_t)sizeof s->chunk : n;
        memcpy(s->chunk, map(s) + s->copy_from + s->copy_done, n);
        uint32_t at = s->copy_to + s->copy_done;
        s->copy_done += n;
        return issue_write(s, at, s->chunk, n);
    }
    s->next = NX_NONE;
    return issue_write(s, s->copy_to + body, s->zero, s->align);
}

// Start moving record r into the active page act, one copy step at a time (copy_step).
static int start_copy(struct kvstore *s, int act, const struct rec *r)
{
    s->copy_from = r->at;
    s->copy_to = page_base(s, act) + s->pg[act].end;
    s->copy_len = r->len;
    s->copy_done = 0;
    s->next = NX_COPY;
    return copy_step(s);
}

// One step of the collection that is under way (no free page is left): copy the victim's
// next live record into the active page, or erase the victim once nothing in it is live.
static int collect_step(struct kvstore *s, int act)
{
    uint32_t live;
    int v = victim(s, act, &live);
    if (v < 0 || act < 0)
        return NOMEM;
    struct rec r;
    if (page_live(s, v, &r) == 0)
        return erase(s, v);
    if (s->pg[act].end + r.len > s->psize)
        return NOMEM; // only after repeated cuts; nothing is lost, writes wait for room
    return start_copy(s, act, &r);
}

// One step of moving the cold page s->wear into the active page (RAM state only: after a
// cut the copies made so far simply supersede their originals). OK: nothing to do.
static int wear_step(struct kvstore *s, int act)
{
    int w = s->wear;
    struct rec r;
    if (s->pg[w].state != PG_USED || w == act) {
        s->wear = -1;
        return OK;
    }
    if (page_live(s, w, &r) == 0) {
        s->wear = -1;
        return erase(s, w);
    }
    if (s->pg[act].end + r.len > s->psize) {
        s->wear = -1;
        return OK;
    }
    return start_copy(s, act, &r);
}

// A page other than the active one with nothing live, or -1.
static int dead_page(const struct kvstore *s, int act)
{
    for (uint32_t i = 0; i < s->npages; i++)
        if (s->pg[i].state == PG_USED && (int)i != act && page_live(s, (int)i, NULL) == 0)
            return (int)i;
    return -1;
}

static int plan(struct kvstore *s)
{
    switch (s->next) {
    case NX_COMMIT:
        s->next = NX_FINISH;
        return issue_write(s, s->commit_at, s->zero, s->align);
    case NX_FINISH:
        s->next = NX_NONE;
        return OK;
    case NX_PREP:
        s->next = NX_NONE;
        wr32(s->hdr, PG_MAGIC);
        wr32(s->hdr + 4, s->prep_ec);
        return issue_write(s, page_base(s, s->prep_page), s->hdr, 8);
    case NX_COPY:
        return copy_step(s);
    default:
        break;
    }
    scan_pages(s);
    uint32_t nfree = 0;
    int lowest = -1; // the free page with the lowest erase count: wear rotates
    for (uint32_t i = 0; i < s->npages; i++) {
        if (s->pg[i].state == PG_DIRTY)
            return erase(s, (int)i);
        if (s->pg[i].state == PG_FREE) {
            nfree++;
            if (lowest < 0 || ec_rank(s, (int)i) < ec_rank(s, lowest))
                lowest = (int)i;
        }
    }
    int act = active_page(s);
    if (nfree == 0)
        return collect_step(s, act);
    if (s->wear >= 0) {
        int r = wear_step(s, act);
        if (r != OK)
            return r;
    }
    if (s->op == KV_OP_GC) {
        int d = dead_page(s, act);
        return d >= 0 ? erase(s, d) : OK;
    }
    uint32_t need = kvstore_rec_len(s, s->klen, s->vlen);
    if (act >= 0 && s->pg[act].end + need <= s->psize) {
        uint32_t at = page_base(s, act) + s->pg[act].end;
        s->commit_at = at + need - s->align;
        s->next = NX_COMMIT;
        return issue_write(s, at, s->rec, need - s->align);
    }
    int d = dead_page(s, act);
    if (d >= 0)
        return erase(s, d);
    if (nfree >= 2) {
        // Static wear spreading: a page whose records never change is never erased, so
        // when it has fallen KV_WEAR_GAP erases behind the most worn page, its records
        // move to the page activated now and it rejoins the rotation.
        int cold = -1;
        for (uint32_t i = 0; i < s->npages; i++)
            if (s->pg[i].state == PG_USED && (int)i != act &&
                (cold < 0 || ec_rank(s, (int)i) < ec_rank(s, cold)))
                cold = (int)i;
        if (cold >= 0 && ec_rank(s, cold) + KV_WEAR_GAP < max_ec(s) &&
            page_live(s, cold, NULL) + kvstore_rec_len(s, KV_KEY_MAX, KV_VALUE_MAX) <=
                s->psize - KV_PAGE_HDR)
            s->wear = cold;
        return activate(s, lowest);
    }
    // The last free page is the spare: spend it on a collection only if the victim's live
    // records leave room for the largest record after them, so that the collection makes
    // room for this one and a cut copy (one record wasted) still lets it finish.
    uint32_t live;
    int v = victim(s, -1, &live); // what collect_step will pick once the spare is active
    if (v < 0 || live + kvstore_rec_len(s, KV_KEY_MAX, KV_VALUE_MAX) > s->psize - KV_PAGE_HDR)
        return NOMEM;
    s->collections++;
    return activate(s, lowest);
}

static void finish(struct kvstore *s, int err)
{
    s->busy = false;
    s->wear = -1;
    s->next = NX_NONE;
    s->done(s, err);
}

static void flash_done(struct flash_client *c, int err)
{
    struct kvstore *s = (struct kvstore *)((char *)c - offsetof(struct kvstore, client));
    if (!s->busy)
        return;
    if (err != OK) {
        finish(s, FAIL);
        return;
    }
    int r = plan(s);
    if (r != ISSUED)
        finish(s, r);
}

int kvstore_init(struct kvstore *s, struct flash *f, kvstore_done_fn done)
{
    const struct flash_info *in = &f->info;
    memset(s, 0, sizeof *s);
    s->align = in->write_align < 4 ? 4 : in->write_align;
    if (in->page_size < 2 * kvstore_rec_len(s, KV_KEY_MAX, KV_VALUE_MAX) + 64 ||
        in->page_size > 0xFFFF || in->write_align > 8 || in->write_align < 1 ||
        in->size / in->page_size < 3 || in->size / in->page_size > KV_PAGES_MAX)
        return INVAL;
    s->flash = f;
    s->done = done;
    s->psize = in->page_size;
    s->npages = in->size / in->page_size;
    s->prep_page = -1;
    s->wear = -1;
    s->client.done = flash_done;
    flash_set_client(f, &s->client);
    return OK;
}

uint8_t *kvstore_key_buf(struct kvstore *s)
{
    return s->rec + KV_REC_HDR;
}

uint8_t *kvstore_value_buf(struct kvstore *s, uint32_t klen)
{
    return s->rec + KV_REC_HDR + (klen > KV_KEY_MAX ? KV_KEY_MAX : klen);
}

int kvstore_get(struct kvstore *s, const uint8_t *key, uint32_t klen, const struct storage_perms *p,
                const uint8_t **val, uint32_t *vlen)
{
    if (klen == 0 || klen > KV_KEY_MAX)
        return SIZE;
    if (s->busy)
        return BUSY; // the page table belongs to the operation in progress
    scan_pages(s);
    struct rec r;
    if (!find_key(s, key, klen, key_hash(key, klen), 0, 0, &r) || r.kind != KIND_VAL ||
        !has_id(p->read, p->n_read, r.wid))
        return NOSUPPORT;
    *val = map(s) + r.at + KV_REC_HDR + r.klen;
    *vlen = r.vlen;
    return OK;
}

int kvstore_begin(struct kvstore *s, enum kv_op op, uint32_t klen, uint32_t vlen,
                  const struct storage_perms *p)
{
    if (s->busy)
        return BUSY;
    if (op < KV_OP_SET || op > KV_OP_GC)
        return INVAL;
    bool writes_value = op == KV_OP_SET || op == KV_OP_ADD || op == KV_OP_UPDATE;
    if (op != KV_OP_GC) {
        if (klen == 0 || klen > KV_KEY_MAX)
            return SIZE;
        if (writes_value && (vlen == 0 || vlen > KV_VALUE_MAX))
            return SIZE;
        if (writes_value && p->write_id == 0)
            return INVAL;
        if (!writes_value)
            vlen = 0;
        scan_pages(s);
        const uint8_t *key = s->rec + KV_REC_HDR;
        uint16_t kh = key_hash(key, klen);
        struct rec r;
        bool exists = find_key(s, key, klen, kh, 0, 0, &r) && r.kind == KIND_VAL;
        bool may_modify = exists && has_id(p->modify, p->n_modify, r.wid);
        if ((op == KV_OP_ADD && exists) || (op == KV_OP_SET && exists && !may_modify) ||
            ((op == KV_OP_UPDATE || op == KV_OP_DELETE) && !may_modify))
            return NOSUPPORT;
        uint8_t *h = s->rec;
        h[0] = op == KV_OP_DELETE ? KIND_TOMB : KIND_VAL;
        h[1] = (uint8_t)klen;
        h[2] = (uint8_t)vlen, h[3] = (uint8_t)(vlen >> 8);
        wr32(h + 4, p->write_id);
        uint32_t c = appstore_crc32(0, h, 8);
        wr32(h + 8, appstore_crc32(c, key, klen + vlen));
        h[12] = (uint8_t)kh, h[13] = (uint8_t)(kh >> 8), h[14] = 0, h[15] = 0;
        uint32_t body = kvstore_rec_len(s, klen, vlen) - s->align;
        memset(h + KV_REC_HDR + klen + vlen, 0xFF, body - KV_REC_HDR - klen - vlen);
    }
    s->op = (uint8_t)op;
    s->klen = (uint8_t)klen;
    s->vlen = (uint16_t)vlen;
    s->perms = *p;
    s->next = NX_NONE;
    s->busy = true;
    int r = plan(s);
    if (r == ISSUED)
        return KV_PENDING;
    s->busy = false;
    s->wear = -1;
    return r;
}

uint32_t kvstore_check(const struct kvstore *s, uint32_t *ec)
{
    uint32_t bad = 0;
    for (uint32_t i = 0; i < s->npages; i++) {
        const uint8_t *h = map(s) + i * s->psize;
        if (ec)
            ec[i] = rd32(h) == PG_MAGIC ? rd32(h + 4) : ERASED;
        if (rd32(h) != PG_MAGIC || rd32(h + 8) == ERASED)
            continue;
        uint32_t pos = i * s->psize + KV_PAGE_HDR, pend = (i + 1) * s->psize;
        struct rec r;
        for (; rec_at(s, pos, pend, &r); pos += r.len)
            if (r.committed && !sound(s, &r))
                bad++;
    }
    return bad;
}
