/* compose: private declarations shared by the files of this stage. */
#ifndef RT_COMPOSE_INTERNAL_H
#define RT_COMPOSE_INTERNAL_H

#include "compose.h"
#include "break/break.h"
#include "fill/fill.h"

/* Font expansion for justified text: glyphs may be scaled horizontally by
 * up to ±2 % while choosing breaks (pdfTeX microtype's default range). */
#define RT_EXPANSION 0.02
/* Letter-spacing for justified text: a gap between two letters may widen by
 * up to 1.5 % of the em (0.135 pt in 9 pt type), only on lines whose spaces
 * widen too. It spreads a loose line's white space over the letters instead
 * of pooling it between words. */
#define RT_TRACKING 0.015

/* A paragraph shaped and broken for one measure. */
typedef struct {
    rt_para *para;
    rt_lines lines;
    const rt_style *style;
    double width;
    /* drop cap (first paragraph of an article, when the layout asks); its
     * runs belong to the composition */
    const rt_run *drop; /* the initial, drawn with no text of its own */
    int drop_lines;
    double drop_w; /* indent of the first drop_lines lines */
} tpara;

typedef struct {
    const rt_edition *e;
    const rt_layout *l;
    rt_compose_ctx *ctx;
    rt_diag *d;
    rt_composition *out;
    double B;      /* grid step */
    int rows;      /* grid rows in the text area */
    double col_w;  /* column width */
    double area_w; /* text area width */
    rt_break_params bp;
} composer;

/* text.c */
rt_font *cmp_font(composer *c, const rt_style *st, unsigned span_flags);
/* Typesets spans (rt_span from parse) in style `st` at `width`. `first_indent`
 * < 0 means the style's indent. Returns false if there is no text. */
bool cmp_typeset(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                 int lang, double width, double first_indent);
/* The same with a measure per line (the last repeats). */
bool cmp_typeset_widths(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                        int lang, const double *widths, size_t n_widths, double first_indent);
/* Typesets a body paragraph with a drop cap; false if it cannot have one
 * (the text does not start with a letter). */
bool cmp_typeset_drop(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                      int lang, double width);
/* True when a link's text is its address (then the address is not added). */
bool cmp_link_shows_url(const char *text, const char *url);
/* Typesets a plain string. */
bool cmp_typeset_text(composer *c, tpara *tp, const char *text, const rt_style *st, int lang,
                      double width);
void cmp_tpara_free(tpara *tp);
/* Lines of tp wider than their measure. */
int cmp_overfull_lines(const tpara *tp);
/* How line `li` is set: the adjustment applied to its glue and to its glyph
 * boxes (font expansion). Glyphs never go past their ±2 % range; when a line
 * needs more, the spaces take the rest. Shared by drawing and statistics. */
void cmp_line_adjust(const tpara *tp, size_t li, double *glue_r, double *box_r);
/* Draws line `i` of tp with its left edge at x and its baseline at y. */
void cmp_draw_line(composer *c, rt_page *pg, const tpara *tp, size_t i, double x, double y);
/* Draws every line, first baseline at y, `leading` apart. Returns the y of
 * the last baseline. */
double cmp_draw_lines(composer *c, rt_page *pg, const tpara *tp, double x, double y,
                      double leading);
/* Draws a single-line string; align left/center/right within [x, x+w]. */
void cmp_draw_string(composer *c, rt_page *pg, const char *text, const rt_style *st, int lang,
                     double x, double w, double baseline, rt_align align);
double cmp_string_width(composer *c, const char *text, const rt_style *st, int lang);

rt_draw *cmp_push(rt_page *pg, rt_draw d);
/* A rectangle: stroked `width` wide, or filled when width is 0. */
void cmp_frame(rt_page *pg, double x, double y, double w, double h, double width, int color);
void cmp_rule(rt_page *pg, double x1, double y1, double x2, double y2, double width, int color);

/* stats.c */
/* The space ratio of line li (set width of its spaces / natural), 0 for a
 * line that is not justified (ragged, last) or has no spaces. */
double cmp_space_ratio(const tpara *tp, size_t li);
void cmp_stats_para(rt_text_stats *s, const tpara *tp);
/* The widest space ratio of a paragraph's justified lines (1 if none). */
double cmp_widest_space(const tpara *tp);

/* messages.c */
/* Packs the messages not `taken` (may be NULL) on message pages. */
void cmp_messages(composer *c, rt_doc *const *msg_docs, const bool *taken);
/* Fills the recorded gaps of article pages: small messages where they fit
 * (marked in `taken`, may be NULL: none), the call for messages elsewhere. */
void cmp_fill_gaps(composer *c, rt_doc *const *msg_docs, bool *taken);
/* How many message pages the edition's messages need. */
int cmp_message_pages(composer *c);

/* block.c: an article's body as a flow of grid rows */
typedef enum { FI_LINE, FI_SPACE, FI_RULE, FI_TABLE_ROW, FI_NOTE_RULE } fi_kind;

