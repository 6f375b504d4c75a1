/* compose: the memo of typeset strings (see memo.h). */
#include "memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct memo_entry {
    struct memo_entry *next;
    uint64_t hash;
    char *text;
    rt_style st; /* only the fields typesetting reads are compared */
    int lang;
    double width;
    rt_para para;
    rt_lines lines;
} memo_entry;

struct cmp_memo {
    memo_entry **b;
    size_t nb, n;
};

void cmp_memo_free(struct cmp_memo *m) {
    if (!m)
        return;
    for (size_t i = 0; i < m->nb; i++)
        for (memo_entry *e = m->b[i], *next; e; e = next) {
            next = e->next;
            free(e->text);
            free(e->para.items);
            free(e->lines.lines);
            free(e);
        }
    free(m->b);
    free(m);
}

static uint64_t memo_hash(const char *text, const rt_style *st, int lang, double width) {
    /* FNV-1a over the length and the first and last 32 bytes: enough to tell
     * strings apart, and a found entry is compared whole */
    uint64_t h = 1469598103934665603ull;
    size_t n = strlen(text);
    const unsigned char *p = (const unsigned char *)text;
    h = (h ^ (uint64_t)n) * 1099511628211ull;
    for (size_t i = 0; i < n && i < 32; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    for (size_t i = n > 64 ? n - 32 : (n > 32 ? 32 : n); i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
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

bool cmp_memo_find(const struct cmp_memo *m, const char *text, const rt_style *st, int lang,
                   double width, rt_para **para, rt_lines *lines) {
    if (!m)
        return false;
    uint64_t h = memo_hash(text, st, lang, width);
    for (memo_entry *e = m->b[h % m->nb]; e; e = e->next)
        if (e->hash == h && e->lang == lang && e->width == width && strcmp(e->text, text) == 0 &&
            same_style(&e->st, st)) {
            *para = &e->para;
            *lines = e->lines;
            return true;
        }
    return false;
}

rt_para *cmp_memo_add(struct cmp_memo **mp, const char *text, const rt_style *st, int lang,
                      double width, rt_para *para, rt_lines lines) {
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
    uint64_t h = memo_hash(text, st, lang, width);
    memo_entry *e = rt_xcalloc(1, sizeof *e);
    e->hash = h;
    e->text = rt_xstrdup(text);
    e->st = *st;
    e->lang = lang;
    e->width = width;
    e->para = *para; /* the items array moves into the entry */
    free(para);
    e->lines = lines;
    e->next = m->b[h % m->nb];
    m->b[h % m->nb] = e;
    m->n++;
    return &e->para;
}
