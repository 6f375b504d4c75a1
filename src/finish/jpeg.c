/* finish: converted photographs written as JPEG (libjpeg), for the images
 * that came as JPEG files.
 *
 * A photograph given as a JPEG was compressed with loss once already;
 * deflated after its conversion to CMYK it grew five to ten times (a
 * 260 kB JPEG of 720 x 477 pixels became 1,070 kB of Flate) and its
 * compression took most of a build's time. Written again as a JPEG at
 * quality 95 without chroma subsampling (what prepress calls "maximum"), it
 * is about half that Flate stream, made in an eighth of the time. The inks
 * are stored as they are, without Adobe's APP14 marker: a reader that sees
 * that marker takes CMYK as inverted. */
#include "finish_internal.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h> /* after stdio.h: it uses FILE and size_t */

struct fin_jpeg {
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    jmp_buf jmp;
    unsigned char *out;
    unsigned long len;
    int comps;
    bool started;
};

static void jpeg_fail(j_common_ptr c) {
    longjmp(((fin_jpeg *)c->client_data)->jmp, 1);
}

static bool start(fin_jpeg *e, int width, int height) {
    if (setjmp(e->jmp))
        return false;
    jpeg_create_compress(&e->c);
    e->started = true;
    jpeg_mem_dest(&e->c, &e->out, &e->len);
    e->c.image_width = (JDIMENSION)width;
    e->c.image_height = (JDIMENSION)height;
    e->c.input_components = e->comps;
    e->c.in_color_space = e->comps == 4 ? JCS_CMYK : JCS_GRAYSCALE;
    jpeg_set_defaults(&e->c);
    jpeg_set_colorspace(&e->c, e->c.in_color_space); /* every component at full size */
    e->c.write_Adobe_marker = FALSE;
    e->c.write_JFIF_header = FALSE;
    jpeg_set_quality(&e->c, FIN_JPEG_QUALITY, TRUE);
    jpeg_start_compress(&e->c, TRUE);
    return true;
}

fin_jpeg *fin_jpeg_begin(int width, int height, int comps) {
    if (width <= 0 || height <= 0 || (comps != 4 && comps != 1))
        return NULL;
    fin_jpeg *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->comps = comps;
    e->c.err = jpeg_std_error(&e->err);
    e->err.error_exit = jpeg_fail;
    e->c.client_data = e;
    if (!start(e, width, height)) {
        fin_jpeg_drop(e);
        return NULL;
    }
    return e;
}

bool fin_jpeg_rows(fin_jpeg *e, const unsigned char *px, int rows) {
    if (setjmp(e->jmp))
        return false;
    size_t stride = (size_t)e->c.image_width * (size_t)e->comps;
    for (int y = 0; y < rows; y++) {
        JSAMPROW row = (JSAMPROW)(px + stride * (size_t)y);
        if (jpeg_write_scanlines(&e->c, &row, 1) != 1)
            return false;
    }
    return true;
}

bool fin_jpeg_end(fin_jpeg *e, unsigned char **out, size_t *len) {
    if (setjmp(e->jmp))
        return false;
    jpeg_finish_compress(&e->c);
    *out = e->out;
    *len = e->len;
    e->out = NULL;
    return true;
}

void fin_jpeg_drop(fin_jpeg *e) {
    if (!e)
        return;
    if (e->started)
        jpeg_destroy_compress(&e->c);
    free(e->out);
    free(e);
}

/* The decoding side, for fin_jpeg_max_ink. */
typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jmp;
} reader_err;

static void reader_fail(j_common_ptr c) {
    longjmp(((reader_err *)c->err)->jmp, 1);
}

static int max_ink(struct jpeg_decompress_struct *c, reader_err *err, void *arg,
                   unsigned char **row) {
    (void)arg;
    if (setjmp(err->jmp))
        return -1;
    jpeg_read_header(c, TRUE);
    if (c->num_components != 4)
        return -1;
    c->out_color_space = JCS_CMYK;
    bool inverted = c->saw_Adobe_marker;
    jpeg_start_decompress(c);
    *row = malloc((size_t)c->output_width * 4);
    if (!*row)
        return -1;
    int most = 0;
    while (c->output_scanline < c->output_height) {
        JSAMPROW r = *row;
        jpeg_read_scanlines(c, &r, 1);
        for (JDIMENSION x = 0; x < c->output_width; x++) {
            const unsigned char *p = *row + 4 * x;
            int sum = p[0] + p[1] + p[2] + p[3];
            if (inverted)
                sum = 1020 - sum;
            if (sum > most)
                most = sum;
        }
    }
    jpeg_finish_decompress(c);
    return most;
}

/* Runs `job` on a JPEG in memory with a decoder of its own: what it
 * returns, or -1 when libjpeg fails (`job` sets the jump it fails to; what
 * it allocates goes in *mem, freed after the decoder). */