typedef struct {
    fi_kind kind;
    int para;           /* index into the article's tparas (FI_TABLE_ROW: into its tables) */
    size_t line;        /* FI_TABLE_ROW: the table's row (0: the header row) */
    double indent;      /* left indent (lists, quotes) */
    const char *marker; /* list marker on the first line of an item */
    const rt_style *marker_style;
} flow_item;

typedef struct cmp_table cmp_table;

typedef struct {
    tpara *paras;
    size_t n_paras, cap_paras;
    cmp_table **tables; /* the body's tables, in order (table.c) */
    size_t n_tables, cap_tables;
    int span; /* the block's columns the rows are measured for (cmp_flow_for_span) */
    flow_item *items;
    rt_flow_el *els;
    int *where; /* page * 1000 + column of each placed element, for widow/orphan counts */
    size_t n, cap;
} article_flow;

int cmp_rows_for(const composer *c, double h);
void cmp_flow_push(article_flow *f, flow_item it, rt_flow_el el);
/* Typesets the article's body (and related box) at `width`. */
void cmp_build_flow(composer *c, const rt_article *a, const rt_doc *doc, double width,
                    article_flow *f);
void cmp_flow_free(article_flow *f);
/* Draws the placed flow items [from, to); col_map maps fill columns to
 * page columns. */
void cmp_draw_flow(composer *c, rt_page *pg, article_flow *f, const rt_flow_pos *pos, size_t from,
                   size_t to, const int *col_map);
/* table.c: a GFM table in an article's flow. A table is measured (its
 * geometry: column widths, typeset cells, rows on the grid) without being
 * drawn, then drawn from that geometry. One that fits a column flows like
 * text, a row never split, its header row repeated at the top of each
 * column it continues in; one that needs more lies across the whole block
 * (rt_flow_el.span_all), measured again for each block width. */
/* Measures the table of block b and adds its rows to the flow (and its
 * spaces); a table too wide for the widest block is reported at its line
 * and left out. */
void cmp_table_flow(composer *c, const rt_article *a, const rt_block *b, article_flow *f);
/* The columns a block needs for the tables not yet placed from flow
 * element `from` on (1 when none is wider than a column). */
int cmp_flow_min_span(const article_flow *f, size_t from);
/* Sets the rows of the tables that lie across the block for a block of
 * `span` columns (measuring them at that width once). Call before filling
 * or drawing a block. */
void cmp_flow_for_span(composer *c, article_flow *f, int span);
/* Draws table row element `i` (its header repeated above it when
 * pos->head) with the block's left edge at x. */
void cmp_table_draw_row(composer *c, rt_page *pg, const article_flow *f, size_t i,
                        const rt_flow_pos *pos, double x);
void cmp_table_free(cmp_table *t);

/* Header of an article (kicker, headline, standfirst, byline) across
 * `span` columns from `col0`, starting at `row`. Returns the rows used. */
int cmp_draw_header(composer *c, rt_page *pg, const rt_article *a, int row, int col0, int span,
                    bool lead);
/* An image across `span` columns at `row`, at most max_rows with its
 * caption; returns the rows it takes (0: no room). extra_rows makes it
 * taller than its proportions (it is cropped at the sides). `quiet`: no
 * warnings (measuring). */
int cmp_draw_image(composer *c, rt_page *pg, const rt_article *a, const rt_image *im, int row,
                   int col0, int span, int max_rows, int extra_rows, bool quiet);

/* plan.c: the page planner */
typedef struct planner planner;
/* Builds every article's flow; the lead first, then sections in order. */
planner *cmp_planner_new(composer *c, rt_doc *const *docs);
/* Tiles the region [col0, col0+ncols) x [top, bottom) of pg with blocks
 * of the waiting articles; returns the first row it left empty. */
int cmp_planner_fill(planner *P, rt_page *pg, int col0, int ncols, int top, int bottom);
bool cmp_planner_done(const planner *P);
/* Reports what was not placed (overset, impossible pins). */
void cmp_planner_report(planner *P, int last_page, bool allow_overset);
/* Adds each article's statistics to the composition, frees. */
void cmp_planner_free(planner *P);
/* Records a gap of an article page (filled by cmp_fill_gaps). */
void cmp_house_box(composer *c, rt_page *pg, int col0, int span, int top, int bottom);

/* compose.c */
double cmp_col_x(const composer *c, const rt_page *pg, int col);
void cmp_init(composer *c, const rt_edition *e, rt_compose_ctx *ctx, rt_diag *d,
              rt_composition *out);
rt_page *cmp_new_page(composer *c);
double cmp_area_left(const composer *c, int page_number);
double cmp_row_top(const composer *c, int row);
double cmp_row_baseline(const composer *c, int row);
void cmp_page_head(composer *c, rt_page *pg, const char *title);
char *cmp_format_date(const rt_edition *e);

#endif
