/* compose, bottom layer: the composer's setup, the column grid, pages and
 * the drawing primitives every other file of compose builds on. Nothing here
 * calls another file of compose.
 *
 * Layers (each file calls only the layers below it):
 *   grid.c                      setup, geometry, pages, draw-list primitives
 *   memo.c                      strings already typeset (text.c keeps them there)
 *   text.c, stats.c             typesetting (kernels shape + break), statistics
 *   block.c                     an article block: flow, header, figures (measure, then draw)
 *   piece.c, page.c             a story's pieces; a page's candidate plans
 *   searches.c, pool.c          a page's search (kept from build to build in watch mode);
 *                               the planner's second thread
 *   plan.c, messages.c          the page planner; supporter messages
 *   design.c, order.c           passes over the finished pages: design figures; reading-order marks
 *   compose.c, flatplan.c       the edition (front page, folios, house pages); the flatplan
 *
 * Ownership: a composer borrows everything it points to; pages belong to
 * the composition (`out`), draw items point into runs owned by the shaper or
 * by the composition (rt_composition.runs).
 */
#ifndef RT_COMPOSE_GRID_H
#define RT_COMPOSE_GRID_H

#include "compose.h"
#include "break/break.h"

#include <pthread.h>

struct cmp_memo; /* memo.c: plain strings already typeset */

typedef struct {
    const rt_edition *e;
    const rt_layout *l;
    rt_compose_ctx *ctx;
    rt_diag *d;          /* never NULL (cmp_init gives a sink when the caller has none) */
    rt_composition *out; /* may be NULL when only measuring (message fits) */
    double B;            /* grid step */
    int rows;            /* grid rows in the text area */
    double col_w;        /* column width */
    double area_w;       /* text area width */
    bool roomy_photos;   /* the planner spreads stories with room to spare: a photo may
                            grow by its whole height to fill its block, not half */
    rt_break_params bp;
    rt_diag sink; /* diagnostics nobody reads, for a composer made without them */
    /* the source of the text being typeset (an article: its path and the
     * paragraph's line and column), for warnings about words cut by force;
     * NULL: no warnings */
    const char *src;
    int src_line, src_col;
    /* the memo of typeset strings (memo.c; headers, captions: the planner
     * measures the same ones at the same widths again and again), freed by
     * cmp_done through memo_free */
    struct cmp_memo *memo;
    void (*memo_free)(struct cmp_memo *m);
    /* a copy of the composer that measures on the planner's second thread
     * (pool.h): the memo of the composer it copies; NULL: its own */
    struct cmp_memo **memo_home;
    /* while the planner works on two threads (pool.h): held while the
     * memo, the words already warned about or the composition's list of
     * runs are read or changed; NULL: one thread */
    pthread_mutex_t *share_lock;
    bool quiet; /* a page search: no warnings (they come when the page is drawn) */
    /* the layout's file and the edition's, fingerprinted for the page
     * searches kept in watch mode (searches.c; layout_fp_set: made) */
    uint64_t layout_fp[2];
    bool layout_fp_set;
    int search_tag; /* the page count being tried, for the searches kept (cmp_searches_tag) */
} composer;

static inline void cmp_share_lock(composer *c) {
    if (c->share_lock)
        pthread_mutex_lock(c->share_lock);
}
static inline void cmp_share_unlock(composer *c) {
    if (c->share_lock)
        pthread_mutex_unlock(c->share_lock);
}

/* `d` and `out` may be NULL (measuring only). */
void cmp_init(composer *c, const rt_edition *e, rt_compose_ctx *ctx, rt_diag *d,
              rt_composition *out);
/* Frees what cmp_init allocated (the sink's messages). */
void cmp_done(composer *c);

/* ------------------------------------------------------------- geometry */

/* x of the text area's left edge on page `page_number` (inner margin on the
 * left of odd pages). */
double cmp_area_left(const composer *c, int page_number);
double cmp_row_top(const composer *c, int row);
/* The baseline of a line set in grid row `row`. */
double cmp_row_baseline(const composer *c, int row);
double cmp_col_x(const composer *c, const rt_page *pg, int col);
/* Width of `span` columns with their gutters. */
double cmp_span_w(const composer *c, int span);
/* Grid rows that hold a height of h points. */
int cmp_rows_for(const composer *c, double h);

/* ---------------------------------------------------------------- pages */

rt_page *cmp_new_page(composer *c);
/* Records a gap of an article page (filled with small messages or a house
 * box at the end); gaps under a line and a half are not worth it. */
void cmp_house_box(composer *c, rt_page *pg, int col0, int span, int top, int bottom);
/* The edition's date in its language ("1er mai 2026"). New string. */
char *cmp_format_date(const rt_edition *e);

/* ----------------------------------------------------- draw primitives */

rt_draw *cmp_push(rt_page *pg, rt_draw d);
/* A rectangle: stroked `width` wide, or filled when width is 0. */
void cmp_frame(rt_page *pg, double x, double y, double w, double h, double width, int color);
void cmp_rule(rt_page *pg, double x1, double y1, double x2, double y2, double width, int color);

#endif
