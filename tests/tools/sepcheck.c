/* sepcheck PREFIX
 *
 * Reads the four separations Ghostscript's tiffsep device wrote for one
 * page (uncompressed: -sCompression=none): PREFIX(Cyan).tif,
 * PREFIX(Magenta).tif, PREFIX(Yellow).tif, PREFIX(Black).tif, and prints per
 * plate the share of pixels carrying ink and the maximum ink, then the
 * maximum total ink of any pixel, in percent:
 *   C 0.00 0 M 1.20 100 Y 1.20 95 K 12.30 100 TAC 195
 * Exit 2 if a file cannot be read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int w, h;
    unsigned char *px; /* 0 = full ink, 255 = none (tiffsep's convention) */
} plate;

static uint32_t rd(const unsigned char *b, size_t off, int n, int le) {
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint32_t)b[off + (le ? i : n - 1 - i)] << (8 * i);
    return v;
}

static int load(const char *path, plate *p) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len);
    if (!b || fread(b, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(b);
        return 0;
    }
    fclose(f);
    int le = b[0] == 'I';
    uint32_t ifd = rd(b, 4, 4, le);
    int n = (int)rd(b, ifd, 2, le);
    uint32_t w = 0, h = 0, off_tag = 0, off_count = 0, off_type = 0, rows = 0, comp = 1;
    for (int i = 0; i < n; i++) {
        size_t e = ifd + 2 + 12 * (size_t)i;
        int tag = (int)rd(b, e, 2, le), type = (int)rd(b, e + 2, 2, le);
        uint32_t count = rd(b, e + 4, 4, le);
        uint32_t val = type == 3 ? rd(b, e + 8, 2, le) : rd(b, e + 8, 4, le);
        if (tag == 256)
            w = val;
        else if (tag == 257)
            h = val;
        else if (tag == 259)
            comp = val;
        else if (tag == 278)
            rows = val;
        else if (tag == 273) {
            off_tag = (uint32_t)e;
            off_count = count;
            off_type = (uint32_t)type;
        }
    }
    if (comp != 1 || !w || !h) {
        free(b);
        return 0;
    }
    if (!rows)
        rows = h;
    p->w = (int)w;
    p->h = (int)h;
    p->px = malloc((size_t)w * h);
    int sz = off_type == 3 ? 2 : 4;
    uint32_t arr = off_count * (uint32_t)sz <= 4 ? off_tag + 8 : rd(b, off_tag + 8, 4, le);
    for (uint32_t s = 0; s < off_count; s++) {
        uint32_t o = off_count == 1 && sz == 4 ? rd(b, off_tag + 8, 4, le) : rd(b, arr + s * (uint32_t)sz, sz, le);
        size_t y0 = (size_t)s * rows, nrows = rows;
        if (y0 + nrows > h)
            nrows = h - y0;
        memcpy(p->px + y0 * w, b + o, nrows * w);
    }
    free(b);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fputs("usage: sepcheck PREFIX\n", stderr);
        return 2;
    }
    static const char *const names[4] = {"Cyan", "Magenta", "Yellow", "Black"};
    plate p[4];
    for (int i = 0; i < 4; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s(%s).tif", argv[1], names[i]);
        if (!load(path, &p[i])) {
            fprintf(stderr, "sepcheck: cannot read %s (uncompressed TIFF expected)\n", path);
            return 2;
        }
    }
    size_t n = (size_t)p[0].w * p[0].h;
    int tac = 0;
    for (int i = 0; i < 4; i++) {
        size_t inked = 0;
        int mx = 0;
        for (size_t k = 0; k < n; k++) {
            int ink = 255 - p[i].px[k];
            inked += ink > 0;
            if (ink > mx)
                mx = ink;
        }
        printf("%c %.2f %d ", "CMYK"[i], 100.0 * inked / n, (mx * 100 + 127) / 255);
    }
    for (size_t k = 0; k < n; k++) {
        int sum = 0;
        for (int i = 0; i < 4; i++)
            sum += 255 - p[i].px[k];
        if (sum > tac)
            tac = sum;
    }
    printf("TAC %d\n", (tac * 100 + 127) / 255);
    for (int i = 0; i < 4; i++)
        free(p[i].px);
    return 0;
}
