/* render: the values the painter and both canvases share: the colours'
 * sRGB stand-ins, a placeholder's pixels, matrices. */
#include "canvas.h"

#include <math.h>
#include <string.h>

void rt_cmyk_to_rgb8(rt_cmyk c, unsigned char rgb[3]) {
    double r = (1 - c.c) * (1 - c.k), g = (1 - c.m) * (1 - c.k), b = (1 - c.y) * (1 - c.k);
    rgb[0] = (unsigned char)lround(r * 255);
    rgb[1] = (unsigned char)lround(g * 255);
    rgb[2] = (unsigned char)lround(b * 255);
}

void rt_placeholder_pixels(unsigned index, unsigned char rgb[12]) {
    static const unsigned char magic[6] = {'R', 'T', 'I', 'M', 'G', '!'};
    rgb[0] = (unsigned char)(index >> 16);
    rgb[1] = (unsigned char)(index >> 8);
    rgb[2] = (unsigned char)index;
    memcpy(rgb + 3, magic, 6);
    rgb[9] = (unsigned char)~rgb[0];
    rgb[10] = (unsigned char)~rgb[1];
    rgb[11] = (unsigned char)~rgb[2];
}

void rt_matrix_multiply(rt_matrix *r, const rt_matrix *a, const rt_matrix *b) {
    rt_matrix t;
    t.xx = a->xx * b->xx + a->yx * b->xy;
    t.yx = a->xx * b->yx + a->yx * b->yy;
    t.xy = a->xy * b->xx + a->yy * b->xy;
    t.yy = a->xy * b->yx + a->yy * b->yy;
    t.x0 = a->x0 * b->xx + a->y0 * b->xy + b->x0;
    t.y0 = a->x0 * b->yx + a->y0 * b->yy + b->y0;
    *r = t;
}

size_t rt_utf16_hex(const char *s, size_t n, char *out) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + len > n)
            len = n - i;
        unsigned long cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (size_t k = 1; k < len; k++)
            cp = cp << 6 | ((unsigned char)s[i + k] & 0x3F);
        i += len;
        unsigned units[2] = {(unsigned)cp, 0};
        int nu = 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            units[0] = 0xD800 | (unsigned)(cp >> 10);
            units[1] = 0xDC00 | (unsigned)(cp & 0x3FF);
            nu = 2;
        }
        for (int k = 0; k < nu; k++) {
            out[o++] = hex[(units[k] >> 12) & 15];
            out[o++] = hex[(units[k] >> 8) & 15];
            out[o++] = hex[(units[k] >> 4) & 15];
            out[o++] = hex[units[k] & 15];
        }
    }
    return o;
}
