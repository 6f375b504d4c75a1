/* finish: which images of Cairo's PDF the finishing pass converts, page by
 * page: RGB images (a placeholder names the file its pixels come from, and
 * how small a JPEG is decoded), and CMYK JPEGs, whose inks are checked
 * against the limit (Adobe's inverted inks declared with /Decode). */
#include "finish_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A CMYK JPEG passed through by Cairo: Adobe's (APP14 "Adobe" marker) stores
 * the inks inverted, which the image dictionary must say with /Decode. */
static void fix_adobe_cmyk_jpeg(qpdf_data q, qpdf_oh im, qpdf_oh dict) {
    if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Filter"), "/DCTDecode") ||
        qpdf_oh_has_key(q, dict, "/Decode"))
        return;
    unsigned char *buf = NULL;
    size_t len = 0;
    if (qpdf_oh_get_stream_data(q, im, qpdf_dl_none, NULL, &buf, &len) & QPDF_ERRORS)
        return;
    /* as libjpeg reads it (a marker of its full size), as every reading
     * and measuring of the inks here does */
    bool adobe = fin_jpeg_inverted(buf, len) == 1;
    free(buf);
    if (adobe)
        qpdf_oh_replace_key(q, dict, "/Decode", qpdf_oh_parse(q, "[1 0 1 0 1 0 1 0]"));
}

static bool named_png(const char *path) {
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".png") == 0;
}

/* The size a picture file (a JPEG, a PNG) is read at, in eighths of its
 * own, from its lowest resolution on the pages: whole up to
 * RT_DOWNSAMPLE_ABOVE ppi; above, the fewest eighths that keep
 * RT_DOWNSAMPLE_TO ppi (as a press's PDF export downsamples what it cannot
 * print). */
static int decode_eighths(double ppi) {
    int e = 8;
    if (ppi > RT_DOWNSAMPLE_ABOVE)
        while (e > 1 && ppi * (e - 1) / 8 >= RT_DOWNSAMPLE_TO)
            e--;
    return e;
}

/* (converted for all pages at once, in parallel, by fin_convert_images) */
bool fin_collect_images(qpdf_data q, qpdf_oh resources, const rt_pdfx_opts *o, rt_diag *d,
                        const char *path, fin_job_list *jobs) {
    qpdf_oh xo = qpdf_oh_get_key(q, resources, "/XObject");
    if (!qpdf_oh_is_dictionary(q, xo))
        return true;
    qpdf_oh_begin_dict_key_iter(q, xo);
    char *keys[256];
    int nk = 0;
    while (qpdf_oh_dict_more_keys(q) && nk < 256)
        keys[nk++] = rt_xstrdup(qpdf_oh_dict_next_key(q));
    bool ok = true;
    for (int i = 0; i < nk; i++) {
        qpdf_oh im = qpdf_oh_get_key(q, xo, keys[i]);
        free(keys[i]);
        qpdf_oh dict = qpdf_oh_get_dict(q, im);
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Subtype"), "/Image"))
            continue;
        if (qpdf_oh_has_key(q, dict, "/SMask") && o->standard == RT_PDFX_1A) {
            rt_error(d, path, 0, 0,
                     "an image has a soft mask (transparency), not allowed in PDF/X-1a");
            ok = false;
            continue;
        }
        int id = qpdf_oh_get_object_id(q, im);
        bool seen = false;
        for (size_t k = 0; k < jobs->n && id > 0; k++)
            seen |= jobs->items[k].id == id;
        if (seen)
            continue; /* the same image on another page */
        if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/ColorSpace"), "/DeviceCMYK")) {
            fix_adobe_cmyk_jpeg(q, im, dict);
            /* a CMYK JPEG: its inks checked against the limit (and lowered
             * where they pass it), or made grey */
            if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Filter"), "/DCTDecode")) {
                fin_image_job job = {.id = id, .gen = qpdf_oh_get_generation(q, im)};
                job.cmyk_in = job.dct = true;
                job.grey = o->grey_images;
                job.eighths = 8;
                RT_PUSH(jobs->items, jobs->n, jobs->cap, job);
            }
            continue;
        }
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/ColorSpace"), "/DeviceRGB"))
            continue;
        if (qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, dict, "/BitsPerComponent")) != 8) {
            rt_error(d, path, 0, 0, "an RGB image with other than 8 bits per component");
            ok = false;
            continue;
        }
        int w = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, dict, "/Width"));
        int h = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, dict, "/Height"));
        fin_image_job job = {0};
        job.id = id;
        job.gen = qpdf_oh_get_generation(q, im);
        job.pixels = (size_t)w * (size_t)h;
        job.grey = o->grey_images;
        /* a JPEG file, as Cairo embeds it: converted, then a JPEG again */
        job.dct = qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Filter"), "/DCTDecode");
        job.width = w;
        job.height = h;
        job.eighths = 8;
        if (w == 2 && h == 2 && o->n_placeholders) {
            /* a placeholder: the pixels come from the file it names */
            unsigned char *buf = NULL;
            size_t len = 0;
            QPDF_BOOL filtered = QPDF_FALSE;
            if (!(qpdf_oh_get_stream_data(q, im, qpdf_dl_all, &filtered, &buf, &len) &
                  QPDF_ERRORS) &&
                filtered && len >= 12 && memcmp(buf + 3, "RTIMG!", 6) == 0 &&
                (unsigned char)~buf[0] == buf[9] && (unsigned char)~buf[1] == buf[10] &&
                (unsigned char)~buf[2] == buf[11]) {
                size_t index = (size_t)buf[0] << 16 | (size_t)buf[1] << 8 | buf[2];
                if (index < o->n_placeholders) {
                    job.source = o->placeholders[index];
                    job.decoder = o->decoder;
                    job.dct = !named_png(job.source);
                    job.eighths =
                        decode_eighths(o->placeholder_ppi ? o->placeholder_ppi[index] : 0);
                }
            }
            free(buf);
        }
        job.fault_ink = job.dct && o->fault && strcmp(o->fault, "jpeg-ink") == 0;
        RT_PUSH(jobs->items, jobs->n, jobs->cap, job);
    }
    return ok;
}
