/* finish: content-stream colour rewriting.
 *
 * Cairo 1.16 writes every colour as DeviceRGB (`r g b rg` / `RG`) with up
 * to 6 significant digits, so round(v * 255) recovers the 8-bit stand-in the
 * renderer drew. Each is replaced by the authored CMYK (`k`/`K`), or by grey
 * (`g`/`G`) when the colour is neutral; black fills and strokes overprint.
 * Strings, hex strings, dictionaries, arrays and inline-image data pass
 * through untouched.
 */
#include "finish_internal.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static bool is_ws(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0;
}

static bool is_delim(unsigned char c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

typedef enum { TK_NUMBER, TK_OPERATOR, TK_OTHER, TK_END } tk_kind;

typedef struct {
    tk_kind kind;
    size_t start, end;
} token;

/* Next token from pos; skips white space and comments. */
static token next_token(const unsigned char *s, size_t n, size_t *pos) {
    size_t i = *pos;
    for (;;) {
        while (i < n && is_ws(s[i]))
            i++;
        if (i < n && s[i] == '%') {
            while (i < n && s[i] != '\n' && s[i] != '\r')
                i++;
            continue;
        }
        break;
    }
    token t = {TK_END, i, i};
    if (i >= n) {
        *pos = i;
        return t;
    }
    unsigned char c = s[i];
    if (c == '(') { /* literal string, balanced parentheses, backslash escapes */
        int depth = 0;
        for (; i < n; i++) {
            if (s[i] == '\\') {
                i++;
                continue;
            }
            if (s[i] == '(')
                depth++;
            else if (s[i] == ')' && --depth == 0) {
                i++;
                break;
            }
        }
        t.kind = TK_OTHER;
    } else if (c == '<' && i + 1 < n && s[i + 1] == '<') {
        i += 2;
        t.kind = TK_OTHER; /* '<<' alone: dictionaries are walked token by token */
    } else if (c == '>' && i + 1 < n && s[i + 1] == '>') {
        i += 2;
        t.kind = TK_OTHER;
    } else if (c == '<') { /* hex string */
        while (i < n && s[i] != '>')
            i++;
        i++;
        t.kind = TK_OTHER;
    } else if (c == '[' || c == ']' || c == '{' || c == '}') {
        i++;
        t.kind = TK_OTHER;
    } else if (c == '/') { /* name */
        i++;
        while (i < n && !is_ws(s[i]) && !is_delim(s[i]))
            i++;
        t.kind = TK_OTHER;
    } else if (isdigit(c) || c == '-' || c == '+' || c == '.') {
        while (i < n && !is_ws(s[i]) && !is_delim(s[i]))
            i++;
        t.kind = TK_NUMBER;
    } else {
        while (i < n && !is_ws(s[i]) && !is_delim(s[i]))
            i++;
        if (i == t.start)
            i++; /* a stray delimiter: pass it through */
        t.kind = TK_OPERATOR;
    }
    t.end = i > n ? n : i;
    *pos = t.end;
    return t;
}

static bool tok_is(const unsigned char *s, token t, const char *op) {
    size_t l = strlen(op);
    return t.end - t.start == l && memcmp(s + t.start, op, l) == 0;
}

static void add_num(rt_buf *b, double v) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%.4f", v);
    /* trim trailing zeros: deterministic and short */
    char *e = tmp + strlen(tmp) - 1;
    while (e > tmp && *e == '0')
        *e-- = '\0';
    if (*e == '.')
        *e = '\0';
    if (strcmp(tmp, "-0") == 0)
        strcpy(tmp, "0");
    rt_buf_adds(b, tmp);
}

const rt_color_map *fin_lookup(const rt_pdfx_opts *o, int r, int g, int b) {
    for (size_t i = 0; i < o->n_colors; i++)
        if (o->colors[i].rgb[0] == r && o->colors[i].rgb[1] == g && o->colors[i].rgb[2] == b)
            return &o->colors[i];
    return NULL;
}

void fin_walk_content(const unsigned char *s, size_t n, fin_op_fn fn, void *user) {
    size_t pos = 0;
    char *args[16];
    int na = 0;
    for (;;) {
        token t = next_token(s, n, &pos);
        if (t.kind == TK_END)
            break;
        if (t.kind != TK_OPERATOR) {
            if (na < 16)
                args[na++] = rt_xstrndup((const char *)s + t.start, t.end - t.start);
            continue;
        }
        char *op = rt_xstrndup((const char *)s + t.start, t.end - t.start);
        if (strcmp(op, "BI") == 0) { /* inline image: skip to EI */
            size_t j = pos;
            while (j + 2 < n && !(is_ws(s[j - 1]) && s[j] == 'E' && s[j + 1] == 'I' &&
                                  (j + 2 >= n || is_ws(s[j + 2]))))
                j++;
            pos = j + 2 < n ? j + 2 : n;
        }
        fn(op, args, na, user);
        free(op);
        for (int i = 0; i < na; i++)
            free(args[i]);
        na = 0;
    }
    for (int i = 0; i < na; i++)
        free(args[i]);
}

