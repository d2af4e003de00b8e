// SPDX-License-Identifier: Apache-2.0
// Screen driver (0x90001): drawing on the board's display (the qemu-lm3s6965evb's OLED).
//
// Pixels are in the screen's pixel format (screen_pixel_format; the OLED's is
// SCREEN_PIXEL_MONO: 8 pixels a byte, leftmost in bit 7, 1 lit), row by row through the
// current write frame, which is this process's own (the whole screen until set). Every
// operation but the queries completes with an upcall carrying a status; each process
// has one operation at a time. Return codes:
//   RETURNCODE_ENODEVICE   no screen on this board
//   RETURNCODE_EBUSY       this process's previous operation has not completed
//   RETURNCODE_EINVAL      a frame off the screen, empty, or with x or width odd
//   RETURNCODE_ENOMEM      write or fill without a buffer (or no room for the driver's
//                          state in this process's kernel part)
//   RETURNCODE_ENOSUPPORT  what this screen cannot do (rotation, resolution, format)
//   RETURNCODE_FAIL        (completion) the buffer was taken back mid-write
#ifndef CAIRN_SCREEN_H
#define CAIRN_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

#define SCREEN_DRIVER     0x90001
#define SCREEN_PIXEL_MONO 0

// --- raw calls (each queued operation's upcall 0 brings (status, 0, 0)) ---------------------
returncode_t screen_resolution(uint32_t *width, uint32_t *height);
returncode_t screen_pixel_format(uint32_t *format);
returncode_t screen_command_set_frame(uint16_t x, uint16_t y, uint16_t w, uint16_t h);
returncode_t screen_command_write(size_t len); // from the read-only buffer lent below
returncode_t screen_command_fill(void);        // the frame in the buffer's first pixel
returncode_t screen_command_power(int on);
returncode_t screen_command_brightness(uint32_t percent); // 0 blanks the screen
returncode_t screen_command_invert(int on);
returncode_t screen_allow(const uint8_t *buf, size_t len); // NULL, 0 takes it back

// --- asynchronous API -------------------------------------------------------------------
// done(status, userdata) from a later yield; buf must stay valid until then.
typedef void screen_done_fn(returncode_t status, void *userdata);
returncode_t screen_write(const uint8_t *buf, size_t len, screen_done_fn *done, void *userdata);

// --- synchronous API (Yield-WaitFor; return the completion's status) --------------------
returncode_t screen_set_frame_sync(uint16_t x, uint16_t y, uint16_t w, uint16_t h);
returncode_t screen_write_sync(const uint8_t *buf, size_t len);
returncode_t screen_fill_sync(int lit); // the whole frame lit or dark
returncode_t screen_power_sync(int on);
returncode_t screen_brightness_sync(uint32_t percent);
returncode_t screen_invert_sync(int on);

#endif // CAIRN_SCREEN_H
