// SPDX-License-Identifier: Apache-2.0
// Screen capsule (driver 0x90001): processes draw on the board's display.
//
// ABI (Tock 2.x, doc/syscalls/90001_screen.md and capsules/extra/src/screen.rs; the write
// and fill numbers are the capsule's and libtock-c's, 200 and 300):
//   command 0: exists -> Success
//   command 1: setup API? -> Success-u32(0): resolution, pixel format and rotation are
//              fixed, so commands 11-14, 22, 24 and 26 answer NOSUPPORT (26 with a format
//              number Tock does not define: INVAL)
//   command 2 (on), 3 (percent), 4, 5, 6 (on): power, brightness (0 blanks), invert
//              on, off, set -> Success, then upcall (status, 0, 0)
//   command 21: -> Success-u32(0), no rotation
//   command 23: -> Success-2u32(width, height)
//   command 25: -> Success-u32(pixel format): 0, Mono (8 pixels a byte, leftmost in bit
//              7, 1 lit)
//   command 100 (x << 16 | y, w << 16 | h): the caller's write frame -> Success, then
//              upcall (0, 0, 0); Failure INVAL if it leaves the screen, is empty, or x
//              or w is not a multiple of the display's alignment (2 here)
//   command 200 (len): write min(len, buffer length) bytes of read-only allow 0 into the
//              frame from its top-left corner -> Success, then upcall (status, 0, 0);
//              Failure NOMEM without a buffer (or len 0)
//   command 300: fill the frame with the first pixel of read-only allow 0 -> as 200
//   other commands: Failure NOSUPPORT
//   Each process has at most one operation queued or running: another gets BUSY.
//   Upcall status: 0 done; FAIL if the buffer was withdrawn or shrunk mid-write.
// Each process has its own write frame (the whole screen until it sets one), applied at
// the start of each of its writes, so processes cannot move each other's frames. The
// display serves one operation at a time; queued ones run in turn, from the process
// after the one served last (round robin). Pixels are copied from the allowed buffer a
// chunk at a time into a kernel buffer, and the grant is entered anew for each chunk: a
// process that dies mid-write has its operation dropped at the next chunk, and its memory
// is never read again.
#ifndef CAIRN_CAPSULE_SCREEN_H
#define CAIRN_CAPSULE_SCREEN_H

#include <stdbool.h>

#include <cairn/deferred.h>
#include <cairn/driver.h>
#include <cairn/grant.h>
#include <cairn/hil/alarm.h>
#include <cairn/hil/screen.h>

#define SCREEN_DRIVER_NUM 0x90001u
#define SCREEN_CHUNK      16u // bytes copied per step (the most the HIL may take is less)
#define SCREEN_CHUNK_US   64u // a chunk's time on a 2 Mbit/s bus: the pace of a write

struct screen_app {
    struct screen_frame frame;
    uint8_t op; // 0: none; otherwise queued or running (enum in screen.c)
    uint8_t frame_set;
    uint32_t arg;      // the operation's argument
    uint32_t pos, len; // bytes of the write sent, and to send
};

struct screen_capsule {
    struct screen *screen;
    struct screen_client client;
    struct grant grant;
    struct deferred_call dc; // completes ops that need no hardware; starts queued ones
    procid_t cur;            // the process whose op is running (PROCID_NONE: none)
    uint32_t last_slot;      // slot served last (round robin)
    bool hw_busy;            // an op of the HIL is in flight (cur may have died meanwhile)
    bool final;              // that HIL op is the last of cur's op
    bool more;               // cur's write has chunks left, the next is due
    // Paces a write's chunks (null: back to back). A chunk every SCREEN_CHUNK_US at most,
    // as a real SPI bus would: where the emulated bus completes at once, the chain of
    // chunk, interrupt, next chunk left no instruction to the processes (a full-screen
    // writer starved every neighbour).
    struct alarm_hw *pace;
    struct alarm_hw_client pace_client;
    uint8_t chunk[SCREEN_CHUNK];
};

// pace: an alarm of the capsule's own (a virtual alarm), or null.
void screen_capsule_init(struct screen_capsule *c, struct screen *screen, struct alarm_hw *pace);
struct cmd_result screen_command(const struct driver *d, procid_t pid, uint32_t cmd, uint32_t arg0,
                                 uint32_t arg1);

#endif
