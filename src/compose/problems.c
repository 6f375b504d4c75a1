/* compose: what typesetting could not do as asked, reported where the text
 * is written: characters that no font of fonts/ has (errors: they would
 * print as empty boxes) and words too wide for their column, cut between
 * characters (warnings). The places are found by searching the source
 * files for the text, so that a character met in a headline, a caption or a
 * supporter message is reported at its own line and column. */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Line and column (in characters, 1-based) of byte `at` of `text`. */
static void position(const char *text, size_t at, int *line, int *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at; i++) {
        if (text[i] == '\n') {
            ++*line;
            *col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

/* Next occurrence of needle[0..n) in hay[from..len), ASCII letters compared
 * without case when `nocase` (an uppercase style prints the text in
 * capitals). */
static const char *find(const char *hay, size_t len, size_t from, const char *needle, size_t n,
                        bool nocase) {
    for (size_t i = from; n && i + n <= len; i++)
        if (nocase ? strncasecmp(hay + i, needle, n) == 0 : memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

bool cmp_locate(const char *path, const char *needle, size_t n, int *line, int *col) {
    size_t len;
    char *text = path ? rt_read_file(path, 0, &len) : NULL;
    if (!text)
        return false;
    const char *hit = find(text, len, 0, needle, n, false);
    if (!hit)
        hit = find(text, len, 0, needle, n, true);
    if (hit)
        position(text, (size_t)(hit - text), line, col);
    free(text);
    return hit != NULL;
}

#define MAX_PLACES 20 /* per character and file; then a count */

/* The ways a character can be written in a source file: itself, a
 * Markdown/HTML character reference, a YAML escape. */
static size_t spellings(unsigned cp, char forms[6][16], size_t lens[6]) {
    size_t n = 0;
    lens[n] = (size_t)rt_utf8_encode(cp, forms[n]);
    n++;
    lens[n] = (size_t)snprintf(forms[n], 16, "&#x%X;", cp), n++;
    lens[n] = (size_t)snprintf(forms[n], 16, "&#%u;", cp), n++;
    lens[n] = (size_t)snprintf(forms[n], 16, "\\U%08X", cp), n++;
    if (cp <= 0xFFFF)
        lens[n] = (size_t)snprintf(forms[n], 16, "\\u%04X", cp), n++;
    return n;
}

/* A missing character and where it is first written (file, byte). */
typedef struct {
    unsigned cp;
    size_t file, at;
} first_place;

static int by_place(const void *a, const void *b) {
    const first_place *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->cp < y->cp ? -1 : x->cp > y->cp;
}

int rt_compose_report_missing(rt_compose_ctx *ctx, const char *const *files, size_t n_files,
                              rt_diag *d) {
    size_t n;
    unsigned *missing = rt_shaper_take_missing(ctx->shaper, &n);
    char **texts = rt_xcalloc(n_files + 1, sizeof *texts);
    size_t *lens = rt_xcalloc(n_files + 1, sizeof *lens);
    for (size_t f = 0; n && f < n_files; f++)
        if (files[f])
            texts[f] = rt_read_file(files[f], 0, &lens[f]);
    /* in the order they are written in the edition's files (whichever
     * thread shaped them first: compose/pool.h); those the program made
     * itself last */
    first_place *order = rt_xcalloc(n + 1, sizeof *order);
    for (size_t i = 0; i < n; i++) {
        order[i] = (first_place){missing[i], n_files, 0};
        char forms[6][16];
        size_t flen[6];
        size_t nf = spellings(missing[i], forms, flen);
        for (size_t f = 0; f < n_files && order[i].file == n_files; f++)
            for (size_t k = 0; texts[f] && k < nf; k++) {
                const char *hit = find(texts[f], lens[f], 0, forms[k], flen[k], k > 0);
                size_t at = hit ? (size_t)(hit - texts[f]) : 0;
                if (hit && (order[i].file != f || at < order[i].at))
                    order[i] = (first_place){missing[i], f, at};
            }
    }
    qsort(order, n, sizeof *order, by_place);
    for (size_t i = 0; i < n; i++)
        missing[i] = order[i].cp;
    free(order);
    for (size_t i = 0; i < n; i++) {
        unsigned cp = missing[i];
        char shown[8] = {0};
        /* a control or invisible character is named by its code point only */
        if (cp >= 0x20 && cp != 0x7F && (cp < 0x80 || cp > 0x9F))
            rt_utf8_encode(cp, shown);
        char forms[6][16];
        size_t flen[6];
        size_t nf = spellings(cp, forms, flen);
        bool found = false;
        for (size_t f = 0; f < n_files; f++) {
            if (!texts[f])
                continue;
            int places = 0;
            for (size_t k = 0; k < nf; k++)
                for (const char *hit = find(texts[f], lens[f], 0, forms[k], flen[k], k > 0); hit;
                     hit = find(texts[f], lens[f], (size_t)(hit - texts[f]) + flen[k], forms[k],
                                flen[k], k > 0)) {
                    if (++places > MAX_PLACES)
                        continue;
                    int line, col;
                    position(texts[f], (size_t)(hit - texts[f]), &line, &col);
                    rt_error(d, files[f], line, col,
                             "the character '%s' (U+%04X) is in no font of this layout", shown, cp);
                }
            if (places > MAX_PLACES)
                rt_diag_report(d, RT_NOTE, files[f], 0, 0,
                               "... and %d more times the character U+%04X in this file",
                               places - MAX_PLACES, cp);
            found |= places > 0;
        }
        if (!found) /* made by the program itself (a date, a number): the layout's words */
            rt_error(d, n_files ? files[0] : NULL, 0, 0,
                     "the character '%s' (U+%04X) is in no font of this layout", shown, cp);
    }
    for (size_t f = 0; f < n_files; f++)
        free(texts[f]);
    free(texts);
    free(lens);
    free(missing);
    return (int)n;
}

int rt_compose_report_edition_missing(rt_compose_ctx *ctx, const rt_edition *e, rt_diag *d) {
    const char **files = rt_xcalloc(e->n_entries + e->n_messages + 3, sizeof *files);
    size_t n = 0;
    for (size_t i = 0; i < e->n_entries; i++)
        if (e->entries[i].article)
            files[n++] = e->entries[i].article->path;
    for (size_t i = 0; i < e->n_messages; i++)
        files[n++] = e->messages[i].path;
    files[n++] = e->path;
    if (e->layout)
        files[n++] = e->layout->path;
    int r = rt_compose_report_missing(ctx, files, n, d);
    free(files);
    return r;
}

/* ------------------------------------------------------------ forced cuts */

/* The word that a forced cut at item `cut` is inside: its first bytes and
 * its length in characters. */
static void word_at(const rt_para *p, size_t cut, rt_buf *head, size_t *chars) {
    size_t a = cut, b = cut;
    while (a > 0 && p->items[a - 1].kind != RT_ITEM_GLUE)
        a--;
    while (b < p->n_items && p->items[b].kind != RT_ITEM_GLUE)
        b++;
    *chars = 0;
    for (size_t i = a; i < b; i++) {
        const rt_run *r = p->items[i].kind == RT_ITEM_BOX ? p->items[i].run : NULL;
        if (!r)
            continue;
        for (size_t k = 0; k < r->len; k++)
            if (((unsigned char)r->utf8[k] & 0xC0) != 0x80)
                ++*chars;
        if (head->len < 24)
            rt_buf_add(head, r->utf8, r->len);
    }
}

void cmp_warn_forced(composer *c, const tpara *tp) {
    if (!c->src || !c->d || !c->out || c->quiet)
        return;
    for (size_t i = 0; i < tp->lines.n; i++) {
        const rt_line *ln = &tp->lines.lines[i];
        if (!ln->forced)
            continue;
        /* the same word as the line before's cut: no space on this line */
        bool glue = false;
        for (size_t k = ln->start; k < ln->end && !glue; k++)
            glue = tp->para->items[k].kind == RT_ITEM_GLUE;
        if (i > 0 && tp->lines.lines[i - 1].forced && !glue)
            continue; /* one warning per word (linear in the word's length) */
        rt_buf head = {0};
        size_t chars;
        word_at(tp->para, ln->end, &head, &chars);
        /* the first characters, cut at a character boundary */
        size_t n = head.len < 24 ? head.len : 24;
        while (n > 0 && n < head.len && ((unsigned char)head.data[n] & 0xC0) == 0x80)
            n--;
        char *key = rt_xasprintf("%s\n%d\n%.*s", c->src, c->src_line, (int)n, head.data);
        bool seen = false;
        cmp_share_lock(c);
        for (size_t k = 0; k < c->out->n_warned && !seen; k++)
            seen = strcmp(c->out->warned[k], key) == 0;
        if (!seen)
            RT_PUSH(c->out->warned, c->out->n_warned, c->out->cap_warned, key);
        cmp_share_unlock(c);
        if (seen) {
            free(key);
        } else {
            int line = c->src_line, col = c->src_col;
            cmp_locate(c->src, head.data, n, &line, &col);
            rt_warning(c->d, c->src, line, col,
                       "a word of %zu characters ('%.*s%s') is wider than its column: it is "
                       "cut between characters (no hyphen); spaces, or a soft hyphen (U+00AD), "
                       "would break it better",
                       chars, (int)n, head.data, n < head.len || chars > 24 ? "…" : "");
        }
        rt_buf_free(&head);
    }
}
