/* break: a shaped paragraph -> lines (the choice of line breaks).
 *
 * The algorithm is Knuth and Plass's total fit: it picks the breaks that
 * minimise the demerits of the whole paragraph (badness of each line's
 * spacing, penalties, consecutive hyphens, abrupt changes of spacing, a
 * hyphen before the last line), with at most `max_hyphen_run` hyphenated
 * lines in a row. It runs up to three passes: adjustment ratio up to
 * `tolerance`, then `tolerance2`, then an emergency pass that accepts any
 * spacing, even overfull lines, rather than lose text (rt_lines.pass says
 * which was needed); only that pass may cut a word wider than the measure
 * between two characters (rt_item.emergency), so text never leaves its
 * column.
 *
 * Ownership: rt_lines_free() frees what rt_break_para() allocated; the
 * paragraph is only read.
 */
#ifndef RT_BREAK_H
#define RT_BREAK_H

#include "../shape/shape.h"

typedef struct {
    size_t start;      /* first item of the line (discardables after a break skipped) */
    size_t end;        /* the break item (exclusive end of the line's content) */
    double natural;    /* natural width of the content, hyphen included */
    double ratio;      /* adjustment: < 0 shrink (spaces and glyphs alike, fraction of
                          what they may give); 0..1 stretch shared by spaces and
                          glyph expansion; > 1 glyphs at their limit and the spaces'
                          stretch ratio alone */
    double width;      /* the measure this line was set to */
    bool hyphen;       /* ends at a hyphenation break (draws the penalty's run) */
    bool overfull;     /* could not be shrunk enough */
    bool forced;       /* ends at a cut inside a word too wide for the measure */
    bool last;         /* last line of the paragraph */
    double lp, rp;     /* margin kerning: protrusion into the left and right margins;
                          the content spans [-lp, width + rp] */
    size_t prev_break; /* the break item before the line (SIZE_MAX for the first) */
} rt_line;

typedef struct {
    rt_line *lines;
    size_t n;
    int pass; /* 1, 2 or 3 (emergency) */
} rt_lines;

typedef struct {
    double tolerance;     /* max ratio accepted in pass 1 (default 1.5) */
    double tolerance2;    /* pass 2 (default 4) */
    int line_penalty;     /* default 10 */
    int double_hyphen;    /* demerits for consecutive hyphenated lines (3000) */
    int final_hyphen;     /* demerits for a hyphen on the penultimate line (5000) */
    int fitness_demerits; /* demerits for adjacent lines of very different spacing (3000) */
    int max_hyphen_run;   /* at most this many consecutive hyphenated lines (2), except in
                             the emergency pass */
} rt_break_params;

void rt_break_params_default(rt_break_params *bp);

/* Breaks `p` into lines whose measures are widths[0], widths[1], ... (the
 * last width repeats). Returns false only for an empty paragraph. */
bool rt_break_para(const rt_para *p, const double *widths, size_t n_widths,
                   const rt_break_params *bp, rt_lines *out);
/* What rt_break_para_ruled must also meet: exactly `n_lines` lines, none of
 * the lines listed in no_hyphen (indices from 0) ending at a hyphenation
 * break. Used when a paragraph runs from one column into the next: a word
 * hyphenated across a column break is read (by people and by text
 * extraction) as two. */
typedef struct {
    size_t n_lines;
    const size_t *no_hyphen;
    size_t n_no_hyphen;
} rt_break_rules;

/* rt_break_para under rules, in the first two passes only: returns false
 * (and *out empty) when no breaking within tolerance2 meets them. */
bool rt_break_para_ruled(const rt_para *p, const double *widths, size_t n_widths,
                         const rt_break_params *bp, const rt_break_rules *rules, rt_lines *out);
void rt_lines_free(rt_lines *l);

#endif
