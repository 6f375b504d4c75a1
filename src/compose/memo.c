/* compose: the memo of typeset paragraphs (see memo.h). */
#include "memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct memo_entry {
    struct memo_entry *next;
    uint64_t hash;
    unsigned char *key; /* what was typeset (memo.h) */
    size_t key_len;
    rt_style st; /* only the fields typesetting reads are compared; its own font name */
    int lang;
    double width;
    unsigned gen; /* the build that last used it (watch) */
    rt_para para;
    rt_lines lines;
    cmp_memo_drop drop; /* a drop cap's (drop.drop NULL: none) */
} memo_entry;

struct cmp_memo {
    memo_entry **b;
    size_t nb, n;
    unsigned gen;
};

static void entry_free(memo_entry *e) {
    free(e->st.font);
    free(e->key);
    free(e->para.items);
    free(e->lines.lines);
    rt_run_free(e->drop.drop);
    rt_run_free(e->drop.first);
    free(e);
}

void cmp_memo_free(struct cmp_memo *m) {
    if (!m)
        return;
    for (size_t i = 0; i < m->nb; i++)
        for (memo_entry *e = m->b[i], *next; e; e = next) {
            next = e->next;
            entry_free(e);
        }
    free(m->b);
    free(m);
}

void rt_compose_keep_free(struct cmp_memo *m) {
    cmp_memo_free(m);
}

void rt_compose_keep_sweep(struct cmp_memo *m) {
    if (!m)
        return;
    for (size_t i = 0; i < m->nb; i++)
        for (memo_entry **pe = &m->b[i]; *pe;) {
            memo_entry *e = *pe;
            if (e->gen != m->gen) {
                *pe = e->next;
                entry_free(e);
                m->n--;
            } else {
                pe = &e->next;
            }
        }
    m->gen++;
}

static uint64_t memo_hash(const unsigned char *key, size_t n, const rt_style *st, int lang,
                          double width) {
    /* FNV-1a over the whole key, eight bytes at a time (a found entry is
     * compared whole) */
    uint64_t h = 1469598103934665603ull;
    h = (h ^ (uint64_t)n) * 1099511628211ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, key + i, 8);
        h = (h ^ w) * 1099511628211ull;
        h ^= h >> 32;
    }
    for (; i < n; i++)
        h = (h ^ key[i]) * 1099511628211ull;
    int64_t w = (int64_t)(width * 1024), sz = (int64_t)(st->size * 1024);
    h = (h ^ (uint64_t)w) * 1099511628211ull;
    h = (h ^ (uint64_t)sz) * 1099511628211ull;
    return (h ^ (uint64_t)lang) * 1099511628211ull;
}

static bool same_style(const rt_style *a, const rt_style *b) {
    return (a->font == b->font || (a->font && b->font && strcmp(a->font, b->font) == 0)) &&
           a->bold == b->bold && a->italic == b->italic && a->size == b->size &&
           a->color == b->color && a->align == b->align && a->indent == b->indent &&
           a->uppercase == b->uppercase && a->hyphenate == b->hyphenate &&
           a->small_caps == b->small_caps;
}

static memo_entry *find(struct cmp_memo *m, const void *key, size_t key_len, const rt_style *st,
                        int lang, double width, bool drop) {
    if (!m)
        return NULL;
    uint64_t h = memo_hash(key, key_len, st, lang, width);
    for (memo_entry *e = m->b[h % m->nb]; e; e = e->next)
        if (e->hash == h && e->lang == lang && e->width == width && e->key_len == key_len &&
            (e->drop.drop != NULL) == drop && memcmp(e->key, key, key_len) == 0 &&
            same_style(&e->st, st)) {
            e->gen = m->gen;
            return e;
        }
    return NULL;
}

bool cmp_memo_find(struct cmp_memo *m, const void *key, size_t key_len, const rt_style *st,
                   int lang, double width, rt_para **para, rt_lines *lines) {
    memo_entry *e = find(m, key, key_len, st, lang, width, false);
    if (e) {
        *para = &e->para;
        *lines = e->lines;
    }
    return e != NULL;
}

bool cmp_memo_find_drop(struct cmp_memo *m, const void *key, size_t key_len, const rt_style *st,
                        int lang, double width, rt_para **para, rt_lines *lines,
                        const cmp_memo_drop **drop) {
    memo_entry *e = find(m, key, key_len, st, lang, width, true);
    if (e) {
        *para = &e->para;
        *lines = e->lines;
        *drop = &e->drop;
    }
    return e != NULL;
}

static memo_entry *add(struct cmp_memo **mp, const void *key, size_t key_len, const rt_style *st,
                       int lang, double width, rt_para *para, rt_lines lines) {
    struct cmp_memo *m = *mp;
    if (!m) {
        m = *mp = rt_xcalloc(1, sizeof *m);
        m->nb = 256;
        m->b = rt_xcalloc(m->nb, sizeof *m->b);
    }
    if (m->n >= m->nb * 2) { /* grow: rehash into four times the buckets */
        size_t nb = m->nb * 4;
        memo_entry **b = rt_xcalloc(nb, sizeof *b);
        for (size_t i = 0; i < m->nb; i++)
            for (memo_entry *e = m->b[i], *next; e; e = next) {
                next = e->next;
                e->next = b[e->hash % nb];
                b[e->hash % nb] = e;
            }
        free(m->b);
        m->b = b;
        m->nb = nb;
    }
    uint64_t h = memo_hash(key, key_len, st, lang, width);
    memo_entry *e = rt_xcalloc(1, sizeof *e);
    e->hash = h;
    e->key = rt_xmalloc(key_len + 1);
    memcpy(e->key, key, key_len);
    e->key_len = key_len;
    e->st = *st;
    e->st.font = st->font ? rt_xstrdup(st->font) : NULL; /* the layout goes with its build */
    e->lang = lang;
    e->width = width;
    e->gen = m->gen;
    e->para = *para; /* the items array moves into the entry */
    free(para);
    e->lines = lines;
    e->next = m->b[h % m->nb];
    m->b[h % m->nb] = e;
    m->n++;
    return e;
}

rt_para *cmp_memo_add(struct cmp_memo **mp, const void *key, size_t key_len, const rt_style *st,
                      int lang, double width, rt_para *para, rt_lines lines) {
    return &add(mp, key, key_len, st, lang, width, para, lines)->para;
}

void cmp_memo_add_drop(struct cmp_memo **mp, const void *key, size_t key_len, const rt_style *st,
                       int lang, double width, rt_para *para, rt_lines lines, cmp_memo_drop drop) {
    add(mp, key, key_len, st, lang, width, para, lines)->drop = drop;
}
