#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the seed corpus of fuzz_tbf (tests/fuzz/corpus/tbf/): small valid and broken TBFs.
#
# Run from the repository root: python3 tests/fuzz/gen_tbf_corpus.py
# The files are committed; rerun only when the seeds should change. Objects are kept tiny
# (total_size 64..256) so the fuzzer mutates headers, not padding.
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "tbf")


def tlv(t, value):
    pad = (-len(value)) % 4
    return struct.pack("<HH", t, len(value)) + value + b"\0" * pad


def main_tlv(init=4, pts=0, ram=2048):
    return tlv(1, struct.pack("<III", init, pts, ram))


def program_tlv(init=4, pts=0, ram=2048, end=96, ver=1):
    return tlv(9, struct.pack("<IIIII", init, pts, ram, end, ver))


def checksum(hdr):
    s = 0
    for i in range(0, len(hdr) - len(hdr) % 4, 4):
        if i != 12:
            s ^= struct.unpack_from("<I", hdr, i)[0]
    return s


def tbf(tlvs=b"", total=128, flags=1, version=2, hs=None, fix=True, body=b""):
    hs = 16 + len(tlvs) if hs is None else hs
    hdr = bytearray(struct.pack("<HHIII", version, hs, total, flags, 0) + tlvs)
    if fix:
        struct.pack_into("<I", hdr, 12, checksum(hdr[:hs]))
    img = bytes(hdr) + body
    return img + b"\0" * max(0, total - len(img))


def name(s):
    return tlv(3, s)


def kv(major=2, minor=3):
    return tlv(8, struct.pack("<HH", major, minor))


APP = main_tlv() + program_tlv() + name(b"seed") + kv()

SEEDS = {
    "app": tbf(APP, body=b"\x00\xbf\xfe\xe7"),
    "main_only": tbf(main_tlv(8) + name(b"old") + kv(2, 0)),
    "padding": tbf(total=64, flags=0),
    "disabled": tbf(APP, flags=0),
    "bad_checksum": tbf(APP, fix=False),
    "truncated": tbf(APP, total=256)[:128],
    "total_zero": tbf(APP, total=0) + b"\0" * 64,
    "bad_header_size": tbf(APP, hs=18),
    "kernel_too_new": tbf(main_tlv() + kv(2, 9)),
    "no_kernel_version": tbf(main_tlv() + program_tlv()),
    "bad_name": tbf(main_tlv() + name(b"\xc3\x28bad")),
    "utf8_name": tbf(main_tlv() + name("caf\u00e9-\U0001F600".encode())),
    "no_program": tbf(name(b"lonely") + kv()),
    "unknown_tlvs": tbf(tlv(0x42, b"abc") + tlv(0x8001, b"vendor") + tlv(4, b"\0" * 40)
                        + main_tlv() + program_tlv(end=250) + name(b"skip") + kv(),
                        total=256),
    "tlv_overrun": tbf(main_tlv() + struct.pack("<HH", 3, 200) + b"name"),
    "bad_main_len": tbf(tlv(1, b"\0" * 8)),
    "layout_entry_past_end": tbf(program_tlv(init=200, end=96)),
    "everything": tbf(
        main_tlv(4, 8, 4096)
        + program_tlv(4 + 8, 8, 4096, 240, 3)
        + tlv(2, struct.pack("<IIII", 192, 32, 224, 8))
        + name(b"all")
        + tlv(5, struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF))
        + tlv(6, struct.pack("<H", 2) + struct.pack("<IIQ", 1, 0, 0x7) + struct.pack("<IIQ", 0, 0, 1))
        + tlv(7, struct.pack("<IH", 5, 1) + struct.pack("<I", 6) + struct.pack("<H", 1) + struct.pack("<I", 7))
        + kv(2, 2)
        + tlv(10, struct.pack("<I", 0x1234)),
        total=256,
    ),
    # Writeable flash regions in two TLVs (as elf2tab writes them), one of size 0.
    "wfr_two_tlvs": tbf(main_tlv() + program_tlv(end=124) + tlv(2, struct.pack("<II", 108, 8))
                        + name(b"wfr") + tlv(2, struct.pack("<IIII", 116, 0, 120, 4)) + kv()),
    # A little apps region: app, padding, corrupt app, app, then erased flash.
    "region": tbf(APP, total=128) + tbf(total=64, flags=0) + tbf(APP, fix=False)
    + tbf(main_tlv(), total=64) + b"\xff" * 16,
    "erased": b"\xff" * 32,
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for n, data in SEEDS.items():
        with open(os.path.join(OUT, n + ".tbf"), "wb") as f:
            f.write(data)
    print(f"wrote {len(SEEDS)} seeds to {OUT}")


if __name__ == "__main__":
    main()
