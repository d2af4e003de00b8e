#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes to stdout the screendump QEMU should give of the lm3s6965evb OLED for a picture.
"""Expected OLED screendumps, drawn from a description of the picture, not from the code
that draws it on the target.

QEMU 7.2's ssd0323 model shows its 128x64 panel as a 512x256 P6 PPM (every pixel 4x4),
grey level g (0-15) as RGB (17g, 17g, 17g). Cairn's driver lights a pixel with grey 15.

  oled_expected.py demo    the test card of userland/apps/oled_demo (its header comment)
  oled_expected.py blank   nothing lit
"""
import sys

W, H, MAG = 128, 64, 4


def demo(x, y):
    if x in (0, W - 1) or y in (0, H - 1):
        return True
    if 16 <= x < 48 and 16 <= y < 48:
        return True
    if 64 <= x < 112 and 16 <= y < 48:
        return (x // 4 + y // 4) % 2 == 0
    # then the frame (100, 52, 20, 8) filled lit
    return 100 <= x < 120 and 52 <= y < 60


PICTURES = {"demo": demo, "blank": lambda x, y: False}


def ppm(lit):
    rows = []
    for y in range(H):
        row = b"".join((b"\xff\xff\xff" if lit(x, y) else b"\x00\x00\x00") * MAG
                       for x in range(W))
        rows.append(row * MAG)
    return b"P6\n%d %d\n255\n" % (W * MAG, H * MAG) + b"".join(rows)


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in PICTURES:
        raise SystemExit(__doc__)
    sys.stdout.buffer.write(ppm(PICTURES[sys.argv[1]]))
