/* wordcheck [--any-spread] [--once | --unordered] EDITION.yaml TEXT.txt
 *
 * Test tool: checks that every word of every article (title, kicker,
 * standfirst, byline, captions, credits, body, related box) and of every
 * printed supporter message appears in the text extracted from the PDF
 * (pdftotext -raw: content-stream order, which is the composer's reading
 * order), each field in order and close together. Words are compared as
 * lower-case letters and digits; hyphens are ignored (so a word hyphenated
 * at a line end matches). Every word must extract as itself: a PDF word
 * equal to 2-6 consecutive source words glued together (pdftotext joins
 * words closer than 0.15 em) is named and fails the check. With --once, every run of six words of
 * an article body must also occur at most once in the PDF text: no line printed twice (bodies must
 * not repeat themselves for this to hold). With --unordered (for plain pdftotext, whose reading
 * order follows its own guess at the columns), every word must be found and none glued, in any
 * order: each PDF word counts once. Exit 0 if all are found, 1 otherwise. */
#include "load/load.h"
#include "parse/parse.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char **w;
    size_t n, cap;
} words;

static void add_words(words *ws, const char *text) {
    if (!text)
        return;
    const char *p = text;
    GString *cur = g_string_new(NULL);
    while (*p) {
        gunichar c = g_utf8_get_char(p);
        GUnicodeBreakType bt = g_unichar_break_type(c);
        if (bt == G_UNICODE_BREAK_IDEOGRAPHIC ||
            bt == G_UNICODE_BREAK_CONDITIONAL_JAPANESE_STARTER ||
            bt == G_UNICODE_BREAK_HANGUL_LV_SYLLABLE || bt == G_UNICODE_BREAK_HANGUL_LVT_SYLLABLE) {
            /* CJK has no spaces: each ideograph is a word (lines break between any two) */
            if (cur->len) {
                char *s = rt_xstrdup(cur->str);
                RT_PUSH(ws->w, ws->n, ws->cap, s);
                g_string_truncate(cur, 0);
            }
            if (g_unichar_isalnum(c)) {
                g_string_append_unichar(cur, c);
                char *s = rt_xstrdup(cur->str);
                RT_PUSH(ws->w, ws->n, ws->cap, s);
                g_string_truncate(cur, 0);
            }
        } else if (g_unichar_isalnum(c)) {
            g_string_append_unichar(cur, g_unichar_tolower(c));
        } else if (c != '-' && c != 0x00AD && cur->len) {
            char *s = rt_xstrdup(cur->str);
            RT_PUSH(ws->w, ws->n, ws->cap, s);
            g_string_truncate(cur, 0);
        }
        p = g_utf8_next_char(p);
    }
    if (cur->len) {
        char *s = rt_xstrdup(cur->str);
        RT_PUSH(ws->w, ws->n, ws->cap, s);
    }
    g_string_free(cur, TRUE);
}

static void add_span(const rt_span *sp, void *arg) {
    words *ws = arg;
    if (!(sp->flags & RT_SPAN_NOTE) || ws->n == 0) {
        add_words(ws, sp->text);
        return;
    }
    /* a note's number is printed raised, glued to its word ("an1"); a
     * second one follows a comma ("an1,2") */
    const char *comma = strchr(sp->text, ',');
    size_t k = comma ? (size_t)(comma - sp->text) : strlen(sp->text);
    char *w = ws->w[ws->n - 1];
    size_t l = strlen(w);
    w = rt_xrealloc(w, l + k + 1);
    memcpy(w + l, sp->text, k);
    w[l + k] = '\0';
    ws->w[ws->n - 1] = w;
    if (comma)
        add_words(ws, comma + 1);
}

/* Every word of the body: paragraphs, table cells row by row, notes. */
static void add_doc(words *ws, const rt_doc *doc) {
    for (size_t i = 0; doc && i < doc->n_blocks; i++)
        rt_block_each_span(&doc->blocks[i], add_span, ws);
}

static void free_words(words *ws) {
    for (size_t i = 0; i < ws->n; i++)
        free(ws->w[i]);
    free(ws->w);
    ws->w = NULL;
    ws->n = ws->cap = 0;
}

static size_t glued;
static bool any_spread; /* --any-spread: in order, however far apart */

