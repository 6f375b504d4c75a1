/* compose: GFM tables in an article's body, set as newspaper tables: a
 * rule above the header row (bold), a rule under it, hairlines between the
 * rows and a rule at the foot; text columns ranged left, numbers aligned on
 * their decimal sign (or as the delimiter row says: `:--` left, `:-:`
 * centred, `--:` right); every row on the baseline grid.
 *
 * A table is measured for a width (cmp_table's geometry: column widths,
 * each cell typeset, rows in grid rows) without drawing anything, then
 * drawn from that geometry. A table that fits the column flows with the
 * text; one that does not lies across the whole block, measured for each
 * block width the planner tries (cached). */
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The vertical scale of the text of odd body rows, as extractors read it
 * (the glyphs do not change): poppler joins lines into a block only when
 * their sizes are within 5 %, so that each row's cells stay blocks of their
 * own, read row after row, and a cell's lines stay together. */
#define ROW_TEXT_SY 1.08

/* How a column is set. */
typedef enum { COL_LEFT, COL_CENTER, COL_RIGHT, COL_DECIMAL } col_align;

typedef struct {
    bool done, ok;
    double width;  /* the measure */
    double *x, *w; /* per column: left edge from the table's left, width */
    tpara *cells;  /* n_rows * n_cols; para NULL for an empty cell */
    double *dx;    /* per cell: offset of its line inside the column (decimal alignment) */
    int *rows;     /* grid rows of each table row (text only) */
} geom;

struct cmp_table {
    const rt_block *b;
    const rt_article *a;
    int n_cols;
    size_t n_rows;
    col_align *align;
    double *min_w, *max_w;  /* per column: widest word, widest cell on one line */
    double *int_w, *frac_w; /* decimal columns: widest part before / from the sign */
    double gap;             /* between columns */
    int rpl;                /* grid rows per line of the table style */
    int min_span;           /* columns the block needs (1: fits one) */
    int max_span;
    geom *g; /* by span, [0 .. max_span]; only [1] when min_span is 1 */
    size_t first_el;
};

static const rt_style *table_style(composer *c) {
    return &c->l->styles[RT_ST_TABLE];
}

/* ------------------------------------------------------------- numbers */

static bool is_digit(unsigned cp) {
    return cp >= '0' && cp <= '9';
}

/* Spaces that may group digits, or surround a sign or a unit. */
static bool is_space_cp(unsigned cp) {
    return cp == ' ' || cp == 0xA0 || cp == 0x202F || cp == 0x2009 || cp == 0x2007;
}

static char *cell_text(const rt_cell *cell) {
    rt_buf b = {0};
    for (size_t k = 0; k < cell->n_spans; k++)
        if (!(cell->spans[k].flags & RT_SPAN_NOTE))
            rt_buf_adds(&b, cell->spans[k].text);
    rt_buf_add(&b, "", 0);
    return rt_buf_steal(&b);
}

/* A cell that reads as a number: an optional sign or currency, digits
 * (grouped by spaces, points, commas or apostrophes), an optional unit of a
 * few letters or a %, ‰, € ... Empty cells and dashes count as neither. */
typedef enum { NUM_NO, NUM_YES, NUM_BLANK } num_kind;

