/* build: the pipeline driver. */
#include "build.h"
#include "pdf.h"
#include "report.h"
#include "reserve.h"

#include "../compose/compose.h"
#include "../finish/finish.h"
#include "../load/load.h"
#include "../parse/parse.h"
#include "../render/render.h"
#include "../compose/shape/shape.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef RT_DATADIR
#define RT_DATADIR "/usr/local/share/rotative"
#endif

static bool has_data(const char *dir) {
    char *l = rt_path_join(dir, "layouts");
    char *f = rt_path_join(dir, "fonts");
    bool ok = rt_dir_exists(l) && rt_dir_exists(f);
    free(l);
    free(f);
    return ok;
}

char *rt_find_data_dir(const char *env, const char *argv0) {
    if (env && *env)
        return rt_xstrdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 && argv0) {
        if (!realpath(argv0, exe))
            n = 0;
        else
            n = (ssize_t)strlen(exe);
    }
    if (n > 0) {
        exe[n] = '\0';
        char *dir = rt_path_dir(exe);
        static const char *const rel[] = {"../share/rotative", "../..", ".."};
        for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
            char *cand = rt_path_join(dir, rel[i]);
            if (has_data(cand)) {
                free(dir);
                return cand;
            }
            free(cand);
        }
        free(dir);
    }
    if (has_data(RT_DATADIR))
        return rt_xstrdup(RT_DATADIR);
    return NULL;
}

/* An output that is a file the build reads (the edition, its layout, an
 * article, an image, a message, a logo) would destroy it: refused before
 * anything is written. True if `out` is one (reported). */
static bool is_input(const rt_edition *e, const char *edition_path, const char *out,
                     const char *what, rt_diag *d) {
    if (!out)
        return false;
    const char *hit = NULL;
    if (rt_same_file(out, edition_path))
        hit = "the edition file";
    else if (e && e->layout && rt_same_file(out, e->layout->path))
        hit = "the layout";
    /* the articles, then the reserve (those of it not printed are still the
     * newsroom's) */
    for (size_t i = 0; e && !hit && i < e->n_entries + e->n_reserve; i++) {
        const rt_article *a =
            i < e->n_entries ? e->entries[i].article : e->reserve[i - e->n_entries].article;
        if (!a)
            continue;
        if (rt_same_file(out, a->path))
            hit = i < e->n_entries ? "an article" : "a story of the reserve";
        for (size_t k = 0; !hit && k < a->n_images; k++)
            if (rt_same_file(out, a->images[k].file))
                hit = "an image";
    }
    for (size_t i = 0; e && !hit && i < e->n_messages; i++) {
        if (rt_same_file(out, e->messages[i].path))
            hit = "a message";
        else if (rt_same_file(out, e->messages[i].logo))
            hit = "a logo";
    }
    if (e && !hit && e->messages_dir) {
        /* a message file that did not load is still the supporter's */
        char *dir = rt_path_dir(out);
        const char *slash = strrchr(out, '/');
        if (rt_same_file(dir, e->messages_dir) && rt_is_message_file(slash ? slash + 1 : out) &&
            rt_file_exists(out))
            hit = "a message";
        free(dir);
    }
    if (hit)
        rt_error(d, out, 0, 0,
                 "the %s would overwrite %s, which this build reads: nothing was written; choose "
                 "another name",
                 what, hit);
    return hit != NULL;
}

/* Every output of the build checked against every input; the page files
 * of --split and --png once the page count is known (`n_pages` > 0). */
static bool outputs_clash(const rt_edition *e, const char *edition_path, const rt_build_opts *o,
                          size_t n_pages, rt_diag *d) {
    bool bad = false;
    if (!n_pages) {
        bad |= is_input(e, edition_path, o->output, "output PDF", d);
        bad |= is_input(e, edition_path, o->json, "report", d);
        bad |= is_input(e, edition_path, o->flatplan, "flatplan", d);
        return bad;
    }
    for (size_t i = 0; i < n_pages && !bad; i++) {
        if (o->split_dir) {
            char *p = rt_driver_page_file(e, o->split_dir, i, "pdf");
            bad |= is_input(e, edition_path, p, "page PDF", d);
            free(p);
        }
        if (o->png_dir) {
            char *p = rt_driver_page_file(e, o->png_dir, i, "png");
            bad |= is_input(e, edition_path, p, "preview", d);
            free(p);
        }
    }
    return bad;
}

/* Writes one file atomically with `emit`; returns the exit status part. */
typedef bool (*emit_fn)(FILE *f, void *arg, rt_diag *d);

/* `pdf_pages` > 0: the file is a PDF of that many pages, checked on disk
 * before it is put in place. */
