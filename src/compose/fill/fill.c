/* fill: greedy column filling on the grid, and balancing by bisection. */
#include "fill.h"

#include <stdlib.h>
#include <string.h>

/* How many elements from i fit in a column of `avail` rows, honouring the
 * rules. Returns the index after the last element placed (== i: none). */
static size_t fit_column(const rt_flow_el *els, size_t n, size_t i, int avail, bool first_col_top,
                         const rt_fill_opts *o) {
    (void)first_col_top;
    size_t k = i;
    int used = 0;
    /* a space at the top of a column is dropped */
    while (k < n && els[k].space)
        k++;
    size_t start = k;
    while (k < n && used + els[k].rows <= avail) {
        used += els[k].rows;
        k++;
    }
    if (k >= n)
        return n;
    /* The column breaks before k. Move the break back for the rules. */
    size_t brk = k;
    for (int guard = 0; guard < 64 && brk > start; guard++) {
        const rt_flow_el *nx = &els[brk];
        const rt_flow_el *pv = &els[brk - 1];
        int min = o && o->min_lines > 0 ? o->min_lines : 2;
        if (pv->keep_with_next || pv->space) {
            brk--;
            continue;
        }
        if (nx->para >= 0 && pv->para == nx->para) {
            int before = nx->line;                 /* lines of it in this column or earlier */
            int after = nx->para_lines - nx->line; /* lines carried over */
            if (before < min) {                    /* orphan: move the paragraph's start over */
                if (brk - (size_t)before <= start)
                    return start; /* it would be alone in this column: leave the column empty */
                brk -= (size_t)before;
                continue;
            }
            if (after < min) {
                if (nx->para_lines - min >= min) /* widow: carry more lines over */
                    brk -= (size_t)(min - after);
                else /* too short to split legally: move it whole */
                    brk -= (size_t)before;
                continue;
            }
        }
        break;
    }
    if (brk <= start)
        return k; /* the rules cannot be met in this column: break where it fills */
    return brk;
}

size_t rt_fill(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols, size_t n_cols,
               const rt_fill_opts *o, rt_flow_pos *pos, int *used_bottom) {
    size_t i = first;
    for (size_t c = 0; c < n_cols; c++) {
        int avail = cols[c].bottom - cols[c].top;
        if (used_bottom)
            used_bottom[c] = cols[c].top;
        if (i >= n || avail <= 0)
            continue;
        size_t end = fit_column(els, n, i, avail, c == 0, o);
        int row = cols[c].top;
        bool top = true;
        for (size_t k = i; k < end; k++) {
            if (top && els[k].space) {
                pos[k].col = -1;
                pos[k].row = row;
                continue;
            }
            top = false;
            pos[k].col = (int)c;
            pos[k].row = row;
            row += els[k].rows;
        }
        if (used_bottom)
            used_bottom[c] = row;
        i = end;
    }
    /* trailing spaces need no room */
    while (i < n && els[i].space) {
        pos[i].col = -1;
        pos[i].row = 0;
        i++;
    }
    return i;
}

int rt_fill_balanced(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols,
                     size_t n_cols, const rt_fill_opts *o, rt_flow_pos *pos) {
    if (n_cols == 0)
        return -1;
    int lo = cols[0].top, hi = cols[0].bottom;
    for (size_t c = 0; c < n_cols; c++) {
        if (cols[c].top < lo)
            lo = cols[c].top;
        if (cols[c].bottom > hi)
            hi = cols[c].bottom;
    }
    rt_col *cut = malloc(n_cols * sizeof *cut);
    if (!cut)
        abort();
    if (rt_fill(els, n, first, cols, n_cols, o, pos, NULL) < n) {
        free(cut);
        return -1;
    }
    /* bisection on the common bottom: fits(B) is monotone in B */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        for (size_t c = 0; c < n_cols; c++) {
            cut[c] = cols[c];
            if (cut[c].bottom > mid)
                cut[c].bottom = mid;
        }
        if (rt_fill(els, n, first, cut, n_cols, o, pos, NULL) >= n)
            hi = mid;
        else
            lo = mid + 1;
    }
    for (size_t c = 0; c < n_cols; c++) {
        cut[c] = cols[c];
        if (cut[c].bottom > lo)
            cut[c].bottom = lo;
    }
    rt_fill(els, n, first, cut, n_cols, o, pos, NULL);
    free(cut);
    return lo;
}