static num_kind number_kind(const char *t) {
    const char *p = t;
    unsigned cp;
    while (*p && (rt_utf8_decode(p, &cp), is_space_cp(cp)))
        p += rt_utf8_decode(p, &cp);
    if (!*p)
        return NUM_BLANK;
    static const char *const blanks[] = {"-", "–", "—", "n/a", "N/A", "s.o.", "?", "x"};
    for (size_t i = 0; i < sizeof blanks / sizeof *blanks; i++) {
        size_t l = strlen(blanks[i]);
        if (strncmp(p, blanks[i], l) == 0 && !p[l])
            return NUM_BLANK;
    }
    /* prefix: signs, comparison, currency */
    static const char *const pre[] = {"+", "-", "−", "–", "±", "~", "≈",  "<", ">",
                                      "≤", "≥", "$", "€", "£", "(", "<=", ">="};
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof pre / sizeof *pre; i++) {
            size_t l = strlen(pre[i]);
            if (strncmp(p, pre[i], l) == 0) {
                p += l;
                while (*p && (rt_utf8_decode(p, &cp), is_space_cp(cp)))
                    p += rt_utf8_decode(p, &cp);
                again = true;
                break;
            }
        }
    }
    int digits = 0;
    const char *last_digit = NULL;
    while (*p) {
        int l = rt_utf8_decode(p, &cp);
        if (is_digit(cp)) {
            digits++;
            last_digit = p;
        } else if (!(cp == '.' || cp == ',' || cp == '\'' || cp == 0x2019 || is_space_cp(cp))) {
            break;
        }
        p += l;
    }
    if (!digits)
        return NUM_NO;
    /* the rest: a unit (%, ‰, °, currency, a short word like km, h, Mrd) */
    p = last_digit + 1;
    while (*p && (rt_utf8_decode(p, &cp), is_space_cp(cp)))
        p += rt_utf8_decode(p, &cp);
    int letters = 0;
    while (*p) {
        int l = rt_utf8_decode(p, &cp);
        if (rt_is_letter(cp))
            letters++;
        else if (!(cp == '%' || cp == 0x2030 || cp == 0xB0 || cp == 0x20AC || cp == '$' ||
                   cp == 0xA3 || cp == ')' || cp == '*' || cp == '/' || cp == '.' ||
                   is_space_cp(cp)))
            return NUM_NO;
        p += l;
    }
    return letters <= 4 ? NUM_YES : NUM_NO;
}

/* The byte offset of a number's decimal sign in t, or the offset just
 * after its last digit when it has none; -1 without digits. The
 * language's sign (',' in French and Dutch, '.' in English) is a decimal
 * sign; the other one is a decimal sign too unless exactly three digits
 * follow it (then it groups thousands: "12.500", "12,500"). */
static long decimal_at(const char *t, int lang) {
    char own = lang == RT_LANG_EN ? '.' : ',';
    long last_digit = -1, sep = -1;
    for (long i = 0; t[i]; i++) {
        if (is_digit((unsigned char)t[i]))
            last_digit = i;
        else if ((t[i] == '.' || t[i] == ',') && i > 0 && is_digit((unsigned char)t[i - 1]) &&
                 is_digit((unsigned char)t[i + 1]))
            sep = i;
    }
    if (last_digit < 0)
        return -1;
    if (sep >= 0 && t[sep] != own) {
        int after = 0;
        while (is_digit((unsigned char)t[sep + 1 + after]))
            after++;
        if (after == 3)
            sep = -1;
    }
    return sep >= 0 ? sep : last_digit + 1;
}

/* The x of byte `at` of the text set on the single line of tp. */
static double x_of_byte(const tpara *tp, long at) {
    const rt_line *ln = &tp->lines.lines[0];
    const rt_para *p = tp->para;
    double x = 0;
    long off = 0;
    for (size_t i = ln->start; i < ln->end; i++) {
        const rt_item *it = &p->items[i];
        if (it->kind == RT_ITEM_BOX && it->run) {
            const rt_run *r = it->run;
            if (at < off + (long)r->len) {
                for (size_t g = 0; g < r->n_glyphs; g++)
                    if (r->cluster[g] >= at - off)
                        return x + r->pen[g];
                return x + r->width;
            }
            off += (long)r->len;
            x += r->width;
        } else if (it->kind == RT_ITEM_BOX) {
            x += it->width;
        } else if (it->kind == RT_ITEM_GLUE && it->stretch < 1e5) {
            if (at <= off)
                return x;
            off += 1; /* a space in the text */
            x += it->width;
        }
    }
    return x;
}

/* The text of tp's single line as set (typography applied), spaces as ' '. */
static char *line_text(const tpara *tp) {
    const rt_line *ln = &tp->lines.lines[0];
    rt_buf b = {0};
    for (size_t i = ln->start; i < ln->end; i++) {
        const rt_item *it = &tp->para->items[i];
        if (it->kind == RT_ITEM_BOX && it->run)
            rt_buf_add(&b, it->run->utf8, it->run->len);
        else if (it->kind == RT_ITEM_GLUE && it->stretch < 1e5)
            rt_buf_add(&b, " ", 1);
    }
    rt_buf_add(&b, "", 0);
    return rt_buf_steal(&b);
}

/* --------------------------------------------------------------- cells */