/* How many source words from i the PDF word is made of (2 to 6), glued
 * together; 0 if it is not such a concatenation. */
static size_t glued_words(const char *pdfw, const words *src, size_t i) {
    size_t off = 0;
    for (size_t k = 0; k < 6 && i + k < src->n; k++) {
        size_t l = strlen(src->w[i + k]);
        if (strncmp(pdfw + off, src->w[i + k], l) != 0)
            return 0;
        off += l;
        if (!pdfw[off])
            return k >= 1 ? k + 1 : 0;
    }
    return 0;
}

/* Greedy subsequence match of src in pdf starting at `from`; returns the
 * number of words not found, and the span of the PDF stream covered, less
 * up to MAX_JUMPS gaps of more than JUMP_GAP words (an article continued
 * on a later page has other text between its pieces). */
#define MAX_JUMPS 4
#define JUMP_GAP 80
static size_t match_from(const words *src, const words *pdf, size_t from, size_t *span,
                         bool verbose) {
    size_t j = from, missing = 0, first = SIZE_MAX, last = 0, gaps = 0;
    int jumps = 0;
    for (size_t i = 0; i < src->n; i++) {
        size_t k = j;
        size_t g = k < pdf->n ? glued_words(pdf->w[k], src, i) : 0;
        if (g) {
            if (verbose) {
                glued++;
                if (glued <= 10) {
                    fprintf(stderr, "    glued words #%zu-#%zu: '", i, i + g - 1);
                    for (size_t k = 0; k < g; k++)
                        fprintf(stderr, "%s%s", k ? " " : "", src->w[i + k]);
                    fprintf(stderr, "' extracted as '%s'\n", pdf->w[k]);
                }
            }
            if (first == SIZE_MAX)
                first = k;
            last = k;
            j = k + 1;
            i += g - 1;
            continue;
        }
        while (k < pdf->n && strcmp(pdf->w[k], src->w[i]) != 0)
            k++;
        if (k == pdf->n) {
            missing++;
            if (verbose && missing <= 5)
                fprintf(stderr, "    missing word #%zu: '%s'\n", i, src->w[i]);
            continue;
        }
        if (first == SIZE_MAX)
            first = k;
        else if (k - j > JUMP_GAP && jumps < MAX_JUMPS) {
            jumps++;
            gaps += k - j;
        }
        last = k;
        j = k + 1;
    }
    *span = first == SIZE_MAX ? 0 : last - first + 1 - gaps;
    return missing;
}

/* The best match: anchored at each occurrence of the first word, the one
 * with the fewest missing words, then the tightest span. */
static size_t match(const words *src, const words *pdf, size_t *span) {
    size_t best_miss = SIZE_MAX, best_span = 0, best_from = 0;
    if (src->n == 0) {
        *span = 0;
        return 0;
    }
    for (size_t k = 0; k < pdf->n; k++) {
        if (strcmp(pdf->w[k], src->w[0]) != 0)
            continue;
        size_t sp, miss = match_from(src, pdf, k, &sp, false);
        if (miss < best_miss || (miss == best_miss && sp < best_span)) {
            best_miss = miss;
            best_span = sp;
            best_from = k;
        }
        if (miss == 0 && sp == src->n)
            break; /* perfect */
    }
    if (best_miss == SIZE_MAX)
        best_from = 0;
    return match_from(src, pdf, best_from, span, true);
}

/* One field of an article or message: its words must all be found, in
 * order, close together (slack for folios, jump lines and captions that
 * interrupt a column; up to MAX_JUMPS jumps to another page). */
static int check_field(const char *path, const char *what, const char *text, const rt_doc *doc,
                       const words *pdf, size_t *total) {
    words ws = {0};
    if (text)
        add_words(&ws, text);
    if (doc)
        add_doc(&ws, doc);
    size_t span, miss = match(&ws, pdf, &span);
    size_t slack = ws.n / 5 + 40;
    int bad = miss > 0 || (!any_spread && span > ws.n + slack);
    if (bad)
        fprintf(stderr, "  %s (%s): %zu of %zu words missing, spread over %zu words\n", path, what,
                miss, ws.n, span);
    *total += ws.n;
    free_words(&ws);
    return bad;
}

