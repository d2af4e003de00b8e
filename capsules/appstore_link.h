// SPDX-License-Identifier: Apache-2.0
// The app store's wire protocol: checksummed frames that share the console UART with text.
//
// Frame (both directions): 0xF7 'C' type seq len(u16) payload[len] crc(u32), integers
// little-endian, crc = zlib CRC-32 over type..payload. 0xF7 never occurs in UTF-8 text and
// the console ignores bytes >= 0x80, so a frame never looks like typing, and the demux
// (uart_mux_set_rx_filter) takes frames away before any console or app reader sees them.
// Replies have type | 0x80, echo seq and start with the session nonce the host sent in
// HELLO: apps may print any bytes, but they never see the host's frames, so they cannot
// forge a reply the host accepts. One request at a time (stop and wait); a frame that
// arrives while one is served is dropped, and the host resends after its timeout. Every
// request is idempotent under a resend (a WRITE below the written mark is acknowledged,
// BEGIN of the transfer in progress resumes it). Commands: doc/appstore.md.
#ifndef CAIRN_APPSTORE_LINK_H
#define CAIRN_APPSTORE_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include <cairn/deferred.h>

#include "appstore.h"

#define LINK_SYNC0       0xF7
#define LINK_SYNC1       'C'
#define LINK_CHUNK_MAX   256 // image bytes per WRITE
#define LINK_PAYLOAD_MAX (LINK_CHUNK_MAX + 8)
#define LINK_REPLY_MAX   160 // reply payload bytes (LIST pages to fit)

enum link_cmd {
    LINK_HELLO = 1,
    LINK_LIST = 2,
    LINK_BEGIN = 3,
    LINK_WRITE = 4,
    LINK_COMMIT = 5,
    LINK_REMOVE = 6,
    LINK_ABORT = 7,
};

struct appstore_link;
// Send one whole reply frame; the link calls nothing else until appstore_link_sent().
typedef void (*link_send_fn)(struct appstore_link *l, const uint8_t *buf, uint32_t len);

struct appstore_link {
    struct appstore store;
    link_send_fn send;
    struct deferred_call dc;
    const char *arch, *board;
    uint32_t nonce;
    uint8_t rx_state, hdr[4];
    uint16_t rx_len, rx_pos;
    bool busy;    // a request is being served (its frame in buf is in use)
    bool sending; // a reply is on the wire (in out)
    uint8_t type, seq;
    // Committed by the last COMMIT (for a resent COMMIT whose reply was lost).
    uint32_t last_crc;
    int last_commit;
    uint8_t last_slot;
    // A request (type seq len payload crc) and, apart, the reply frame (sync first): the
    // host may send its next request as soon as a reply's last byte is out, before the
    // UART reports the transmit done, so the two must not share memory.
    uint8_t buf[4 + LINK_PAYLOAD_MAX + 4];
    uint8_t out[2 + 4 + LINK_REPLY_MAX + 4];
};

void appstore_link_init(struct appstore_link *l, struct flash *f,
                        const struct appstore_procs *procs, bool pow2_align, const char *arch,
                        const char *board, link_send_fn send);
// The demux filter: offer one received byte; true if it belongs to a frame.
bool appstore_link_rx(void *link, uint8_t byte);
// The reply given to send() is out.
void appstore_link_sent(struct appstore_link *l);

#endif