/* A cell typeset at `width` (1e6: on one line), the header row in bold. */
static bool set_cell(composer *c, cmp_table *t, size_t r, int col, double width, col_align al,
                     tpara *tp) {
    const rt_cell *cell = &t->b->table->cells[r * (size_t)t->n_cols + (size_t)col];
    memset(tp, 0, sizeof *tp);
    if (!cell->n_spans)
        return false;
    rt_style st = *table_style(c);
    st.align = al == COL_CENTER  ? RT_ALIGN_CENTER
               : al == COL_RIGHT ? RT_ALIGN_RIGHT
                                 : RT_ALIGN_LEFT;
    st.indent = 0;
    st.hyphenate = false;
    rt_span *sp = rt_xcalloc(cell->n_spans, sizeof *sp);
    memcpy(sp, cell->spans, cell->n_spans * sizeof *sp);
    if (r == 0)
        for (size_t k = 0; k < cell->n_spans; k++)
            sp[k].flags |= RT_SPAN_STRONG;
    bool ok = cmp_typeset(c, tp, sp, cell->n_spans, &st, t->a->lang, width, 0);
    free(sp);
    if (!ok)
        cmp_tpara_free(tp);
    return ok;
}

/* Natural width of a cell on one line, and its widest word (between spaces
 * a line may break at: "4 250 000 €" is one word). */
static void cell_extent(composer *c, cmp_table *t, size_t r, int col, double *nat, double *word) {
    tpara tp;
    *nat = *word = 0;
    if (!set_cell(c, t, r, col, 1e6, COL_LEFT, &tp))
        return;
    *nat = tp.lines.lines[0].natural;
    double w = 0;
    for (size_t i = 0; i < tp.para->n_items; i++) {
        const rt_item *it = &tp.para->items[i];
        const rt_item *p = i > 0 ? it - 1 : NULL;
        bool kept = it->kind == RT_ITEM_GLUE && p && p->kind == RT_ITEM_PENALTY &&
                    p->penalty >= RT_INF_PENALTY;
        if (it->kind == RT_ITEM_BOX || kept)
            w += it->width;
        if ((it->kind == RT_ITEM_GLUE && !kept) || i + 1 == tp.para->n_items) {
            if (w > *word)
                *word = w;
            w = 0;
        }
    }
    cmp_tpara_free(&tp);
}

/* ------------------------------------------------------------ geometry */

static void geom_free(geom *g, const cmp_table *t) {
    if (!g->done)
        return;
    for (size_t i = 0; g->cells && i < t->n_rows * (size_t)t->n_cols; i++)
        cmp_tpara_free(&g->cells[i]);
    free(g->cells);
    free(g->x);
    free(g->w);
    free(g->dx);
    free(g->rows);
    memset(g, 0, sizeof *g);
}

/* The widths of the columns for a measure W: each column's widest cell
 * when they all fit (the room left shared out), else between its widest
 * word and its widest cell in proportion; false when even the widest words
 * do not fit. */
static bool column_widths(const cmp_table *t, double W, double *w) {
    int n = t->n_cols;
    double room = W - t->gap * (n - 1), sum_min = 0, sum_max = 0;
    for (int i = 0; i < n; i++) {
        sum_min += t->min_w[i];
        sum_max += t->max_w[i];
    }
    if (sum_min > room + 0.01)
        return false;
    if (sum_max <= room) {
        double extra = (room - sum_max) / n;
        for (int i = 0; i < n; i++)
            w[i] = t->max_w[i] + extra;
    } else {
        double f = sum_max > sum_min ? (room - sum_min) / (sum_max - sum_min) : 0;
        for (int i = 0; i < n; i++)
            w[i] = t->min_w[i] + (t->max_w[i] - t->min_w[i]) * f;
    }
    return true;
}

