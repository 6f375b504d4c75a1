/* driver: the PDF output of a build. Renders the pages into memory, runs
 * the finishing pass (PDF/X) straight into the output's temporary, reads
 * the file back and puts it in place; starts the conversion of the
 * edition's images ahead, while the pages are composed. */
#include "pdf.h"

#include "../load/load.h"
#include "../render/render.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

/* The dates written into the PDF: the edition's, or SOURCE_DATE_EPOCH's
 * when it is set (reproducible builds). */
void rt_driver_pdf_dates(const rt_edition *e, const char *sde, char iso[32], char ymd[16]) {
    int y = e->year, m = e->month, dd = e->day;
    if (sde && *sde) {
        time_t t = (time_t)strtoll(sde, NULL, 10);
        struct tm tm;
        if (gmtime_r(&t, &tm)) {
            y = tm.tm_year + 1900;
            m = tm.tm_mon + 1;
            dd = tm.tm_mday;
        }
    }
    snprintf(iso, 32, "%04d-%02d-%02dT00:00:00Z", y, m, dd);
    snprintf(ymd, 16, "%04d-%02d-%02d", y, m, dd);
}

/* Closes a finished PDF's temporary, reads it back and puts it in place: a
 * file that does not hold `pages` pages is an internal error and never put
 * in place. */
static int commit_verified_pdf(rt_output *out, int pages, const char *fault, rt_diag *d) {
    if (!rt_output_close(out, d)) { /* reported by the close */
        rt_output_abort(out);
        return 2;
    }
    if (fault && strcmp(fault, "short-pdf") == 0) {
        struct stat st;
        if (stat(rt_output_tmp_path(out), &st) == 0 &&
            truncate(rt_output_tmp_path(out), st.st_size / 2) != 0)
            rt_error(d, rt_output_path(out), 0, 0, "ROTATIVE_FAULT: %s", strerror(errno));
    }
    if (fault && strcmp(fault, "kill") == 0)
        raise(SIGKILL);
    if (!rt_pdf_verify(out, pages, d)) {
        rt_output_abort(out);
        return 2;
    }
    return rt_output_commit(out, d) ? 0 : 2;
}

/* The colour settings, image decoder and cache of the PDF/X pass: what a
 * prefetch of the images is started with too. */
static rt_pdfx_opts pdfx_settings(const rt_edition *e, const rt_pdf_target *o) {
    return (rt_pdfx_opts){.standard = (rt_pdfx_standard)o->pdfx,
                          .icc_profile = e->layout->profile,
                          .tac = e->layout->ink_limit,
                          .grey_images = e->layout->grey_images,
                          .decoder = &rt_render_png_reader,
                          .decoder_version = rt_render_decoder_version(),
                          .cache = o->image_cache,
                          .threads = o->jobs};
}

static bool is_png_file(const char *path) {
    size_t len = strlen(path);
    return len > 4 && strcasecmp(path + len - 4, ".png") == 0;
}

/* Starts converting the edition's PNG images (articles' and logos), which
 * render draws as placeholders for the PDF/X pass to fill, while the pages
 * are composed. */
rt_image_prefetch *rt_driver_start_prefetch(const rt_edition *e, const rt_pdf_target *o) {
    if ((!o->output && !o->split_dir) || o->jobs == 1)
        return NULL;
    const char **paths = NULL;
    size_t n = 0, cap = 0;
    /* the reserve's too: printed or not, each is decoded whole once, as
     * `check` does (and the image cache learns only what was) */
    for (size_t i = 0; i < e->n_entries + e->n_reserve; i++) {
        const rt_article *a =
            i < e->n_entries ? e->entries[i].article : e->reserve[i - e->n_entries].article;
        for (size_t k = 0; a && k < a->n_images; k++)
            if (a->images[k].file && is_png_file(a->images[k].file))
                RT_PUSH(paths, n, cap, (const char *)a->images[k].file);
    }
    for (size_t i = 0; i < e->n_messages; i++)
        if (e->messages[i].logo && is_png_file(e->messages[i].logo))
            RT_PUSH(paths, n, cap, (const char *)e->messages[i].logo);
    rt_pdfx_opts px = pdfx_settings(e, o);
    rt_image_prefetch *pf = rt_image_prefetch_start(paths, n, &px, !o->split_dir);
    free(paths);
    return pf;
}

/* An image the finishing pass could not decode: load's check of it (which
 * the build left to that pass), reported where the edition names it. */
static bool locate_bad_image(void *arg, const char *path, rt_diag *d) {
    (void)arg;
    return rt_image_report_deferred(path, d);
}

/* Pages [first, last] (0, 0: all) rendered into memory, as the finishing
 * pass takes them. */
typedef struct {
    char *title;
    char *raw;
    size_t raw_len;
    rt_image_table placeholders;
    bool ok; /* rendered (a failure is reported) */
} rendered;

static void rendered_free(rendered *r) {
    free(r->title);
    free(r->raw);
    free(r->placeholders.paths);
    free(r->placeholders.ppi);
    memset(r, 0, sizeof *r);
}

