#!/usr/bin/env python3
"""Generates the sample edition's illustrations (original, CC0).

Standard library only (zlib + struct write the PNGs). Run it from this folder:
    python3 generate.py
The PNGs are committed, so building the sample never needs Python.
"""
import math
import random
import struct
import zlib


def save_png(path, w, h, px):
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        rows.extend(px[y * w * 3:(y + 1) * w * 3])

    def chunk(tag, data):
        return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)

    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(bytes(rows), 9)))
        f.write(chunk(b'IEND', b''))


class Canvas:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.px = bytearray(w * h * 3)

    def set(self, x, y, c):
        if 0 <= x < self.w and 0 <= y < self.h:
            i = (y * self.w + x) * 3
            self.px[i:i + 3] = bytes(c)

    def gradient(self, top, bottom):
        for y in range(self.h):
            t = y / (self.h - 1)
            c = [int(top[k] + (bottom[k] - top[k]) * t) for k in range(3)]
            row = bytes(c) * self.w
            self.px[y * self.w * 3:(y + 1) * self.w * 3] = row

    def rect(self, x0, y0, x1, y1, c):
        x0, x1 = max(0, int(x0)), min(self.w, int(x1))
        for y in range(max(0, int(y0)), min(self.h, int(y1))):
            i = (y * self.w + x0) * 3
            self.px[i:i + (x1 - x0) * 3] = bytes(c) * (x1 - x0)

    def fill_below(self, f, c):
        """Fills below the curve y = f(x)."""
        for x in range(self.w):
            for y in range(max(0, int(f(x))), self.h):
                self.set(x, y, c)

    def circle(self, cx, cy, r, c):
        for y in range(int(cy - r), int(cy + r) + 1):
            dx = math.sqrt(max(0, r * r - (y - cy) ** 2))
            self.rect(cx - dx, y, cx + dx, y + 1, c)

    def polygon(self, pts, c):
        ys = [p[1] for p in pts]
        for y in range(int(min(ys)), int(max(ys)) + 1):
            xs = []
            for i in range(len(pts)):
                (x1, y1), (x2, y2) = pts[i], pts[(i + 1) % len(pts)]
                if (y1 <= y < y2) or (y2 <= y < y1):
                    xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
            xs.sort()
            for a, b in zip(xs[::2], xs[1::2]):
                self.rect(a, y, b, y + 1, c)


def manif():
    rnd = random.Random(1)
    c = Canvas(1200, 800)
    c.gradient((236, 214, 180), (198, 110, 80))
    c.circle(930, 230, 90, (246, 232, 200))
    # banners on poles
    for i, x in enumerate(range(80, 1200, 170)):
        top = 170 + rnd.randint(0, 120)
        c.rect(x, top, x + 6, 620, (60, 40, 40))
        col = [(180, 30, 40), (200, 60, 50), (150, 25, 35)][i % 3]
        c.polygon([(x + 6, top), (x + 150, top + 20), (x + 140, top + 90), (x + 6, top + 80)], col)
    # crowd: rows of heads and shoulders
    for row, y0 in enumerate((600, 650, 700, 750)):
        shade = 40 + row * 12
        x = -20 + rnd.randint(0, 30)
        while x < 1220:
            r = rnd.randint(16, 22)
            c.circle(x, y0, r, (shade, shade - 10, shade - 5))
            c.rect(x - r * 1.6, y0 + r * 0.7, x + r * 1.6, 800, (shade, shade - 10, shade - 5))
            if rnd.random() < 0.15:  # raised fist
                c.rect(x + r, y0 - 70, x + r + 10, y0, (shade, shade - 10, shade - 5))
                c.circle(x + r + 5, y0 - 75, 11, (shade, shade - 10, shade - 5))
            x += rnd.randint(34, 48)
    save_png('manif.png', c.w, c.h, c.px)


def logement():
    rnd = random.Random(2)
    c = Canvas(1200, 800)
    c.gradient((200, 215, 225), (235, 235, 228))
    x = 0
    while x < 1200:
        bw = rnd.randint(150, 240)
        bh = rnd.randint(380, 700)
        base = [(170, 150, 135), (150, 140, 130), (190, 170, 150), (130, 125, 120)][rnd.randint(0, 3)]
        c.rect(x, 800 - bh, x + bw - 6, 800, base)
        for wy in range(800 - bh + 30, 780, 60):
            for wx in range(x + 18, x + bw - 40, 44):
                lit = rnd.random() < 0.25
                c.rect(wx, wy, wx + 26, wy + 36, (240, 215, 140) if lit else (70, 80, 95))
        x += bw
    save_png('logement.png', c.w, c.h, c.px)


def vesdre():
    c = Canvas(1200, 800)
    c.gradient((170, 190, 205), (225, 225, 215))
    c.fill_below(lambda x: 300 + 80 * math.sin(x / 170.0) + 30 * math.sin(x / 53.0), (95, 120, 90))
    c.fill_below(lambda x: 420 + 60 * math.sin(x / 120.0 + 1.3), (70, 100, 70))
    # the river, winding down the valley
    for y in range(520, 800):
        t = (y - 520) / 280.0
        cx = 600 + 180 * math.sin(t * 3.0)
        half = 40 + 220 * t
        c.rect(cx - half, y, cx + half, y + 1, (110, 140, 165))
    for x in range(0, 1200, 3):  # ripples
        y = 640 + int(20 * math.sin(x / 40.0))
        c.set(x, y, (160, 185, 200))
    save_png('vesdre.png', c.w, c.h, c.px)


def cooperative():
    c = Canvas(1000, 1000)
    c.gradient((245, 225, 170), (230, 180, 120))
    c.circle(500, 420, 210, (235, 120, 60))
    for i in range(12):  # sun rays
        a = i * math.pi / 6
        pts = [(500 + 230 * math.cos(a - 0.08), 420 + 230 * math.sin(a - 0.08)),
               (500 + 330 * math.cos(a), 420 + 330 * math.sin(a)),
               (500 + 230 * math.cos(a + 0.08), 420 + 230 * math.sin(a + 0.08))]
        c.polygon(pts, (235, 140, 70))
    cols = [(120, 60, 50), (150, 80, 60), (100, 70, 60), (170, 110, 70)]
    for band in range(6):  # fields
        y0 = 640 + band * 60
        c.polygon([(0, y0), (1000, y0 - 40), (1000, y0 + 20), (0, y0 + 60)], cols[band % 4])
    save_png('cooperative.png', c.w, c.h, c.px)


if __name__ == '__main__':
    manif()
    logement()
    vesdre()
    cooperative()
