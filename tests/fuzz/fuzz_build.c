/* libFuzzer harness: the whole build, load -> parse -> compose -> render ->
 * finish, on mutated article and message text.
 *
 * The input is the body of an article (Markdown) and, after the first form
 * feed (\f), the text of a supporter message. The harness writes them into
 * a tiny edition of its own (an A6 layout of two columns derived from the
 * repository's layouts/a4.yaml, one article, one message) in a private
 * temporary folder ($TMPDIR: make fuzz puts it on tmpfs when it can), then
 * runs the stages as `rotative build` does: the fonts and the shaper are
 * made once and kept (they are what costs; the shaper is renewed every few
 * hundred inputs so that its cache stays small). When the input is
 * accepted, the PDF is rendered, finished as PDF/X-1a and read back with
 * qpdf: its page count must be the composition's. A render or finishing
 * failure must come with a reported error. Anything else aborts. */
#include "fuzz_common.h"

#include "../../src/compose/compose.h"
#include "../../src/driver/pdf.h"
#include "../../src/finish/finish.h"
#include "../../src/load/load.h"
#include "../../src/parse/parse.h"
#include "../../src/render/render.h"

#include <qpdf/qpdf-c.h>

static char *g_dir, *g_issue, *g_article, *g_message, *g_out, *g_layouts;
static FILE *g_null;
static rt_fonts *g_fonts;
static rt_shaper *g_shaper;
static unsigned long g_runs;
static rt_diag g_quiet; /* the shaper's own warnings (a missing hyphenation dictionary) */

static const char article_head[] = "---\n"
                                   "title: \"Un titre d'essai\"\n"
                                   "kicker: \"Essai\"\n"
                                   "standfirst: \"Un chapeau court.\"\n"
                                   "byline: \"Par la rédaction\"\n"
                                   "section: \"Belgique\"\n"
                                   "---\n";

static const char issue_yaml[] = "paper: \"La Gazette d'essai\"\n"
                                 "number: 7\n"
                                 "date: 2026-05-01\n"
                                 "price: 2\n"
                                 "language: fr\n"
                                 "layout: tiny.yaml\n"
                                 "front:\n"
                                 "  lead: articles/a.md\n"
                                 "articles:\n"
                                 "  - articles/a.md\n"
                                 "messages: messages\n";

static void teardown(void) {
    rt_shaper_free(g_shaper);
    rt_fonts_free(g_fonts);
    fz_rmtree(g_dir);
    free(g_dir);
    free(g_issue);
    free(g_article);
    free(g_message);
    free(g_out);
    free(g_layouts);
    if (g_null)
        fclose(g_null);
}

/* The fonts and the shaper, made once and renewed now and then: the
 * shaper's cache of shaped words and the fonts' list of sizes only grow. */
static void renew_fonts(void) {
    rt_shaper_free(g_shaper);
    g_shaper = NULL;
    if (g_runs % 4096 == 0 || !g_fonts) {
        rt_fonts_free(g_fonts);
        rt_diag d;
        rt_diag_init(&d, stderr);
        char *fonts = fz_join(fz_root(), "fonts");
        g_fonts = rt_fonts_new(fonts, &d);
        free(fonts);
        if (!g_fonts)
            abort();
    }
    g_shaper = rt_shaper_new(g_fonts, NULL, &g_quiet);
}

/* replaces the first line of `s` starting with `key` by `line` */
static char *set_line(char *s, const char *key, const char *line) {
    char *p = strstr(s, key);
    if (!p)
        fz_die("layouts/a4.yaml has no line", key);
    char *e = strchr(p, '\n');
    size_t head = (size_t)(p - s), tail = strlen(e);
    char *o = malloc(head + strlen(line) + tail + 1);
    if (!o)
        fz_die("out of memory", NULL);
    memcpy(o, s, head);
    strcpy(o + head, line);
    strcat(o, e);
    free(s);
    return o;
}

/* replaces every `from` in s by `to` */
static char *replace_all(char *s, const char *from, const char *to) {
    for (char *p; (p = strstr(s, from));) {
        size_t head = (size_t)(p - s), lf = strlen(from), lt = strlen(to);
        char *o = malloc(strlen(s) - lf + lt + 1);
        if (!o)
            fz_die("out of memory", NULL);
        memcpy(o, s, head);
        memcpy(o + head, to, lt);
        strcpy(o + head + lt, p + lf);
        free(s);
        s = o;
    }
    return s;
}

static bool run_one(const uint8_t *data, size_t size);

/* drops the `words:` of the languages other than French (the edition's):
 * less for the loader to read per input */