typedef int (*reader_job)(struct jpeg_decompress_struct *c, reader_err *err, void *arg,
                          unsigned char **mem);
static int run_reader(const unsigned char *jpeg, size_t len, reader_job job, void *arg) {
    if (!jpeg || len < 4) /* libjpeg fails on empty input before a handler is set */
        return -1;
    struct jpeg_decompress_struct c;
    reader_err err;
    c.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = reader_fail;
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, jpeg, (unsigned long)len);
    unsigned char *mem = NULL;
    int r = job(&c, &err, arg, &mem);
    jpeg_destroy_decompress(&c);
    free(mem);
    return r;
}

int fin_jpeg_max_ink(const unsigned char *jpeg, size_t len) {
    return run_reader(jpeg, len, max_ink, NULL);
}

/* A CMYK JPEG read in bands, for limiting its inks. */
struct fin_cmyk_rows {
    struct jpeg_decompress_struct c;
    reader_err err;
    bool made, inverted;
};

static bool cmyk_start(fin_cmyk_rows *r, const unsigned char *jpeg, size_t len) {
    if (setjmp(r->err.jmp))
        return false;
    jpeg_create_decompress(&r->c);
    r->made = true;
    jpeg_mem_src(&r->c, jpeg, (unsigned long)len);
    jpeg_read_header(&r->c, TRUE);
    if (r->c.num_components != 4)
        return false;
    r->c.out_color_space = JCS_CMYK;
    r->inverted = r->c.saw_Adobe_marker;
    jpeg_start_decompress(&r->c);
    return r->c.output_width > 0 && r->c.output_height > 0 && r->c.output_components == 4;
}

fin_cmyk_rows *fin_cmyk_open(const unsigned char *jpeg, size_t len, int *width, int *height) {
    if (!jpeg || len < 4)
        return NULL;
    fin_cmyk_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->c.err = jpeg_std_error(&r->err.mgr);
    r->err.mgr.error_exit = reader_fail;
    if (!cmyk_start(r, jpeg, len) || r->c.output_width > INT32_MAX ||
        r->c.output_height > INT32_MAX) {
        fin_cmyk_close(r);
        return NULL;
    }
    *width = (int)r->c.output_width;
    *height = (int)r->c.output_height;
    return r;
}

bool fin_cmyk_read(fin_cmyk_rows *r, unsigned char *cmyk, int rows) {
    if (rows < 0 || (JDIMENSION)rows > r->c.output_height - r->c.output_scanline)
        return false;
    if (setjmp(r->err.jmp))
        return false;
    size_t stride = (size_t)r->c.output_width * 4;
    for (int y = 0; y < rows; y++) {
        JSAMPROW row = cmyk + stride * (size_t)y;
        if (jpeg_read_scanlines(&r->c, &row, 1) != 1)
            return false;
        if (r->inverted)
            for (size_t i = 0; i < stride; i++)
                row[i] = (unsigned char)(255 - row[i]);
    }
    if (r->c.output_scanline == r->c.output_height)
        jpeg_finish_decompress(&r->c);
    return true;
}

void fin_cmyk_close(fin_cmyk_rows *r) {
    if (!r)
        return;
    if (r->made)
        jpeg_destroy_decompress(&r->c);
    free(r);
}

/* The header's ICC profile (APP2 markers), as a CMYK JPEG carries one:
 * into *(unsigned char **)arg, its length returned. */
static int read_profile(struct jpeg_decompress_struct *c, reader_err *err, void *arg,
                        unsigned char **mem) {
    (void)mem;
    if (setjmp(err->jmp))
        return -1;
    jpeg_save_markers(c, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(c, TRUE);
    JOCTET *icc = NULL;
    unsigned int len = 0;
    if (!jpeg_read_icc_profile(c, &icc, &len) || len > INT32_MAX) {
        free(icc);
        return -1;
    }
    *(unsigned char **)arg = icc;
    return (int)len;
}

unsigned char *fin_jpeg_profile(const unsigned char *jpeg, size_t len, size_t *n) {
    unsigned char *icc = NULL;
    int got = run_reader(jpeg, len, read_profile, &icc);
    *n = got > 0 ? (size_t)got : 0;
    if (got <= 0) {
        free(icc);
        icc = NULL;
    }
    return icc;
}

static int read_inverted(struct jpeg_decompress_struct *c, reader_err *err, void *arg,
                         unsigned char **mem) {
    (void)arg;
    (void)mem;
    if (setjmp(err->jmp))
        return -1;
    jpeg_read_header(c, TRUE);
    return c->saw_Adobe_marker ? 1 : 0;
}

int fin_jpeg_inverted(const unsigned char *jpeg, size_t len) {
    return run_reader(jpeg, len, read_inverted, NULL);
}
