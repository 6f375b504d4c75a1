/* serve: form bodies (libmicrohttpd's post processor, with limits) and the
 * escaping of every value that goes into HTML, JSON or YAML. */
#include "serve.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELDS 16

struct rt_form {
    const rt_form_limits *lim;
    struct MHD_PostProcessor *pp;
    rt_form_field fields[MAX_FIELDS];
    size_t n;
    int last; /* the field being received, -1 before the first */
    rt_form_status status;
    const char *problem;
};

static bool listed(const char *const *names, const char *key) {
    for (; names && *names; names++)
        if (strcmp(*names, key) == 0)
            return true;
    return false;
}

static rt_form_status fail(rt_form *f, rt_form_status st, const char *problem) {
    if (f->status == RT_FORM_OK) {
        f->status = st;
        f->problem = problem;
    }
    return f->status;
}

static enum MHD_Result on_value(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size) {
    rt_form *f = cls;
    (void)kind;
    if (f->status != RT_FORM_OK)
        return MHD_NO;
    if (!key || !listed(f->lim->names, key)) {
        fail(f, RT_FORM_MALFORMED, "unknown field");
        return MHD_NO;
    }
    int i = -1;
    for (size_t k = 0; k < f->n; k++)
        if (strcmp(f->fields[k].name, key) == 0)
            i = (int)k;
    rt_form_field *x;
    if (i >= 0 && i == f->last && off == f->fields[i].size) {
        x = &f->fields[i]; /* the next piece of the same value */
    } else if (i >= 0) {
        fail(f, RT_FORM_MALFORMED, "a field sent twice");
        return MHD_NO;
    } else if (off != 0) {
        fail(f, RT_FORM_MALFORMED, "a value that does not start at its beginning");
        return MHD_NO;
    } else if (f->n == MAX_FIELDS) {
        fail(f, RT_FORM_MALFORMED, "too many fields");
        return MHD_NO;
    } else {
        bool file = filename != NULL;
        if (file && !listed(f->lim->files, key)) {
            fail(f, RT_FORM_MALFORMED, "a file where text was expected");
            return MHD_NO;
        }
        if (transfer_encoding && *transfer_encoding && strcasecmp(transfer_encoding, "binary") &&
            strcasecmp(transfer_encoding, "8bit") && strcasecmp(transfer_encoding, "7bit")) {
            fail(f, RT_FORM_MALFORMED, "a part with a transfer encoding");
            return MHD_NO;
        }
        x = &f->fields[f->n];
        memset(x, 0, sizeof *x);
        x->name = rt_xstrdup(key);
        x->file = file;
        x->type = content_type ? rt_xstrdup(content_type) : NULL;
        x->value = rt_xcalloc(1, 1);
        f->last = (int)f->n++;
    }
    size_t cap = x->file ? f->lim->max_file : f->lim->max_value;
    if (x->file && x->size + size > cap) {
        fail(f, RT_FORM_TOO_LARGE, "a file over the limit");
        return MHD_NO;
    }
    size_t keep = x->len < cap ? (cap - x->len < size ? cap - x->len : size) : 0;
    if (keep) {
        x->value = rt_xrealloc(x->value, x->len + keep + 1);
        memcpy(x->value + x->len, data, keep);
        x->len += keep;
        x->value[x->len] = '\0';
    }
    x->size += size;
    return MHD_YES;
}

/* The media type of a Content-Type value, lower-cased, and its parameters. */
static bool media_type(const char *ct, char *out, size_t cap, const char **params) {
    while (*ct == ' ' || *ct == '\t')
        ct++;
    size_t n = strcspn(ct, "; \t");
    if (n == 0 || n >= cap)
        return false;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(ct[i] >= 'A' && ct[i] <= 'Z' ? ct[i] + 32 : ct[i]);
    out[n] = '\0';
    *params = ct + n;
    return true;
}

rt_form *rt_form_new(struct MHD_Connection *c, const rt_form_limits *lim, rt_form_status *st) {
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    char type[64];
    const char *params;
    *st = RT_FORM_BAD_TYPE;
    if (!ct || !media_type(ct, type, sizeof type, &params))
        return NULL;
    if (strcmp(type, "application/x-www-form-urlencoded") == 0) {
        /* the only parameter that makes sense is charset, and only UTF-8 */
        for (const char *p = params; *p; p++)
            if (*p != ' ' && *p != '\t' && *p != ';') {
                if (strncasecmp(p, "charset=", 8) != 0)
                    return NULL;
                const char *v = p + 8;
                if (*v == '"')
                    v++;
                if (strncasecmp(v, "utf-8", 5) != 0)
                    return NULL;
                p = v + 5 + (v[5] == '"');
                if (*p && *p != ';' && *p != ' ')
                    return NULL;
                if (!*p)
                    break;
            }
    } else if (strcmp(type, "multipart/form-data") != 0 || !strcasestr(params, "boundary=")) {
        return NULL;
    }
    rt_form *f = rt_xcalloc(1, sizeof *f);
    f->lim = lim;
    f->last = -1;
    f->pp = MHD_create_post_processor(c, 16 * 1024, on_value, f);
    if (!f->pp) {
        free(f);
        return NULL;
    }
    *st = RT_FORM_OK;
    return f;
}