static char *only_french_words(char *s) {
    char *w = strstr(s, "\nwords:\n");
    if (!w)
        fz_die("layouts/a4.yaml has no line", "words:");
    char *p = w + strlen("\nwords:\n");
    while (*p == ' ') {
        char *e = strchr(p, '\n');
        e = e ? e + 1 : p + strlen(p);
        bool lang = p[0] == ' ' && p[1] == ' ' && p[2] != ' ';
        static bool keep;
        if (lang)
            keep = strncmp(p, "  fr:", 5) == 0;
        if (!keep) {
            memmove(p, e, strlen(e) + 1);
            continue;
        }
        p = e;
    }
    return s;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (g_dir)
        return 0;
    g_null = fz_devnull();
    g_dir = fz_tmpdir();
    g_layouts = fz_join(fz_root(), "layouts");
    /* an A6 page of two columns: one or two short pages per input */
    char *a4 = fz_join(g_layouts, "a4.yaml");
    size_t n;
    char *layout = rt_read_file(a4, 0, &n);
    if (!layout)
        fz_die("cannot read", a4);
    free(a4);
    layout = set_line(layout, "page:", "page: {width: 105mm, height: 148mm, bleed: 3mm}");
    layout =
        set_line(layout, "margins:", "margins: {top: 8mm, bottom: 8mm, inner: 8mm, outer: 8mm}");
    layout = set_line(layout, "columns:", "columns: {count: 2, gutter: 4mm}");
    layout = set_line(layout, "masthead:", "masthead: {height: 18mm}");
    layout = set_line(layout, "  masthead: ",
                      "  masthead:      {font: PT Serif, weight: bold, size: 20pt, leading: 20pt, "
                      "align: center}");
    /* three rows: a module must hold three lines of message text and the
     * signature (geometry.c), four would be too low on A6 */
    layout = set_line(layout, "  grid:", "  grid: {columns: 2, rows: 3}");
    layout = set_line(layout, "    \"1/2\":", "    \"1/2\":  {columns: 2, rows: 2, price: 190}");
    layout = set_line(layout, "    \"1/1\":", "    \"1/1\":  {columns: 2, rows: 3, price: 360}");
    /* one family: fewer font subsets to write per input */
    static const char *const families[] = {"font: PT Sans Narrow", "font: PT Sans",
                                           "font: EB Garamond", "font: Liberation Serif"};
    for (size_t i = 0; i < sizeof families / sizeof *families; i++)
        layout = replace_all(layout, families[i], "font: PT Serif");
    layout = only_french_words(layout);
    layout = replace_all(layout, "small_caps: true", "small_caps: false");
    layout = replace_all(layout, "weight: bold", "weight: regular");
    layout = replace_all(layout, "italic: true", "italic: false");
    fz_write_text(g_dir, "tiny.yaml", layout);
    free(layout);
    fz_write_text(g_dir, "issue.yaml", issue_yaml);
    fz_mkdir(g_dir, "articles");
    fz_mkdir(g_dir, "messages");
    g_issue = fz_join(g_dir, "issue.yaml");
    g_article = fz_join(g_dir, "articles/a.md");
    g_message = fz_join(g_dir, "messages/m1.yaml");
    g_out = fz_join(g_dir, "out.pdf");
    rt_diag_init(&g_quiet, g_null);
    renew_fonts();
    atexit(teardown);
    /* the tiny edition itself must build: a layout the loader came to
     * refuse (a new check) would stop every input at the load, fast and
     * useless */
    static const char probe[] = "Un court texte d'essai, pour voir.";
    if (!run_one((const uint8_t *)probe, sizeof probe - 1))
        fz_die("the tiny edition does not build (ROTATIVE_FUZZ_VERBOSE=1 says why)", g_issue);
    return 0;
}

/* A YAML block scalar holding `text`: every line indented. */
static void write_message(const uint8_t *t, size_t n) {
    FILE *f = fopen(g_message, "wb");
    if (!f)
        fz_die("cannot write", g_message);
    fputs("from: \"Section d'essai\"\ntext: |\n  ", f);
    for (size_t i = 0; i < n; i++) {
        fputc(t[i], f);
        if (t[i] == '\n')
            fputs("  ", f);
    }
    fputs("\nformat: \"1/8\"\ncontact: \"essai@example.org\"\n"
          "payment: {amount: 55, reference: \"E-1\", status: paid}\n",
          f);
    if (fclose(f) != 0)
        fz_die("cannot write", g_message);
}

static int pdf_pages(const char *path) {
    qpdf_data q = qpdf_init();
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int n = -1;
    if (!(qpdf_read(q, path, NULL) & QPDF_ERRORS))
        n = qpdf_get_num_pages(q);
    qpdf_cleanup(&q);
    return n;
}

