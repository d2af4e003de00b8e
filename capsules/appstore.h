// SPDX-License-Identifier: Apache-2.0
// App store: crash-consistent install, update and remove of TBFs in the apps region.
//
// The apps region is Tock's chain of TBF objects (each at the previous one's start plus
// its total_size), on NOR flash through the flash HIL. The store keeps one invariant
// through every single write and erase, so that a power cut anywhere boots either the old
// or the new app set (doc/appstore.md has the argument; tests/host/test_appstore.c cuts
// power at every operation):
// - Nothing is ever written inside the chain except one word per header: the checksum
//   word, erased while an object is written (TBF_UNCOMMITTED), the real checksum when it
//   is committed, zero when it is retired (TBF_RETIRED). Each step only clears bits.
// - Beyond the end of the chain every page is erased, except while the store erases or
//   stages there; a staged object keeps its 16-byte base header erased (so the chain ends
//   at it) until every other byte is written and verified.
// - Of the committed copies of one app the loader runs only the winner (tbf_blocked_by);
//   the store retires the losers first and the old winner last.
// Space of retired objects is erased and reused once nothing committed follows it (no
// live app is ever moved or rewritten).
#ifndef CAIRN_APPSTORE_H
#define CAIRN_APPSTORE_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/hil/flash.h>
#include <cairn/tbf.h>

// What the store may do to processes. The kernel board passes the loader's functions;
// the offline tool (a flash image file) passes NULL and nothing runs.
struct appstore_procs {
    // Start the app whose committed TBF is at flash address at. OK and *slot, or an error.
    int (*start)(uint32_t at, uint32_t avail, unsigned *slot);
    // Stop and forget every process whose package name is name. Returns how many.
    unsigned (*stop_named)(const char *name, uint32_t name_len);
    // Credentials of a staged image (img, len bytes; base = its base header as it will be
    // committed): NULL if it may run, else why not. NULL function: no check (offline).
    const char *(*check)(const uint8_t *img, uint32_t len, const uint8_t base[16]);
};

enum appstore_kind { APPSTORE_INSTALL = 0, APPSTORE_UPDATE = 1 };

struct appstore;

// Completion of begin, write, commit and remove: err OK or an error code, msg a short
// human reason when err != OK (valid until the next store call).
typedef void (*appstore_done_fn)(struct appstore *s, int err, const char *msg);

#define APPSTORE_HDR_MAX 256 // bytes of a TBF header the store accepts (tockloader: 200)

struct appstore {
    struct flash *flash;
    struct flash_client client;
    const struct appstore_procs *procs;
    bool pow2_align; // Cortex-M: an object is a power of two, aligned to its size
    appstore_done_fn done;
    uint8_t state;
    int err;
    // The transfer in progress (state STAGING and after).
    uint32_t at, total, crc, written, slot;
    uint8_t base[16]; // the TBF's base header, written last
    uint8_t kind;
    uint32_t pad_at; // a padding object to write at the old chain end (0: none)
    uint8_t pad[16];
    // Erase cursor (offset) and end; retire cursor.
    uint32_t erase_at;
    uint32_t zero_word;
    // The name of the app being updated or removed (points into flash or header copy).
    const char *name;
    uint32_t name_len;
    uint32_t name_short_id;
    uint32_t new_at; // committed new copy (update), excluded from retiring
    uint32_t chunk_len;
    uint8_t phase; // what follows the erase sequence
    bool in_call, sync_done;
    char msg[96];
};

void appstore_init(struct appstore *s, struct flash *f, const struct appstore_procs *procs,
                   bool pow2_align, appstore_done_fn done);

// Every call below returns OK (finished, no callback), APPSTORE_PENDING (done follows
// later, never from inside the call) or an error code with appstore_msg() saying why.
#define APPSTORE_PENDING 100
const char *appstore_msg(const struct appstore *s);

// Start writing a TBF of total bytes whose image has CRC-32 (zlib's) crc; hdr holds its
// first hdr_len bytes (at least the whole TBF header). Checks it, picks its place at the
// end of the chain (its fixed address if it has one), erases what is needed there.
// Resuming: the same (kind, total, crc) as the transfer in progress continues it, and
// appstore_written() says from where.
int appstore_begin(struct appstore *s, enum appstore_kind kind, uint32_t total, uint32_t crc,
                   const uint8_t *hdr, uint32_t hdr_len);
// Bytes [offset, offset + len) of the image (offset = appstore_written(); len a multiple of
// the write alignment unless it ends the image). data is lent until done.
int appstore_write(struct appstore *s, uint32_t offset, uint8_t *data, uint32_t len);
// Verify the whole image, commit it, start it; for an update stop the old version first and
// retire it after; then reclaim free space at the end.
int appstore_commit(struct appstore *s);
// Stop the app and retire every committed copy of it; reclaim free space at the end.
int appstore_remove(struct appstore *s, const char *name, uint32_t name_len);
// Forget the transfer in progress (its bytes are beyond the chain's end: free).
void appstore_abort(struct appstore *s);

uint32_t appstore_written(const struct appstore *s);
uint32_t appstore_offset(const struct appstore *s); // where the transfer goes (region offset)
bool appstore_busy(const struct appstore *s);
bool appstore_staging(const struct appstore *s);

// Bytes from the end of the chain to the end of the region (what an install can use).
uint32_t appstore_free_tail(const struct appstore *s);

// zlib's CRC-32 (reflected 0xEDB88320), continued from crc (0 to start).
uint32_t appstore_crc32(uint32_t crc, const uint8_t *p, uint32_t len);

#endif