static void render_range(const rt_edition *e, const rt_composition *comp, const rt_pdf_target *o,
                         const char *path, int first, int last, rendered *r, rt_diag *d) {
    char date[32], ymd[16];
    rt_driver_pdf_dates(e, o->source_date_epoch, date, ymd);
    memset(r, 0, sizeof *r);
    r->title = first ? rt_xasprintf("%s %d, page %d", e->paper, e->number, first)
                     : rt_xasprintf("%s %d", e->paper, e->number);
    rt_render_opts ro = {r->title,         date, first,          last,
                         &r->placeholders, true, o->render_memo, o->jobs == 1};
    FILE *rf = open_memstream(&r->raw, &r->raw_len);
    if (!rf) {
        rt_error(d, path, 0, 0, "cannot render: %s", strerror(errno));
        return;
    }
    r->ok = rt_render_pdf(comp, e->layout, rf, &ro, d);
    if (fclose(rf) != 0 && r->ok) {
        rt_error(d, path, 0, 0, "cannot render: %s", strerror(errno));
        r->ok = false;
    }
}

/* Finishes what render_range made (PDF/X, in memory, straight into the
 * output's temporary) and puts `path` in place once it reads back whole. */
static int finish_range(const rt_edition *e, const rt_composition *comp, const rt_pdf_target *o,
                        rt_image_prefetch *pf, const char *path, int first, int last, rendered *r,
                        rt_diag *d) {
    char date[32], ymd[16];
    rt_driver_pdf_dates(e, o->source_date_epoch, date, ymd);
    int status = 0;
    bool ok = r->ok;
    bool input_errors = d->errors > 0;
    rt_output *out = ok && !input_errors ? rt_output_begin(path, d) : NULL;
    if (out) {
        rt_pdfx_opts px = pdfx_settings(e, o);
        px.trim_w = comp->width;
        px.trim_h = comp->height;
        px.bleed = comp->bleed;
        px.offset = comp->offset;
        px.title = r->title;
        px.date = ymd;
        px.placeholders = r->placeholders.paths;
        px.placeholder_ppi = r->placeholders.ppi;
        px.n_placeholders = r->placeholders.n;
        px.prefetch = pf;
        px.bad_image = locate_bad_image;
        px.fault = o->fault;
        status =
            d->errors ? 1 : rt_pdfx_finish((const unsigned char *)r->raw, r->raw_len, out, &px, d);
        ok = status == 0;
    } else {
        /* rendering or the output failed (2), or the input had errors (1) */
        status = ok && input_errors ? 1 : 2;
        ok = false;
    }
    rendered_free(r);
    if (ok)
        status =
            commit_verified_pdf(out, first ? last - first + 1 : (int)comp->n_pages, o->fault, d);
    else
        rt_output_abort(out);
    return status;
}

static int write_pdf_range(const rt_edition *e, rt_composition *comp, rt_pdf_target *o,
                           rt_image_prefetch *pf, const char *path, int first, int last,
                           bool last_render, rt_diag *d) {
    rendered r;
    double t0 = rt_clock_ms();
    render_range(e, comp, o, path, first, last, &r, d);
    o->draw_ms += rt_clock_ms() - t0;
    if (last_render) /* nothing draws the pages again: their lists go before the images come */
        rt_composition_drop_draws(comp);
    return finish_range(e, comp, o, pf, path, first, last, &r, d);
}

/* --split on two threads: one renders the pages in order (Cairo), at most
 * SPLIT_AHEAD in front, while the caller finishes each (qpdf, the images) as
 * it comes. What rendering a page reports is kept and reported before its
 * finishing, so the messages come in the order of a build on one thread,
 * and the files are the same bytes. */
#define SPLIT_AHEAD 2
typedef struct {
    const rt_edition *e;
    const rt_composition *comp;
    const rt_pdf_target *o;
    size_t n;
    rendered *pages;
    rt_diag *logs;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t made;  /* pages rendered */
    size_t taken; /* pages the caller took to finish */
    bool stop;    /* a page failed: render no more */
} split_work;

