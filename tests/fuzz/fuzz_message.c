/* libFuzzer harness: the supporter-message loader (rt_message_load).
 *
 * Message files come from the public, so this is the loader most exposed to
 * hostile input. Each input is written to msg.yaml in a private temporary
 * folder (the "messages folder", which also holds a few images so `logo:`
 * paths can succeed or fail in every way) and loaded three times: with the
 * tabloid layout (format checked against its rate card), with no layout, and
 * through rt_message_load_partial (the intake's entry point) with the layout.
 *
 * Beyond crashes, leaks and undefined behaviour, the documented contract of
 * load.h is checked: a usable message has every required field, a failed one
 * is left cleared, and with a layout the rate index is valid. */
#include "fuzz_common.h"

#include "../../src/load/load.h"

static char *g_dir;      /* the messages folder */
static char *g_path;     /* g_dir/msg.yaml */
static rt_layout *g_layout;
static FILE *g_null;

static void teardown(void) {
    fz_rmtree(g_dir);
    free(g_dir);
    free(g_path);
    rt_layout_free(g_layout);
    if (g_null)
        fclose(g_null);
    g_dir = g_path = NULL;
    g_layout = NULL;
    g_null = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (g_dir)
        return 0;
    g_null = fz_devnull();
    g_dir = fz_tmpdir();
    g_path = fz_join(g_dir, "msg.yaml");
    fz_write_images(g_dir);
    fz_mkdir(g_dir, "sub");
    char *sub = fz_join(g_dir, "sub");
    fz_write_images(sub);
    free(sub);
    /* a logo that is a symbolic link leaving the folder */
    char *link = fz_join(g_dir, "outside.png");
    char *target = fz_join(fz_root(), "layouts/tabloid.yaml");
    if (symlink(target, link) != 0)
        fz_die("cannot create", link);
    free(link);
    free(target);

    char *lp = fz_join(fz_root(), "layouts/tabloid.yaml");
    rt_diag d;
    rt_diag_init(&d, stderr);
    g_layout = rt_layout_load(lp, &d);
    if (!g_layout || d.errors) {
        fprintf(stderr, "fuzz_message: cannot load %s (set ROTATIVE_FUZZ_ROOT to the "
                        "repository)\n", lp);
        abort();
    }
    rt_diag_clear(&d);
    free(lp);
    atexit(teardown);
    return 0;
}

static void check(bool ok, const rt_message *m, const rt_diag *d, const rt_layout *layout) {
    if (ok) {
        if (!m->path || !m->from || !m->text || !m->format || !m->contact || d->errors)
            abort(); /* "usable" must mean complete and error-free */
        if (layout ? (m->rate < 0 || (size_t)m->rate >= layout->n_rates) : m->rate != -1)
            abort();
        if (m->text_mark.line < 1)
            abort();
        if (m->logo && (m->logo_w <= 0 || m->logo_h <= 0))
            abort();
    } else {
        /* "Returns false if the message is unusable; `out` is then freed." */
        if (m->path || m->from || m->text || m->format || m->contact || m->reference ||
            m->logo)
            abort();
        if (!d->errors)
            abort(); /* an unusable message is always reported */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    LLVMFuzzerInitialize(NULL, NULL);
    fz_write(g_path, data, size);
    bool with_layout = false;
    for (int pass = 0; pass < 2; pass++) {
        const rt_layout *layout = pass == 0 ? g_layout : NULL;
        rt_diag d;
        rt_diag_init(&d, g_null);
        rt_message m;
        bool ok = rt_message_load(g_path, g_dir, layout, &m, &d);
        check(ok, &m, &d, layout);
        rt_message_clear(&m);
        rt_diag_clear(&d);
        if (pass == 0)
            with_layout = ok;
    }
    /* the intake's entry point: what could be read stays in `m` either way,
     * and the caller always clears it */
    rt_diag d;
    rt_diag_init(&d, g_null);
    rt_message m;
    bool ok = rt_message_load_partial(g_path, g_dir, g_layout, &m, &d);
    if (ok != with_layout || !m.path)
        abort();
    if (ok)
        check(ok, &m, &d, g_layout);
    rt_message_clear(&m);
    rt_diag_clear(&d);
    return 0;
}
