/* fill: greedy column filling on the grid, balancing by bisection, and
 * sections between elements that lie across every column. */
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
    if (k < n) /* a table row opening the column brings its header along */
        used = els[k].head_rows;
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

/* Greedy fill of els[first..n), none of which lies across the columns. */
static size_t fill_plain(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols,
                         size_t n_cols, const rt_fill_opts *o, rt_flow_pos *pos, int *used_bottom) {
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
                pos[k].head = false;
                continue;
            }
            pos[k].head = top && els[k].head_rows > 0;
            if (pos[k].head)
                row += els[k].head_rows;
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

/* Balanced fill of els[first..n), none of which lies across the columns. */
/* Does a column break leave a paragraph's first line alone at a column's
 * foot (an orphan) or its last line alone at the next one's top (a widow)? */
static bool split_badly(const rt_flow_el *els, size_t n, size_t first, const rt_flow_pos *pos) {
    for (size_t k = first + 1; k < n; k++) {
        if (els[k].para < 0 || els[k].para != els[k - 1].para || pos[k].col < 0 ||
            pos[k].col == pos[k - 1].col)
            continue;
        if (els[k].line == 1 || els[k].line == els[k].para_lines - 1)
            return true;
    }
    return false;
}

static int balance_plain(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols,
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
    if (fill_plain(els, n, first, cols, n_cols, o, pos, NULL) < n) {
        free(cut);
        return -1;
    }
    int top_max = hi;
    for (size_t c = 0; c < n_cols; c++)
        if (cols[c].bottom < top_max)
            top_max = cols[c].bottom;
    /* bisection on the common bottom: fits(B) is monotone in B */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        for (size_t c = 0; c < n_cols; c++) {
            cut[c] = cols[c];
            if (cut[c].bottom > mid)
                cut[c].bottom = mid;
        }
        if (fill_plain(els, n, first, cut, n_cols, o, pos, NULL) >= n)
            hi = mid;
        else
            lo = mid + 1;
    }
    /* the lowest bottom, or a row or two more when that one leaves a widow
     * or an orphan and a little more room does not */
    int best = lo;
    for (int b = lo; b <= lo + 2 && b <= top_max; b++) {
        for (size_t c = 0; c < n_cols; c++) {
            cut[c] = cols[c];
            if (cut[c].bottom > b)
                cut[c].bottom = b;
        }
        if (fill_plain(els, n, first, cut, n_cols, o, pos, NULL) < n)
            continue;
        if (!split_badly(els, n, first, pos)) {
            best = b;
            break;
        }
    }
    for (size_t c = 0; c < n_cols; c++) {
        cut[c] = cols[c];
        if (cut[c].bottom > best)
            cut[c].bottom = best;
    }
    fill_plain(els, n, first, cut, n_cols, o, pos, NULL);
    free(cut);
    return best;
}

static size_t next_span(const rt_flow_el *els, size_t n, size_t i) {
    while (i < n && !els[i].span_all)
        i++;
    return i;
}

/* The flow in sections: each run of span_all elements lies across the
 * columns below the elements before it (balanced above it). The last
 * section is filled greedily, or balanced (`balance`: then everything must
 * fit, else -1). Returns the index of the first element not placed, or with
 * `balance` the common bottom row. */
static long fill_sections(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols,
                          size_t n_cols, const rt_fill_opts *o, rt_flow_pos *pos, int *used_bottom,
                          bool balance) {
    rt_col *cur = malloc(n_cols * sizeof *cur);
    if (!cur)
        abort();
    memcpy(cur, cols, n_cols * sizeof *cur);
    size_t i = first;
    long result;
    for (;;) {
        size_t s = next_span(els, n, i);
        int top = cur[0].top, bottom = cur[0].bottom;
        for (size_t c = 1; c < n_cols; c++) {
            if (cur[c].top > top)
                top = cur[c].top;
            if (cur[c].bottom < bottom)
                bottom = cur[c].bottom;
        }
        if (s >= n) { /* the last section */
            if (!balance) {
                result = (long)fill_plain(els, n, i, cur, n_cols, o, pos, used_bottom);
            } else if (i >= n) {
                result = top;
            } else {
                int b = balance_plain(els, n, i, cur, n_cols, o, pos);
                result = b < 0 ? -1 : b > top ? b : top;
            }
            break;
        }
        /* what must stay with the table (a subhead) goes above it, in the
         * first column, after its space when something is above it */
        size_t lead = s;
        while (lead > i && (els[lead - 1].keep_with_next || els[lead - 1].space))
            lead--;
        size_t text = lead; /* where the text above ends */
        if (text == first)  /* nothing above: no space at the top */
            while (lead < s && els[lead].space)
                lead++;
        if (text > i) { /* the text above, balanced */
            int b = balance_plain(els, text, i, cur, n_cols, o, pos);
            if (b < 0) {
                result =
                    balance ? -1 : (long)fill_plain(els, text, i, cur, n_cols, o, pos, used_bottom);
                break;
            }
            if (b > top)
                top = b;
        }
        size_t table0 = s;
        for (size_t k = text; k < lead; k++)
            pos[k] = (rt_flow_pos){-1, 0, false}; /* dropped */
        for (size_t k = lead; k < s; k++) {
            pos[k] = (rt_flow_pos){0, top, false};
            top += els[k].rows;
        }
        bool opening = true; /* the first row here repeats its header */
        while (s < n && els[s].span_all) {
            int head = opening ? els[s].head_rows : 0;
            if (top + head + els[s].rows > bottom)
                break;
            pos[s] = (rt_flow_pos){0, top + head, head > 0};
            top += head + els[s].rows;
            opening = false;
            s++;
        }
        if (s < n && els[s].span_all) { /* the rest of the table does not fit here */
            if (balance) {
                result = -1;
                break;
            }
            /* never end on a row that keeps with the next (the header, the
             * first row, the last but one) */
            while (s > table0 && els[s - 1].keep_with_next)
                s--;
            if (s == table0) /* none of it: what leads to it waits too */
                s = lead;
            result = (long)s;
            break;
        }
        for (size_t c = 0; c < n_cols; c++)
            cur[c].top = top;
        i = s;
    }
    free(cur);
    return result;
}

size_t rt_fill(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols, size_t n_cols,
               const rt_fill_opts *o, rt_flow_pos *pos, int *used_bottom) {
    if (next_span(els, n, first) >= n || n_cols == 0)
        return fill_plain(els, n, first, cols, n_cols, o, pos, used_bottom);
    return (size_t)fill_sections(els, n, first, cols, n_cols, o, pos, used_bottom, false);
}

int rt_fill_balanced(const rt_flow_el *els, size_t n, size_t first, const rt_col *cols,
                     size_t n_cols, const rt_fill_opts *o, rt_flow_pos *pos) {
    if (n_cols == 0)
        return -1;
    if (next_span(els, n, first) >= n)
        return balance_plain(els, n, first, cols, n_cols, o, pos);
    return (int)fill_sections(els, n, first, cols, n_cols, o, pos, NULL, true);
}
