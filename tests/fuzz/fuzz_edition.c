/* libFuzzer harness: the edition loader (rt_edition_load).
 *
 * Each input is written as issue.yaml in a private temporary folder that
 * also holds a tiny edition for it to reference:
 *
 *   articles/a.md, articles/b.md (b.md has images and related links),
 *   articles/bad.md (broken front matter), images/ (PNG, JPEG, fake and oversized),
 *   messages/m1.yaml, messages/m2.yaml, messages/m3-bad.yaml
 *
 * Layout names resolve in the repository's layouts/ ($ROTATIVE_FUZZ_ROOT or
 * the path compiled in with -DRT_FUZZ_ROOT). The input can also name itself
 * (`layout: issue.yaml`, `articles: [issue.yaml]`, `messages: .`), so the
 * layout, article and message loaders all see fuzzed bytes through it.
 *
 * Beyond crashes, leaks and undefined behaviour, the indices the edition
 * hands to later stages (lead, teasers) are checked to be in range. */
#include "fuzz_common.h"

#include "../../src/load/load.h"

static char *g_dir;
static char *g_path;    /* g_dir/issue.yaml */
static char *g_layouts; /* the repository's layouts/ */
static FILE *g_null;

static const char article_a[] = "---\n"
                                "title: \"Premier article\"\n"
                                "kicker: \"En bref\"\n"
                                "---\n"
                                "Un paragraphe *court*.\n";

static const char article_b[] = "---\n"
                                "title: \"Second article\"\n"
                                "standfirst: \"Un chapeau.\"\n"
                                "byline: \"La rédaction\"\n"
                                "section: \"Monde\"\n"
                                "language: en\n"
                                "images:\n"
                                "  - {file: ../images/pic.png, caption: \"Une image\", "
                                "credit: \"Photo\"}\n"
                                "  - {file: ../images/photo.jpg}\n"
                                "related:\n"
                                "  - {title: \"Lien\", url: \"https://example.org\"}\n"
                                "---\n"
                                "## Intertitre\n\nTexte.\n";

static const char article_bad[] = "---\ntitle: [unclosed\n---\nCorps.\n";

static const char message_1[] = "from: \"Section locale\"\n"
                                "text: |\n"
                                "  Bon courage à toute l'équipe !\n"
                                "format: \"1/16\"\n"
                                "contact: \"section@example.org\"\n"
                                "payment: {amount: 30, reference: \"R-1\", status: paid}\n";

static const char message_2[] = "from: \"Une lectrice\"\n"
                                "text: \"Merci *beaucoup*.\"\n"
                                "format: \"1/8\"\n"
                                "contact: \"lectrice@example.org\"\n"
                                "payment: {amount: 0, reference: \"R-2\", status: offered}\n"
                                "logo: logo.png\n";

static const char message_bad[] = "from: 12\ntext: [a]\n";

static void teardown(void) {
    fz_rmtree(g_dir);
    free(g_dir);
    free(g_path);
    free(g_layouts);
    if (g_null)
        fclose(g_null);
    g_dir = g_path = g_layouts = NULL;
    g_null = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (g_dir)
        return 0;
    g_null = fz_devnull();
    g_dir = fz_tmpdir();
    g_path = fz_join(g_dir, "issue.yaml");
    g_layouts = fz_join(fz_root(), "layouts");
    char *probe = fz_join(g_layouts, "tabloid.yaml");
    if (access(probe, R_OK) != 0) {
        fprintf(stderr, "fuzz_edition: no %s (set ROTATIVE_FUZZ_ROOT to the repository)\n",
                probe);
        abort();
    }
    free(probe);

    fz_mkdir(g_dir, "articles");
    fz_mkdir(g_dir, "images");
    fz_mkdir(g_dir, "messages");
    fz_write_text(g_dir, "articles/a.md", article_a);
    fz_write_text(g_dir, "articles/b.md", article_b);
    fz_write_text(g_dir, "articles/bad.md", article_bad);
    char *images = fz_join(g_dir, "images");
    fz_write_images(images);
    free(images);
    char *pic = fz_join(g_dir, "images/pic.png");
    fz_write(pic, fz_png, sizeof fz_png - 1);
    free(pic);
    char *messages = fz_join(g_dir, "messages");
    fz_write_images(messages);
    free(messages);
    fz_write_text(g_dir, "messages/m1.yaml", message_1);
    fz_write_text(g_dir, "messages/m2.yaml", message_2);
    fz_write_text(g_dir, "messages/m3-bad.yaml", message_bad);
    atexit(teardown);
    return 0;
}

static void check(const rt_edition *e) {
    if (!e->path || !e->dir)
        abort();
    if (e->n_entries ? (e->lead < 0 || (size_t)e->lead >= e->n_entries) : e->lead != -1)
        abort();
    for (size_t i = 0; i < e->n_teasers; i++)
        if (e->teasers[i] < 0 || (size_t)e->teasers[i] >= e->n_entries)
            abort();
    if (e->n_messages && !e->messages_dir)
        abort();
    for (size_t i = 0; i < e->n_messages; i++) {
        const rt_message *m = &e->messages[i];
        if (!m->from || !m->text || !m->format || !m->contact)
            abort();
        if (e->layout ? m->rate < 0 || (size_t)m->rate >= e->layout->n_rates : m->rate != -1)
            abort();
    }
}

/* The edition with stories of its reserve (every one, then every other):
 * each entry once, the front page's stories the same articles. */
static void check_reserve(const rt_edition *e) {
    for (int pass = 0; pass < 2 && e->n_reserve; pass++) {
        bool *take = calloc(e->n_reserve + 1, sizeof *take);
        int *from = calloc(e->n_entries + e->n_reserve + 1, sizeof *from);
        size_t n = 0;
        for (size_t r = 0; r < e->n_reserve; r++)
            n += take[r] = pass == 0 || r % 2 == 0;
        rt_edition *v = rt_edition_with_reserve(e, take, from);
        if (v->n_entries != e->n_entries + n || v->n_reserve != e->n_reserve - n)
            abort();
        int *seen = calloc(e->n_entries + e->n_reserve + 1, sizeof *seen);
        for (size_t i = 0; i < v->n_entries; i++) {
            int k = from[i] >= 0 ? from[i] : (int)e->n_entries - 1 - from[i];
            if (k < 0 || (size_t)k >= e->n_entries + e->n_reserve || seen[k]++)
                abort();
            const rt_entry *was = from[i] >= 0 ? &e->entries[from[i]] : &e->reserve[-1 - from[i]];
            if (v->entries[i].article != was->article)
                abort();
        }
        if (e->lead >= 0 && v->entries[v->lead].article != e->entries[e->lead].article)
            abort();
        for (size_t i = 0; i < e->n_teasers; i++)
            if (v->entries[v->teasers[i]].article != e->entries[e->teasers[i]].article)
                abort();
        free(seen);
        rt_edition_view_free(v);
        free(from);
        free(take);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    LLVMFuzzerInitialize(NULL, NULL);
    fz_write(g_path, data, size);
    rt_diag d;
    rt_diag_init(&d, g_null);
    rt_edition *e = rt_edition_load(g_path, g_layouts, &d);
    if (e) {
        check(e);
        check_reserve(e);
    }
    rt_edition_free(e);
    rt_diag_clear(&d);
    return 0;
}
