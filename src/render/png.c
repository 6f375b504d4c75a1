/* render: PNG files read a band of rows at a time, as 8-bit RGB with any
 * transparency flattened on white (the paper), for the finishing pass that
 * converts them. Only a row (or, for an interlaced file, the picture) is in
 * memory at once, not the whole picture twice as a Cairo surface and its
 * copy. The pixels are those Cairo's own PNG reader gives, flattened as
 * Cairo paints them on white: premultiplied, then over white. It is as
 * strict as load's check (every CRC, to IEND), so a build may leave the
 * decoding of a PNG to it. */
#include "canvas.h"

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct rt_png_rows {
    FILE *f;
    png_structp png;
    png_infop info;
    jmp_buf jmp;
    int w, h, y;
    bool alpha;           /* rows come as RGBA */
    bool grey;            /* the file stores grey levels */
    unsigned char *row;   /* one decoded row */
    unsigned char *whole; /* an interlaced file: the whole picture, decoded at open */
    unsigned char *icc;   /* its iCCP profile (NULL: none, or an sRGB chunk) */
    size_t icc_len;
};

static void on_error(png_structp png, png_const_charp msg) {
    (void)msg;
    rt_png_rows *r = png_get_error_ptr(png);
    longjmp(r->jmp, 1);
}

static void on_warning(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

/* Cairo's premultiplication, then OVER on white: c*a/255 (rounded as
 * pixman does) + (255 - a). */
static unsigned char on_white(unsigned c, unsigned a) {
    unsigned t = c * a + 0x80;
    return (unsigned char)(((t + (t >> 8)) >> 8) + 255 - a);
}

static void to_rgb(const rt_png_rows *r, const unsigned char *src, unsigned char *dst) {
    if (!r->alpha) {
        memcpy(dst, src, (size_t)r->w * 3);
        return;
    }
    for (int x = 0; x < r->w; x++, src += 4, dst += 3) {
        dst[0] = on_white(src[0], src[3]);
        dst[1] = on_white(src[1], src[3]);
        dst[2] = on_white(src[2], src[3]);
    }
}

void rt_render_png_close(rt_png_rows *r) {
    if (!r)
        return;
    png_destroy_read_struct(&r->png, r->info ? &r->info : NULL, NULL);
    if (r->f)
        fclose(r->f);
    free(r->row);
    free(r->whole);
    free(r->icc);
    free(r);
}

static bool read_header(rt_png_rows *r);

rt_png_rows *rt_render_png_open(const char *path, int *w, int *h) {
    rt_png_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->f = fopen(path, "rb");
    if (r->f)
        r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, on_error, on_warning);
    if (r->png)
        r->info = png_create_info_struct(r->png);
    if (!r->info || !read_header(r)) {
        rt_render_png_close(r);
        return NULL;
    }
    *w = r->w;
    *h = r->h;
    return r;
}

/* The header, the reader's transformations and, for an interlaced file,
 * the picture. */
