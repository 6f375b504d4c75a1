#!/usr/bin/env python3
"""Generates the sample edition's illustrations (original work, CC0).

Python 3 standard library only: zlib + struct write the PNGs. Run it from
this folder (or anywhere; files are written next to this script):

    python3 generate.py            # all four images
    python3 generate.py manif      # just one

Each image is drawn at twice its final size and averaged down 2x2, which
gives smooth (anti-aliased) edges. Everything is deterministic (fixed seeds),
so re-running produces identical files. The PNGs are committed, so building
the sample edition never needs Python.
"""
import math
import os
import random
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SS = 3  # drawing grid: 3x the design size; saved at half of it (1.5x design,
        # e.g. 1800 x 1200: over 200 ppi across three tabloid columns)

# A muted, newspaper-friendly palette.
PAPER = (237, 230, 214)
INK = (43, 42, 46)
RED = (170, 62, 52)
RED_DARK = (128, 45, 42)
OCHRE = (206, 158, 80)
SLATE = (93, 114, 133)
SAGE = (138, 154, 123)


def mix(a, b, t):
    return tuple(int(round(a[k] + (b[k] - a[k]) * t)) for k in range(3))


def save_png(path, w, h, px):
    raw = bytearray()
    stride = w * 3
    for y in range(h):
        raw.append(0)
        raw.extend(px[y * stride:(y + 1) * stride])

    def chunk(tag, data):
        crc = zlib.crc32(tag + data) & 0xffffffff
        return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', crc)

    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b'IDAT', zlib.compress(bytes(raw), 9)))
        f.write(chunk(b'IEND', b''))


class Canvas:
    """RGB canvas; all coordinates are in final-image pixels (floats ok)."""

    def __init__(self, w, h):
        self.w, self.h = w, h
        self.W, self.H = w * SS, h * SS
        self.px = bytearray(self.W * self.H * 3)

    # -- primitives on the supersampled grid ---------------------------------
    def _span(self, y, x0, x1, c):
        if y < 0 or y >= self.H:
            return
        x0 = max(0, int(round(x0)))
        x1 = min(self.W, int(round(x1)))
        if x1 > x0:
            i = (y * self.W + x0) * 3
            self.px[i:i + (x1 - x0) * 3] = bytes(c) * (x1 - x0)

    # -- drawing API ------------------------------------------------------------
    def vgradient(self, stops, y0=0, y1=None):
        """stops: list of (t, colour) with t in 0..1 over y0..y1."""
        y1 = self.h if y1 is None else y1
        for Y in range(int(y0 * SS), int(y1 * SS)):
            t = (Y / SS - y0) / max(1e-9, (y1 - y0))
            for (ta, ca), (tb, cb) in zip(stops, stops[1:]):
                if ta <= t <= tb:
                    c = mix(ca, cb, (t - ta) / max(1e-9, tb - ta))
                    break
            else:
                c = stops[-1][1] if t > stops[-1][0] else stops[0][1]
            self._span(Y, 0, self.W, c)

    def rect(self, x0, y0, x1, y1, c):
        for Y in range(int(round(y0 * SS)), int(round(y1 * SS))):
            self._span(Y, x0 * SS, x1 * SS, c)

    def polygon(self, pts, c):
        P = [(x * SS, y * SS) for x, y in pts]
        ys = [p[1] for p in P]
        n = len(P)
        for Y in range(max(0, int(min(ys))), min(self.H, int(max(ys)) + 1)):
            yc = Y + 0.5
            xs = []
            for i in range(n):
                (xa, ya), (xb, yb) = P[i], P[(i + 1) % n]
                if (ya <= yc < yb) or (yb <= yc < ya):
                    xs.append(xa + (yc - ya) * (xb - xa) / (yb - ya))
            xs.sort()
            for a, b in zip(xs[::2], xs[1::2]):
                self._span(Y, a, b, c)

    def ellipse(self, cx, cy, rx, ry, c, y_max=None):
        cx, cy, rx, ry = cx * SS, cy * SS, rx * SS, ry * SS
        end = int(cy + ry) + 2 if y_max is None else int(y_max * SS)
        for Y in range(int(cy - ry), end):
            d = 1 - ((Y + 0.5 - cy) / ry) ** 2
            if d > 0:
                dx = rx * math.sqrt(d)
                self._span(Y, cx - dx, cx + dx, c)

    def circle(self, cx, cy, r, c):
        self.ellipse(cx, cy, r, r, c)

    def fill_below(self, f, c, y_max=None, step=2):
        """Fill from the curve y = f(x) down to y_max (default: bottom)."""
        y_max = self.h if y_max is None else y_max
        pts = [(x, f(x)) for x in range(-step, self.w + 2 * step, step)]
        pts += [(self.w + step, y_max), (-step, y_max)]
        self.polygon(pts, c)

    def line(self, x0, y0, x1, y1, width, c):
        dx, dy = x1 - x0, y1 - y0
        L = math.hypot(dx, dy) or 1
        nx, ny = -dy / L * width / 2, dx / L * width / 2
        self.polygon([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny),
                      (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)], c)

    def halftone(self, x0, y0, x1, y1, c, step, rmax, fade='down'):
        """Poster-style dot screen whose dots grow along `fade`."""
        row = 0
        y = y0
        while y < y1:
            t = (y - y0) / max(1, (y1 - y0))
            if fade == 'up':
                t = 1 - t
            r = rmax * t
            off = step / 2 if row % 2 else 0
            x = x0 + off
            if r > 0.4:
                while x < x1:
                    self.circle(x, y, r, c)
                    x += step
            y += step * 0.866
            row += 1

    # -- output -------------------------------------------------------------------
    def save(self, name):
        W = self.W
        w, h = W // 2, self.H // 2  # 2x2 averaging of the drawing grid
        out = bytearray(w * h * 3)
        for y in range(h):
            a = self.px[(2 * y) * W * 3:(2 * y + 1) * W * 3]
            b = self.px[(2 * y + 1) * W * 3:(2 * y + 2) * W * 3]
            ae, ao, be, bo = (bytearray(w * 3) for _ in range(4))
            for k in range(3):
                ae[k::3] = a[k::6]
                ao[k::3] = a[3 + k::6]
                be[k::3] = b[k::6]
                bo[k::3] = b[3 + k::6]
            out[y * w * 3:(y + 1) * w * 3] = bytes(
                (p + q + r + s + 2) >> 2 for p, q, r, s in zip(ae, ao, be, bo))
        path = os.path.join(HERE, name)
        save_png(path, w, h, out)
        print('%-16s %dx%d  %6.1f KB' % (name, w, h, os.path.getsize(path) / 1024))


