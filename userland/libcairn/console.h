// SPDX-License-Identifier: Apache-2.0
// Console driver (0x1): asynchronous and synchronous byte output and input.
#ifndef CAIRN_CONSOLE_H
#define CAIRN_CONSOLE_H

#include <stddef.h>

#include "errors.h"

#define CONSOLE_DRIVER 0x1
// The kernel refuses single reads longer than its receive buffer (64 bytes on the
// default board); console_read_sync() splits longer reads into pieces of this size.
#define CONSOLE_READ_CHUNK 64

// Completion of a write or a read: status is RETURNCODE_SUCCESS or the error the driver
// reported (reads only: e.g. RETURNCODE_ESIZE, RETURNCODE_ECANCEL after an abort); len is
// the number of bytes written or read.
typedef void console_done_fn(returncode_t status, size_t len, void *userdata);

// Starts writing buf[0..len); done runs from a later yield once every byte has been sent.
// buf (RAM or flash) must stay valid and unchanged until then. One write at a time per
// process: RETURNCODE_EBUSY while one is in flight.
returncode_t console_write(const void *buf, size_t len, console_done_fn *done, void *userdata);

// Starts reading exactly len bytes (len <= the kernel's receive buffer) into buf; done runs
// when they have arrived or the read was aborted. One reader in the whole system: the
// kernel answers RETURNCODE_EBUSY while another process reads.
returncode_t console_read(void *buf, size_t len, console_done_fn *done, void *userdata);

// Ends the read in progress early; its done callback still runs, with the bytes so far.
returncode_t console_abort_read(void);

// Called (if set) before every read starts. stdio's set-up sets it to flush stdout and
// stderr, so that a prompt printed without a newline is out before the app waits for input.
extern void (*console_before_read)(void);

// Blocking forms. They wait with Yield-WaitFor, so no other upcall runs meanwhile (other
// events stay queued). *len_out (may be NULL) is the number of bytes transferred.
// console_write_sync first completes an asynchronous write still in flight (running its
// callback); console_read_sync returns RETURNCODE_EBUSY during an asynchronous read.
returncode_t console_write_sync(const void *buf, size_t len, size_t *len_out);
returncode_t console_read_sync(void *buf, size_t len, size_t *len_out);

#endif // CAIRN_CONSOLE_H
