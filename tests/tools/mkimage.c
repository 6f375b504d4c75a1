/* mkimage KIND OUT WIDTH HEIGHT [BYTES]
 *
 * Test tool: writes the image files the input tests need.
 *   png        a valid RGB PNG (a gradient)
 *   png-short  a PNG whose chunks and CRCs are all correct but whose pixel
 *              data (one zlib stream, properly ended) holds only half the rows
 *   png-claim  a PNG whose header claims WIDTH x HEIGHT but whose one IDAT
 *              chunk (correct CRC) holds BYTES bytes of a zlib stream
 *   png-mixed  a valid RGB PNG of bands that try a colour memo: flat areas,
 *              colours drawn from a palette of 200,000 (more than any memo
 *              holds, each met again), noise (every pixel new), then flat
 *              areas and the palette again
 *   jpeg       a valid baseline RGB JPEG (a gradient)
 *   jpeg-checker  a valid baseline RGB JPEG of black and white pixels in turn
 *              (what a JPEG keeps worst: its decoded inks overshoot)
 *   jpeg-exif  a baseline RGB JPEG stored with its top half green and its
 *              bottom half blue, and an EXIF orientation BYTES (1 to 8)
 *   png-icc, jpeg-icc  the gradient of png or jpeg, carrying the ICC profile
 *              in file BYTES (an iCCP chunk; APP2 markers)
 *   png-neutral, jpeg-neutral  an RGB PNG, a baseline RGB JPEG, whose
 *              pixels are all grey (the grey levels across, black to white)
 *   png-grey   the same greys in a greyscale PNG
 *   (these four carry the ICC profile in file BYTES when given)
 *   jpeg-grey  the same greys in a one-component (greyscale) JPEG
 * A truncated or damaged file is made from these with head -c or dd. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h> /* after stdio.h: it uses size_t and FILE */
#include <zlib.h>

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void chunk(FILE *f, const char *type, const unsigned char *data, uint32_t len) {
    unsigned char head[8];
    put32(head, len);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (len)
        crc = crc32(crc, data, len);
    unsigned char tail[4];
    put32(tail, (uint32_t)crc);
    fwrite(head, 1, 8, f);
    if (len)
        fwrite(data, 1, len, f);
    fwrite(tail, 1, 4, f);
}

static uint32_t lcg(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* png-mixed: which of its bands a row is in (of 10). */
static void mixed_pixel(unsigned char *p, int x, int y, int h, uint32_t *seed) {
    int band = y * 10 / h;
    if (band < 2 || band == 6 || band == 8) { /* flat blocks of eight colours */
        uint32_t c = (uint32_t)(x / 50 + y / 40 * 3) % 8 * 2654435761u;
        p[0] = (unsigned char)(c >> 24), p[1] = (unsigned char)(c >> 16), p[2] = (unsigned char)c;
    } else if (band == 5) { /* noise */
        uint32_t c = lcg(seed);
        p[0] = (unsigned char)c, p[1] = (unsigned char)(c >> 8), p[2] = (unsigned char)(c >> 16);
    } else { /* the palette */
        uint32_t i = lcg(seed) % 200000u, c = i * 2246822519u ^ i;
        p[0] = (unsigned char)c, p[1] = (unsigned char)(c >> 8), p[2] = (unsigned char)(c >> 16);
    }
}

/* Filter byte 0 then RGB for each of `rows` rows, deflated. */
/* greys: 0 colours; 3 grey levels across, as RGB; 1 the same, one byte a pixel */
static int png_greys;

static unsigned char *png_pixels(int w, int rows, bool mixed, uLongf *out_len) {
    size_t per = png_greys == 1 ? 1 : 3;
    size_t row = 1 + per * (size_t)w, n = row * (size_t)rows;
    unsigned char *raw = calloc(n + 1, 1);
    uint32_t seed = 1;
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < w; x++) {
            unsigned char *p = raw + (size_t)y * row + 1 + per * (size_t)x;
            if (png_greys) {
                for (size_t k = 0; k < per; k++)
                    p[k] = (unsigned char)(x * 255 / (w > 1 ? w - 1 : 1));
                continue;
            }
            if (mixed) {
                mixed_pixel(p, x, y, rows, &seed);
                continue;
            }
            p[0] = (unsigned char)(x * 255 / (w > 1 ? w - 1 : 1));
            p[1] = (unsigned char)(y * 255 / (rows > 1 ? rows - 1 : 1));
            p[2] = 128;
        }
    *out_len = compressBound((uLong)n);
    unsigned char *z = malloc(*out_len);
    if (compress2(z, out_len, raw, (uLong)n, 6) != Z_OK)
        exit(2);
    free(raw);
    return z;
}

