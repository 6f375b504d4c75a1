/* wordcheck EDITION.yaml TEXT.txt
 *
 * Test tool: checks that every word of every article (title, kicker,
 * standfirst, byline, captions, credits, body, related box) and of every
 * printed supporter message appears in the text extracted from the PDF
 * (pdftotext -raw: content-stream order, which is the composer's reading
 * order), each field in order and close together. Words are compared as
 * lower-case letters and digits; hyphens are ignored (so a word hyphenated
 * at a line end matches). pdftotext -raw joins two words when the space
 * between them is under its threshold (0.1-0.15 em, met by tightly set
 * lines); a PDF word equal to two consecutive source words matches both
 * and is counted as glued. Exit 0 if all are found, 1 otherwise. */
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
        if (g_unichar_isalnum(c)) {
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

static void add_doc(words *ws, const rt_doc *doc) {
    for (size_t i = 0; doc && i < doc->n_blocks; i++)
        for (size_t k = 0; k < doc->blocks[i].n_spans; k++)
            add_words(ws, doc->blocks[i].spans[k].text);
}

static void free_words(words *ws) {
    for (size_t i = 0; i < ws->n; i++)
        free(ws->w[i]);
    free(ws->w);
    ws->w = NULL;
    ws->n = ws->cap = 0;
}

static size_t glued;

static bool is_glued(const char *pdfw, const char *a, const char *b) {
    size_t la = strlen(a);
    return strncmp(pdfw, a, la) == 0 && strcmp(pdfw + la, b) == 0;
}

/* Greedy subsequence match of src in pdf starting at `from`; returns the
 * number of words not found, and the span of the PDF stream covered. */
static size_t match_from(const words *src, const words *pdf, size_t from, size_t *span,
                         bool verbose) {
    size_t j = from, missing = 0, first = SIZE_MAX, last = 0;
    for (size_t i = 0; i < src->n; i++) {
        size_t k = j;
        if (k < pdf->n && i + 1 < src->n && is_glued(pdf->w[k], src->w[i], src->w[i + 1])) {
            if (verbose)
                glued++;
            if (first == SIZE_MAX)
                first = k;
            last = k;
            j = k + 1;
            i++;
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
        last = k;
        j = k + 1;
    }
    *span = first == SIZE_MAX ? 0 : last - first + 1;
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
 * interrupt a column). */
static int check_field(const char *path, const char *what, const char *text, const rt_doc *doc,
                       const words *pdf, size_t *total) {
    words ws = {0};
    if (text)
        add_words(&ws, text);
    if (doc)
        add_doc(&ws, doc);
    size_t span, miss = match(&ws, pdf, &span);
    size_t slack = ws.n / 5 + 40;
    int bad = miss > 0 || span > ws.n + slack;
    if (bad)
        fprintf(stderr, "  %s (%s): %zu of %zu words missing, spread over %zu words\n", path,
                what, miss, ws.n, span);
    *total += ws.n;
    free_words(&ws);
    return bad;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fputs("usage: wordcheck EDITION.yaml TEXT.txt\n", stderr);
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
    /* join words hyphenated at line ends: "infor-\nmation" */
    rt_buf b = {0};
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '-' && i + 1 < len && text[i + 1] == '\n') {
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
    for (size_t i = 0; i < e->n_entries; i++) {
        const rt_article *a = e->entries[i].article;
        rt_doc *doc = rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line,
                                        RT_MD_ARTICLE, &d);
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
    printf("%zu words checked against %zu words of PDF text (%zu pairs glued by pdftotext)\n", total, pdf.n, glued);
    free_words(&pdf);
    rt_edition_free(e);
    return bad;
}
