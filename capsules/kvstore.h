// SPDX-License-Identifier: Apache-2.0
// Key-value store: an append-only log of checksummed records on NOR flash (the flash HIL).
//
// Layout. The region is npages pages (at least 3). A page starts with a 16-byte header
// [magic, erase count, sequence, 0xFFFFFFFF]; records follow it back to back, each
//   [kind u8, key length u8, value length u16][owner write_id][CRC-32][key hash u16, 0]
//   key, value, 0xFF padding to the write alignment A, then the commit unit (A bytes),
// which stays erased until the whole record is in flash and then becomes zero. Records are
// never changed after their commit: a newer record of the same key (a value or a
// tombstone, kind KV_REC_TOMB) supersedes it; the newest committed record decides, in the
// order (page sequence, offset in page). Nothing of the store's state lives only in RAM:
// every decision is recomputed from flash, so a remount after a power cut needs no replay.
//
// Page states, from the header: all 0xFF and an erased page = free (erase count unknown);
// magic + erase count with sequence 0xFFFFFFFF and an erased body = free (prepared);
// magic with a sequence = in use; anything else = dirty (an erase or a prepare was cut, or
// the memory never held a store): erased before use. The active page is the in-use page
// with the highest sequence; appends go to it.
//
// Power cuts (the HIL's model: done operations complete, the cut one took effect on an
// address-ordered prefix of its words). The commit unit is written in its own operation
// after the record's body, so a record is either committed whole or ignored; a cut body
// leaves its length word readable (word 0 carries both lengths) or nothing, so the
// append point after it is known. Erases clear the header first: a cut erase leaves a
// dirty page, never a page that looks in use with half its records.
//
// Space. One free page is always kept as the spare for garbage collection, except during
// a collection. When a record does not fit in the active page: a page whose records are
// all dead is erased; else a free page is activated while two are free (the one with the
// lowest erase count: wear rotates over every page); else the page with the fewest live
// bytes is collected, if they fit in a page with room for one more record: the spare
// becomes active, the victim's live records are copied into it (each a new committed
// record; until the victim is erased both copies hold the same value) and the victim is
// erased. A page that holds data nobody rewrites would never be erased: once it lags the
// most worn page by KV_WEAR_GAP erases, its records move to the newly activated page.
// A cut during a collection leaves no free page; the next write finishes the same
// collection first (the victim is still the page with the fewest live bytes, since
// copying only lowers its count). A tombstone stays live while an older record of its key
// exists in an older page.
//
// Permissions (Tock's storage permissions, TBF TLV 7): a record carries its writer's
// write_id. Reading it needs that id among the reader's read ids; replacing or deleting it
// needs it among the modify ids; creating a key needs a non-zero write_id. A key the
// caller may not read looks exactly like a missing key (NOSUPPORT).
#ifndef CAIRN_KVSTORE_H
#define CAIRN_KVSTORE_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/flash.h>
#include <cairn/process.h>

#define KV_KEY_MAX   64u  // bytes of a key (at least 1)
#define KV_VALUE_MAX 256u // bytes of a value (at least 1)
#define KV_PAGES_MAX 16u
#define KV_PAGE_HDR  16u
#define KV_REC_HDR   16u
#define KV_WEAR_GAP  8u  // erases a page may lag the most worn before its data moves
#define KV_PENDING   100 // kvstore_begin: done() follows later

enum kv_op {
    KV_OP_GET = 1,
    KV_OP_SET = 2,    // create or replace
    KV_OP_DELETE = 3, // the key must exist
    KV_OP_ADD = 4,    // the key must not exist
    KV_OP_UPDATE = 5, // the key must exist
    KV_OP_GC = 6,     // erase pages holding nothing live, finish an interrupted collection
};

struct kvstore;
// Completion of a KV_PENDING operation: err is OK, NOSUPPORT (missing key, existing key
// for ADD, or no permission), NOMEM (no room), FAIL (flash error).
typedef void (*kvstore_done_fn)(struct kvstore *s, int err);

struct kvstore {
    struct flash *flash;
    struct flash_client client;
    kvstore_done_fn done;
    uint32_t npages, psize, align;
    // The operation in progress (busy), its caller's permissions and its record image:
    // header, key, value, padding (built by kvstore_begin from key_buf/value_buf).
    bool busy;
    uint8_t op;
    uint8_t klen;
    uint16_t vlen;
    struct storage_perms perms;
    uint8_t rec[KV_REC_HDR + KV_KEY_MAX + KV_VALUE_MAX + 8];
    uint8_t zero[8]; // the commit unit's bytes
    // Steps already issued whose successor is fixed: the body of the record at body_at is
    // written (its commit unit next); a page was erased (its header next); a copy of the
    // record at copy_from goes to copy_to, copy_done bytes of its body written so far.
    uint8_t next; // enum in kvstore.c
    uint32_t body_at, commit_at;
    int prep_page;
    int wear; // a cold page being emptied into the active one (-1: none)
    uint32_t prep_ec;
    uint32_t copy_from, copy_to, copy_len, copy_done;
    uint8_t chunk[64];
    uint8_t hdr[16];
    // Counters since init (tests, doc figures).
    uint32_t collections, erases, writes;
    // Page table of the last scan (rebuilt before every decision; kept here, not on the
    // kernel stack).
    struct kv_page {
        uint8_t state;
        uint16_t end; // append point (offset in page; psize when the page is closed)
        uint32_t ec, seq;
    } pg[KV_PAGES_MAX];
};

// f: the store's region (whole pages, npages = size / page_size, 3..KV_PAGES_MAX, the
// write alignment at most 8). Mounting reads nothing: every operation reads flash anew.
// Returns OK or INVAL (region unusable).
int kvstore_init(struct kvstore *s, struct flash *f, kvstore_done_fn done);

// Where the caller puts the key (up to KV_KEY_MAX bytes) and then, after a key of klen
// bytes, the value (up to KV_VALUE_MAX bytes) of the next kvstore_begin; not to be
// touched while the store is busy.
uint8_t *kvstore_key_buf(struct kvstore *s);
uint8_t *kvstore_value_buf(struct kvstore *s, uint32_t klen);

// Start op on the key (klen bytes in key_buf) and, for SET/ADD/UPDATE, the value (vlen
// bytes in value_buf), for a caller with permissions p. Returns KV_PENDING (done() follows,
// never from inside this call), or the result at once: OK (GC with nothing to do), BUSY
// (an operation is in progress), SIZE (klen or vlen 0 or too long), INVAL (no write_id for
// an op that writes, or GET: use kvstore_get), NOSUPPORT (see kvstore_done_fn), NOMEM.
int kvstore_begin(struct kvstore *s, enum kv_op op, uint32_t klen, uint32_t vlen,
                  const struct storage_perms *p);

// GET, synchronous (reads only): the newest value of the key (klen bytes at key) that p
// may read. OK and *val (pointing into the flash map, valid until the next write
// operation) and *vlen; NOSUPPORT if missing or unreadable; SIZE for a bad key length;
// BUSY while an operation is in progress.
int kvstore_get(struct kvstore *s, const uint8_t *key, uint32_t klen, const struct storage_perms *p,
                const uint8_t **val, uint32_t *vlen);

// Bytes a record of this key and value length takes in flash.
uint32_t kvstore_rec_len(const struct kvstore *s, uint32_t klen, uint32_t vlen);

// Consistency check for tests and diagnostics: committed records whose checksum or fields
// are wrong (0 on a healthy store), and the erase count of page i in *ec (0xFFFFFFFF:
// unknown) when ec is not null.
uint32_t kvstore_check(const struct kvstore *s, uint32_t *ec);

#endif
