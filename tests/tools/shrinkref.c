/* shrinkref FILE.png EIGHTHS
 *
 * Test tool: a PNG read smaller by the build's reader (rt_render_png_reader
 * at EIGHTHS of its size, 1 to 7) against the same picture read whole and
 * shrunk here in doubles, each output pixel the mean of the file's pixels
 * under it weighted by how much of each lies under it. Prints
 * "WxH max=D": the size read and the largest difference of a channel, in
 * levels. Exit 0 when the size is ceil(w * e / 8) by ceil(h * e / 8). */
#include "render/render.h"
#include "finish/finish.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fputs("usage: shrinkref FILE.png EIGHTHS\n", stderr);
        return 2;
    }
    int e = atoi(argv[2]), w, h, ow, oh;
    if (e < 1 || e > 8)
        return 2;
    const rt_rgb_reader *rd = &rt_render_png_reader;
    void *whole = rd->open(argv[1], 8, &w, &h);
    if (!whole)
        return 2;
    unsigned char *src = malloc((size_t)w * h * 3);
    if (!src || !rd->rows(whole, src, h))
        return 2;
    rd->close(whole);
    void *small = rd->open(argv[1], e, &ow, &oh);
    if (!small)
        return 2;
    unsigned char *got = malloc((size_t)ow * oh * 3);
    if (!got || !rd->rows(small, got, oh))
        return 2;
    rd->close(small);
    double scale = 8.0 / e, maxd = 0;
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
            /* the output pixel covers [x, x + 1) * scale of the file */
            double x0 = x * scale, x1 = fmin((x + 1) * scale, w), y0 = y * scale,
                   y1 = fmin((y + 1) * scale, h);
            double sum[3] = {0, 0, 0}, wsum = 0;
            for (int sy = (int)floor(y0); sy < (int)ceil(y1); sy++)
                for (int sx = (int)floor(x0); sx < (int)ceil(x1); sx++) {
                    double wx = fmin(sx + 1, x1) - fmax(sx, x0),
                           wy = fmin(sy + 1, y1) - fmax(sy, y0);
                    if (wx <= 0 || wy <= 0)
                        continue;
                    for (int c = 0; c < 3; c++)
                        sum[c] += wx * wy * src[((size_t)sy * w + sx) * 3 + c];
                    wsum += wx * wy;
                }
            for (int c = 0; c < 3; c++) {
                double d = fabs(sum[c] / wsum - got[((size_t)y * ow + x) * 3 + c]);
                if (d > maxd)
                    maxd = d;
            }
        }
    printf("%dx%d max=%.2f\n", ow, oh, maxd);
    free(src);
    free(got);
    return ow == (w * e + 7) / 8 && oh == (h * e + 7) / 8 ? 0 : 1;
}
