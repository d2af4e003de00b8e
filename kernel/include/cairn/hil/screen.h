// SPDX-License-Identifier: Apache-2.0
// Screen HIL: a framebuffer-less display written rectangle by rectangle.
//
// Pixels come in the screen's pixel format (Tock's numbering, SCREEN_FORMAT_*), row by row
// from the top-left corner of a write frame, as one continuous bit stream. Every op is
// split-phase: OK from the call, then exactly one done() from the bottom half (never
// inside the call); BUSY while another op is in flight.
#ifndef CAIRN_HIL_SCREEN_H
#define CAIRN_HIL_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

// Tock's pixel formats (doc/syscalls/90001_screen.md, command 25).
#define SCREEN_FORMAT_MONO 0u // 8 pixels a byte, leftmost in the most significant bit, 1 = lit

struct screen;

struct screen_frame {
    uint16_t x, y, w, h;
};

struct screen_client {
    void (*done)(struct screen_client *c, int status);
};

struct screen_ops {
    // Send len bytes of pixels to frame f. first: they start at the frame's top-left
    // corner; otherwise they continue where the previous write of the same frame ended
    // (past the frame's end, writing wraps to its start). pre: f passed the checks the
    // struct's fields describe; len <= max_write.
    int (*write)(struct screen *s, const struct screen_frame *f, const uint8_t *data, uint32_t len,
                 bool first);
    int (*set_power)(struct screen *s, bool on);
    int (*set_brightness)(struct screen *s, uint32_t percent); // 0 blanks the screen
    int (*set_invert)(struct screen *s, bool on);
    void (*set_client)(struct screen *s, struct screen_client *c);
};

struct screen {
    const struct screen_ops *ops;
    uint16_t width, height;
    uint8_t format;     // SCREEN_FORMAT_*
    uint8_t x_align;    // a frame's x and width must be multiples of this
    uint16_t max_write; // bytes per write call
};

#endif
