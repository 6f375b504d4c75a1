/* render: the PDF object writer: objects numbered as they are made, their
 * offsets kept for the cross-reference table, streams compressed with
 * zlib; written to the file in pieces of 64 kB. */
#include "canvas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct rt_pdf_writer {
    FILE *out;
    bool failed;
    size_t pos;
    size_t *offsets; /* by object number (0 unused) */
    int n_obj, cap_obj;
    size_t n;
    unsigned char buf[1 << 16];
};

void rt_pdf_flush(rt_pdf_writer *w) {
    if (w->n && !w->failed && fwrite(w->buf, 1, w->n, w->out) != w->n)
        w->failed = true;
    w->n = 0;
}

void rt_pdf_write(rt_pdf_writer *w, const void *data, size_t len) {
    w->pos += len;
    if (w->n + len > sizeof w->buf)
        rt_pdf_flush(w);
    if (len > sizeof w->buf) {
        if (!w->failed && fwrite(data, 1, len, w->out) != len)
            w->failed = true;
        return;
    }
    memcpy(w->buf + w->n, data, len);
    w->n += len;
}

void rt_pdf_printf(rt_pdf_writer *w, const char *fmt, ...) {
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        rt_pdf_write(w, small, (size_t)n);
        return;
    }
    char *big = rt_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    rt_pdf_write(w, big, (size_t)n);
    free(big);
}

int rt_pdf_new_obj(rt_pdf_writer *w) {
    if (w->n_obj + 2 > w->cap_obj) {
        w->cap_obj = w->cap_obj ? 2 * w->cap_obj : 64;
        w->offsets = rt_xrealloc(w->offsets, (size_t)w->cap_obj * sizeof *w->offsets);
    }
    w->n_obj++;
    w->offsets[w->n_obj] = 0;
    return w->n_obj;
}

void rt_pdf_begin_obj(rt_pdf_writer *w, int obj) {
    w->offsets[obj] = w->pos;
    rt_pdf_printf(w, "%d 0 obj\n", obj);
}

unsigned char *rt_pdf_deflate(const void *data, size_t len, int level, size_t *out_len) {
    uLongf cap = compressBound((uLong)len);
    unsigned char *z = rt_xmalloc(cap);
    if (compress2(z, &cap, data, (uLong)len, level) != Z_OK) {
        free(z);
        return NULL;
    }
    *out_len = cap;
    return z;
}

void rt_pdf_stream_deflated(rt_pdf_writer *w, int obj, const char *dict, const void *z,
                            size_t zlen) {
    rt_pdf_begin_obj(w, obj);
    rt_pdf_printf(w, "<< %s /Filter /FlateDecode /Length %zu >>\nstream\n", dict, zlen);
    rt_pdf_write(w, z, zlen);
    rt_pdf_printf(w, "\nendstream\nendobj\n");
}

void rt_pdf_stream(rt_pdf_writer *w, int obj, const char *dict, const void *data, size_t len,
                   bool compress) {
    size_t zlen = 0;
    unsigned char *z = compress && len > 0 ? rt_pdf_deflate(data, len, 6, &zlen) : NULL;
    if (z) {
        rt_pdf_stream_deflated(w, obj, dict, z, zlen);
        free(z);
        return;
    }
    rt_pdf_begin_obj(w, obj);
    rt_pdf_printf(w, "<< %s /Length %zu >>\nstream\n", dict, len);
    rt_pdf_write(w, data, len);
    rt_pdf_printf(w, "\nendstream\nendobj\n");
}

rt_pdf_writer *rt_pdf_writer_new(FILE *out) {
    rt_pdf_writer *w = rt_xcalloc(1, sizeof *w);
    w->out = out;
    return w;
}

size_t rt_pdf_pos(const rt_pdf_writer *w) {
    return w->pos;
}

int rt_pdf_count(const rt_pdf_writer *w) {
    return w->n_obj;
}

size_t rt_pdf_offset(const rt_pdf_writer *w, int obj) {
    return w->offsets[obj];
}

bool rt_pdf_failed(const rt_pdf_writer *w) {
    return w->failed;
}

void rt_pdf_writer_free(rt_pdf_writer *w) {
    if (!w)
        return;
    free(w->offsets);
    free(w);
}
