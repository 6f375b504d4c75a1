/* libFuzzer harness: the Markdown stage (rt_markdown_parse), on each input
 * both as an article body (RT_MD_ARTICLE, starting at line 7 as after a
 * front matter) and as a supporter message (RT_MD_MESSAGE, line 2).
 *
 * Inputs that are not valid UTF-8 are skipped: the text's documented
 * precondition, which every caller checks.
 *
 * Beyond crashes, leaks and undefined behaviour, the documented shape of the
 * result (parse.h) is checked: a doc is always returned, span texts are never
 * NULL, links and only links carry a URL, list items and only they have a
 * marker, positions are at or after the first line, no block is empty, and a
 * message holds paragraphs with emphasis only. */
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

static void check(const rt_doc *doc, rt_md_profile profile, int first_line) {
    if (!doc)
        abort(); /* "Always returns a doc (possibly empty)." */
    if (doc->n_blocks && !doc->blocks)
        abort();
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const rt_block *b = &doc->blocks[i];
        if (b->kind > RT_BLOCK_ITEM_CONT || b->line < first_line || b->col < 1)
            abort();
        if ((b->kind == RT_BLOCK_ITEM) != (b->marker != NULL))
            abort();
        bool in_list = b->kind == RT_BLOCK_ITEM || b->kind == RT_BLOCK_ITEM_CONT;
        if (in_list ? b->depth < 1 : b->depth != 0)
            abort();
        if (profile == RT_MD_MESSAGE && b->kind != RT_BLOCK_PARA)
            abort();
        if (b->n_spans && !b->spans)
            abort();
        bool visible = false;
        for (size_t k = 0; k < b->n_spans; k++) {
            const rt_span *s = &b->spans[k];
            if (!s->text)
                abort();
            if (((s->flags & RT_SPAN_LINK) != 0) != (s->url != NULL))
                abort();
            if (s->flags & ~(unsigned)(RT_SPAN_EM | RT_SPAN_STRONG | RT_SPAN_CODE | RT_SPAN_LINK))
                abort();
            if (profile == RT_MD_MESSAGE && (s->flags & (RT_SPAN_CODE | RT_SPAN_LINK)))
                abort();
            for (const char *p = s->text; *p && !visible; p++)
                visible = *p != ' ';
        }
        if (!visible && !b->marker)
            abort(); /* empty blocks are dropped */
    }
}

static void run(const uint8_t *data, size_t size, rt_md_profile profile, int first_line) {
    rt_diag d;
    rt_diag_init(&d, g_null);
    rt_doc *doc = rt_markdown_parse((const char *)data, size, "fuzz.md", first_line, profile, &d);
    check(doc, profile, first_line);
    rt_doc_free(doc);
    rt_diag_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    LLVMFuzzerInitialize(NULL, NULL);
    /* parse.h takes UTF-8, and every caller passes validated text (the
     * article loader checks the whole file, yn_text_ok each message text):
     * other bytes are outside the contract. */
    if (!rt_utf8_valid((const char *)data, size, NULL))
        return 0;
    run(data, size, RT_MD_ARTICLE, 7);
    run(data, size, RT_MD_MESSAGE, 2);
    return 0;
}