#define NGRAM 6

static char *ngram(const words *ws, size_t i) {
    rt_buf b = {0};
    for (size_t k = 0; k < NGRAM; k++)
        rt_buf_addf(&b, "%s%s", k ? " " : "", ws->w[i + k]);
    return rt_buf_steal(&b);
}

/* Six-word runs of a body that occur more than once in the PDF text. */
static int check_once(const char *path, const rt_doc *doc, GHashTable *counts) {
    words ws = {0};
    add_doc(&ws, doc);
    int dup = 0;
    for (size_t i = 0; i + NGRAM <= ws.n; i++) {
        char *g = ngram(&ws, i);
        int n = GPOINTER_TO_INT(g_hash_table_lookup(counts, g));
        if (n > 1) {
            if (dup < 3)
                fprintf(stderr, "  %s: '%s' printed %d times\n", path, g, n);
            dup++;
        }
        free(g);
    }
    free_words(&ws);
    return dup > 0;
}

/* Every word of `src` in the PDF text, in any order (each PDF word used
 * once); PDF words that are two consecutive source words glued together. */
static int check_unordered(const words *src, const words *pdf) {
    GHashTable *count = g_hash_table_new(g_str_hash, g_str_equal);
    GHashTable *pairs = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
    for (size_t i = 0; i < pdf->n; i++)
        g_hash_table_replace(
            count, pdf->w[i],
            GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(count, pdf->w[i])) + 1));
    for (size_t i = 0; i + 1 < src->n; i++)
        g_hash_table_replace(pairs, rt_xasprintf("%s%s", src->w[i], src->w[i + 1]), NULL);
    GHashTable *vocab = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < src->n; i++)
        g_hash_table_add(vocab, src->w[i]);
    size_t missing = 0, glued_n = 0;
    for (size_t i = 0; i < src->n; i++) {
        int n = GPOINTER_TO_INT(g_hash_table_lookup(count, src->w[i]));
        if (n > 0) {
            g_hash_table_replace(count, src->w[i], GINT_TO_POINTER(n - 1));
        } else if (++missing <= 10) {
            fprintf(stderr, "  missing word: '%s'\n", src->w[i]);
        }
    }
    for (size_t i = 0; i < pdf->n; i++)
        if (!g_hash_table_contains(vocab, pdf->w[i]) && g_hash_table_contains(pairs, pdf->w[i]) &&
            ++glued_n <= 10)
            fprintf(stderr, "  two words glued together: '%s'\n", pdf->w[i]);
    printf("%zu words checked in any order against %zu words of PDF text: %zu missing, %zu runs "
           "of words glued together\n",
           src->n, pdf->n, missing, glued_n);
    g_hash_table_destroy(count);
    g_hash_table_destroy(pairs);
    g_hash_table_destroy(vocab);
    return missing || glued_n;
}