static bool read_header(rt_png_rows *r) {
    unsigned char **volatile rows = NULL;
    if (setjmp(r->jmp)) {
        free(rows);
        return false;
    }
    png_init_io(r->png, r->f);
    /* as strict as load's check (load/image.c), which a build may leave to
     * this reader: every chunk's CRC, to IEND; the pixel limits were
     * checked on the header. The zlib stream's Adler-32 is not computed:
     * the CRC of every IDAT chunk already covers those bytes, and the sum
     * was two fifths of decoding a picture. */
    png_set_user_limits(r->png, 0x7fffffff, 0x7fffffff);
    png_set_crc_action(r->png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_option(r->png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
    png_read_info(r->png, r->info);
    /* the colours' own profile (libpng limits the chunk to 8 MB), unless
     * the file says sRGB */
    png_charp icc_name = NULL;
    png_bytep icc = NULL;
    png_uint_32 icc_len = 0;
    int icc_method = 0;
    if (!png_get_valid(r->png, r->info, PNG_INFO_sRGB) &&
        png_get_iCCP(r->png, r->info, &icc_name, &icc_method, &icc, &icc_len) && icc &&
        icc_len > 0 && (r->icc = malloc(icc_len))) {
        memcpy(r->icc, icc, icc_len);
        r->icc_len = icc_len;
    }
    png_uint_32 pw, ph;
    int depth, type, interlace;
    png_get_IHDR(r->png, r->info, &pw, &ph, &depth, &type, &interlace, NULL, NULL);
    r->grey = type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA;
    /* the transformations of Cairo's reader (cairo-png.c), to 8-bit RGB(A) */
    if (type == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(r->png);
    if (type == PNG_COLOR_TYPE_GRAY)
        png_set_expand_gray_1_2_4_to_8(r->png);
    if (png_get_valid(r->png, r->info, PNG_INFO_tRNS))
        png_set_tRNS_to_alpha(r->png);
    if (depth == 16)
        png_set_strip_16(r->png);
    if (depth < 8)
        png_set_packing(r->png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(r->png);
    int passes = png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
    int channels = png_get_channels(r->png, r->info);
    if (pw == 0 || ph == 0 || pw > 0x7fffffff / 4 || ph > 0x7fffffff ||
        (channels != 3 && channels != 4) || png_get_bit_depth(r->png, r->info) != 8)
        png_error(r->png, "unsupported");
    r->w = (int)pw;
    r->h = (int)ph;
    r->alpha = channels == 4;
    size_t rowbytes = png_get_rowbytes(r->png, r->info);
    if (passes > 1) { /* interlaced: the rows are complete only after the last pass */
        if ((size_t)r->h > SIZE_MAX / rowbytes)
            png_error(r->png, "too large");
        r->whole = malloc(rowbytes * (size_t)r->h);
        rows = malloc(sizeof *rows * (size_t)r->h);
        if (!r->whole || !rows)
            png_error(r->png, "out of memory");
        for (int y = 0; y < r->h; y++)
            rows[y] = r->whole + rowbytes * (size_t)y;
        png_read_image(r->png, rows);
        png_read_end(r->png, NULL);
        free(rows);
        rows = NULL;
    } else {
        r->row = malloc(rowbytes);
        if (!r->row)
            png_error(r->png, "out of memory");
    }
    return true;
}

bool rt_render_png_rows(rt_png_rows *r, unsigned char *rgb, int n) {
    if (n < 0 || n > r->h - r->y)
        return false;
    if (setjmp(r->jmp))
        return false;
    size_t rowbytes = (size_t)r->w * (r->alpha ? 4 : 3);
    for (int i = 0; i < n; i++, r->y++) {
        const unsigned char *src;
        if (r->whole) {
            src = r->whole + rowbytes * (size_t)r->y;
        } else {
            png_read_row(r->png, r->row, NULL);
            src = r->row;
        }
        to_rgb(r, src, rgb + (size_t)i * (size_t)r->w * 3);
    }
    if (r->y == r->h && !r->whole)
        png_read_end(r->png, NULL); /* the chunks after the pixels, to IEND */
    return true;
}

/* A PNG read at `e` eighths of its size (1 to 7), as libjpeg scales a JPEG
 * (ceil(w * e / 8) by ceil(h * e / 8) pixels): each pixel the mean of the
 * file's pixels under it, each weighted by how much of it lies under (an
 * output pixel spans 8/e of the file's; a file's pixel, at most two of the
 * output's). One row of the file in memory, and two rows of sums. */
typedef struct {
    int e, sw, sh, ow, oh;
    int sy, oy;         /* the file's rows read; rows given */
    unsigned char *src; /* one row of the file */
    uint32_t *hsum;     /* that row, summed into the output's columns */
    uint32_t *acc[2];   /* rows oy and oy + 1, being summed */
    uint32_t rw[2];     /* their weights down the picture so far */
    uint32_t *colw;     /* each output column's weight across */
} shrink;

static void shrink_free(shrink *k) {
    if (!k)
        return;
    free(k->src);
    free(k->hsum);
    free(k->acc[0]);
    free(k->acc[1]);
    free(k->colw);
    free(k);
}

static shrink *shrink_new(int e, int sw, int sh) {
    shrink *k = rt_xcalloc(1, sizeof *k);
    k->e = e;
    k->sw = sw;
    k->sh = sh;
    k->ow = (int)(((long long)sw * e + 7) / 8);
    k->oh = (int)(((long long)sh * e + 7) / 8);
    k->src = rt_xmalloc((size_t)sw * 3);
    k->hsum = rt_xcalloc((size_t)k->ow * 3, sizeof *k->hsum);
    k->acc[0] = rt_xcalloc((size_t)k->ow * 3, sizeof *k->acc[0]);
    k->acc[1] = rt_xcalloc((size_t)k->ow * 3, sizeof *k->acc[1]);
    k->colw = rt_xcalloc((size_t)k->ow, sizeof *k->colw);
    for (long long i = 0; i < sw; i++) {
        long long a = i * e, b = a + e, j = a / 8, edge = 8 * (j + 1);
        k->colw[j] += (uint32_t)((b < edge ? b : edge) - a);
        if (b > edge)
            k->colw[j + 1] += (uint32_t)(b - edge);
    }
    return k;
}

/* Output row k->oy into rgb: the file's rows under it read and summed. */
static bool shrink_row(shrink *k, rt_png_rows *png, unsigned char *rgb) {
    long long edge = 8LL * (k->oy + 1);
    while (k->sy < k->sh && (long long)k->sy * k->e < edge) {
        if (!rt_render_png_rows(png, k->src, 1))
            return false;
        memset(k->hsum, 0, (size_t)k->ow * 3 * sizeof *k->hsum);
        for (long long i = 0; i < k->sw; i++) {
            long long a = i * k->e, b = a + k->e, j = a / 8, right = 8 * (j + 1);
            uint32_t w0 = (uint32_t)((b < right ? b : right) - a), w1 = (uint32_t)(b - a) - w0;
            const unsigned char *px = k->src + 3 * i;
            for (int c = 0; c < 3; c++) {
                k->hsum[3 * j + c] += w0 * px[c];
                if (w1)
                    k->hsum[3 * (j + 1) + c] += w1 * px[c];
            }
        }
        long long a = (long long)k->sy * k->e, b = a + k->e;
        uint32_t v0 = (uint32_t)((b < edge ? b : edge) - a), v1 = (uint32_t)(b - a) - v0;
        for (size_t x = 0; x < (size_t)k->ow * 3; x++) {
            k->acc[0][x] += v0 * k->hsum[x];
            k->acc[1][x] += v1 * k->hsum[x];
        }
        k->rw[0] += v0;
        k->rw[1] += v1;
        k->sy++;
    }
    for (int x = 0; x < k->ow; x++) {
        uint32_t total = k->colw[x] * k->rw[0];
        for (int c = 0; c < 3; c++)
            rgb[3 * x + c] =
                total ? (unsigned char)((k->acc[0][3 * x + c] + total / 2) / total) : 255;
    }
    uint32_t *t = k->acc[0]; /* the next row's sums so far move up */
    k->acc[0] = k->acc[1];
    k->acc[1] = t;
    memset(k->acc[1], 0, (size_t)k->ow * 3 * sizeof *k->acc[1]);
    k->rw[0] = k->rw[1];
    k->rw[1] = 0;
    k->oy++;
    return true;
}

/* rt_render_png_reader: a PNG or a JPEG, at `eighths` of its size. */
typedef struct {
    rt_png_rows *png;
    rt_jpeg_rows *jpeg;
    shrink *small; /* a PNG read smaller; NULL: whole */
} any_rows;

bool rt_render_named_png(const char *path) {
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".png") == 0;
}

static void *open_any(const char *path, int eighths, int *w, int *h) {
    any_rows *r = rt_xcalloc(1, sizeof *r);
    if (rt_render_named_png(path)) { /* load refuses a file not named for its kind */
        r->png = rt_render_png_open(path, w, h);
        if (r->png && eighths >= 1 && eighths < 8) {
            r->small = shrink_new(eighths, *w, *h);
            *w = r->small->ow;
            *h = r->small->oh;
        }
    } else
        r->jpeg = rt_render_jpeg_open(path, eighths, w, h);
    if (!r->png && !r->jpeg) {
        free(r);
        return NULL;
    }
    return r;
}
bool rt_render_png_grey(const rt_png_rows *r) {
    return r->grey;
}

const unsigned char *rt_render_png_profile(const rt_png_rows *r, size_t *len) {
    *len = r->icc_len;
    return r->icc;
}

static bool rows_any(void *reader, unsigned char *rgb, int n) {
    any_rows *r = reader;
    if (r->small) {
        if (n < 0 || n > r->small->oh - r->small->oy)
            return false;
        for (int i = 0; i < n; i++)
            if (!shrink_row(r->small, r->png, rgb + (size_t)i * (size_t)r->small->ow * 3))
                return false;
        return true;
    }
    return r->png ? rt_render_png_rows(r->png, rgb, n) : rt_render_jpeg_rows(r->jpeg, rgb, n);
}
static const unsigned char *profile_any(void *reader, size_t *len) {
    any_rows *r = reader;
    return r->png ? rt_render_png_profile(r->png, len) : rt_render_jpeg_profile(r->jpeg, len);
}
static bool grey_any(void *reader) {
    any_rows *r = reader;
    return r->png ? rt_render_png_grey(r->png) : rt_render_jpeg_grey(r->jpeg);
}
static void close_any(void *reader) {
    any_rows *r = reader;
    shrink_free(r->small);
    if (r->png)
        rt_render_png_close(r->png);
    else
        rt_render_jpeg_close(r->jpeg);
    free(r);
}
const rt_rgb_reader rt_render_png_reader = {open_any, rows_any, profile_any, grey_any, close_any};