# -----------------------------------------------------------------------------
def manif():
    """A demonstration: flags and a banner above a crowd, late-afternoon sky."""
    rnd = random.Random(1)
    c = Canvas(1200, 800)
    c.vgradient([(0, (236, 222, 196)), (0.55, (230, 190, 150)), (1, (196, 128, 100))])
    c.circle(860, 250, 150, (243, 230, 204))
    c.halftone(0, 20, 1200, 360, (226, 204, 172), 18, 4.2, fade='up')

    # distant rooftops
    x = 0
    while x < 1200:
        bw = rnd.randint(60, 140)
        bh = rnd.randint(40, 130)
        c.rect(x, 560 - bh, x + bw + 1, 600, (190, 150, 130))
        x += bw

    # flags on poles, waving
    flag_cols = [RED, (190, 88, 64), RED_DARK, OCHRE, RED, (150, 70, 70)]
    poles = [(95, 250), (255, 190), (455, 300), (760, 215), (955, 280), (1110, 180)]
    for i, (px, top) in enumerate(poles):
        lean = rnd.uniform(-0.06, 0.06)
        foot = 640
        c.line(px, foot, px + lean * (foot - top), top, 6, INK)
        fx, fy = px + lean * (foot - top), top
        fw, fh = rnd.randint(130, 175), rnd.randint(80, 100)
        phase = rnd.uniform(0, 6)
        topedge = [(fx + t * fw, fy + 10 * math.sin(phase + t * 5) * t) for t in [k / 20 for k in range(21)]]
        botedge = [(fx + t * fw, fy + fh + 10 * math.sin(phase + t * 5) * t - 8 * t) for t in [k / 20 for k in range(20, -1, -1)]]
        c.polygon(topedge + botedge, flag_cols[i % len(flag_cols)])
        # a lighter band across some flags
        if i % 2 == 0:
            band = [(x, y + fh * 0.38) for x, y in topedge[:-1]]
            band += [(x, y + fh * 0.18) for x, y in reversed(topedge[:-1])]
            c.polygon(band, mix(flag_cols[i % len(flag_cols)], PAPER, 0.55))
        c.circle(fx, fy - 4, 6, INK)

    # a long banner held between two poles
    bx0, bx1, by = 540, 720, 420
    c.line(bx0, 660, bx0, by - 10, 6, INK)
    c.line(bx1, 660, bx1, by - 10, 6, INK)
    sag = [(bx0 + t * (bx1 - bx0), by + 12 * math.sin(t * math.pi)) for t in [k / 16 for k in range(17)]]
    low = [(x, y + 90) for x, y in reversed(sag)]
    c.polygon(sag + low, PAPER)
    for k in range(3):  # abstract "lettering" bars
        yy = by + 24 + k * 22
        c.rect(bx0 + 22, yy, bx1 - 22 - k * 28, yy + 9, RED_DARK if k == 0 else (110, 90, 85))

    # the crowd: rows of heads and shoulders, darker towards the viewer
    rows = [(585, (120, 82, 78)), (635, (92, 62, 62)), (690, (68, 48, 52)), (750, (46, 38, 42))]
    for ri, (y0, col) in enumerate(rows):
        x = -30 + rnd.randint(0, 25)
        scale = 0.8 + ri * 0.15
        while x < 1240:
            r = rnd.uniform(13, 17) * scale
            hy = y0 + rnd.uniform(-6, 6)
            c.circle(x, hy, r, col)
            c.ellipse(x, hy + r * 2.6, r * 1.9, r * 1.6, col)
            c.rect(x - r * 1.9, hy + r * 2.6, x + r * 1.9, 800, col)
            if rnd.random() < 0.07:  # a placard on a stick
                ax = x + r * 1.1
                c.rect(ax - 2, hy - r * 4.2, ax + 2, hy + r * 2, INK)
                sw, sh = r * 3.2, r * 2.1
                sc = [PAPER, (232, 206, 150), (214, 170, 150)][rnd.randint(0, 2)]
                c.rect(ax - sw / 2, hy - r * 4.2 - sh, ax + sw / 2, hy - r * 4.2, sc)
                c.rect(ax - sw * 0.36, hy - r * 4.2 - sh * 0.66, ax + sw * 0.36,
                       hy - r * 4.2 - sh * 0.52, RED_DARK)
                c.rect(ax - sw * 0.36, hy - r * 4.2 - sh * 0.4, ax + sw * 0.2,
                       hy - r * 4.2 - sh * 0.28, (110, 90, 85))
            x += rnd.uniform(30, 40) * scale
    c.save('manif.png')