static int write_atomic(const char *path, emit_fn emit, void *arg, int pdf_pages, rt_diag *d) {
    rt_output *out = rt_output_begin(path, d);
    if (!out)
        return 2;
    if (!emit(rt_output_file(out), arg, d)) {
        rt_output_abort(out);
        return 2; /* the renderer's own failures (Cairo, the output), not the input's */
    }
    if (pdf_pages > 0 && (!rt_output_close(out, d) || !rt_pdf_verify(out, pdf_pages, d))) {
        rt_output_abort(out);
        return 2;
    }
    return rt_output_commit(out, d) ? 0 : 2;
}

typedef struct {
    const rt_composition *comp;
    const rt_layout *l;
    int page;
    double dpi;
    const char *date; /* a PDF's: the edition's (NULL: now) */
} png_job;

static bool emit_png(FILE *f, void *arg, rt_diag *d) {
    png_job *j = arg;
    return rt_render_png(j->comp, j->l, j->page, j->dpi, f, d);
}

static bool emit_pdf_plain(FILE *f, void *arg, rt_diag *d) {
    png_job *j = arg;
    rt_render_opts ro = {.create_date = j->date};
    return rt_render_pdf(j->comp, j->l, f, j->date ? &ro : NULL, d);
}

static bool emit_json(FILE *f, void *arg, rt_diag *d) {
    (void)d;
    rt_report_json(f, arg);
    return true;
}

/* One preview per page: <dir>/<paper>-<number>-p01.png ... (on one thread:
 * drawn on two, sharing Cairo's scaled fonts, a build aborted once in CI) */
