#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of fuzz_ora (fuzz/corpus/ora): a few small valid OpenRaster files in the
layout the editor writes, one from "another program", and hostile ones (missing or broken
stack.xml, bad and truncated PNG layers, sizes of 100k x 100k in stack.xml or a PNG header, a zip
entry inflating 1000x, path-traversal names, huge layer offsets, wrong mimetype).

    python3 fuzz/make_ora_seeds.py fuzz/corpus/ora

Only the Python standard library (zipfile, zlib, struct); the files are deterministic.
"""
import os
import struct
import sys
import zipfile
import zlib


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width, height, color_type, bit_depth=8, rows=None, idat=None):
    """color_type 0 gray, 2 RGB, 4 gray+alpha, 6 RGBA."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    if idat is None:
        if rows is None:
            row_bytes = width * channels * bit_depth // 8
            rows = [bytes((i * 37 + y * 11) & 0xFF for i in range(row_bytes)) for y in range(height)]
        idat = zlib.compress(b"".join(b"\x00" + r for r in rows))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def stack_xml(w, h, layers):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<image version="0.0.5" w="{w}" h="{h}" xres="72" yres="72">',
           "<stack>"]
    for name, src, x, y in layers:
        vis = "hidden" if name == "mask" else "visible"
        out.append(f'<layer name="{name}" src="{src}" x="{x}" y="{y}" opacity="1.0" visibility="{vis}"/>')
    out += ["</stack>", "</image>"]
    return "\n".join(out).encode()


EDITOR_LAYERS = [("mask", "data/mask.png", 0, 0), ("image", "data/image.png", 0, 0)]
RECIPES = b'[{"mode": "text2img", "prompt": "a red fox", "seed": 42, "prior_steps": 25}]'


def ora(path, entries, mimetype=b"image/openraster", mimetype_first=True):
    """entries: list of (name, bytes, deflate)."""
    with zipfile.ZipFile(path, "w") as z:
        def add(name, data, deflate):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            z.writestr(info, data)
        if mimetype is not None and mimetype_first:
            add("mimetype", mimetype, False)
        for name, data, deflate in entries:
            add(name, data, deflate)
        if mimetype is not None and not mimetype_first:
            add("mimetype", mimetype, False)


def editor_entries(w, h, image=None, mask=None, stack=None, recipes=RECIPES):
    image = image if image is not None else png(w, h, 6)
    mask = mask if mask is not None else png(w, h, 0)
    e = [("stack.xml", stack if stack is not None else stack_xml(w, h, EDITOR_LAYERS), True),
         ("data/image.png", image, False), ("data/mask.png", mask, False), ("mergedimage.png", image, False),
         ("Thumbnails/thumbnail.png", image, False)]
    if recipes is not None:
        e.append(("unclip/recipes.json", recipes, True))
    return e


def multi_layer_seeds(p):
    """Other programs' layouts: nested stacks with offsets, opacity and composite-ops (Krita), a
    namespace and extra files without mergedimage.png (MyPaint), an op the editor cannot combine."""
    def stack(w, h, body, root_attrs=""):
        return (f'<?xml version="1.0" encoding="UTF-8"?><image version="0.0.5" w="{w}" h="{h}" {root_attrs}>'
                f"<stack>{body}</stack></image>").encode()
    krita = ('<layer name="mask" src="data/layer3.png" x="4" y="0" visibility="visible"/>'
             '<stack name="group" x="2" y="1" opacity="0.8" isolation="isolate" composite-op="svg:screen">'
             '<layer name="in group" src="data/layer2.png" x="1" y="1" composite-op="svg:multiply"/></stack>'
             '<layer name="half" src="data/layer1.png" x="-2" y="3" opacity="0.5" selected="true"/>'
             '<layer name="background" src="data/layer0.png" x="0" y="0"/>')
    layers = [("data/layer0.png", png(8, 6, 2), False), ("data/layer1.png", png(5, 5, 6), False),
              ("data/layer2.png", png(3, 3, 4), False), ("data/layer3.png", png(2, 6, 0), False)]
    ora(p("other_krita_layers.ora"), [("stack.xml", stack(8, 6, krita), True)] + layers +
        [("mergedimage.png", png(8, 6, 6), False)])
    ora(p("other_unsupported_op.ora"),
        [("stack.xml", stack(8, 6, krita.replace("svg:multiply", "svg:hue")), True)] + layers +
        [("mergedimage.png", png(5, 9, 6), False)])
    mypaint = ('<layer name="ink" src="data/layer001.png" x="1" y="1" opacity="0.75" '
               'mypaint:strokemap="data/layer001_strokemap.dat"/>'
               '<layer name="background" src="data/background.png" background_tile="data/tile.png" x="0" y="0"/>')
    ora(p("other_mypaint_no_merged.ora"),
        [("stack.xml", stack(6, 6, mypaint, 'xmlns:mypaint="http://mypaint.org/ns/openraster"'), True),
         ("data/layer001.png", png(4, 4, 6), False), ("data/layer001_strokemap.dat", b"\x00\x01strokes", False),
         ("data/background.png", png(6, 6, 2), False), ("data/tile.png", png(2, 2, 2), False)])