bool fin_rewrite_content(const unsigned char *s, size_t n, const rt_pdfx_opts *o, rt_buf *out,
                         fin_report *rep) {
    size_t pos = 0, flush = 0;
    token ops[8];
    size_t n_ops = 0;
    /* overprint state (fill black, stroke black) with a q/Q stack */
    unsigned char stack[64];
    int depth = 0;
    unsigned char state = 0; /* bit 0: fill overprints, bit 1: stroke overprints */
    bool ok = true;
    for (;;) {
        token t = next_token(s, n, &pos);
        if (t.kind == TK_END)
            break;
        if (t.kind != TK_OPERATOR) {
            if (n_ops < 8)
                ops[n_ops] = t;
            n_ops++;
            continue;
        }
        if (tok_is(s, t, "q")) {
            if (depth < 64)
                stack[depth] = state;
            depth++;
        } else if (tok_is(s, t, "Q")) {
            if (depth > 0 && --depth < 64)
                state = stack[depth];
        } else if (tok_is(s, t, "BI")) {
            /* inline image: skip its data up to EI */
            size_t i = pos;
            while (i + 1 < n && !(s[i] == 'I' && s[i - 1] == 'D' && is_ws(s[i - 2]) &&
                                  (i + 1 >= n || is_ws(s[i + 1]))))
                i++;
            size_t j = i + 1;
            while (j + 2 < n && !(is_ws(s[j - 1]) && s[j] == 'E' && s[j + 1] == 'I' &&
                                  (j + 2 >= n || is_ws(s[j + 2]))))
                j++;
            pos = j + 2 < n ? j + 2 : n;
            rep->inline_images++;
        } else if ((tok_is(s, t, "rg") || tok_is(s, t, "RG")) && n_ops == 3) {
            bool stroke = s[t.start] == 'R';
            int rgb[3];
            for (int k = 0; k < 3; k++) {
                double v = strtod((const char *)s + ops[k].start, NULL);
                rgb[k] = (int)lround(v * 255);
            }
            const rt_color_map *m = fin_lookup(o, rgb[0], rgb[1], rgb[2]);
            if (!m) {
                if (rep->unknown_colors++ == 0) {
                    rep->bad_rgb[0] = rgb[0];
                    rep->bad_rgb[1] = rgb[1];
                    rep->bad_rgb[2] = rgb[2];
                }
                ok = false;
            } else {
                rt_buf_add(out, (const char *)s + flush, ops[0].start - flush);
                bool black = m->c == 0 && m->m == 0 && m->y == 0 && m->k >= 0.9999;
                unsigned char want =
                    (unsigned char)((state & ~(stroke ? 2 : 1)) | (black ? (stroke ? 2 : 1) : 0));
                if (want != state || !rep->gs_used) {
                    rt_buf_addf(out, "/RtOP%u gs ", want);
                    state = want;
                    rep->gs_used |= 1u << want;
                }
                if (m->c == 0 && m->m == 0 && m->y == 0) {
                    add_num(out, 1 - m->k);
                    rt_buf_adds(out, stroke ? " G" : " g");
                } else {
                    add_num(out, m->c);
                    rt_buf_adds(out, " ");
                    add_num(out, m->m);
                    rt_buf_adds(out, " ");
                    add_num(out, m->y);
                    rt_buf_adds(out, " ");
                    add_num(out, m->k);
                    rt_buf_adds(out, stroke ? " K" : " k");
                }
                flush = t.end;
                rep->colors_rewritten++;
            }
        } else if (tok_is(s, t, "cs") || tok_is(s, t, "CS") || tok_is(s, t, "sc") ||
                   tok_is(s, t, "SC") || tok_is(s, t, "scn") || tok_is(s, t, "SCN")) {
            rep->other_color_ops++; /* Cairo writes none for solid colours; left as is */
        }
        n_ops = 0;
    }
    rt_buf_add(out, (const char *)s + flush, n - flush);
    return ok;
}

/* ------------------------------------------------- pages on two threads */

void fin_page_work_free(fin_page_work *w) {
    free(w->in);
    rt_buf_free(&w->out);
    free(w->z);
}

static void rewrite_page(fin_page_work *w, const rt_pdfx_opts *o) {
    w->ok = fin_rewrite_content(w->in, w->in_len, o, &w->out, &w->rep);
    free(w->in);
    w->in = NULL;
    /* compressed here at zlib's level 3, not by qpdf at its 6: a third of
     * the time, 16 % more bytes (the text edition's 611 kB of page
     * operators: 43 ms, 153 kB at 6; 14 ms, 178 kB at 3) */
    uLongf zlen = compressBound((uLong)w->out.len);
    w->z = malloc(zlen);
    if (w->z && compress2(w->z, &zlen, (const Bytef *)(w->out.data ? w->out.data : ""),
                          (uLong)w->out.len, FIN_CONTENT_ZLEVEL) == Z_OK) {
        w->z_len = zlen;
        rt_buf_free(&w->out);
    } else {
        free(w->z);
        w->z = NULL;
    }
}

typedef struct {
    fin_page_work *pw;
    size_t n;
    const rt_pdfx_opts *o;
    pthread_mutex_t lock;
    size_t next; /* the next page to take */
} page_pool;

static void *page_worker(void *arg) {
    page_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        rewrite_page(&p->pw[i], p->o);
    }
}

/* Every page rewritten, on this thread and one more (o->threads 1: this
 * one alone). The bytes are the same either way: each page is its own. */
void fin_rewrite_pages(fin_page_work *pw, size_t n, const rt_pdfx_opts *o) {
    page_pool p = {.pw = pw, .n = n, .o = o};
    pthread_mutex_init(&p.lock, NULL);
    pthread_t th;
    bool two = o->threads != 1 && n > 1 && pthread_create(&th, NULL, page_worker, &p) == 0;
    page_worker(&p);
    if (two)
        pthread_join(th, NULL);
    pthread_mutex_destroy(&p.lock);
}