static int write_pngs(const rt_edition *e, const rt_composition *comp, const rt_build_opts *o,
                      rt_diag *d) {
    if (!rt_driver_make_dir(o->png_dir, d))
        return 2;
    int status = 0;
    for (size_t i = 0; i < comp->n_pages && status == 0; i++) {
        char *path = rt_driver_page_file(e, o->png_dir, i, "png");
        png_job j = {comp, e->layout, (int)i + 1, o->dpi > 0 ? o->dpi : 100, NULL};
        status = write_atomic(path, emit_png, &j, 0, d);
        free(path);
    }
    return status;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int write_flatplan(const rt_edition *e, const rt_composition *comp, const rt_build_opts *o,
                          rt_compose_ctx *ctx, rt_diag *d) {
    rt_composition *fp = rt_flatplan(comp, e, ctx, d);
    if (!fp)
        return 1;
    /* a character of its own labels in no font: an error here, not left to a watch's next build */
    if (rt_compose_report_edition_missing(ctx, e, d)) {
        rt_composition_free(fp);
        return 1;
    }
    char date[32], ymd[16]; /* the same input, the same bytes */
    rt_driver_pdf_dates(e, o->source_date_epoch, date, ymd);
    png_job j = {fp, e->layout, 1, o->dpi > 0 ? o->dpi : 144, date};
    bool pdf = ends_with(o->flatplan, ".pdf");
    int status = write_atomic(o->flatplan, pdf ? emit_pdf_plain : emit_png, &j,
                              pdf ? (int)fp->n_pages : 0, d);
    rt_composition_free(fp);
    return status;
}

/* --stats: what the image cache did (counted over every build of a watch) */
static void print_cache_stats(FILE *f, const rt_image_cache *c) {
    if (!c)
        fprintf(f, "image cache: off\n");
    else if (c->unusable)
        fprintf(f, "image cache: off (cannot use %s)\n", c->dir);
    else
        fprintf(f, "image cache: %d read, %d converted, %d rejected, %d written, %d evicted (%s)\n",
                c->hits, c->misses + c->rejected, c->rejected, c->stored, c->evicted, c->dir);
}

static bool cache_knows(void *arg, const char *path) {
    return rt_image_cache_knows(arg, path);
}

static void cache_learn(void *arg, const char *path, int w, int h) {
    rt_image_cache_learn(arg, path, w, h);
}

void rt_build_keep_free(rt_build_keep *k) {
    rt_render_memo_free(k->render); /* (it holds the fonts' faces) */
    rt_compose_keep_free(k->memo);
    rt_compose_searches_free(k->searches);
    rt_shaper_free(k->shaper);
    rt_fonts_free(k->fonts);
    memset(k, 0, sizeof *k);
}

static bool prefetch_busy(void *arg) {
    return rt_image_prefetch_busy(arg);
}

int rt_build_edition(const char *edition_path, const rt_build_opts *o, rt_diag *d) {
    if (!rt_file_exists(edition_path)) {
        char *why = rt_read_problem(edition_path, errno, 0);
        rt_error(d, edition_path, 0, 0, "cannot read edition file: %s", why);
        free(why);
        return 2;
    }
    char *layouts = rt_path_join(o->data_dir, "layouts");
    char *fonts_dir = rt_path_join(o->data_dir, "fonts");
    /* the image cache knows the files decoded whole by an earlier build */
    double t_start = rt_clock_ms(), t_composed = 0;
    rt_image_known known = {cache_knows, cache_learn, o->image_cache};
    rt_image_check_known(o->image_cache ? &known : NULL);
    /* a build that writes a PDF decodes each PNG whole once, as it converts
     * it (on another thread, while the pages are made): load reads their
     * headers only, and a damaged one is reported where it is named, after */
    bool defer = (o->output || o->split_dir) && o->jobs != 1;
    rt_image_defer(defer);
    rt_edition *e = rt_edition_load(edition_path, layouts, d);
    rt_image_check_known(NULL);
    rt_pdf_target target = {.output = o->output,
                            .split_dir = o->split_dir,
                            .keep_draws = o->png_dir != NULL,
                            .pdfx = o->pdfx,
                            .jobs = o->jobs,
                            .source_date_epoch = o->source_date_epoch,
                            .fault = o->fault,
                            .image_cache = o->image_cache};
    if (o->keep && (o->output || o->split_dir)) {
        if (!o->keep->render)
            o->keep->render = rt_render_memo_new();
        rt_render_memo_next_build(o->keep->render);
        target.render_memo = o->keep->render;
    }
    rt_image_prefetch *prefetch = NULL;
    bool images_settled = false; /* every deferred image decoded, or reported */
    if (e && e->layout && !d->errors)
        prefetch = rt_driver_start_prefetch(e, &target);
    int status = 0;
    bool refused = false; /* an output names an input: nothing is written */
    rt_doc **docs = NULL, **msg_docs = NULL, **reserve_docs = NULL;
    rt_reserve_choice chosen = {0};
    const rt_edition *pe = e; /* the edition printed: e, or e with stories of its reserve */
    rt_doc **pdocs = NULL;    /* its entries' documents */
    rt_fonts *fonts = NULL;
    rt_shaper *shaper = NULL;
    rt_composition *comp = NULL;
    bool composed = false;
    if (outputs_clash(e, edition_path, o, 0, d)) {
        refused = true;
        status = 2;
        goto done;
    }
    if (!e) {
        status = 1;
        goto done;
    }
    docs = rt_xcalloc(e->n_entries + 1, sizeof *docs);
    pdocs = docs;
    for (size_t i = 0; i < e->n_entries; i++) {
        rt_article *a = e->entries[i].article;
        if (a && a->body)
            docs[i] = rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line,
                                        RT_MD_ARTICLE, d);
    }
    reserve_docs = rt_xcalloc(e->n_reserve + 1, sizeof *reserve_docs);
    for (size_t i = 0; i < e->n_reserve; i++) {
        rt_article *a = e->reserve[i].article;
        if (a && a->body)
            reserve_docs[i] = rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line,
                                                RT_MD_ARTICLE, d);
    }
    msg_docs = rt_xcalloc(e->n_messages + 1, sizeof *msg_docs);
    for (size_t i = 0; i < e->n_messages; i++) {
        rt_message *m = &e->messages[i];
        if (m->text)
            msg_docs[i] = rt_markdown_parse_at(m->text, strlen(m->text), m->path, m->text_mark.line,
                                               m->text_indent, RT_MD_MESSAGE, d);
    }
    for (size_t i = 0; i < e->n_entries; i++)
        if (!e->entries[i].article)
            status = 1;
    for (size_t i = 0; i < e->n_reserve; i++)
        if (!e->reserve[i].article)
            status = 1;
    if (d->errors || !e->layout) {
        status = 1;
        goto done;
    }
    if (o->keep && o->keep->fonts) {
        fonts = o->keep->fonts;
        shaper = o->keep->shaper;
        rt_shaper_set_diag(shaper, d);
    } else {
        fonts = rt_fonts_new(fonts_dir, d);
        if (!fonts) {
            status = 2;
            goto done;
        }
        shaper = rt_shaper_new(fonts, o->hyphen_dir, d);
        if (o->keep) {
            o->keep->fonts = fonts;
            o->keep->shaper = shaper;
        }
    }
    double t_loaded = rt_clock_ms();
    rt_compose_ctx ctx = {.shaper = shaper,
                          .fonts = fonts,
                          .marks = o->marks,
                          .allow_overset = o->allow_overset,
                          .plan_debug = o->plan_debug ? stderr : NULL,
                          .previous = o->memory,
                          .keep = o->keep ? &o->keep->memo : NULL,
                          .searches = o->keep ? &o->keep->searches : NULL,
                          .threads = o->jobs,
                          .watching = o->keep != NULL,
                          .busy = prefetch_busy,
                          .busy_arg = prefetch};
    /* with the stories of the reserve that fill what the copy leaves short:
     * from here on, the edition printed */
    comp = rt_reserve_compose(e, docs, reserve_docs, msg_docs, &ctx, d, &chosen);
    composed = comp != NULL;
    t_composed = rt_clock_ms();
    pe = chosen.e;
    pdocs = chosen.docs;
    /* a character no font has would print as an empty box: an error */
    if (comp && rt_compose_report_edition_missing(&ctx, pe, d))
        status = 1;
    if (comp && o->memory && !d->errors) {
        rt_plan_memory_set(o->memory, comp);
        for (size_t i = 0; i < o->memory->n; i++)
            for (size_t k = 0; k < pe->n_entries; k++)
                if (pe->entries[k].reserve && pe->entries[k].article &&
                    strcmp(pe->entries[k].article->path, o->memory->paths[i]) == 0)
                    o->memory->reserve[i] = true;
    }
    if (comp && o->stats)
        rt_report_stats(o->stats, comp);
    if (comp && outputs_clash(pe, edition_path, o, comp->n_pages, d)) {
        refused = true;
        status = 2;
        goto done;
    }
    if (comp && o->flatplan && !d->errors)
        status = write_flatplan(pe, comp, o, &ctx, d);
    if (!comp || d->errors) {
        status = 1;
        goto done;
    }
    if (status == 0 && (o->output || o->split_dir))
        status = rt_driver_write_pdf(pe, comp, &target, prefetch, d);
    if (status == 0 && o->png_dir)
        status = write_pngs(pe, comp, o, d);
    images_settled = rt_image_prefetch_settled(prefetch);
    /* every deferred PNG was decoded whole without fault: the cache knows
     * them, for a later `check` or --jobs 1 build */
    if (status == 0 && images_settled && o->image_cache)
        rt_image_deferred_each(cache_learn, o->image_cache);
    rt_image_prefetch_free(prefetch); /* its cache closed: the figures are final */
    prefetch = NULL;
    if (o->stats && (o->output || o->split_dir)) {
        print_cache_stats(o->stats, o->image_cache);
        if (o->keep && o->keep->render) {
            int ft, fm, pt, pm;
            long st, sm;
            rt_render_memo_counts(o->keep->render, &ft, &fm, &pt, &pm);
            rt_compose_searches_counts(o->keep->searches, &st, &sm);
            fprintf(o->stats,
                    "kept from the builds before: %d of %d fonts subset, %d of %d pages' "
                    "operators compressed, %ld of %ld page searches\n",
                    ft, ft + fm, pt, pt + pm, st, st + sm);
        }
        fprintf(o->stats,
                "time: %.0f ms loading and parsing, %.0f composing, %.0f writing the PDF (%.0f of "
                "it drawing the pages)\n",
                t_loaded - t_start, t_composed - t_loaded, target.pdf_ms, target.draw_ms);
    }