static void *split_renderer(void *arg) {
    split_work *w = arg;
    for (size_t i = 0; i < w->n; i++) {
        pthread_mutex_lock(&w->lock);
        while (!w->stop && i >= w->taken + SPLIT_AHEAD)
            pthread_cond_wait(&w->changed, &w->lock);
        bool stop = w->stop;
        pthread_mutex_unlock(&w->lock);
        if (stop)
            break;
        char *path = rt_driver_page_file(w->e, w->o->split_dir, i, "pdf");
        render_range(w->e, w->comp, w->o, path, (int)i + 1, (int)i + 1, &w->pages[i], &w->logs[i]);
        free(path);
        pthread_mutex_lock(&w->lock);
        w->made = i + 1;
        if (!w->pages[i].ok)
            w->stop = true;
        pthread_cond_broadcast(&w->changed);
        pthread_mutex_unlock(&w->lock);
    }
    pthread_mutex_lock(&w->lock);
    w->stop = true; /* nothing more comes */
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static int write_split_threaded(const rt_edition *e, rt_composition *comp, const rt_pdf_target *o,
                                rt_image_prefetch *pf, rt_diag *d, bool *started) {
    size_t n = comp->n_pages;
    split_work w = {.e = e, .comp = comp, .o = o, .n = n};
    w.pages = rt_xcalloc(n + 1, sizeof *w.pages);
    w.logs = rt_xcalloc(n + 1, sizeof *w.logs);
    for (size_t i = 0; i < n; i++) {
        rt_diag_init(&w.logs[i], d->out);
        w.logs[i].silent = w.logs[i].keep = true;
    }
    pthread_mutex_init(&w.lock, NULL);
    pthread_cond_init(&w.changed, NULL);
    pthread_t th;
    *started = pthread_create(&th, NULL, split_renderer, &w) == 0;
    int status = 0;
    for (size_t i = 0; *started && i < n; i++) {
        pthread_mutex_lock(&w.lock);
        while (w.made <= i && !w.stop)
            pthread_cond_wait(&w.changed, &w.lock);
        bool have = w.made > i;
        pthread_mutex_unlock(&w.lock);
        if (!have)
            break; /* not rendered: a failure before it was reported */
        rt_diag_forward(d, &w.logs[i]);
        char *path = rt_driver_page_file(e, o->split_dir, i, "pdf");
        status = finish_range(e, comp, o, pf, path, (int)i + 1, (int)i + 1, &w.pages[i], d);
        free(path);
        pthread_mutex_lock(&w.lock);
        w.taken = i + 1;
        if (status != 0)
            w.stop = true;
        pthread_cond_broadcast(&w.changed);
        pthread_mutex_unlock(&w.lock);
        if (status != 0)
            break;
    }
    if (*started)
        pthread_join(th, NULL);
    for (size_t i = 0; i < n; i++) {
        rendered_free(&w.pages[i]);
        rt_diag_clear(&w.logs[i]);
    }
    free(w.pages);
    free(w.logs);
    pthread_cond_destroy(&w.changed);
    pthread_mutex_destroy(&w.lock);
    return status;
}

/* "Le Drapeau Rouge" -> "le-drapeau-rouge": ASCII letters and digits. */
static char *slug(const char *s) {
    rt_buf b = {0};
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp;
        int l = rt_utf8_decode((const char *)p, &cp);
        p += l;
        static const char *const from[] = {"àâä", "éèêë", "îï", "ôö", "ùûü", "ç"};
        static const char to[] = "aeiouc";
        char c = 0;
        if (cp < 128 && ((cp | 32) >= 'a' && (cp | 32) <= 'z'))
            c = (char)(cp | 32);
        else if (cp >= '0' && cp <= '9')
            c = (char)cp;
        else
            for (int k = 0; k < 6 && !c; k++) {
                char enc[5] = {0};
                rt_utf8_encode(cp, enc);
                if (cp >= 128 && strstr(from[k], enc))
                    c = to[k];
            }
        if (c) {
            if (dash && b.len)
                rt_buf_adds(&b, "-");
            rt_buf_add(&b, &c, 1);
            dash = false;
        } else {
            dash = true;
        }
    }
    return rt_buf_steal(&b);
}

/* The name of page `i`'s file in --split or --png: <paper>-<number>-p01.pdf */
char *rt_driver_page_file(const rt_edition *e, const char *dir, size_t i, const char *ext) {
    char *name = slug(e->paper);
    char *file = rt_xasprintf("%s-%d-p%02zu.%s", name, e->number, i + 1, ext);
    char *path = rt_path_join(dir, file);
    free(file);
    free(name);
    return path;
}

bool rt_driver_make_dir(const char *dir, rt_diag *d) {
    if (mkdir(dir, 0777) == 0 || (errno == EEXIST && rt_dir_exists(dir)))
        return true;
    rt_error(d, dir, 0, 0, "cannot create folder: %s", strerror(errno));
    return false;
}

static int write_pdf(const rt_edition *e, rt_composition *comp, rt_pdf_target *o,
                     rt_image_prefetch *pf, rt_diag *d) {
    if (!o->split_dir)
        return write_pdf_range(e, comp, o, pf, o->output, 0, 0, !o->keep_draws, d);
    /* one file per page, as many presses ask: <paper>-<number>-p01.pdf */
    if (!rt_driver_make_dir(o->split_dir, d))
        return 2;
    if (o->jobs != 1 && comp->n_pages > 1) {
        bool started = false;
        int status = write_split_threaded(e, comp, o, pf, d, &started);
        if (started)
            return status;
    }
    int status = 0;
    for (size_t i = 0; i < comp->n_pages && status == 0; i++) {
        char *path = rt_driver_page_file(e, o->split_dir, i, "pdf");
        status = write_pdf_range(e, comp, o, pf, path, (int)i + 1, (int)i + 1, false, d);
        free(path);
    }
    return status;
}

int rt_driver_write_pdf(const rt_edition *e, rt_composition *comp, rt_pdf_target *o,
                        rt_image_prefetch *pf, rt_diag *d) {
    double t0 = rt_clock_ms();
    int status = write_pdf(e, comp, o, pf, d);
    o->pdf_ms += rt_clock_ms() - t0;
    return status;
}