/* Measures the table at width W: sets g (nothing is drawn). */
static bool measure_at(composer *c, cmp_table *t, double W, geom *g) {
    int n = t->n_cols;
    size_t nr = t->n_rows;
    g->done = true;
    g->width = W;
    g->x = rt_xcalloc((size_t)n, sizeof *g->x);
    g->w = rt_xcalloc((size_t)n, sizeof *g->w);
    g->cells = rt_xcalloc(nr * (size_t)n + 1, sizeof *g->cells);
    g->dx = rt_xcalloc(nr * (size_t)n + 1, sizeof *g->dx);
    g->rows = rt_xcalloc(nr + 1, sizeof *g->rows);
    if (!column_widths(t, W, g->w))
        return g->ok = false;
    for (int i = 1; i < n; i++)
        g->x[i] = g->x[i - 1] + g->w[i - 1] + t->gap;
    for (size_t r = 0; r < nr; r++) {
        int lines = 1;
        for (int col = 0; col < n; col++) {
            col_align al = t->align[col];
            if (r == 0 && al == COL_DECIMAL)
                al = COL_RIGHT; /* a number column's heading sits over its figures */
            tpara *tp = &g->cells[r * (size_t)n + (size_t)col];
            /* a decimal cell is set on one line, placed by its sign */
            if (!set_cell(c, t, r, col, al == COL_DECIMAL ? 1e6 : g->w[col], al, tp))
                continue;
            if (al == COL_DECIMAL) {
                char *txt = line_text(tp);
                long at = decimal_at(txt, t->a->lang);
                double iw = at >= 0 ? x_of_byte(tp, at) : tp->lines.lines[0].natural;
                free(txt);
                g->dx[r * (size_t)n + (size_t)col] =
                    g->w[col] - (t->int_w[col] + t->frac_w[col]) + (t->int_w[col] - iw);
            }
            if ((int)tp->lines.n > lines)
                lines = (int)tp->lines.n;
        }
        g->rows[r] = lines * t->rpl;
    }
    return g->ok = true;
}

static geom *geom_for(composer *c, cmp_table *t, int span) {
    if (span < 1)
        span = 1;
    if (span > t->max_span)
        span = t->max_span;
    if (t->min_span == 1)
        span = 1;
    geom *g = &t->g[span];
    if (!g->done)
        measure_at(c, t, cmp_span_w(c, span), g);
    return g;
}

/* ---------------------------------------------------------------- flow */

static col_align column_align(cmp_table *t, int col) {
    const rt_table *tb = t->b->table;
    switch (tb->align[col]) {
    case RT_TALIGN_LEFT:
        return COL_LEFT;
    case RT_TALIGN_CENTER:
        return COL_CENTER;
    case RT_TALIGN_RIGHT:
        return COL_RIGHT;
    default:
        break;
    }
    bool any = false;
    for (size_t r = 1; r < tb->n_rows; r++) {
        char *txt = cell_text(&tb->cells[r * (size_t)tb->n_cols + (size_t)col]);
        num_kind k = number_kind(txt);
        free(txt);
        if (k == NUM_NO)
            return COL_LEFT;
        any |= k == NUM_YES;
    }
    return any ? COL_DECIMAL : COL_LEFT;
}

