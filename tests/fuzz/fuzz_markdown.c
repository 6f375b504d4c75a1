/* libFuzzer harness: the Markdown stage (rt_markdown_parse), on each input
 * both as an article body (RT_MD_ARTICLE, starting at line 7 as after a
 * front matter) and as a supporter message (RT_MD_MESSAGE, line 2).
 *
 * Inputs that are not valid UTF-8 are first made so (invalid bytes become
 * U+FFFD): UTF-8 is the documented precondition, and every caller checks it.
 *
 * Beyond crashes, leaks and undefined behaviour, the documented shape of the
 * result (parse.h) is checked: a doc is always returned, span texts are never
 * NULL, links and only links carry a URL, list items have a marker and only
 * they and notes do, tables and only they carry a table, positions are at or
 * after the first line, no block is empty, and a message holds paragraphs
 * with emphasis only. */
#include "fuzz_common.h"

#include "../../src/parse/parse.h"

static FILE *g_null;

static void teardown(void) {
    if (g_null)
        fclose(g_null);
    g_null = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (g_null)
        return 0;
    g_null = fz_devnull();
    atexit(teardown);
    return 0;
}

/* The spans of a block or a table cell (the same contract). Unless an
 * error was reported, their text and addresses are valid UTF-8: the
 * composition decodes them without bounds (cmark-gfm once wrote &#65534;
 * as the single byte 0xFE). */
static void check_spans(const rt_span *spans, size_t n, rt_md_profile profile, bool clean,
                        bool *visible) {
    if (n && !spans)
        abort();
    const unsigned known =
        RT_SPAN_EM | RT_SPAN_STRONG | RT_SPAN_CODE | RT_SPAN_LINK | RT_SPAN_STRIKE | RT_SPAN_NOTE;
    for (size_t k = 0; k < n; k++) {
        const rt_span *s = &spans[k];
        if (!s->text)
            abort();
        if (((s->flags & RT_SPAN_LINK) != 0) != (s->url != NULL))
            abort();
        if (s->flags & ~known)
            abort();
        if (clean && (!rt_utf8_valid(s->text, strlen(s->text), NULL) ||
                      (s->url && !rt_utf8_valid(s->url, strlen(s->url), NULL))))
            abort();
        if (profile == RT_MD_MESSAGE &&
            (s->flags & (RT_SPAN_CODE | RT_SPAN_LINK | RT_SPAN_STRIKE | RT_SPAN_NOTE)))
            abort();
        for (const char *p = s->text; *p && !*visible; p++)
            *visible = *p != ' ';
    }
}

static void check(const rt_doc *doc, rt_md_profile profile, int first_line, bool clean) {
    if (!doc)
        abort(); /* "Always returns a doc (possibly empty)." */
    if (doc->n_blocks && !doc->blocks)
        abort();
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const rt_block *b = &doc->blocks[i];
        if (b->kind > RT_BLOCK_NOTE || b->line < first_line || b->col < 1)
            abort();
        /* list items have a marker; so has the first paragraph of a note */
        if (b->kind == RT_BLOCK_ITEM ? !b->marker : b->marker && b->kind != RT_BLOCK_NOTE)
            abort();
        bool in_list = b->kind == RT_BLOCK_ITEM || b->kind == RT_BLOCK_ITEM_CONT;
        if (in_list ? b->depth < 1 : b->depth != 0)
            abort();
        if (profile == RT_MD_MESSAGE && b->kind != RT_BLOCK_PARA)
            abort();
        if ((b->kind == RT_BLOCK_TABLE) != (b->table != NULL))
            abort();
        bool visible = false;
        check_spans(b->spans, b->n_spans, profile, clean, &visible);
        if (b->table) {
            const rt_table *t = b->table;
            if (b->n_spans || t->n_cols < 1 || !t->align || !t->cells || !t->row_line)
                abort();
            for (size_t c = 0; c < t->n_rows * (size_t)t->n_cols; c++) {
                bool v = false;
                check_spans(t->cells[c].spans, t->cells[c].n_spans, profile, clean, &v);
            }
            continue;
        }
        if (!visible && !b->marker)
            abort(); /* empty blocks are dropped */
    }
}

static void run(const uint8_t *data, size_t size, rt_md_profile profile, int first_line) {
    rt_diag d;
    rt_diag_init(&d, g_null);
    rt_doc *doc = rt_markdown_parse((const char *)data, size, "fuzz.md", first_line, profile, &d);
    check(doc, profile, first_line, d.errors == 0);
    rt_doc_free(doc);
    rt_diag_clear(&d);
}

/* parse.h takes UTF-8, and every caller passes validated text (the article
 * loader checks the whole file, yn_text_ok each message text), so an input
 * that is not UTF-8 is made so: each invalid byte becomes U+FFFD. Returns a
 * heap copy of exactly *len bytes (so ASan sees reads past the end). */
static char *as_utf8(const uint8_t *data, size_t size, size_t *len) {
    rt_buf b = {0};
    const char *s = (const char *)data;
    size_t i = 0, bad;
    while (i < size && !rt_utf8_valid(s + i, size - i, &bad)) {
        rt_buf_add(&b, s + i, bad);
        rt_buf_add(&b, "\xEF\xBF\xBD", 3);
        i += bad + 1;
    }
    rt_buf_add(&b, s + i, size - i);
    *len = b.len;
    char *text = rt_xmalloc(b.len ? b.len : 1);
    if (b.len)
        memcpy(text, b.data, b.len);
    rt_buf_free(&b);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    LLVMFuzzerInitialize(NULL, NULL);
    char *copy = NULL;
    if (!rt_utf8_valid((const char *)data, size, NULL)) {
        copy = as_utf8(data, size, &size);
        data = (const uint8_t *)copy;
    }
    run(data, size, RT_MD_ARTICLE, 7);
    run(data, size, RT_MD_MESSAGE, 2);
    free(copy);
    return 0;
}