rt_form_status rt_form_feed(rt_form *f, const char *data, size_t n) {
    if (f->status == RT_FORM_OK && n && MHD_post_process(f->pp, data, n) != MHD_YES)
        fail(f, RT_FORM_MALFORMED, "the body cannot be decoded");
    return f->status;
}

rt_form_status rt_form_end(rt_form *f) {
    if (f->pp) {
        /* MHD_NO here: the multipart body did not end with its closing
         * boundary (cut short) */
        enum MHD_Result r = MHD_destroy_post_processor(f->pp);
        f->pp = NULL;
        if (r != MHD_YES)
            fail(f, RT_FORM_MALFORMED, "the body ends before the form does");
    }
    return f->status;
}

const rt_form_field *rt_form_get(const rt_form *f, const char *name) {
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return &f->fields[i];
    return NULL;
}

size_t rt_form_count(const rt_form *f) {
    return f->n;
}

const char *rt_form_problem(const rt_form *f) {
    return f->problem ? f->problem : "";
}

void rt_form_free(rt_form *f) {
    if (!f)
        return;
    if (f->pp)
        MHD_destroy_post_processor(f->pp);
    for (size_t i = 0; i < f->n; i++) {
        free(f->fields[i].name);
        free(f->fields[i].value);
        free(f->fields[i].type);
    }
    free(f);
}

/* ------------------------------------------------------------ escaping */

/* The code point at s[*i] (advancing *i), or 0xFFFD for an invalid
 * sequence (one byte skipped). */
static unsigned next_cp(const char *s, size_t n, size_t *i) {
    size_t bad;
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t left = n - *i;
    size_t len = u[0] < 0x80 ? 1 : (u[0] & 0xE0) == 0xC0 ? 2 : (u[0] & 0xF0) == 0xE0 ? 3 : 4;
    if (len > left || !rt_utf8_valid((const char *)u, len, &bad)) {
        (*i)++;
        return 0xFFFD;
    }
    unsigned cp;
    *i += (size_t)rt_utf8_decode((const char *)u, &cp);
    return cp;
}

static void add_cp(rt_buf *b, unsigned cp) {
    char tmp[4];
    rt_buf_add(b, tmp, (size_t)rt_utf8_encode(cp, tmp));
}

void rt_html_escape(rt_buf *b, const char *s, size_t n) {
    rt_buf_add(b, "", 0);
    for (size_t i = 0; i < n;) {
        unsigned cp = next_cp(s, n, &i);
        switch (cp) {
        case '&':
            rt_buf_adds(b, "&amp;");
            break;
        case '<':
            rt_buf_adds(b, "&lt;");
            break;
        case '>':
            rt_buf_adds(b, "&gt;");
            break;
        case '"':
            rt_buf_adds(b, "&quot;");
            break;
        case '\'':
            rt_buf_adds(b, "&#39;");
            break;
        default:
            if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp < 0xA0))
                cp = 0xFFFD;
            add_cp(b, cp);
        }
    }
}

void rt_json_string(rt_buf *b, const char *s, size_t n) {
    rt_buf_adds(b, "\"");
    for (size_t i = 0; i < n;) {
        unsigned cp = next_cp(s, n, &i);
        if (cp == '"' || cp == '\\')
            rt_buf_addf(b, "\\%c", (char)cp);
        else if (cp == '\n')
            rt_buf_adds(b, "\\n");
        else if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&' || cp == 0x7F || cp == 0x2028 ||
                 cp == 0x2029)
            rt_buf_addf(b, "\\u%04x", cp);
        else
            add_cp(b, cp);
    }
    rt_buf_adds(b, "\"");
}

void rt_yaml_string(rt_buf *b, const char *s, size_t n, int indent) {
    rt_buf_adds(b, "\"");
    bool line_start = false;
    for (size_t i = 0; i < n;) {
        unsigned cp = next_cp(s, n, &i);
        /* after an escaped line break YAML strips the next line's leading
         * blanks: a space that starts a line is written as an escape */
        if (line_start && cp == ' ') {
            rt_buf_adds(b, "\\x20");
            continue;
        }
        line_start = false;
        if (cp == '"' || cp == '\\')
            rt_buf_addf(b, "\\%c", (char)cp);
        else if (cp == '\n') {
            rt_buf_adds(b, "\\n\\\n");
            for (int k = 0; k < indent; k++)
                rt_buf_adds(b, " ");
            line_start = true;
        } else if (cp == '\t')
            rt_buf_adds(b, "\\t");
        else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            rt_buf_addf(b, "\\x%02X", cp);
        else if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF)
            rt_buf_addf(b, "\\u%04X", cp);
        else
            add_cp(b, cp);
    }
    rt_buf_adds(b, "\"");
}

size_t rt_text_newlines(char *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r') {
            s[o++] = '\n';
            if (i + 1 < n && s[i + 1] == '\n')
                i++;
        } else
            s[o++] = s[i];
    }
    if (o < n)
        s[o] = '\0';
    return o;
}