cmp_table *cmp_table_measure(composer *c, const rt_article *a, const rt_block *b) {
    const rt_table *tb = b->table;
    if (!tb || tb->n_rows == 0 || tb->n_cols < 1)
        return NULL;
    cmp_table *t = rt_xcalloc(1, sizeof *t);
    t->b = b;
    t->a = a;
    t->n_cols = tb->n_cols;
    t->n_rows = tb->n_rows;
    int n = t->n_cols;
    t->align = rt_xcalloc((size_t)n, sizeof *t->align);
    t->min_w = rt_xcalloc((size_t)n, sizeof *t->min_w);
    t->max_w = rt_xcalloc((size_t)n, sizeof *t->max_w);
    t->int_w = rt_xcalloc((size_t)n, sizeof *t->int_w);
    t->frac_w = rt_xcalloc((size_t)n, sizeof *t->frac_w);
    const rt_style *st = table_style(c);
    t->gap = st->size * 0.9;
    t->rpl = cmp_rows_for(c, st->leading);
    if (t->rpl < 1)
        t->rpl = 1;
    for (int col = 0; col < n; col++) {
        t->align[col] = column_align(t, col);
        for (size_t r = 0; r < t->n_rows; r++) {
            double nat, word;
            cell_extent(c, t, r, col, &nat, &word);
            if (t->align[col] == COL_DECIMAL && r > 0) {
                tpara tp;
                if (set_cell(c, t, r, col, 1e6, COL_LEFT, &tp)) {
                    char *txt = line_text(&tp);
                    long at = decimal_at(txt, a->lang);
                    double iw = at >= 0 ? x_of_byte(&tp, at) : nat;
                    free(txt);
                    cmp_tpara_free(&tp);
                    t->int_w[col] = fmax(t->int_w[col], iw);
                    t->frac_w[col] = fmax(t->frac_w[col], nat - iw);
                }
                word = nat; /* figures never wrap */
            }
            t->max_w[col] = fmax(t->max_w[col], nat);
            t->min_w[col] = fmax(t->min_w[col], word);
        }
        if (t->align[col] == COL_DECIMAL) {
            double fig = t->int_w[col] + t->frac_w[col];
            t->max_w[col] = fmax(t->max_w[col], fig);
            t->min_w[col] = fmax(t->min_w[col], fig);
        }
    }
    /* the narrowest block it fits */
    t->max_span = c->l->columns;
    t->g = rt_xcalloc((size_t)t->max_span + 1, sizeof *t->g);
    double *tmp = rt_xcalloc((size_t)n, sizeof *tmp);
    for (int span = 1; span <= t->max_span && !t->min_span; span++)
        if (column_widths(t, cmp_span_w(c, span), tmp))
            t->min_span = span;
    free(tmp);
    if (!t->min_span) {
        double need = t->gap * (n - 1);
        for (int i = 0; i < n; i++)
            need += t->min_w[i];
        rt_error(c->d, a->path, b->line, b->col,
                 "this table is too wide for the page: its %d columns need at least %.0f mm "
                 "(each word on a line of its own), the widest block is %.0f mm; shorten its "
                 "longest words or split it",
                 n, need / RT_MM, cmp_span_w(c, t->max_span) / RT_MM);
        cmp_table_free(t);
        return NULL;
    }
    return t;
}

size_t cmp_table_rows(const cmp_table *t) {
    return t->n_rows;
}

int cmp_table_min_span(const cmp_table *t) {
    return t->min_span;
}

rt_flow_el cmp_table_el(composer *c, cmp_table *t, size_t r, int span) {
    bool across = t->min_span > 1;
    size_t body = t->n_rows - 1;
    /* the header and the first body row stay together, and with 4 body
     * rows or more, the last two */
    bool kwn = r == 0 || (body >= 4 && (r == 1 || r + 2 == t->n_rows));
    rt_flow_el el = {.rows = 100000, .keep_with_next = kwn, .para = -1, .span_all = across};
    if (across && span < t->min_span)
        return el; /* a block too narrow: rows no column can hold */
    geom *g = geom_for(c, t, span);
    el.rows = g->rows[r];
    el.head_rows = r > 0 ? g->rows[0] : 0;
    if (across && r == 0) /* across the block: a line of space above the header */
        el.rows += 1;
    if (across && r + 1 == t->n_rows) /* and one under the last row */
        el.rows += 1;
    return el;
}

/* --------------------------------------------------------------- draw */

/* Rules: one just under the last line of a row's text (above any accent
 * of the next row), one at the top of the header's grid row. */
static double rule_under(composer *c, int last_line_row) {
    rt_font *f = cmp_font(c, table_style(c), RT_SPAN_STRONG);
    return cmp_row_baseline(c, last_line_row) + rt_font_descent(f) + 0.3;
}

/* Keeps the text of a cell (draws [a0, a1)) apart from the text of the cells
 * after it on the row ([b0, b1)) by more than extractors join across
 * (poppler takes words up to one font size beside a block into it): the
 * cell's lines that come nearer are read over a narrower box (rt_draw
 * text_x0/x1, the runs of a line scaled together), by at most 60 % of
 * their width. */
