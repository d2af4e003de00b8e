// SPDX-License-Identifier: Apache-2.0
// Frame parser, request dispatch and replies of the app store protocol (appstore_link.h).
#include <stddef.h>

#include "appstore_link.h"

#include <cairn/errorcode.h>
#include <cairn/procinfo.h>

enum { RX_IDLE, RX_SYNC, RX_HDR, RX_BODY };

#define REQ(l)     ((l)->buf)         // type seq len payload crc
#define PAYLOAD(l) ((l)->buf + 4)     // request payload
#define RPAY(l)    ((l)->out + 2 + 4) // reply payload

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

// Reply builder: the payload grows from PAYLOAD(l); nonce and status come first.
struct reply {
    struct appstore_link *l;
    uint32_t len;
};

static void put8(struct reply *r, uint8_t v)
{
    if (r->len < LINK_REPLY_MAX)
        RPAY(r->l)[r->len++] = v;
}

static void put32(struct reply *r, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        put8(r, (uint8_t)(v >> (8 * i)));
}

static void putstr(struct reply *r, const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n && s[i]; i++)
        put8(r, (uint8_t)s[i]);
}

static struct reply reply_start(struct appstore_link *l, int status)
{
    struct reply r = {l, 0};
    put32(&r, l->nonce);
    put8(&r, (uint8_t)status);
    return r;
}

static void reply_send(struct reply *r)
{
    struct appstore_link *l = r->l;
    l->out[0] = LINK_SYNC0;
    l->out[1] = LINK_SYNC1;
    uint8_t *f = l->out + 2;
    f[0] = (uint8_t)(l->type | 0x80);
    f[1] = l->seq;
    f[2] = (uint8_t)r->len;
    f[3] = (uint8_t)(r->len >> 8);
    wr32(f + 4 + r->len, appstore_crc32(0, f, 4 + r->len));
    // The request is answered: its buffer may take the next one while the reply goes out.
    l->busy = false;
    l->sending = true;
    l->send(l, l->out, 2 + 4 + r->len + 4);
}

// A reply with a status and, for an error, the store's reason.
static void reply_status(struct appstore_link *l, int status, const char *msg)
{
    struct reply r = reply_start(l, status);
    if (status != OK && msg)
        putstr(&r, msg, 200);
    reply_send(&r);
}

static void store_done(struct appstore *s, int err, const char *msg)
{
    struct appstore_link *l =
        (struct appstore_link *)((uint8_t *)s - offsetof(struct appstore_link, store));
    struct reply r = reply_start(l, err);
    if (l->type == LINK_COMMIT)
        l->last_commit = err;
    if (err != OK) {
        putstr(&r, msg, 200); // an error reply is the reason, nothing else
        reply_send(&r);
        return;
    }
    switch (l->type) {
    case LINK_BEGIN:
    case LINK_WRITE:
        put32(&r, appstore_offset(s));
        put32(&r, appstore_written(s));
        break;
    case LINK_COMMIT:
        l->last_crc = s->crc;
        l->last_slot = (uint8_t)s->slot;
        put8(&r, (uint8_t)s->slot);
        break;
    default:
        break;
    }
    reply_send(&r);
}

static void do_list(struct appstore_link *l, unsigned from)
{
    const struct flash_info *fi = &l->store.flash->info;
    struct reply r = reply_start(l, OK);
    uint32_t count_at = r.len;
    put8(&r, 0); // count
    put8(&r, 0); // more
    unsigned idx = 0, n = 0;
    for (uint32_t off = 0; off < fi->size; idx++) {
        struct tbf_header h = {0};
        enum tbf_status st = tbf_parse(fi->map + off, fi->size - off, &h);
        if (!tbf_walk_can_continue(st))
            break;
        if (idx >= from) {
            if (r.len + 16 + 33 > LINK_REPLY_MAX) {
                RPAY(l)[count_at + 1] = 1;
                break;
            }
            uint8_t slot = 0xFF, restarts = 0;
            for (unsigned i = 0; i < process_slots(); i++) {
                struct process_info pi;
                if (process_info_get(i, &pi) && pi.flash_start == fi->base + off) {
                    slot = (uint8_t)i;
                    restarts = (uint8_t)(pi.restarts > 255 ? 255 : pi.restarts);
                }
            }
            put32(&r, off);
            put32(&r, h.total_size);
            put8(&r, (uint8_t)st);
            put32(&r, h.app_version);
            put8(&r, slot);
            put8(&r, restarts);
            uint32_t nl = h.name && st != TBF_PADDING ? (h.name_len > 32 ? 32 : h.name_len) : 0;
            put8(&r, (uint8_t)nl);
            for (uint32_t i = 0; i < nl; i++)
                put8(&r, (uint8_t)h.name[i]);
            n++;
        }
        off += h.total_size;
    }
    RPAY(l)[count_at] = (uint8_t)n;
    reply_send(&r);
}

