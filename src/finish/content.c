/* finish: the pages' operators compressed on two threads, and a content
 * stream's operators walked (for preflight).
 *
 * The renderer writes the operators as the press gets them (the layout's
 * CMYK, grey on the black plate alone, black overprinting through the
 * ExtGStates /RtOP<n>): they are only compressed here.
 */
#include "finish_internal.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
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

/* ------------------------------------------------- pages on two threads */

void fin_page_work_free(fin_page_work *w) {
    free(w->in);
    free(w->z);
}

static void compress_page(fin_page_work *w) {
    if (w->z)
        return; /* the memo's */
    /* compressed here at zlib's level 2, not by qpdf at its 6: a fifth of
     * the time, 30 % more bytes (the text edition's 1.4 MB of page
     * operators: 60 ms, 293 kB at 6; 21 ms, 358 kB at 3; 13 ms, 382 kB
     * at 2) */
    uLongf zlen = compressBound((uLong)w->in_len);
    w->z = malloc(zlen);
    if (w->z && compress2(w->z, &zlen, w->in ? w->in : (const Bytef *)"", (uLong)w->in_len,
                          FIN_CONTENT_ZLEVEL) == Z_OK) {
        w->z_len = zlen;
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
        compress_page(&p->pw[i]);
    }
}

/* -------------------------------------------------- the memo (watch) */

typedef struct {
    uint64_t key[2]; /* the operators: two hashes (and their length) */
    size_t len;
    unsigned char *z;
    size_t z_len;
    unsigned long build; /* the last build that used it */
} memo_entry;

struct rt_stream_memo {
    memo_entry *e;
    size_t n, cap;
    unsigned long build;
    int taken, made; /* this build's pages */
};

rt_stream_memo *rt_stream_memo_new(void) {
    return rt_xcalloc(1, sizeof(rt_stream_memo));
}

void rt_stream_memo_next_build(rt_stream_memo *m) {
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].build == m->build)
            m->e[k++] = m->e[i];
        else
            free(m->e[i].z);
    }
    m->n = k;
    m->build++;
    m->taken = m->made = 0;
}

void rt_stream_memo_counts(const rt_stream_memo *m, int *taken, int *made) {
    *taken = m->taken;
    *made = m->made;
}

void rt_stream_memo_free(rt_stream_memo *m) {
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].z);
    free(m->e);
    free(m);
}

/* Two 64-bit hashes of the bytes, eight at a time: a key no two pages'
 * operators share by chance (2^-128). */
static void hash_bytes(const unsigned char *s, size_t n, uint64_t key[2]) {
    uint64_t a = 0x243F6A8885A308D3ull ^ n, b = 0x13198A2E03707344ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        a = (a ^ v) * 0x9E3779B97F4A7C15ull;
        a ^= a >> 32;
        b = (b + v) * 0xC2B2AE3D27D4EB4Full;
        b ^= b >> 29;
    }
    uint64_t v = 0;
    memcpy(&v, s + i, n - i);
    a = (a ^ v) * 0x9E3779B97F4A7C15ull;
    b = (b + v) * 0xC2B2AE3D27D4EB4Full;
    key[0] = a ^ (a >> 31);
    key[1] = b ^ (b >> 33);
}

/* Every page compressed, on this thread and one more (o->threads 1: this
 * one alone). The bytes are the same either way: each page is its own.
 * With a memo, a page whose operators it holds takes their compressed
 * bytes, and the others are added to it. */
void fin_compress_pages(fin_page_work *pw, size_t n, const rt_pdfx_opts *o) {
    rt_stream_memo *m = o->memo;
    uint64_t(*keys)[2] = m ? rt_xcalloc(n ? n : 1, sizeof *keys) : NULL;
    for (size_t i = 0; m && i < n; i++) {
        hash_bytes(pw[i].in ? pw[i].in : (const unsigned char *)"", pw[i].in_len, keys[i]);
        for (size_t k = 0; k < m->n; k++)
            if (m->e[k].len == pw[i].in_len && m->e[k].key[0] == keys[i][0] &&
                m->e[k].key[1] == keys[i][1]) {
                pw[i].z = rt_xmalloc(m->e[k].z_len);
                memcpy(pw[i].z, m->e[k].z, m->e[k].z_len);
                pw[i].z_len = m->e[k].z_len;
                m->e[k].build = m->build;
                m->taken++;
                break;
            }
    }
    page_pool p = {.pw = pw, .n = n, .o = o};
    pthread_mutex_init(&p.lock, NULL);
    pthread_t th;
    bool two = o->threads != 1 && n > 1 && pthread_create(&th, NULL, page_worker, &p) == 0;
    page_worker(&p);
    if (two)
        pthread_join(th, NULL);
    pthread_mutex_destroy(&p.lock);
    for (size_t i = 0; m && i < n; i++) {
        bool known = false;
        for (size_t k = 0; k < m->n && !known; k++)
            known = m->e[k].len == pw[i].in_len && m->e[k].key[0] == keys[i][0] &&
                    m->e[k].key[1] == keys[i][1];
        if (!pw[i].z || known)
            continue;
        m->made++;
        memo_entry e = {
            {keys[i][0], keys[i][1]}, pw[i].in_len, rt_xmalloc(pw[i].z_len), pw[i].z_len, m->build};
        memcpy(e.z, pw[i].z, pw[i].z_len);
        RT_PUSH(m->e, m->n, m->cap, e);
    }
    free(keys);
}