done:
    /* the build stopped before the images were decoded: their problems are
     * reported all the same, as `check` would */
    if (defer && !images_settled && rt_image_report_deferred(NULL, d) && status == 0)
        status = 1;
    if (status == 0 && e && comp && o->report) {
        rt_report_input in = {edition_path, o->output, status, pe, pdocs, comp, d};
        rt_report_summary(o->report, &in);
    }
    if (o->json && !refused) {
        /* written whatever happened (but a refused output): it says what went wrong */
        rt_report_input in = {edition_path,
                              status == 0 ? o->output : NULL,
                              status ? status : (d->errors ? 1 : 0),
                              pe,
                              pdocs,
                              comp,
                              d};
        int js = write_atomic(o->json, emit_json, &in, 0, d);
        if (status == 0)
            status = js;
    }
    rt_image_prefetch_free(prefetch);
    rt_image_defer(false);
    rt_composition_free(comp);
    if (e) {
        for (size_t i = 0; docs && i < e->n_entries; i++)
            rt_doc_free(docs[i]);
        for (size_t i = 0; reserve_docs && i < e->n_reserve; i++)
            rt_doc_free(reserve_docs[i]);
        for (size_t i = 0; msg_docs && i < e->n_messages; i++)
            rt_doc_free(msg_docs[i]);
    }
    rt_reserve_choice_free(&chosen);
    free(docs);
    free(reserve_docs);
    free(msg_docs);
    if (o->keep) {
        if (composed) { /* what this build did not use (one that stopped before compose used none)
                         */
            rt_compose_keep_sweep(o->keep->memo);
            rt_compose_searches_sweep(o->keep->searches);
        }
        if (shaper)
            rt_shaper_set_diag(shaper, NULL);
    } else {
        rt_shaper_free(shaper);
        rt_fonts_free(fonts);
    }
    rt_edition_free(e);
    free(layouts);
    free(fonts_dir);
    return status;
}