def main(out):
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    # Valid, as the editor writes them.
    ora(p("valid_8x6.ora"), editor_entries(8, 6))
    ora(p("valid_1x1_no_recipes.ora"), editor_entries(1, 1, recipes=None))
    ora(p("valid_gray_alpha_16bit_layers.ora"),
        editor_entries(5, 4, image=png(5, 4, 4, 16), mask=png(5, 4, 0, 16)))
    ora(p("valid_rgb_layer_offset.ora"),
        editor_entries(12, 10, image=png(6, 5, 2), mask=png(4, 4, 0),
                       stack=stack_xml(12, 10, [("mask", "data/mask.png", 3, 2), ("image", "data/image.png", 4, 5)])))
    # Another program, one plain layer: composited (its wrong-size mergedimage.png is not needed).
    ora(p("other_program.ora"), [("stack.xml", stack_xml(6, 6, [("Layer 1", "data/layer1.png", 0, 0)]), True),
                                  ("data/layer1.png", png(6, 6, 6), False), ("mergedimage.png", png(3, 3, 6), False)])
    multi_layer_seeds(p)
    # Broken structure.
    ora(p("bad_no_stack.ora"), [e for e in editor_entries(4, 4) if e[0] != "stack.xml"])
    ora(p("bad_stack_not_xml.ora"), editor_entries(4, 4, stack=b"<image w='4' h='4'><stack><layer"))
    ora(p("bad_stack_no_size.ora"), editor_entries(4, 4, stack=b"<image><stack/></image>"))
    ora(p("bad_mimetype.ora"), editor_entries(4, 4), mimetype=b"image/png")
    ora(p("bad_no_mimetype.ora"), editor_entries(4, 4), mimetype=None)
    ora(p("bad_mimetype_last.ora"), editor_entries(4, 4), mimetype_first=False)
    ora(p("bad_layer_missing.ora"), [e for e in editor_entries(4, 4) if e[0] != "data/image.png"])
    ora(p("bad_layer_not_png.ora"), editor_entries(4, 4, image=b"this is not a PNG file at all"))
    ora(p("bad_layer_truncated.ora"), editor_entries(4, 4, image=png(4, 4, 6)[:40]))
    ora(p("bad_layer_idat_garbage.ora"), editor_entries(4, 4, image=png(4, 4, 6, idat=b"\x78\x9c garbage")))
    ora(p("bad_recipes_not_json.ora"), editor_entries(3, 3, recipes=b'[{"prompt": "unterminated'))
    ora(p("bad_recipes_object.ora"), editor_entries(3, 3, recipes=b'{"prompt": "an object, not an array"}'))
    ora(p("bad_layer_offset_huge.ora"),
        editor_entries(4, 4, stack=stack_xml(4, 4, [("mask", "data/mask.png", 0, 0),
                                                    ("image", "data/image.png", 2147483647, -2147483648)])))
    # Path traversal and odd names: nothing is ever written, names are only looked up.
    ora(p("bad_path_traversal.ora"),
        [("stack.xml", stack_xml(4, 4, [("mask", "../../../../etc/passwd", 0, 0), ("image", "/etc/shadow", 0, 0)]), True),
         ("../../evil.png", png(4, 4, 6), False), ("/etc/shadow", png(4, 4, 6), False)])
    # Decompression bombs.
    ora(p("bomb_stack_100k.ora"), editor_entries(2, 2, stack=stack_xml(100000, 100000, EDITOR_LAYERS)))
    tiny_idat = zlib.compress(b"\x00" * 64)
    ora(p("bomb_png_100k.ora"), editor_entries(64, 64, image=png(100000, 100000, 6, idat=tiny_idat)))
    with zipfile.ZipFile(p("bomb_zip_inflate.ora"), "w") as z:
        info = zipfile.ZipInfo("mimetype", date_time=(2024, 1, 1, 0, 0, 0))
        z.writestr(info, b"image/openraster")
        for name, data, deflate in editor_entries(4, 4):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            if name == "data/image.png":  # 64 MB of zeros after a PNG header: ~62 KB deflated
                data = data + b"\x00" * (64 << 20)
                deflate = True
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            z.writestr(info, data, compresslevel=9)
    with open(p("bad_not_zip.ora"), "wb") as f:
        f.write(b"PK\x03\x04" + bytes(range(64)))
    with open(p("bad_empty.ora"), "wb") as f:
        pass


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "ora"))