/* The bytes of a file (an ICC profile), malloc'd; exits when unreadable. */
static unsigned char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f)
        exit(2);
    size_t cap = 1 << 16;
    unsigned char *b = malloc(cap);
    *n = 0;
    for (size_t r; b && (r = fread(b + *n, 1, cap - *n, f)) > 0;) {
        *n += r;
        if (*n == cap)
            b = realloc(b, cap *= 2);
    }
    fclose(f);
    if (!b)
        exit(2);
    return b;
}

static int write_png(const char *out, int w, int h, int rows, long claim_bytes, bool mixed,
                     const char *icc) {
    FILE *f = fopen(out, "wb");
    if (!f)
        return 2;
    fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
    unsigned char ihdr[13];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;                      /* bits per sample */
    ihdr[9] = png_greys == 1 ? 0 : 2; /* grey, RGB */
    ihdr[10] = 0;                     /* deflate */
    ihdr[11] = 0;                     /* adaptive filters */
    ihdr[12] = 0;                     /* not interlaced */
    chunk(f, "IHDR", ihdr, 13);
    if (icc) { /* iCCP: a name, its NUL, method 0, the deflated profile */
        size_t n;
        unsigned char *prof = slurp(icc, &n);
        uLongf zl = compressBound((uLong)n);
        unsigned char *data = malloc(zl + 5);
        memcpy(data, "icc\0\0", 5);
        if (compress2(data + 5, &zl, prof, (uLong)n, 9) != Z_OK)
            exit(2);
        chunk(f, "iCCP", data, (uint32_t)(zl + 5));
        free(data);
        free(prof);
    }
    uLongf len;
    unsigned char *z;
    if (claim_bytes > 0) {
        /* a few rows of a small image: a valid zlib stream, far too short */
        z = png_pixels(4, 4, false, &len);
        if ((uLongf)claim_bytes < len)
            len = (uLongf)claim_bytes;
    } else {
        z = png_pixels(w, rows, mixed, &len);
    }
    chunk(f, "IDAT", z, (uint32_t)len);
    chunk(f, "IEND", NULL, 0);
    free(z);
    return fclose(f) == 0 ? 0 : 2;
}

