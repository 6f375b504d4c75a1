/* compose: private declarations shared by the files of this stage. */
#ifndef RT_COMPOSE_INTERNAL_H
#define RT_COMPOSE_INTERNAL_H

#include "compose.h"
#include "../break/break.h"
#include "../fill/fill.h"

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
    double drop_w;      /* indent of the first drop_lines lines */
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
bool cmp_typeset_widths(composer *c, tpara *tp, const rt_span *spans, size_t n,
                        const rt_style *st, int lang, const double *widths, size_t n_widths,
                        double first_indent);
/* Typesets a body paragraph with a drop cap; false if it cannot have one
 * (the text does not start with a letter). */
bool cmp_typeset_drop(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                      int lang, double width);
/* Typesets a plain string. */
bool cmp_typeset_text(composer *c, tpara *tp, const char *text, const rt_style *st, int lang,
                      double width);
void cmp_tpara_free(tpara *tp);
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
void cmp_rule(rt_page *pg, double x1, double y1, double x2, double y2, double width, int color);

/* stats.c */
void cmp_stats_para(rt_text_stats *s, const tpara *tp);
/* The widest space ratio of a paragraph's justified lines (1 if none). */
double cmp_widest_space(const tpara *tp);

/* messages.c */
void cmp_messages(composer *c, rt_doc *const *msg_docs);

/* compose.c */
void cmp_init(composer *c, const rt_edition *e, rt_compose_ctx *ctx, rt_diag *d,
              rt_composition *out);
rt_page *cmp_new_page(composer *c);
double cmp_area_left(const composer *c, int page_number);
double cmp_row_top(const composer *c, int row);
double cmp_row_baseline(const composer *c, int row);
void cmp_page_head(composer *c, rt_page *pg, const char *title);
char *cmp_format_date(const rt_edition *e);

#endif
