// SPDX-License-Identifier: Apache-2.0
// oled_demo: a test card on the screen (driver 0x90001), then a lit bar through a frame fill.
//
// The picture (128x64, Mono): pixel (x, y) is lit when it is on the screen's edge, or in
// the square 16 <= x, y < 48, or in the checkerboard 64 <= x < 112, 16 <= y < 48 whose
// 4x4 cells are lit when (x / 4 + y / 4) is even. Then the frame (100, 52, 20, 8) is
// filled lit. tests/qemu/oled_expected.py draws the same description independently; the
// QEMU test compares the screen with it.

#include <stdio.h>

#include "cairn.h"

#define W 128
#define H 64

static uint8_t card[W * H / 8];

static int lit(int x, int y)
{
    if (x == 0 || y == 0 || x == W - 1 || y == H - 1)
        return 1;
    if (x >= 16 && x < 48 && y >= 16 && y < 48)
        return 1;
    if (x >= 64 && x < 112 && y >= 16 && y < 48)
        return (x / 4 + y / 4) % 2 == 0;
    return 0;
}

static volatile int done;
static returncode_t done_rc;

static void written(returncode_t rc, void *ud)
{
    (void)ud;
    done_rc = rc;
    done = 1;
}

int main(void)
{
    uint32_t w, h, fmt;
    returncode_t rc = screen_resolution(&w, &h);
    if (rc < 0) {
        printf("oled_demo: no screen on this board (%s)\n", returncode_name(rc));
        return 0;
    }
    screen_pixel_format(&fmt);
    // Bad arguments first, with Tock's answers (the QEMU test checks this line).
    printf("oled_demo: %lux%lu format %lu; frame-odd %s, frame-off %s, write-nobuf %s, "
           "rotate %s, command-7 %s\n",
           (unsigned long)w, (unsigned long)h, (unsigned long)fmt,
           returncode_name(screen_command_set_frame(1, 0, 2, 2)),
           returncode_name(screen_command_set_frame(100, 0, 30, 2)),
           returncode_name(screen_command_write(16)),
           returncode_name(command_ok(command(SCREEN_DRIVER, 22, 1, 0))),
           returncode_name(command_ok(command(SCREEN_DRIVER, 7, 0, 0))));
    if (fmt != SCREEN_PIXEL_MONO || w != W || h != H) {
        printf("oled_demo: this demo draws 128x64 Mono only\n");
        return 0;
    }
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (lit(x, y))
                card[(y * W + x) / 8] |= (uint8_t)(0x80u >> (x % 8));

#ifdef OLED_DEMO_WAIT_KEY
    // The oled_demo_key variant draws only once button 4 (select) is pressed, so that a
    // test decides when (tests/qemu/screen_kill.test: after a neighbour died mid-write).
    button_enable_interrupt(4);
    printf("oled_demo: waiting for select\n");
    for (;;) {
        uint32_t index;
        bool pressed;
        if (button_wait(&index, &pressed) >= 0 && index == 4 && pressed)
            break;
    }
#endif
    printf("oled_demo: brightness %s, invert %s, normal %s\n",
           returncode_name(screen_brightness_sync(80)), returncode_name(screen_invert_sync(1)),
           returncode_name(screen_invert_sync(0)));
    rc = screen_set_frame_sync(0, 0, W, H);
    if (rc >= 0)
        rc = screen_write(card, sizeof card, written, NULL);
    printf("oled_demo: card %s\n", returncode_name(rc));
    while (!done)
        yield_wait();
    rc = screen_set_frame_sync(100, 52, 20, 8);
    if (rc >= 0)
        rc = screen_fill_sync(1);
    printf("oled_demo: card written %s, bar %s\n", returncode_name(done_rc), returncode_name(rc));
    return 0;
}
