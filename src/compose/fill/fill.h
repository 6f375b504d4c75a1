/* fill: flow elements (lines, images, spaces) -> positions in columns.
 *
 * Everything here is counted in baseline-grid rows, so that every line of
 * every column sits on the grid shared by the page. A column is a range of
 * rows [top, bottom). Like mupdf's story API: give it rectangles, it places
 * what fits and says where it stopped; call again with the next rectangles.
 *
 * Rules applied: an element never splits; a space is dropped at the top of a
 * column; `keep_with_next` elements (subheads) never end a column; a
 * paragraph leaves at least `min_lines` lines at the foot of a column
 * (orphans) and carries at least `min_lines` to the next (widows), when it
 * is long enough to allow it.
 *
 * Tables: an element with `head_rows` (a table's body row) that starts a
 * column gets that many rows above it for its table's header, repeated
 * (rt_flow_pos.head says so). A `span_all` element (a row of a table wider
 * than a column) lies across every column: the elements before it are
 * balanced in the columns above it, those after it go on below it.
 *
 * Ownership: the caller owns every array; nothing is allocated that
 * outlives a call.
 */
#ifndef RT_FILL_H
#define RT_FILL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    int rows;            /* height in grid rows, >= 1 (a space may be 0) */
    bool space;          /* vertical space: dropped at the top of a column */
    bool keep_with_next; /* never the last element of a column */
    int para;            /* paragraph id (-1: none); lines of one paragraph share it */
    int line;            /* index of this line in its paragraph */
    int para_lines;      /* lines in its paragraph */
    int head_rows;       /* rows of a header repeated above it when it starts a column */
    bool span_all;       /* lies across every column (see above) */
} rt_flow_el;

typedef struct {
    int top, bottom; /* rows [top, bottom) */
} rt_col;

typedef struct {
    int col; /* -1: not placed (or a dropped space); a span_all element: 0 */
    int row;
    bool head; /* the header (head_rows) is repeated in the rows above `row` */
} rt_flow_pos;

typedef struct {
    int min_lines; /* widow/orphan minimum (2) */
} rt_fill_opts;

/* Places els[first..n) into cols in order. Writes pos[] for the elements it
 * places and returns the index of the first element it could not place (n
 * if all fit). `used_bottom` (optional) receives, per column, the row after
 * its last element. */
size_t rt_fill(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols, size_t n_cols,
               const rt_fill_opts *o, rt_flow_pos *pos, int *used_bottom);

/* Balanced fill: the smallest common bottom row B (<= each column's bottom)
 * such that all of els[first..n) fit in cols cut at B. Returns B and fills
 * pos, or -1 if they do not all fit even uncut (then nothing is written). */
int rt_fill_balanced(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols,
                     size_t n_cols, const rt_fill_opts *o, rt_flow_pos *pos);

#endif
