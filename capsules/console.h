// SPDX-License-Identifier: Apache-2.0
// Console capsule (driver 0x1): process text output and input over a shared UART.
//
// ABI (Tock 2.x, spec 8.3):
//   command 0: exists -> Success
//   command 1 (max): write min(max, len(RO allow 1)) bytes from RO allow 1 -> Success;
//     any length: one upcall when all is sent. A second write before the first completes
//     replaces it (undefined in Tock): the new one starts from its own first byte.
//   Fairness and lines: writers take turns, round-robin by slot among processes with a
//     write pending. A turn sends one line: up to and including the next '\n', copied
//     through a 64-byte buffer in chunks while the UART stays with this writer. A turn
//     also ends at the end of the write (a write not ending in '\n' leaves its last line
//     open: the next write's bytes may come after other output) and after
//     CONSOLE_LINE_MAX (512) bytes: a longer line is cut there and continued on a later
//     turn. Between two turns the UART mux serves the kernel's own output (kprintf, the
//     process console) if it waits, so kernel messages and other processes wait at most
//     one line.
//     So a line within one write and at most 512 bytes long is never split by bytes of
//     another process or of the kernel.
//   Each chunk is read from the buffer allowed at that moment: a swapped buffer continues
//     the write at the same offset, a shorter one (or none) ends the write early and the
//     upcall reports the bytes sent. A writer that dies or restarts mid-write: the chunk
//     already on the wire completes, nothing more of it is sent, the next writer goes on.
//   command 2 (max): read min(max, len(RW allow 1)) bytes into RW allow 1 -> Success;
//     Failure BUSY if another live process is reading, INVAL above 64 bytes (the input
//     ring). The read completes when that many bytes are in the ring (at once if they
//     were typed ahead). A reader that died or restarted holds nothing: its read is
//     dropped when the next reader asks, which gets the slot at once.
//   command 3: abort this process's read -> Success (upcall 2 follows with CANCEL and the
//     bytes that had arrived), Failure ALREADY if it has none.
//   subscribe 1: write done (bytes_written, 0, 0)
//   subscribe 2: read done (status, bytes_read, 0); status 0, SIZE (buffer shrank),
//     NOMEM (buffer gone), CANCEL (aborted)
//   RO allow 1: write source. RW allow 1: read destination.
// Input: the console does not read the UART itself. The process console (pconsole.h) owns
// the keyboard and, in app mode only, hands keystrokes over with console_input(); they
// wait in a 64-byte ring until a read takes them, so nothing typed between two reads is
// lost (a full ring refuses further bytes).
#ifndef CAIRN_CAPSULE_CONSOLE_H
#define CAIRN_CAPSULE_CONSOLE_H

#include <stdbool.h>

#include <cairn/driver.h>
#include <cairn/grant.h>
#include <cairn/hil/uart.h>

#include "uart_mux.h"

#define CONSOLE_DRIVER_NUM 0x1u
#define CONSOLE_BUF        64
#define CONSOLE_LINE_MAX   512
#define CONSOLE_IN_BUF     64 // input ring; at most 255 (8-bit indices)

struct console_app {
    uint32_t write_len, write_pos;
    uint8_t write_pending;
};

struct console {
    struct uart_mux_dev *dev;
    struct uart_client client;
    struct grant grant;
    procid_t tx_pid, rx_pid; // process whose turn / read is in progress, or PROCID_NONE
    uint32_t tx_chunk;       // bytes of c->tx on the wire
    uint32_t turn_bytes;     // bytes sent in tx_pid's current turn (< CONSOLE_LINE_MAX)
    bool tx_replaced;        // tx_pid started a new write while its chunk was on the wire
    unsigned last_slot;      // round-robin position among writers
    uint32_t rx_len;         // bytes rx_pid's read waits for
    uint8_t in_head, in_len; // input ring: oldest byte, bytes held
    uint8_t tx[CONSOLE_BUF], in[CONSOLE_IN_BUF];
};

void console_init(struct console *c, struct uart_mux_dev *dev);
// Append one typed byte to the input ring (and complete a read it fills); false if the
// ring is full and the byte was refused.
bool console_input(struct console *c, uint8_t byte);
// True if a live process has a read posted; *pid is that process (else PROCID_NONE).
bool console_reader(struct console *c, procid_t *pid);
struct cmd_result console_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                  uint32_t arg1);

#endif