static void serve(void *ctx)
{
    struct appstore_link *l = ctx;
    if (l->sending)
        return; // runs again from appstore_link_sent
    uint8_t *f = REQ(l);
    l->type = f[0];
    l->seq = f[1];
    uint32_t len = (uint32_t)(f[2] | (f[3] << 8));
    uint8_t *p = PAYLOAD(l);
    int r;
    switch (l->type) {
    case LINK_HELLO: {
        if (len < 4) {
            reply_status(l, INVAL, "short HELLO");
            return;
        }
        l->nonce = rd32(p);
        const struct flash_info *fi = &l->store.flash->info;
        struct reply rp = reply_start(l, OK);
        put8(&rp, 1); // protocol version
        put32(&rp, fi->base);
        put32(&rp, fi->size);
        put32(&rp, fi->page_size);
        put32(&rp, appstore_free_tail(&l->store));
        put32(&rp, LINK_CHUNK_MAX);
        put8(&rp, (uint8_t)appstore_staging(&l->store));
        putstr(&rp, l->arch, 32);
        put8(&rp, 0);
        putstr(&rp, l->board, 64);
        put8(&rp, 0);
        reply_send(&rp);
        return;
    }
    case LINK_LIST:
        do_list(l, len >= 1 ? p[0] : 0);
        return;
    case LINK_BEGIN:
        if (len < 9) {
            reply_status(l, INVAL, "short BEGIN");
            return;
        }
        r = appstore_begin(&l->store, p[0] ? APPSTORE_UPDATE : APPSTORE_INSTALL, rd32(p + 1),
                           rd32(p + 5), p + 9, len - 9);
        break;
    case LINK_WRITE:
        if (len < 4) {
            reply_status(l, INVAL, "short WRITE");
            return;
        }
        r = appstore_write(&l->store, rd32(p), p + 4, len - 4);
        break;
    case LINK_COMMIT:
        if (!appstore_staging(&l->store) && len >= 4 && l->last_crc == rd32(p) &&
            l->last_commit == OK) {
            // A resent COMMIT of what was committed already (its reply was lost).
            struct reply rp = reply_start(l, OK);
            put8(&rp, l->last_slot);
            reply_send(&rp);
            return;
        }
        r = appstore_commit(&l->store);
        break;
    case LINK_REMOVE:
        r = appstore_remove(&l->store, (const char *)p, len);
        break;
    case LINK_ABORT:
        appstore_abort(&l->store);
        r = OK;
        break;
    default:
        reply_status(l, NOSUPPORT, "unknown request");
        return;
    }
    if (r != APPSTORE_PENDING)
        store_done(&l->store, r, appstore_msg(&l->store));
}

bool appstore_link_rx(void *ctx, uint8_t b)
{
    struct appstore_link *l = ctx;
    switch (l->rx_state) {
    case RX_IDLE:
        if (b != LINK_SYNC0)
            return false;
        l->rx_state = RX_SYNC;
        return true;
    case RX_SYNC:
        if (b != LINK_SYNC1) {
            l->rx_state = RX_IDLE;
            return false; // a stray 0xF7: the byte after it is input as usual
        }
        l->rx_state = RX_HDR;
        l->rx_pos = 0;
        return true;
    case RX_HDR:
        l->hdr[l->rx_pos++] = b;
        if (l->rx_pos == 4) {
            l->rx_len = (uint16_t)(l->hdr[2] | (l->hdr[3] << 8));
            if (l->rx_len > LINK_PAYLOAD_MAX) {
                l->rx_state = RX_IDLE; // not a frame of ours: resynchronise on the next sync
                return true;
            }
            if (!l->busy)
                for (int i = 0; i < 4; i++)
                    REQ(l)[i] = l->hdr[i];
            l->rx_state = RX_BODY;
        }
        return true;
    case RX_BODY:
        // A frame that arrives while the last one is served is counted, not stored.
        if (!l->busy)
            REQ(l)[l->rx_pos] = b;
        l->rx_pos++;
        if (l->rx_pos == 4u + l->rx_len + 4u) {
            l->rx_state = RX_IDLE;
            if (l->busy)
                return true;
            uint8_t *f = REQ(l);
            if (rd32(f + 4 + l->rx_len) != appstore_crc32(0, f, 4u + l->rx_len))
                return true; // damaged: dropped, the host resends
            l->busy = true;
            deferred_call_schedule(&l->dc);
        }
        return true;
    }
    l->rx_state = RX_IDLE;
    return false;
}

void appstore_link_sent(struct appstore_link *l)
{
    l->sending = false;
    if (l->busy)
        deferred_call_schedule(&l->dc); // a request waited for the reply buffer
}

void appstore_link_init(struct appstore_link *l, struct flash *f,
                        const struct appstore_procs *procs, bool pow2_align, const char *arch,
                        const char *board, link_send_fn send)
{
    l->send = send;
    l->arch = arch;
    l->board = board;
    l->rx_state = RX_IDLE;
    l->busy = false;
    l->last_commit = FAIL;
    appstore_init(&l->store, f, procs, pow2_align, store_done);
    deferred_call_register(&l->dc, serve, l);
}