/* True when the PDF was written and its page count checked. */
static bool build(rt_edition *e, rt_diag *d) {
    bool checked = false;
    rt_doc **docs = calloc(e->n_entries + 1, sizeof *docs);
    rt_doc **msg_docs = calloc(e->n_messages + 1, sizeof *msg_docs);
    if (!docs || !msg_docs)
        fz_die("out of memory", NULL);
    for (size_t i = 0; i < e->n_entries; i++) {
        rt_article *a = e->entries[i].article;
        if (a && a->body)
            docs[i] = rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line,
                                        RT_MD_ARTICLE, d);
    }
    for (size_t i = 0; i < e->n_messages; i++)
        if (e->messages[i].text)
            msg_docs[i] = rt_markdown_parse(e->messages[i].text, strlen(e->messages[i].text),
                                            e->messages[i].path, 1, RT_MD_MESSAGE, d);
    rt_compose_ctx ctx = {.shaper = g_shaper, .fonts = g_fonts};
    rt_composition *comp = d->errors ? NULL : rt_compose(e, docs, msg_docs, &ctx, d);
    if (comp)
        rt_compose_report_edition_missing(&ctx, e, d);
    else /* what a failed composition noted is not the next input's */
        free(rt_shaper_take_missing(g_shaper, &(size_t){0}));
    if (comp && !d->errors) {
        const rt_layout *l = e->layout;
        char *raw_pdf = NULL; /* in memory, as the driver renders it */
        size_t raw_len = 0;
        FILE *raw = open_memstream(&raw_pdf, &raw_len);
        if (!raw)
            fz_die("out of memory", NULL);
        rt_image_table placeholders = {0};
        rt_render_opts ro = {"t", "2026-05-01T00:00:00Z", 0, 0, &placeholders, true, NULL, false};
        int errors0 = d->errors;
        bool ok = rt_render_pdf(comp, l, raw, &ro, d);
        if (fclose(raw) != 0)
            fz_die("out of memory", NULL);
        if (!ok && d->errors == errors0)
            abort(); /* a failure must say why */
        if (ok) {
            /* no image cache, no prefetch, one thread per processor */
            rt_pdfx_opts px = {.standard = RT_PDFX_1A,
                               .trim_w = comp->width,
                               .trim_h = comp->height,
                               .bleed = comp->bleed,
                               .offset = comp->offset,
                               .title = "t",
                               .date = "2026-05-01",
                               .tac = l->ink_limit,
                               .grey_images = l->grey_images,
                               .placeholders = placeholders.paths,
                               .placeholder_ppi = placeholders.ppi,
                               .n_placeholders = placeholders.n,
                               .decoder = &rt_render_png_reader,
                               .decoder_version = rt_render_decoder_version()};
            errors0 = d->errors;
            rt_output *fin = rt_output_begin(g_out, d);
            if (!fin)
                fz_die("cannot write", g_out);
            ok = rt_pdfx_finish((const unsigned char *)raw_pdf, raw_len, fin, &px, d) == 0;
            if (ok && !rt_output_commit(fin, d))
                fz_die("cannot write", g_out);
            else if (!ok)
                rt_output_abort(fin);
            if (!ok && d->errors == errors0)
                abort();
            /* the file written holds every page composed */
            if (ok && pdf_pages(g_out) != (int)comp->n_pages) {
                fprintf(stderr, "fuzz_build: %d pages written, %zu composed\n", pdf_pages(g_out),
                        comp->n_pages);
                abort();
            }
            checked = ok;
        }
        free(raw_pdf);
        free(placeholders.paths);
        free(placeholders.ppi);
        unlink(g_out);
    }
    rt_composition_free(comp);
    for (size_t i = 0; i < e->n_entries; i++)
        rt_doc_free(docs[i]);
    for (size_t i = 0; i < e->n_messages; i++)
        rt_doc_free(msg_docs[i]);
    free(docs);
    free(msg_docs);
    return checked;
}

/* One input through the whole build; true if it got as far as the
 * read-back of the finished PDF. */
static bool run_one(const uint8_t *data, size_t size) {
    const uint8_t *ff = memchr(data, '\f', size);
    size_t body = ff ? (size_t)(ff - data) : size;
    FILE *f = fopen(g_article, "wb");
    if (!f || fwrite(article_head, 1, sizeof article_head - 1, f) != sizeof article_head - 1 ||
        (body && fwrite(data, 1, body, f) != body) || fclose(f) != 0)
        fz_die("cannot write", g_article);
    if (ff)
        write_message(ff + 1, size - body - 1);
    else
        write_message((const uint8_t *)"Bon courage !", 13);
    /* a fresh shaper now and then: its cache of shaped words stays small */
    if (++g_runs % 256 == 0)
        renew_fonts();
    rt_diag d; /* ROTATIVE_FUZZ_VERBOSE=1: the diagnostics on stderr, to see why */
    rt_diag_init(&d, getenv("ROTATIVE_FUZZ_VERBOSE") ? stderr : g_null);
    rt_edition *e = rt_edition_load(g_issue, g_layouts, &d);
    bool checked = false;
    if (e && !d.errors && e->layout)
        checked = build(e, &d);
    rt_edition_free(e);
    rt_diag_clear(&d);
    return checked;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    LLVMFuzzerInitialize(NULL, NULL);
    if (size > 16384) /* the loader's limits are another harness's; keep runs cheap */
        return 0;
    run_one(data, size);
    return 0;
}