static void part_cells(rt_page *pg, size_t a0, size_t a1, size_t b0, size_t b1) {
    double next = HUGE_VAL, size = 0;
    for (size_t i = b0; i < b1; i++)
        if (pg->draws[i].kind == RT_DRAW_RUN && pg->draws[i].run->len)
            next = fmin(next, pg->draws[i].x);
    for (size_t i = a0; i < a1; i++)
        if (pg->draws[i].kind == RT_DRAW_RUN)
            size = fmax(size, rt_font_size(pg->draws[i].run->font));
    double limit = next - 1.1 * size * ROW_TEXT_SY;
    for (size_t i = a0; i < a1;) { /* a line: the runs on one baseline */
        size_t j = i;
        double x0 = HUGE_VAL, x1 = -HUGE_VAL;
        for (; j < a1 && pg->draws[j].y == pg->draws[i].y; j++)
            if (pg->draws[j].kind == RT_DRAW_RUN) {
                x0 = fmin(x0, pg->draws[j].x);
                x1 = fmax(x1, cmp_run_right(&pg->draws[j]));
            }
        if (x1 > limit && x1 > x0) {
            double to = fmax(limit, x1 - 0.6 * (x1 - x0)), f = (to - x0) / (x1 - x0);
            for (size_t k = i; k < j; k++) {
                rt_draw *d = &pg->draws[k];
                if (d->kind != RT_DRAW_RUN)
                    continue;
                d->text_x0 = x0 + (d->x - x0) * f;
                d->text_x1 = x0 + (cmp_run_right(d) - x0) * f;
            }
        }
        i = j > i ? j : i + 1;
    }
}

/* Row r of the table with its top at grid row `row`. */
static void draw_row(composer *c, rt_page *pg, const cmp_table *t, const geom *g, size_t r, int row,
                     double x) {
    const rt_layout *l = c->l;
    int n = t->n_cols;
    size_t first = pg->n_draws;
    size_t *cell_at = rt_xmalloc(((size_t)n + 1) * sizeof *cell_at); /* each cell's draws */
    for (int col = 0; col < n; col++) {
        const tpara *tp = &g->cells[r * (size_t)n + (size_t)col];
        cell_at[col] = pg->n_draws;
        if (!tp->para)
            continue;
        double cx = x + g->x[col] + g->dx[r * (size_t)n + (size_t)col];
        for (size_t k = 0; k < tp->lines.n; k++)
            cmp_draw_line(c, pg, tp, k, cx, cmp_row_baseline(c, row + (int)k * t->rpl));
    }
    cell_at[n] = pg->n_draws;
    /* the text of every other body row read a size larger, and the table
     * cut as one (compose.h, rt_draw.text_sy) */
    for (size_t i = first; i < pg->n_draws; i++) {
        rt_draw *d = &pg->draws[i];
        if (d->kind != RT_DRAW_RUN)
            continue;
        d->unit = (uintptr_t)t;
        d->unit_row = (int)r;
        if (d->run->len)
            d->text_sy = r % 2 == 1 ? ROW_TEXT_SY : 1;
    }
    for (int col = 0; col + 1 < n; col++)
        part_cells(pg, cell_at[col], cell_at[col + 1], cell_at[col + 1], cell_at[n]);
    free(cell_at);
    double x1 = x + g->width;
    int last_line = row + g->rows[r] - t->rpl;
    if (r == 0) { /* above the header, and under it */
        double y0 = cmp_row_top(c, row) + 0.3;
        cmp_rule(pg, x, y0, x1, y0, l->rule_width * 2, l->rule_color);
        double y1 = rule_under(c, last_line);
        cmp_rule(pg, x, y1, x1, y1, l->rule_width, l->rule_color);
    }
    if (r + 1 == t->n_rows) {
        double y = rule_under(c, last_line) + 0.5;
        cmp_rule(pg, x, y, x1, y, l->rule_width * 2, l->rule_color);
    }
}

void cmp_table_draw_row(composer *c, rt_page *pg, cmp_table *t, size_t r, int span,
                        const rt_flow_pos *pos, double x) {
    geom *g = geom_for(c, t, t->min_span > 1 ? span : 1);
    if (!g->ok)
        return;
    int row = pos->row + (t->min_span > 1 && r == 0 ? 1 : 0); /* under its line of space */
    if (pos->head && r > 0)
        draw_row(c, pg, t, g, 0, row - g->rows[0], x);
    draw_row(c, pg, t, g, r, row, x);
}

void cmp_table_free(cmp_table *t) {
    if (!t)
        return;
    for (int s = 0; t->g && s <= t->max_span; s++)
        geom_free(&t->g[s], t);
    free(t->g);
    free(t->align);
    free(t->min_w);
    free(t->max_w);
    free(t->int_w);
    free(t->frac_w);
    free(t);
}
