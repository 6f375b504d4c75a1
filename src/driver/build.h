/* driver: runs the pipeline for one edition (load -> parse -> compose ->
 * render -> finish), writes the JSON report, and watches an edition for
 * changes. Not a stage itself: it only calls the stages in order, so that
 * main.c stays a command-line front end.
 */
#ifndef RT_DRIVER_BUILD_H
#define RT_DRIVER_BUILD_H

#include "../base/base.h"
#include "../compose/compose.h"
#include "../finish/finish.h"

/* What `watch` keeps from one build to the next (rt_build_opts.keep): the
 * fonts, the shaper with its shaped words, the paragraphs already typeset
 * (compose/memo.h; those the last build did not use are dropped), the font
 * programs embedded and the pages' operators compressed (render.h). A rebuild after an edit
 * typesets, subsets and compresses again only what changed. Zeroed to start; rt_build_keep_free at
 * the end. */
typedef struct {
    rt_fonts *fonts;
    rt_shaper *shaper;
    struct cmp_memo *memo;
    struct cmp_searches *searches; /* the page searches (compose/searches.h) */
    struct rt_render_memo *render;
} rt_build_keep;

void rt_build_keep_free(rt_build_keep *k);

typedef struct {
    const char *data_dir; /* holds layouts/ and fonts/ */
    const char *hyphen_dir;
    const char *output;    /* PDF path; NULL = check only */
    FILE *report;          /* the human summary (page by page, then problems), or NULL */
    FILE *stats;           /* typographic statistics (--stats), or NULL */
    bool marks;            /* print variant: bleed, crop marks, slug */
    int pdfx;              /* rt_pdfx_standard: RT_PDFX_1A (default), RT_PDFX_4, RT_PDFX_NONE */
    int jobs;              /* threads converting images, rendering split pages (0: one per
                              processor; 1: none beside the caller's, the images after the pages) */
    const char *split_dir; /* one PDF per page in this folder (NULL: one file) */
    const char *json;      /* --report: the JSON report's path, or NULL */
    const char *png_dir;   /* --png: one preview PNG per page in this folder, or NULL */
    double dpi;            /* of the previews (0: 100) */
    const char *flatplan;  /* `flatplan`: the flatplan's path (.png or .pdf), or NULL */
    bool allow_overset;    /* text that does not fit the pages is a warning, not an error */
    bool plan_debug;       /* print each page's chosen plan and its cost on stderr */
    const char *source_date_epoch; /* $SOURCE_DATE_EPOCH (read by main.c), or NULL: the
                                      PDF's dates, for reproducible builds */
    const char *fault;           /* tests only ($ROTATIVE_FAULT, read by main.c): "short-pdf" writes
                                    half of each PDF, which the read-back must catch; "kill" kills the
                                    process once a PDF's temporary is written (a crash mid-build);
                                    "short-memory-file" cuts qpdf's finished file short, which
                                    the finishing pass must catch before copying it; "jpeg-ink"
                                    takes every photograph written as JPEG as past the ink
                                    limit (it is deflated instead) */
    rt_plan_memory *memory;      /* watch mode: where the articles started last time, updated
                                    after each build that composed (NULL: none) */
    rt_image_cache *image_cache; /* finished image streams kept between builds (--cache DIR;
                                    NULL: --no-cache); its counters are added to */
    rt_build_keep *keep;         /* watch: kept between builds, or NULL */
} rt_build_opts;

/* Returns the exit status: 0 success, 1 errors in the input, 2 I/O. */
int rt_build_edition(const char *edition_path, const rt_build_opts *o, rt_diag *d);

/* Watch mode: builds, then rebuilds whenever a file of the edition, its
 * layout, articles, images or messages changes (inotify). A failed build
 * leaves the last good output in place. Progress goes to `log`. Stops after
 * `max_builds` builds when > 0 (scripts, tests); otherwise runs until
 * killed. Returns the last build's status. */
int rt_watch_edition(const char *edition_path, const rt_build_opts *o, int max_builds, FILE *log);

/* Finds the folder holding layouts/ and fonts/: `env` ($ROTATIVE_DATA, read
 * by main.c; NULL or empty: not set), then next to
 * the executable (source tree: ../.. from build/rel/; installed:
 * ../share/rotative), then the compiled-in prefix. Returns a new string or
 * NULL. */
char *rt_find_data_dir(const char *env, const char *argv0);

#endif
