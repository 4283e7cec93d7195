#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpora of fuzz_image_probe (fuzz/corpus/image_probe) and fuzz_exif
(fuzz/corpus/exif): small valid headers of every format the probe reads (PNG; JPEG baseline and
progressive, with and without EXIF; WebP VP8, VP8L and VP8X with EXIF; BMP core and info headers,
bottom-up and top-down) and broken ones (truncated, zero and huge sizes, bad magic); TIFF blocks in
both byte orders with each orientation, and hostile ones (offsets past the end, huge entry counts,
wrong types).

    python3 fuzz/make_image_seeds.py fuzz/corpus

Only the Python standard library; the files are deterministic.
"""
import os
import struct
import sys
import zlib


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(w, h, exif=None):
    out = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    if exif is not None:
        out += png_chunk(b"eXIf", exif)
    return out + png_chunk(b"IDAT", zlib.compress(b"\x00" * (1 + 3 * w))) + png_chunk(b"IEND", b"")


def tiff(orientation, little=True, typ=3, count=1, ifd=8):
    e = "<" if little else ">"
    head = (b"II" if little else b"MM") + struct.pack(e + "HI", 42, ifd)
    entries = struct.pack(e + "HHI", 0x010F, 2, 4) + b"Cam\x00"  # Make
    entries += struct.pack(e + "HHIHH", 0x0112, typ, 1, orientation, 0)
    return head + b"\x00" * (ifd - 8) + struct.pack(e + "H", count if count != 1 else 2) + entries + b"\x00" * 4


def jpeg(w, h, exif=None, sof=0xC0):
    out = b"\xff\xd8"
    if exif is not None:
        payload = b"Exif\x00\x00" + exif
        out += b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    out += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    out += bytes([0xFF, sof]) + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return out + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x00" * 8 + b"\xff\xd9"


def riff(chunks):
    body = b"WEBP" + b"".join(k + struct.pack("<I", len(d)) + d + (b"\x00" if len(d) & 1 else b"") for k, d in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_vp8(w, h):
    frame = b"\x10\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", w, h) + b"\x00" * 10
    return riff([(b"VP8 ", frame)])


def webp_vp8l(w, h):
    bits = (w - 1) | ((h - 1) << 14)
    return riff([(b"VP8L", b"\x2f" + struct.pack("<I", bits) + b"\x00" * 6)])


def webp_vp8x(w, h, exif=None):
    flags = 0x08 if exif is not None else 0
    head = struct.pack("<I", flags) + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little")
    chunks = [(b"VP8X", head), (b"VP8L", b"\x2f" + struct.pack("<I", (w - 1) | ((h - 1) << 14)) + b"\x00" * 6)]
    if exif is not None:
        chunks.append((b"EXIF", exif))
    return riff(chunks)


def bmp_info(w, h):
    pixels = b"\x00" * (((3 * w + 3) // 4) * 4 * abs(h))
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info) + len(pixels), 0, 0, 54) + info + pixels


def bmp_core(w, h):
    info = struct.pack("<IHHHH", 12, w, h, 1, 24)
    return b"BM" + struct.pack("<IHHI", 26 + 12, 0, 0, 26) + info + b"\x00" * 12


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main(out):
    probe = os.path.join(out, "image_probe")
    exif = os.path.join(out, "exif")
    os.makedirs(probe, exist_ok=True)
    os.makedirs(exif, exist_ok=True)
    w = lambda n, d: write(probe, n, d)
    w("png_3x2.png", png(3, 2))
    w("png_exif6.png", png(4, 3, exif=b"Exif\x00\x00" + tiff(6)))
    w("png_100k_bomb.png", png(100000, 100000)[:33])
    w("png_zero_width.png", png(0, 5)[:33])
    w("jpeg_baseline.jpg", jpeg(5, 4))
    w("jpeg_progressive_exif8.jpg", jpeg(7, 3, exif=tiff(8, little=False), sof=0xC2))
    w("jpeg_truncated_sof.jpg", jpeg(5, 4)[:24])
    w("jpeg_zero_height.jpg", jpeg(5, 0))
    w("webp_vp8.webp", webp_vp8(6, 5))
    w("webp_vp8l.webp", webp_vp8l(9, 2))
    w("webp_vp8x_exif3.webp", webp_vp8x(16, 16, exif=tiff(3)))
    w("webp_truncated.webp", webp_vp8(6, 5)[:22])
    w("bmp_info_bottom_up.bmp", bmp_info(3, 2))
    w("bmp_info_top_down.bmp", bmp_info(3, -2))
    w("bmp_core.bmp", bmp_core(2, 2))
    w("bmp_int_min_height.bmp", bmp_info(1, 1)[:22] + struct.pack("<i", -2147483648) + bmp_info(1, 1)[26:])
    w("bad_magic.bin", b"GIF89a\x01\x00\x01\x00")
    w("bad_empty.bin", b"")
    e = lambda n, d: write(exif, n, d)
    for o in range(1, 9):
        e(f"tiff_le_orientation{o}.tif", tiff(o))
    e("tiff_be_orientation6.tif", tiff(6, little=False))
    e("tiff_exif_prefix.bin", b"Exif\x00\x00" + tiff(5))
    e("tiff_wrong_type.tif", tiff(6, typ=4))
    e("tiff_orientation_9.tif", tiff(9))
    e("tiff_ifd_past_end.tif", b"II*\x00" + struct.pack("<I", 0xFFFFFFF0))
    e("tiff_huge_count.tif", tiff(6, count=0xFFFF))
    e("tiff_ifd_far.tif", tiff(2, ifd=200))
    e("tiff_truncated.tif", tiff(7)[:15])
    e("jpeg_exif.jpg", jpeg(2, 2, exif=tiff(6)))
    e("png_exif.png", png(2, 2, exif=tiff(7)))
    e("webp_exif.webp", webp_vp8x(2, 2, exif=b"Exif\x00\x00" + tiff(4)))
    e("bad_empty.bin", b"")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus"))
