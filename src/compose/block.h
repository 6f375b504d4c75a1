/* compose: one article as a block on the grid. Everything here is measured
 * first, by functions that draw nothing and return geometry (rows, lines and
 * their offsets inside the block); drawing takes that geometry and a place
 * on a page. Like mupdf's story API: measure into a rectangle, then draw.
 *
 *   body     cmp_build_flow: the body typeset once at the column measure,
 *            as a flow of grid rows for fill; cmp_draw_flow draws the part
 *            fill placed.
 *   header   cmp_measure_header (kicker, headline, standfirst, byline) or
 *            cmp_measure_continuation ("continued from", headline).
 *   figures  cmp_measure_figure: an image with its credit and caption.
 *   head     cmp_measure_block_head: header and figures arranged over the
 *            block's columns, with the row where each column's text starts.
 *
 * Ownership: every measured struct owns its typeset paragraphs; free it
 * with its _free function after drawing (or after deciding not to).
 */
#ifndef RT_COMPOSE_BLOCK_H
#define RT_COMPOSE_BLOCK_H

#include "table.h"
#include "text.h"
#include "fill/fill.h"

#define CMP_MAX_COLS RT_MAX_COLUMNS

/* ------------------------------------------------------------- the body */

typedef enum { FI_LINE, FI_SPACE, FI_RULE, FI_TABLE_ROW, FI_NOTE_RULE } fi_kind;

typedef struct {
    fi_kind kind;
    int para;           /* index into the article's tparas (FI_TABLE_ROW: into its tables) */
    size_t line;        /* FI_TABLE_ROW: the table's row (0: the header row) */
    double indent;      /* left indent (lists, quotes) */
    const char *marker; /* list marker on the first line of an item */
    const rt_style *marker_style;
} flow_item;

typedef struct {
    tpara *paras;
    size_t n_paras, cap_paras;
    cmp_table **tables; /* the body's tables (table.h), in order */
    size_t *table_el0;  /* the flow element of each one's header row */
    size_t n_tables, cap_tables, cap_el0;
    int span; /* the block's columns the table rows are set for (cmp_flow_for_span) */
    flow_item *items;
    rt_flow_el *els;
    int *where; /* page * 1000 + column of each placed element, for widow/orphan counts */
    size_t n, cap;
    size_t *lines_to; /* lines_to[i]: the text lines among items [0, i) (n + 1; cmp_flow_lines) */
} article_flow;

/* Typesets the article's body (and related box) at `width`. */
void cmp_build_flow(composer *c, const rt_article *a, const rt_doc *doc, double width,
                    article_flow *f);
void cmp_flow_free(article_flow *f);
/* The text lines (FI_LINE items) among items [from, to) of a built flow
 * (counted once, on the first call: the planner asks a million times). */
size_t cmp_flow_lines(article_flow *f, size_t from, size_t to);
/* The columns a block needs for the tables not placed yet, from flow
 * element `from` on (1 when none is wider than a column). */
int cmp_flow_min_span(const article_flow *f, size_t from);
/* Sets the rows of the tables for a block of `span` columns (those wider
 * than a column lie across it). Call before filling or drawing a block. */
void cmp_flow_for_span(composer *c, article_flow *f, int span);
/* Does cmp_flow_for_span leave the elements as they are at every span (no
 * table wider than a column)? */
bool cmp_flow_span_fixed(const article_flow *f);
/* Draws the placed flow items [from, to); col_map maps fill columns to
 * page columns. */
void cmp_draw_flow(composer *c, rt_page *pg, article_flow *f, const rt_flow_pos *pos, size_t from,
                   size_t to, const int *col_map);

/* ----------------------------------------------------------- the header */

typedef struct {
    cmp_lines part[4]; /* kicker, headline, standfirst, byline; or "continued from", headline */
    int rows;          /* grid rows it takes, the space below it included */
} cmp_header;

/* The header of an article's first piece across `span` columns; the
 * headline's size is the layout's for the span times `k`. */
void cmp_measure_header(composer *c, const rt_article *a, int span, bool lead, double k,
                        cmp_header *h);
/* The head of a continuation: "continued from page N" and the headline. */
void cmp_measure_continuation(composer *c, const rt_article *a, int from_page, int span,
                              cmp_header *h);
void cmp_draw_header(composer *c, rt_page *pg, const cmp_header *h, int row, int col0);
void cmp_header_free(cmp_header *h);

/* ---------------------------------------------------------- the figures */

typedef struct {
    const rt_image *im;
    int rows;    /* with credit and caption; 0: no room (nothing is drawn) */
    double w, h; /* the picture's box */
    double ppi;  /* its effective resolution (it covers the box, cropped) */
    cmp_lines credit, caption;
} cmp_figure;

/* An image across `span` columns, at most max_rows with its caption;
 * extra_rows makes it taller than its proportions (cropped at the sides). */
void cmp_measure_figure(composer *c, const rt_article *a, const rt_image *im, int span,
                        int max_rows, int extra_rows, cmp_figure *fig);
/* Draws it at `row` from `col0`; warns when it prints under the layout's
 * minimum resolution. */
void cmp_draw_figure(composer *c, rt_page *pg, const rt_article *a, const cmp_figure *fig, int row,
                     int col0);
void cmp_figure_free(cmp_figure *fig);

/* ------------------------------------------------------ the block's head */

#define CMP_MAX_FIGS 16

typedef struct {
    int span;
    bool lead;       /* the front page's lead (its headline style) */
    double headline; /* headline size factor (the story's role; 0: 1) */
    int continued;   /* a continuation from this page (0: the first piece) */
    int extra_rows;  /* the first image taller by this many rows (fills a band) */
    int img_max;     /* the first image at most this many rows with its caption (0: no cap) */
    int page_rows;   /* rows of the page's text area (images take at most a share of it) */
} cmp_head_opts;

typedef struct {
    cmp_head_opts o;
    cmp_header head;
    cmp_figure figs[CMP_MAX_FIGS];
    int fig_col[CMP_MAX_FIGS], fig_row[CMP_MAX_FIGS]; /* from the block's first column, top */
    size_t n_figs;
    int col_top[CMP_MAX_COLS]; /* row (from the block's top) where each column's text starts */
} cmp_block_head;

/* The header (or continuation head) and the figures of a block: the first
 * image over the whole block up to 3 columns, over all but the last column
 * from 4; further images one column wide, from the last column leftwards. */
void cmp_measure_block_head(composer *c, const rt_article *a, const cmp_head_opts *o,
                            cmp_block_head *bh);
void cmp_draw_block_head(composer *c, rt_page *pg, const rt_article *a, const cmp_block_head *bh,
                         int row, int col0);
void cmp_block_head_free(cmp_block_head *bh);

#endif