int main(int argc, char **argv) {
    any_spread = argc > 1 && strcmp(argv[1], "--any-spread") == 0;
    if (any_spread) {
        argc--;
        argv++;
    }
    bool once = argc > 1 && strcmp(argv[1], "--once") == 0;
    bool unordered = argc > 1 && strcmp(argv[1], "--unordered") == 0;
    if (once || unordered) {
        argc--;
        argv++;
    }
    if (argc != 3) {
        fputs("usage: wordcheck [--any-spread] [--once | --unordered] EDITION.yaml TEXT.txt\n",
              stderr);
        return 2;
    }
    rt_diag d;
    rt_diag_init(&d, stderr);
    const char *data = getenv("ROTATIVE_DATA") ? getenv("ROTATIVE_DATA") : ".";
    char *layouts = rt_path_join(data, "layouts");
    rt_edition *e = rt_edition_load(argv[1], layouts, &d);
    free(layouts);
    if (!e || d.errors)
        return 2;
    size_t len;
    char *text = rt_read_file(argv[2], 0, &len);
    if (!text)
        return 2;
    /* join words hyphenated at line ends: "infor-\nmation" (also where plain
     * pdftotext ends a block between the two halves, or reads a reading-order
     * mark there, a line of spaces: "infor-\n\n  \n\nmation") */
    rt_buf b = {0};
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '-' && i + 1 < len && text[i + 1] == '\n') {
            while (i + 1 < len && (text[i + 1] == '\n' || text[i + 1] == ' '))
                i++;
            continue;
        }
        rt_buf_add(&b, text + i, 1);
    }
    free(text);
    char *joined = rt_buf_steal(&b);
    words pdf = {0};
    add_words(&pdf, joined);
    free(joined);
    int bad = 0;
    size_t total = 0;
    if (unordered) {
        words all = {0};
        for (size_t i = 0; i < e->n_entries; i++) {
            const rt_article *a = e->entries[i].article;
            rt_doc *doc = rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line,
                                            RT_MD_ARTICLE, &d);
            const char *fields[] = {a->title, a->kicker, a->standfirst, a->byline};
            for (size_t f = 0; f < 4; f++)
                add_words(&all, fields[f]);
            for (size_t k = 0; k < a->n_images; k++) {
                add_words(&all, a->images[k].caption);
                add_words(&all, a->images[k].credit);
            }
            add_doc(&all, doc);
            for (size_t k = 0; k < a->n_related; k++) {
                add_words(&all, a->related[k].title);
                add_words(&all, a->related[k].url);
            }
            rt_doc_free(doc);
        }
        for (size_t i = 0; i < e->n_messages; i++) {
            const rt_message *m = &e->messages[i];
            if (m->status == RT_PAY_PENDING)
                continue;
            rt_doc *doc =
                rt_markdown_parse(m->text, strlen(m->text), m->path, 1, RT_MD_MESSAGE, &d);
            add_doc(&all, doc);
            add_words(&all, m->from);
            rt_doc_free(doc);
        }
        bad = check_unordered(&all, &pdf);
        free_words(&all);
        free_words(&pdf);

        rt_edition_free(e);
        return bad;
    }
    GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
    for (size_t i = 0; once && i + NGRAM <= pdf.n; i++) {
        char *g = ngram(&pdf, i);
        int n = GPOINTER_TO_INT(g_hash_table_lookup(counts, g));
        g_hash_table_replace(counts, g, GINT_TO_POINTER(n + 1));
    }
    for (size_t i = 0; i < e->n_entries; i++) {
        const rt_article *a = e->entries[i].article;
        rt_doc *doc =
            rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line, RT_MD_ARTICLE, &d);
        const char *fields[][2] = {{"title", a->title},
                                   {"kicker", a->kicker},
                                   {"standfirst", a->standfirst},
                                   {"byline", a->byline}};
        for (size_t f = 0; f < 4; f++) {
            if (!fields[f][1])
                continue;
            bad |= check_field(a->path, fields[f][0], fields[f][1], NULL, &pdf, &total);
        }
        for (size_t k = 0; k < a->n_images; k++) {
            bad |= check_field(a->path, "caption", a->images[k].caption, NULL, &pdf, &total);
            bad |= check_field(a->path, "credit", a->images[k].credit, NULL, &pdf, &total);
        }
        bad |= check_field(a->path, "body", NULL, doc, &pdf, &total);
        if (once)
            bad |= check_once(a->path, doc, counts);
        for (size_t k = 0; k < a->n_related; k++) {
            bad |= check_field(a->path, "related", a->related[k].title, NULL, &pdf, &total);
            if (a->related[k].url)
                bad |= check_field(a->path, "related url", a->related[k].url, NULL, &pdf, &total);
        }
        rt_doc_free(doc);
    }
    for (size_t i = 0; i < e->n_messages; i++) {
        const rt_message *m = &e->messages[i];
        if (m->status == RT_PAY_PENDING)
            continue;
        rt_doc *doc = rt_markdown_parse(m->text, strlen(m->text), m->path, 1, RT_MD_MESSAGE, &d);
        bad |= check_field(m->path, "text", NULL, doc, &pdf, &total);
        bad |= check_field(m->path, "from", m->from, NULL, &pdf, &total);
        rt_doc_free(doc);
    }
    printf("%zu words checked against %zu words of PDF text, %zu runs of words glued together\n",
           total, pdf.n, glued);
    if (glued) /* a word must extract as itself: two words glued are a word lost */
        bad = 1;
    free_words(&pdf);
    g_hash_table_destroy(counts);
    rt_edition_free(e);
    return bad;
}
