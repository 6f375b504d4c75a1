/* wordcheck EDITION.yaml TEXT.txt
 *
 * Test tool: checks that every word of every article (title, kicker,
 * standfirst, byline, captions, credits, body, related box) and of every
 * printed supporter message appears in the text extracted from the PDF
 * (pdftotext), in order and close together. Words are compared as
 * lower-case letters and digits; hyphens are ignored (so a word hyphenated
 * at a line end matches). Exit 0 if all are found, 1 otherwise. */
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

/* Greedy subsequence match; returns the number of words not found and the
 * span of the PDF stream the match covered. */
static size_t match(const words *src, const words *pdf, size_t *span) {
    size_t j = 0, missing = 0, first = SIZE_MAX, last = 0;
    for (size_t i = 0; i < src->n; i++) {
        size_t k = j;
        while (k < pdf->n && strcmp(pdf->w[k], src->w[i]) != 0)
            k++;
        if (k == pdf->n) {
            missing++;
            if (missing <= 5)
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
        words ws = {0};
        rt_doc *doc = rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line,
                                        RT_MD_ARTICLE, &d);
        add_doc(&ws, doc);
        for (size_t k = 0; k < a->n_related; k++) {
            add_words(&ws, a->related[k].title);
            add_words(&ws, a->related[k].url);
        }
        words head = {0};
        add_words(&head, a->kicker);
        add_words(&head, a->title);
        add_words(&head, a->standfirst);
        add_words(&head, a->byline);
        for (size_t k = 0; k < a->n_images; k++) {
            add_words(&head, a->images[k].caption);
            add_words(&head, a->images[k].credit);
        }
        size_t span, hspan;
        size_t miss = match(&ws, &pdf, &span) + match(&head, &pdf, &hspan);
        /* body words must come close together: allow for folios, jump lines,
         * captions and continuation heads between them */
        size_t slack = ws.n / 4 + 80;
        if (miss || span > ws.n + slack) {
            fprintf(stderr, "  %s: %zu of %zu words missing, spread over %zu words\n", a->path,
                    miss, ws.n + head.n, span);
            bad = 1;
        }
        total += ws.n + head.n;
        free_words(&ws);
        free_words(&head);
        rt_doc_free(doc);
    }
    for (size_t i = 0; i < e->n_messages; i++) {
        const rt_message *m = &e->messages[i];
        if (m->status == RT_PAY_PENDING)
            continue;
        words ws = {0};
        rt_doc *doc = rt_markdown_parse(m->text, strlen(m->text), m->path, 1, RT_MD_MESSAGE, &d);
        add_doc(&ws, doc);
        add_words(&ws, m->from);
        size_t span;
        size_t miss = match(&ws, &pdf, &span);
        if (miss || span > ws.n + 40) {
            fprintf(stderr, "  %s: %zu of %zu words missing, spread over %zu words\n", m->path,
                    miss, ws.n, span);
            bad = 1;
        }
        total += ws.n;
        free_words(&ws);
        rt_doc_free(doc);
    }
    printf("%zu words checked against %zu words of PDF text\n", total, pdf.n);
    free_words(&pdf);
    rt_edition_free(e);
    return bad;
}
