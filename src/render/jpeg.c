/* render: a JPEG file read a band of rows at a time as 8-bit RGB, decoded
 * at the size the pages need, for the finishing pass (see render.h).
 *
 * libjpeg scales while it decodes, in eighths of the file's size: a
 * photograph of 4,000 pixels placed across two columns (about 1,200 pixels
 * at 300 ppi) is decoded at three eighths, with an eighth of the work, and
 * never whole: a band of rows at a time. */
#include "canvas.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h> /* after stdio.h: it uses FILE and size_t */

struct rt_jpeg_rows {
    struct jpeg_decompress_struct c;
    struct jpeg_error_mgr err;
    jmp_buf jmp;
    FILE *f;
    bool made;
    JOCTET *icc; /* its ICC profile, from APP2 markers (NULL: none) */
    unsigned int icc_len;
};

static void fail(j_common_ptr c) {
    longjmp(((rt_jpeg_rows *)c->client_data)->jmp, 1);
}

static bool start(rt_jpeg_rows *r, int eighths) {
    if (setjmp(r->jmp))
        return false;
    jpeg_create_decompress(&r->c);
    r->made = true;
    jpeg_stdio_src(&r->c, r->f);
    jpeg_save_markers(&r->c, JPEG_APP0 + 2, 0xFFFF); /* ICC_PROFILE, in pieces */
    jpeg_read_header(&r->c, TRUE);
    if (r->c.jpeg_color_space != JCS_YCbCr && r->c.jpeg_color_space != JCS_RGB &&
        r->c.jpeg_color_space != JCS_GRAYSCALE)
        return false; /* CMYK goes into the PDF as it is */
    if (!jpeg_read_icc_profile(&r->c, &r->icc, &r->icc_len)) {
        r->icc = NULL; /* none, or its pieces do not make a whole */
        r->icc_len = 0;
    }
    r->c.out_color_space = JCS_RGB;
    r->c.scale_num = (unsigned)(eighths >= 1 && eighths <= 8 ? eighths : 8);
    r->c.scale_denom = 8;
    jpeg_start_decompress(&r->c);
    return r->c.output_width > 0 && r->c.output_height > 0 && r->c.output_components == 3;
}

rt_jpeg_rows *rt_render_jpeg_open(const char *path, int eighths, int *w, int *h) {
    rt_jpeg_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->f = fopen(path, "rb");
    r->c.err = jpeg_std_error(&r->err);
    r->err.error_exit = fail;
    r->c.client_data = r;
    if (!r->f || !start(r, eighths)) {
        rt_render_jpeg_close(r);
        return NULL;
    }
    *w = (int)r->c.output_width;
    *h = (int)r->c.output_height;
    return r;
}

bool rt_render_jpeg_rows(rt_jpeg_rows *r, unsigned char *rgb, int n) {
    if (n < 0 || (JDIMENSION)n > r->c.output_height - r->c.output_scanline)
        return false;
    if (setjmp(r->jmp))
        return false;
    size_t stride = (size_t)r->c.output_width * 3;
    for (int i = 0; i < n; i++) {
        JSAMPROW row = rgb + stride * (size_t)i;
        if (jpeg_read_scanlines(&r->c, &row, 1) != 1)
            return false;
    }
    if (r->c.output_scanline == r->c.output_height)
        jpeg_finish_decompress(&r->c);
    return true;
}

bool rt_render_jpeg_grey(const rt_jpeg_rows *r) {
    return r->c.jpeg_color_space == JCS_GRAYSCALE;
}

const unsigned char *rt_render_jpeg_profile(const rt_jpeg_rows *r, size_t *len) {
    *len = r->icc_len;
    return r->icc;
}

void rt_render_jpeg_close(rt_jpeg_rows *r) {
    if (!r)
        return;
    free(r->icc);
    if (r->made)
        jpeg_destroy_decompress(&r->c);
    if (r->f)
        fclose(r->f);
    free(r);
}

/* ------------------------------------------------------- a JPEG's header */

typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jmp;
} peek_err;

static void peek_fail(j_common_ptr c) {
    longjmp(((peek_err *)c->err)->jmp, 1);
}

bool rt_jpeg_info_read(const char *path, rt_jpeg_info *info) {
    *info = (rt_jpeg_info){.orient = 1};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    struct jpeg_decompress_struct ci;
    peek_err err;
    ci.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = peek_fail;
    bool ok = false;
    if (setjmp(err.jmp) == 0) {
        jpeg_create_decompress(&ci);
        jpeg_stdio_src(&ci, f);
        jpeg_save_markers(&ci, JPEG_APP0 + 1, 0xFFFF);
        jpeg_read_header(&ci, TRUE);
        info->width = (int)ci.image_width;
        info->height = (int)ci.image_height;
        info->components = ci.num_components;
        info->rgb = ci.jpeg_color_space == JCS_YCbCr || ci.jpeg_color_space == JCS_RGB ||
                    ci.jpeg_color_space == JCS_GRAYSCALE;
        info->adobe = ci.saw_Adobe_marker;
        for (jpeg_saved_marker_ptr m = ci.marker_list; m && info->orient == 1; m = m->next)
            info->orient = rt_exif_orientation(m->data, m->data_length);
        ok = true;
    }
    jpeg_destroy_decompress(&ci);
    fclose(f);
    return ok;
}