static int write_jpeg(const char *out, int w, int h, bool checker, int orient, const char *icc,
                      int greys) {
    FILE *f = fopen(out, "wb");
    if (!f)
        return 2;
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = greys == 1 ? 1 : 3;
    c.in_color_space = greys == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 90, TRUE);
    jpeg_start_compress(&c, TRUE);
    if (icc) {
        size_t n;
        unsigned char *prof = slurp(icc, &n);
        jpeg_write_icc_profile(&c, prof, (unsigned int)n);
        free(prof);
    }
    if (orient) { /* APP1: Exif, a big-endian TIFF header, IFD0 with one entry */
        unsigned char exif[] = {
            'E', 'x', 'i', 'f',  0,    0, 'M', 'M', 0, 42, 0, 0, 0,
            8,   0,   1,   0x01, 0x12, 0, 3,   0,   0, 0,  1, 0, (unsigned char)orient,
            0,   0,   0,   0,    0,    0};
        jpeg_write_marker(&c, JPEG_APP0 + 1, exif, sizeof exif);
    }
    unsigned char *row = malloc((size_t)w * 3);
    while (c.next_scanline < c.image_height) {
        for (int x = 0; x < w; x++) {
            row[3 * x] = (unsigned char)(x * 255 / (w > 1 ? w - 1 : 1));
            row[3 * x + 1] = (unsigned char)(c.next_scanline * 255 / (unsigned)h);
            row[3 * x + 2] = 64;
            if (checker)
                row[3 * x] = row[3 * x + 1] = row[3 * x + 2] =
                    (unsigned char)(((unsigned)x + c.next_scanline) % 2 ? 255 : 0);
            if (greys) /* the grey levels across */
                row[3 * x] = row[3 * x + 1] = row[3 * x + 2] =
                    (unsigned char)(x * 255 / (w > 1 ? w - 1 : 1));
            if (greys == 1)
                row[x] = row[3 * x];
            if (orient) { /* green over blue */
                bool top = c.next_scanline < (unsigned)h / 2;
                row[3 * x] = 0;
                row[3 * x + 1] = top ? 200 : 0;
                row[3 * x + 2] = top ? 0 : 220;
            }
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    return fclose(f) == 0 ? 0 : 2;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fputs("usage: mkimage "
              "png|png-short|png-claim|png-mixed|png-icc|jpeg|jpeg-checker|jpeg-exif|jpeg-icc|"
              "jpeg-neutral|jpeg-grey|png-neutral|png-grey OUT "
              "WIDTH HEIGHT "
              "[BYTES]\n",
              stderr);
        return 2;
    }
    const char *kind = argv[1], *out = argv[2];
    int w = atoi(argv[3]), h = atoi(argv[4]);
    if (w <= 0 || h <= 0)
        return 2;
    if (strcmp(kind, "png") == 0)
        return write_png(out, w, h, h, 0, false, NULL);
    if (strcmp(kind, "png-short") == 0)
        return write_png(out, w, h, h / 2, 0, false, NULL);
    if (strcmp(kind, "png-claim") == 0)
        return write_png(out, w, h, h, argc > 5 ? atol(argv[5]) : 100, false, NULL);
    if (strcmp(kind, "png-mixed") == 0)
        return write_png(out, w, h, h, 0, true, NULL);
    if (strcmp(kind, "jpeg") == 0)
        return write_jpeg(out, w, h, false, 0, NULL, 0);
    if (strcmp(kind, "jpeg-checker") == 0)
        return write_jpeg(out, w, h, true, 0, NULL, 0);
    if (strcmp(kind, "jpeg-exif") == 0)
        return write_jpeg(out, w, h, false, argc > 5 ? atoi(argv[5]) : 1, NULL, 0);
    if (strcmp(kind, "png-icc") == 0 && argc > 5)
        return write_png(out, w, h, h, 0, false, argv[5]);
    if (strcmp(kind, "jpeg-icc") == 0 && argc > 5)
        return write_jpeg(out, w, h, false, 0, argv[5], 0);
    png_greys = strcmp(kind, "png-neutral") == 0 ? 3 : strcmp(kind, "png-grey") == 0 ? 1 : 0;
    if (png_greys) /* (BYTES: the file of an ICC profile to carry) */
        return write_png(out, w, h, h, 0, false, argc > 5 ? argv[5] : NULL);
    if (strcmp(kind, "jpeg-neutral") == 0)
        return write_jpeg(out, w, h, false, 0, argc > 5 ? argv[5] : NULL, 3);
    if (strcmp(kind, "jpeg-grey") == 0)
        return write_jpeg(out, w, h, false, 0, argc > 5 ? argv[5] : NULL, 1);
    fprintf(stderr, "mkimage: unknown kind '%s'\n", kind);
    return 2;
}
