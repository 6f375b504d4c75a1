/* compose: typesetting helpers. Spans (from parse) are shaped (kernel
 * shape) and broken into lines (kernel break); the lines are then drawn onto
 * a page's draw list. Measuring a paragraph (cmp_typeset*) never draws;
 * drawing takes the measured paragraph.
 *
 * Ownership: a tpara owns its rt_para and rt_lines (cmp_tpara_free), except
 * one from cmp_typeset or cmp_typeset_text, which shares them with the
 * composer's memo (memo.h) until cmp_done (tpara.shared); the runs its items point to belong to the
 * shaper, except a drop cap's, which belong to the composition.
 */
#ifndef RT_COMPOSE_TEXT_H
#define RT_COMPOSE_TEXT_H

#include "grid.h"

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
    /* para and lines belong to the composer's memo of typeset paragraphs
     * (cmp_typeset, cmp_typeset_text): read them, never change them; cmp_tpara_free
     * leaves them alone */
    bool shared;
} tpara;

/* Lines measured inside a box: the paragraph, where its first baseline
 * sits below the box's top, and the distance between baselines. */
typedef struct {
    tpara tp;
    bool set; /* false: nothing to draw */
    double base, leading;
} cmp_lines;

/* The memo of typeset strings composer c uses (the edition's, kept from
 * build to build in watch mode, or its own): what a copy of the composer
 * working on another thread shares (pool.h). */
struct cmp_memo **cmp_memo_of(composer *c);

rt_font *cmp_font(composer *c, const rt_style *st, unsigned span_flags);
/* Typesets spans (rt_span from parse) in style `st` at `width`. `first_indent`
 * < 0 means the style's indent. Returns false if there is no text. The
 * result is shared with the composer's memo (read-only, valid until
 * cmp_done; in watch mode the memo is kept from build to build). */
bool cmp_typeset(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                 int lang, double width, double first_indent);
/* The same with a measure per line (the last repeats), never memoized: the
 * result is the caller's to change. */
bool cmp_typeset_widths(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                        int lang, const double *widths, size_t n_widths, double first_indent);
/* Typesets a body paragraph with a drop cap; false if it cannot have one
 * (the text does not start with a letter). */
bool cmp_typeset_drop(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                      int lang, double width);
/* Typesets a plain string. The result is shared with the composer's memo
 * (read-only, valid until cmp_done): the planner measures the same headers
 * for every plan it tries. */
bool cmp_typeset_text(composer *c, tpara *tp, const char *text, const rt_style *st, int lang,
                      double width);
/* Typesets a single-line string to be drawn aligned within a width `w`;
 * *dx is its offset from the left edge. */
bool cmp_typeset_string(composer *c, tpara *tp, const char *text, const rt_style *st, int lang,
                        double w, rt_align align, double *dx);
void cmp_tpara_free(tpara *tp);
/* Breaks tp again into as many lines, at the same measures, so that none of
 * lines[0..n) ends with a hyphen (the last line of a column whose paragraph
 * goes on in the next one). True if it could (tp is then its own, no longer
 * shared with the memo); false leaves tp as it was. */
bool cmp_rebreak_unhyphenated(composer *c, tpara *tp, const size_t *lines, size_t n);
/* The space ratio of line li (set width of its spaces / natural), 0 for a
 * line that is not justified (ragged, last) or has no spaces. */
double cmp_space_ratio(const tpara *tp, size_t li);
/* Lines of tp wider than their measure. */
int cmp_overfull_lines(const tpara *tp);
/* True when a link's text is its address (then the address is not added). */
bool cmp_link_shows_url(const char *text, const char *url);
/* The baseline of the last of n lines, the first at y, `leading` apart. */
double cmp_last_baseline(double y, size_t n, double leading);
/* How line `li` is set: the adjustment applied to its glue and to its glyph
 * boxes (font expansion). Glyphs never go past their ±2 % range; when a line
 * needs more, the spaces take the rest. Shared by drawing and statistics. */
void cmp_line_adjust(const tpara *tp, size_t li, double *glue_r, double *box_r);
/* Draws line `i` of tp with its left edge at x and its baseline at y. */
void cmp_draw_line(composer *c, rt_page *pg, const tpara *tp, size_t i, double x, double y);
/* The right edge of a drawn run (RT_DRAW_RUN): its advance, scaled, with its letter-spacing. */
double cmp_run_right(const rt_draw *d);
/* Draws every line, first baseline at y, `leading` apart. Returns the y of
 * the last baseline. */
double cmp_draw_lines(composer *c, rt_page *pg, const tpara *tp, double x, double y,
                      double leading);
/* Draws measured lines in a box whose top left is (x, top). */
void cmp_draw_box_lines(composer *c, rt_page *pg, const cmp_lines *ls, double x, double top);
void cmp_lines_free(cmp_lines *ls);
/* Draws a single-line string; align left/center/right within [x, x+w]. */
void cmp_draw_string(composer *c, rt_page *pg, const char *text, const rt_style *st, int lang,
                     double x, double w, double baseline, rt_align align);
double cmp_string_width(composer *c, const char *text, const rt_style *st, int lang);

/* problems.c: where needle[0..n) first occurs in the file at `path` (ASCII
 * case ignored if it is not found as is); false if it is not there. */
bool cmp_locate(const char *path, const char *needle, size_t n, int *line, int *col);
/* A located warning for each word of tp cut between characters because it
 * is wider than the measure (once per word and place). */
void cmp_warn_forced(composer *c, const tpara *tp);

#endif
