#!/usr/bin/env python3
"""Draws the test logos of tests/intake/good/ (Python 3 standard library:
zlib and struct write the PNG files; the JPEG goes through `pnmtojpeg`
(netpbm) or ImageMagick's `convert`, whichever is installed).

    python3 generate.py        # writes the files next to this script

The output is deterministic. These are synthetic shapes, not real logos."""
import math
import os
import shutil
import struct
import subprocess
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def chunk(kind, data):
    c = struct.pack(">I", len(data)) + kind + data
    return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(path, w, h, color_type, rows, palette=None):
    """rows: list of bytes, one per scanline, without the filter byte."""
    raw = b"".join(b"\x00" + r for r in rows)
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0))
    if palette:
        out += chunk(b"PLTE", b"".join(bytes(p) for p in palette))
    out += chunk(b"IDAT", zlib.compress(raw, 9))
    out += chunk(b"IEND", b"")
    with open(os.path.join(HERE, path), "wb") as f:
        f.write(out)


def centrale():
    """RGB 200x200: a white ring with eight teeth (a gear) on red."""
    w = h = 200
    rows = []
    for y in range(h):
        r = bytearray()
        for x in range(w):
            dx, dy = x - 99.5, y - 99.5
            d = math.hypot(dx, dy)
            a = math.atan2(dy, dx)
            tooth = 70 + (12 if math.cos(8 * a) > 0.3 else 0)
            white = (d < tooth and d > 38) or d < 18
            r += bytes((255, 255, 255)) if white else bytes((200, 16, 46))
        rows.append(bytes(r))
    png("centrale.png", w, h, 2, rows)


def pain_commun():
    """Palette 240x160: a loaf with three scores on a cream ground."""
    pal = [(250, 243, 224), (196, 132, 60), (120, 70, 30)]
    w, h = 240, 160
    rows = []
    for y in range(h):
        r = bytearray()
        for x in range(w):
            ex, ey = (x - 120) / 100, (y - 85) / 55
            c = 0
            if ex * ex + ey * ey < 1:
                c = 1
                for k in (-1, 0, 1):
                    if abs((x - 120 - 45 * k) - 0.6 * (y - 85)) < 4 and abs(y - 85) < 35:
                        c = 2
            r.append(c)
        rows.append(bytes(r))
    png("pain-commun.png", w, h, 3, rows, pal)


def employes():
    """RGBA 300x120: three blue bars of rising height, transparent ground."""
    w, h = 300, 120
    rows = []
    for y in range(h):
        r = bytearray()
        for x in range(w):
            on = False
            for i, top in enumerate((70, 40, 10)):
                x0 = 40 + i * 80
                if x0 <= x < x0 + 60 and top <= y < 110:
                    on = True
            r += bytes((20, 60, 160, 255)) if on else bytes((0, 0, 0, 0))
        rows.append(bytes(r))
    png("employes.png", w, h, 6, rows)


def rebelle():
    """JPEG 160x160: an amber glass with white foam on dark red."""
    w = h = 160
    px = bytearray()
    for y in range(h):
        for x in range(w):
            c = (110, 20, 30)
            if 50 <= x < 110 and 40 <= y < 140:
                c = (235, 160, 40)
                if y < 58:
                    c = (250, 250, 240)
            px += bytes(c)
    ppm = b"P6\n%d %d\n255\n" % (w, h) + bytes(px)
    out = os.path.join(HERE, "rebelle.jpg")
    if shutil.which("pnmtojpeg"):
        jpg = subprocess.run(["pnmtojpeg", "--quality=85"], input=ppm,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
        with open(out, "wb") as f:
            f.write(jpg)
    elif shutil.which("convert"):
        subprocess.run(["convert", "ppm:-", "-quality", "85", out], input=ppm, check=True)
    else:
        raise SystemExit("rebelle.jpg needs pnmtojpeg or ImageMagick convert")


if __name__ == "__main__":
    centrale()
    pain_commun()
    employes()
    rebelle()