def logement():
    """A street of Brussels-style row houses before a line of tower blocks."""
    rnd = random.Random(2)
    c = Canvas(1200, 800)
    c.vgradient([(0, (206, 214, 218)), (1, (236, 230, 216))], 0, 560)
    c.halftone(0, 20, 1200, 300, (194, 204, 210), 16, 3.6, fade='up')

    # background: tall social housing blocks
    x = -20
    while x < 1220:
        bw = rnd.randint(130, 200)
        bh = rnd.randint(260, 420)
        top = 560 - bh
        c.rect(x, top, x + bw, 560, (178, 184, 188))
        for wy in range(int(top) + 18, 540, 26):
            c.rect(x + 10, wy, x + bw - 10, wy + 9, (158, 165, 171))
        x += bw + rnd.randint(40, 110)

    # foreground: row houses with varied gables
    facades = [(176, 128, 104), (204, 176, 138), (146, 112, 98), (192, 150, 120),
               (214, 196, 164), (160, 132, 118), (184, 110, 90)]
    x = 0
    base = 720
    i = 0
    while x < 1200:
        fw = rnd.randint(118, 160)
        fh = rnd.randint(330, 430)
        col = facades[i % len(facades)]
        i += 1
        top = base - fh
        c.rect(x, top, x + fw, base, col)
        roof = rnd.randint(0, 2)
        dark = mix(col, INK, 0.35)
        if roof == 0:  # pointed gable
            c.polygon([(x, top), (x + fw / 2, top - 55), (x + fw, top)], col)
            c.polygon([(x - 4, top + 2), (x + fw / 2, top - 60), (x + fw + 4, top + 2),
                       (x + fw / 2, top - 50)], dark)
        elif roof == 1:  # stepped gable
            steps = 4
            for s in range(steps):
                sw = fw * (1 - s / steps) / 2
                c.rect(x + fw / 2 - sw, top - 14 * (s + 1), x + fw / 2 + sw, top - 14 * s + 1, col)
        else:  # flat roof with a cornice
            c.rect(x - 3, top - 10, x + fw + 3, top + 4, dark)
        # windows
        cols_n = 2 if fw < 140 else 3
        gap = fw / cols_n
        floors = int((fh - 110) // 78)
        for f in range(floors):
            wy = top + 28 + f * 78
            for k in range(cols_n):
                wx = x + k * gap + gap * 0.22
                ww = gap * 0.56
                lit = rnd.random() < 0.22
                glass = (236, 204, 128) if lit else (76, 88, 104)
                c.rect(wx - 3, wy - 3, wx + ww + 3, wy + 53, (232, 226, 212))
                c.rect(wx, wy, wx + ww, wy + 50, glass)
                c.rect(wx + ww / 2 - 1.5, wy, wx + ww / 2 + 1.5, wy + 50, (232, 226, 212))
                c.rect(wx - 5, wy + 53, wx + ww + 5, wy + 58, dark)
        # ground floor: a door
        dw = 34
        dx = x + fw * 0.6
        c.rect(dx, base - 84, dx + dw, base, dark)
        c.ellipse(dx + dw / 2, base - 84, dw / 2, 14, dark)
        c.rect(x + fw * 0.12, base - 72, x + fw * 0.48, base - 24, (76, 88, 104))
        # party wall line
        c.rect(x + fw - 2, top, x + fw, base, mix(col, INK, 0.2))
        x += fw

    # pavement and street
    c.rect(0, base, 1200, base + 16, (196, 190, 178))
    c.rect(0, base + 16, 1200, 800, (92, 92, 96))
    for sx in range(20, 1200, 120):
        c.rect(sx, 768, sx + 60, 774, (214, 208, 190))
    c.save('logement.png')


def vesdre():
    """A river valley: layered wooded hills, a town by the water, a bridge."""
    rnd = random.Random(3)
    c = Canvas(1200, 800)
    c.vgradient([(0, (196, 208, 212)), (1, (232, 228, 214))], 0, 420)
    c.circle(300, 170, 70, (240, 234, 216))

    hills = [
        (230, 40, 0.0042, (170, 182, 174)),
        (300, 45, 0.0055, (143, 160, 140)),
        (370, 50, 0.0068, (116, 137, 112)),
        (450, 40, 0.0080, (88, 112, 86)),
    ]
    for k, (base, amp, fq, col) in enumerate(hills):
        ph = k * 1.7
        c.fill_below(lambda x, b=base, a=amp, f=fq, p=ph:
                     b + a * math.sin(x * f + p) + a * 0.4 * math.sin(x * f * 2.7 + p * 2), col)
        # trees along the crest of the nearer hills
        if k >= 2:
            tcol = mix(col, INK, 0.25)
            for x in range(10, 1200, 26 if k == 2 else 20):
                y = base + amp * math.sin(x * fq + ph) + amp * 0.4 * math.sin(x * fq * 2.7 + ph * 2)
                h = rnd.uniform(16, 30) * (1 + (k - 2) * 0.3)
                c.polygon([(x - h * 0.32, y + 6), (x, y - h), (x + h * 0.32, y + 6)], tcol)

    # valley floor
    c.rect(0, 520, 1200, 800, (120, 138, 104))

    # the river: widening towards the viewer, winding
    def river_x(y):
        t = (y - 470) / 330
        return 620 + 160 * math.sin(t * 2.6 + 0.6) - 60 * t

    left, right = [], []
    for y in range(470, 812, 6):
        t = (y - 470) / 330
        half = 14 + 250 * t ** 1.3
        cx = river_x(y)
        left.append((cx - half, y))
        right.append((cx + half, y))
    c.polygon(left + right[::-1], (112, 138, 158))
    # reflections
    for y in range(500, 800, 14):
        t = (y - 470) / 330
        cx = river_x(y)
        half = 14 + 250 * t ** 1.3
        ln = half * rnd.uniform(0.2, 0.6)
        off = rnd.uniform(-0.4, 0.4) * half
        c.rect(cx + off - ln / 2, y, cx + off + ln / 2, y + 2, (168, 188, 198))

    # a stone bridge across the river
    by = 600
    t = (by - 470) / 330
    half = 14 + 250 * t ** 1.3
    cx = river_x(by)
    x0, x1 = cx - half - 40, cx + half + 40
    deck, foot = by - 24, by + 30
    c.rect(x0, deck, x1, foot, (150, 140, 126))
    n = 3
    span = 2 * half / n
    for k in range(n):  # arch openings, upper half of an ellipse
        ax = cx - half + span * (k + 0.5)
        c.ellipse(ax, foot, span * 0.40, 40, (112, 138, 158), y_max=foot)
        c.rect(ax - span * 0.40, foot - 3, ax + span * 0.40, foot, (168, 188, 198))
    c.rect(x0, by - 30, x1, deck, (120, 112, 102))

    # houses on both banks
    hcols = [(222, 214, 196), (196, 170, 146), (176, 118, 98), (210, 196, 172)]
    for side in (-1, 1):
        for k in range(5):
            y = 530 + k * 58 + (14 if side > 0 else 0) + rnd.uniform(-6, 6)
            t = (y - 470) / 330
            half = 14 + 250 * t ** 1.3
            edge = river_x(y) + side * (half + 40 + rnd.uniform(0, 90))
            w = 46 + k * 12
            h = 34 + k * 9
            x = edge if side > 0 else edge - w
            col = hcols[(k + (side > 0)) % 4]
            c.rect(x, y - h, x + w, y, col)
            c.polygon([(x - 4, y - h), (x + w / 2, y - h - 22 - k * 3), (x + w + 4, y - h)], (92, 80, 82))
            for wx in (x + w * 0.2, x + w * 0.6):
                c.rect(wx, y - h * 0.7, wx + w * 0.18, y - h * 0.35, (78, 86, 96))
    c.save('vesdre.png')


def cooperative():
    """Orchard fields under the Andes, a big geometric sun."""
    rnd = random.Random(4)
    c = Canvas(1000, 1000)
    c.vgradient([(0, (241, 226, 192)), (1, (232, 196, 150))], 0, 560)
    cx, cy = 500, 400
    rings = [(300, (238, 210, 160)), (240, (234, 190, 128)), (180, (226, 160, 92)), (120, (206, 112, 66))]
    for r, col in rings:
        c.circle(cx, cy, r, col)

    # mountains with snow
    peaks = [(-60, 560, 150, 330), (180, 560, 330, 300), (420, 560, 560, 250),
             (640, 560, 790, 310), (860, 560, 1060, 340)]
    for x0, yb, xp, yp in peaks:
        x1 = 2 * xp - x0
        c.polygon([(x0, yb), (xp, yp), (x1, yb)], (120, 118, 130))
        c.polygon([(xp, yp), (x1, yb), (xp + (x1 - xp) * 0.15, yb)], (100, 98, 112))
        sx = (xp - x0) * 0.22
        sy = (yb - yp) * 0.22
        c.polygon([(xp - sx, yp + sy), (xp, yp), (xp + sx, yp + sy),
                   (xp + sx * 0.4, yp + sy * 0.75), (xp, yp + sy * 1.05),
                   (xp - sx * 0.45, yp + sy * 0.8)], (238, 234, 224))

    # fields: bands converging to a vanishing point at the horizon
    hz = 560
    c.rect(0, hz, 1000, 1000, (150, 150, 96))
    vp = 500
    band_cols = [(160, 160, 100), (196, 168, 96), (130, 142, 92), (186, 120, 80),
                 (172, 170, 110), (120, 130, 86), (200, 150, 90), (146, 156, 98)]
    edges = list(range(-1900, 2900, 300))
    for k in range(len(edges) - 1):
        a, b = edges[k], edges[k + 1]
        c.polygon([(vp + (a - vp) * 0.02, hz), (vp + (b - vp) * 0.02, hz), (b, 1000), (a, 1000)],
                  band_cols[k % len(band_cols)])

    # orchard rows: trees shrinking with distance, on each field's midline
    for k in range(len(edges) - 1):
        mid = (edges[k] + edges[k + 1]) / 2
        for j in range(12):
            t = ((j + 0.5) / 12) ** 1.8  # 0 at horizon, 1 at bottom
            y = hz + (1000 - hz) * t
            x = vp + (mid - vp) * (0.02 + 0.98 * t)
            if -40 < x < 1040 and t > 0.03:
                r = 4 + 34 * t
                c.rect(x - r * 0.12, y - r * 0.2, x + r * 0.12, y + r * 0.7, (86, 64, 52))
                c.circle(x, y - r * 0.55, r, (84, 110, 74) if (k + j) % 3 else (104, 124, 80))
                if rnd.random() < 0.5:  # fruit
                    for f in range(3):
                        a = rnd.uniform(0, 2 * math.pi)
                        c.circle(x + math.cos(a) * r * 0.55, y - r * 0.55 + math.sin(a) * r * 0.5,
                                 max(1.5, r * 0.12), (222, 150, 70))
    # a thin paper frame, poster-like
    for (x0, y0, x1, y1) in [(0, 0, 1000, 14), (0, 986, 1000, 1000), (0, 0, 14, 1000), (986, 0, 1000, 1000)]:
        c.rect(x0, y0, x1, y1, PAPER)
    c.save('cooperative.png')


ALL = {'manif': manif, 'logement': logement, 'vesdre': vesdre, 'cooperative': cooperative}

if __name__ == '__main__':
    for name in (sys.argv[1:] or ALL):
        ALL[name]()
