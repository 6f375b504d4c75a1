/* break: Knuth-Plass total-fit line breaking. */
#include "break.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void rt_break_params_default(rt_break_params *bp) {
    bp->tolerance = 1.0;  /* spaces at most 1.5x their natural width */
    bp->tolerance2 = 2.0; /* at most 2x */
    bp->max_hyphen_run = 2;
    bp->line_penalty = 10;
    bp->double_hyphen = 3000;
    bp->final_hyphen = 5000;
    bp->fitness_demerits = 3000;
}

typedef struct node {
    size_t pos;  /* index of the break item (or SIZE_MAX for the start) */
    size_t line; /* lines before this break */
    int fitness;
    int hyph_run;           /* consecutive hyphenated lines ending here */
    double w, stg, stb, sh; /* totals after the break (discardables skipped):
                               width, glue stretch, box stretch, shrink */
    double demerits;
    double ratio;
    double lp; /* left protrusion of the line that starts after this break */
    bool flagged;
    bool overfull;
    struct node *prev;
    struct node *next_all; /* every node ever made, for freeing */
} node;

typedef struct {
    node *all;
    node **active;
    size_t n_active, cap_active;
    node **more; /* the candidates under rules (see candidate) */
    size_t n_more, cap_more;
} state;

static node *new_node(state *s) {
    node *n = rt_xcalloc(1, sizeof *n);
    n->next_all = s->all;
    s->all = n;
    return n;
}

static double width_at(const double *widths, size_t n, size_t line) {
    return widths[line < n ? line : n - 1];
}

static int fitness_class(double r) {
    if (r < -0.5)
        return 0; /* tight */
    if (r <= 0.5)
        return 1; /* decent */
    if (r <= 1.0)
        return 2; /* loose */
    return 3;     /* very loose */
}

/* A cut inside a word too wide for the measure (rt_item.emergency) is a
 * break only in the emergency pass. */
static bool is_legal(const rt_para *p, size_t i, int emergency) {
    const rt_item *it = &p->items[i];
    if (it->kind == RT_ITEM_PENALTY)
        return it->penalty < RT_INF_PENALTY && (!it->emergency || emergency);
    if (it->kind == RT_ITEM_GLUE)
        return i > 0 && p->items[i - 1].kind == RT_ITEM_BOX;
    return false;
}

/* Totals after a break at b: skip glue and non-forced penalties up to the
 * next box. */
static void totals_after(const rt_para *p, size_t b, const double *cw, const double *cstg,
                         const double *cstb, const double *csh, double *w, double *stg, double *stb,
                         double *sh) {
    size_t i = b;
    if (b != SIZE_MAX) {
        for (i = b; i < p->n_items; i++) {
            const rt_item *it = &p->items[i];
            if (it->kind == RT_ITEM_BOX)
                break;
            if (it->kind == RT_ITEM_PENALTY && it->penalty <= -RT_INF_PENALTY && i > b)
                break;
        }
    } else {
        i = 0;
    }
    *w = cw[i];
    /* a reshaped piece after an unsafe hyphenation point is wider or
     * narrower than its share of the word */
    if (b != SIZE_MAX && p->items[b].kind == RT_ITEM_PENALTY)
        *w -= p->items[b].post_delta;
    *stg = cstg[i];
    *stb = cstb[i];
    *sh = csh[i];
}

/* Three times the widest inter-word space: a font-size proxy for 3 em. */
static double rag_stretch(const rt_para *p) {
    double w = 0;
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].kind == RT_ITEM_GLUE && p->items[i].stretch < 1e5 && p->items[i].width > w)
            w = p->items[i].width;
    return (w > 0 ? w : 3) * 12; /* a space is about a quarter em */
}

/* Right protrusion of a line ending at break b. */
static double right_protrusion(const rt_para *p, size_t b) {
    const rt_item *it = &p->items[b];
    if (it->kind == RT_ITEM_PENALTY && it->flagged)
        return it->rp;
    for (size_t j = b; j-- > 0;) {
        const rt_item *x = &p->items[j];
        if (x->kind == RT_ITEM_BOX)
            return x->rp;
        if (x->kind == RT_ITEM_GLUE)
            return 0;
    }
    return 0;
}

static double first_box_lp(const rt_para *p, size_t b) {
    for (size_t i = b == SIZE_MAX ? 0 : b; i < p->n_items; i++)
        if (p->items[i].kind == RT_ITEM_BOX)
            return p->items[i].lp;
    return 0;
}

static bool listed(const rt_break_rules *rules, size_t line) {
    for (size_t i = 0; i < rules->n_no_hyphen; i++)
        if (rules->no_hyphen[i] == line)
            return true;
    return false;
}

/* The candidate for a new break in fitness class fc and hyphen run `run`
 * (and, under rules, after `line` lines: there the line count is part of
 * the state, since the rules name lines), made on first use. */
static node **candidate(node *cand[4][3], node ***more, size_t *n_more, size_t *cap_more,
                        const rt_break_rules *rules, int fc, int run, size_t line) {
    if (!rules)
        return &cand[fc][run];
    for (size_t i = 0; i < *n_more; i++)
        if ((*more)[i]->fitness == fc && (*more)[i]->hyph_run == run && (*more)[i]->line == line)
            return &(*more)[i];
    RT_PUSH(*more, *n_more, *cap_more, NULL);
    return &(*more)[*n_more - 1];
}

static bool run_pass(const rt_para *p, const double *widths, size_t nw, const rt_break_params *bp,
                     const rt_break_rules *rules, double tol, int emergency, const double *cw,
                     const double *cstg, const double *cstb, const double *csh, node **best_out,
                     state *s) {
    /* Ragged text (not justified) is set like TeX's \raggedright: the right
     * margin is a glue that may stretch by about three ems, so short lines
     * are fine but very short ones still cost something. */
    double rag = p->align == RT_PALIGN_JUSTIFY ? 0 : rag_stretch(p);
    s->n_active = 0;
    node *start = new_node(s);
    start->pos = SIZE_MAX;
    start->fitness = 1;
    start->lp = first_box_lp(p, SIZE_MAX);
    RT_PUSH(s->active, s->n_active, s->cap_active, start);

    for (size_t b = 0; b < p->n_items; b++) {
        if (!is_legal(p, b, emergency))
            continue;
        const rt_item *it = &p->items[b];
        bool forced = it->kind == RT_ITEM_PENALTY && it->penalty <= -RT_INF_PENALTY;
        double pw = it->kind == RT_ITEM_PENALTY ? it->width : 0;
        bool flagged = it->kind == RT_ITEM_PENALTY && it->flagged;
        double rp = right_protrusion(p, b);
        /* best new node per fitness class and hyphen run (0..2): the run is
         * part of the state, so the limit on consecutive hyphens is exact */
        node *cand[4][3] = {{0}};
        s->n_more = 0;
        for (size_t ai = 0; ai < s->n_active;) {
            node *a = s->active[ai];
            double L = cw[b] - a->w + pw - a->lp - rp;
            double W = width_at(widths, nw, a->line);
            double r;
            if (L < W) {
                /* glyphs (font expansion) and spaces share the stretch up to
                 * ratio 1; past it the glyphs stay at their limit and the
                 * spaces take the rest, so r is always the spaces' ratio */
                double sg = cstg[b] - a->stg + rag, sb = cstb[b] - a->stb, need = W - L;
                if (sg + sb <= 0)
                    r = 1e9;
                else if (need <= sg + sb)
                    r = need / (sg + sb);
                else
                    r = sg > 0 ? (need - sb) / sg : 1e9;
            } else if (L > W) {
                double sh = csh[b] - a->sh;
                r = sh > 0 ? (W - L) / sh : -1e9;
            } else {
                r = 0;
            }
            bool deactivate = r < -1 || forced;
            int run = flagged ? a->hyph_run + 1 : 0;
            bool run_ok = run <= bp->max_hyphen_run || emergency > 1; /* last resort: any run */
            /* ragged text: a short line is only a bad line (its badness
             * says how bad), never a reason for the emergency pass: its
             * spaces are not stretched */
            bool feasible = r >= -1 && (r <= tol || rag > 0) && run_ok;
            if (rules && ((flagged && listed(rules, a->line)) || a->line + 1 > rules->n_lines ||
                          (b == p->n_items - 1) != (a->line + 1 == rules->n_lines)))
                feasible = false; /* a listed line ends at a hyphen, or the count is off */
            bool overfull = false;
            if (emergency && run_ok) {
                if (r < -1) {
                    feasible = true;
                    overfull = true;
                } else if (r > tol) {
                    feasible = true; /* very loose is better than nothing */
                }
            }
            if (run > 2)
                run = 2; /* the state only needs to know 0, 1 or 2 */
            if (feasible) {
                double rr = fabs(r) > 10 ? 10 : fabs(r);
                double bad = overfull ? 1e6 : 100.0 * rr * rr * rr;
                double d = bp->line_penalty + bad;
                d = d * d;
                if (it->kind == RT_ITEM_PENALTY) {
                    double pen = it->penalty;
                    if (pen > 0)
                        d += pen * pen;
                    else if (pen > -RT_INF_PENALTY)
                        d -= pen * pen;
                }
                if (flagged && a->flagged)
                    d += bp->double_hyphen;
                if (forced && a->flagged)
                    d += bp->final_hyphen;
                int fc = fitness_class(r > 1e8 ? 10 : r);
                if (abs(fc - a->fitness) > 1)
                    d += bp->fitness_demerits;
                if (overfull)
                    d += 1e12;
                d += a->demerits;
                node **slot = candidate(cand, &s->more, &s->n_more, &s->cap_more, rules, fc, run,
                                        a->line + 1);
                if (!*slot || d < (*slot)->demerits) {
                    if (!*slot)
                        *slot = new_node(s);
                    node *c = *slot;
                    c->hyph_run = run;
                    c->pos = b;
                    c->line = a->line + 1;
                    c->fitness = fc;
                    c->demerits = d;
                    c->ratio = r;
                    c->flagged = flagged;
                    c->overfull = overfull;
                    c->prev = a;
                }
            }
            if (deactivate) {
                s->active[ai] = s->active[--s->n_active];
                continue;
            }
            ai++;
        }
        for (size_t i = 0; i < 12 + s->n_more; i++) {
            node *x = i < 12 ? cand[i / 3][i % 3] : s->more[i - 12];
            if (!x)
                continue;
            totals_after(p, b, cw, cstg, cstb, csh, &x->w, &x->stg, &x->stb, &x->sh);
            x->lp = first_box_lp(p, b);
            RT_PUSH(s->active, s->n_active, s->cap_active, x);
        }
        if (s->n_active == 0)
            return false;
    }
    node *best = NULL;
    for (size_t i = 0; i < s->n_active; i++) {
        node *a = s->active[i];
        if (a->pos == p->n_items - 1 && (!best || a->demerits < best->demerits))
            best = a;
    }
    *best_out = best;
    return best != NULL;
}

static bool break_para(const rt_para *p, const double *widths, size_t n_widths,
                       const rt_break_params *bp_in, const rt_break_rules *rules, rt_lines *out) {
    memset(out, 0, sizeof *out);
    if (!p || p->n_items == 0 || n_widths == 0)
        return false;
    rt_break_params defaults;
    rt_break_params_default(&defaults);
    const rt_break_params *bp = bp_in ? bp_in : &defaults;
    size_t n = p->n_items;
    double *cw = rt_xmalloc((n + 1) * sizeof *cw);
    double *cstg = rt_xmalloc((n + 1) * sizeof *cstg);
    double *cstb = rt_xmalloc((n + 1) * sizeof *cstb);
    double *csh = rt_xmalloc((n + 1) * sizeof *csh);
    cw[0] = cstg[0] = cstb[0] = csh[0] = 0;
    for (size_t i = 0; i < n; i++) {
        const rt_item *it = &p->items[i];
        double w = it->kind == RT_ITEM_PENALTY ? 0 : it->width;
        cw[i + 1] = cw[i] + w;
        /* glue stretches; boxes too when font expansion is on */
        cstg[i + 1] = cstg[i] + (it->kind == RT_ITEM_GLUE ? it->stretch : 0);
        cstb[i + 1] = cstb[i] + (it->kind == RT_ITEM_BOX ? it->stretch : 0);
        csh[i + 1] = csh[i] + (it->kind != RT_ITEM_PENALTY ? it->shrink : 0);
    }
    /* cw[b] = width of items [0, b): a break at b excludes item b itself. */
    state s = {0};
    node *best = NULL;
    int pass = 1;
    if (!run_pass(p, widths, n_widths, bp, rules, bp->tolerance, 0, cw, cstg, cstb, csh, &best,
                  &s)) {
        pass = 2;
        if (!run_pass(p, widths, n_widths, bp, rules, bp->tolerance2, 0, cw, cstg, cstb, csh, &best,
                      &s) &&
            !rules) { /* rules are a wish: no emergency pass for them */
            pass = 3;
            if (!run_pass(p, widths, n_widths, bp, NULL, bp->tolerance2, 1, cw, cstg, cstb, csh,
                          &best, &s))
                /* only when hyphens are the only breaks (a long compound
                 * in a narrow box): set it rather than lose it */
                run_pass(p, widths, n_widths, bp, NULL, bp->tolerance2, 2, cw, cstg, cstb, csh,
                         &best, &s);
        }
    }
    out->pass = pass;
    if (best) {
        size_t count = 0;
        for (node *x = best; x->prev; x = x->prev)
            count++;
        out->lines = rt_xcalloc(count, sizeof *out->lines);
        out->n = count;
        size_t k = count;
        for (node *x = best; x->prev; x = x->prev) {
            rt_line *ln = &out->lines[--k];
            const node *a = x->prev;
            size_t st = a->pos == SIZE_MAX ? 0 : a->pos;
            /* skip discardables after the previous break */
            if (a->pos != SIZE_MAX) {
                while (st < n && p->items[st].kind != RT_ITEM_BOX)
                    st++;
            }
            ln->start = st;
            ln->end = x->pos;
            ln->prev_break = a->pos;
            const rt_item *bi = &p->items[x->pos];
            ln->hyphen = bi->kind == RT_ITEM_PENALTY && bi->flagged && (bi->run || bi->pre);
            ln->forced = bi->kind == RT_ITEM_PENALTY && bi->emergency;
            ln->natural = cw[x->pos] - cw[st] + (bi->kind == RT_ITEM_PENALTY ? bi->width : 0);
            if (a->pos != SIZE_MAX && p->items[a->pos].kind == RT_ITEM_PENALTY)
                ln->natural += p->items[a->pos].post_delta;
            ln->width = width_at(widths, n_widths, a->line);
            ln->ratio = x->ratio;
            if (ln->ratio > 1e8)
                ln->ratio = 0;
            ln->overfull = x->overfull;
            ln->lp = a->lp;
            ln->rp = right_protrusion(p, x->pos);
            ln->last = x == best;
        }
    }
    for (node *x = s.all; x;) {
        node *nx = x->next_all;
        free(x);
        x = nx;
    }
    free(s.active);
    free(s.more);
    free(cw);
    free(cstg);
    free(cstb);
    free(csh);
    return best != NULL;
}

bool rt_break_para(const rt_para *p, const double *widths, size_t n_widths,
                   const rt_break_params *bp, rt_lines *out) {
    return break_para(p, widths, n_widths, bp, NULL, out);
}

bool rt_break_para_ruled(const rt_para *p, const double *widths, size_t n_widths,
                         const rt_break_params *bp, const rt_break_rules *rules, rt_lines *out) {
    return break_para(p, widths, n_widths, bp, rules, out);
}

void rt_lines_free(rt_lines *l) {
    free(l->lines);
    l->lines = NULL;
    l->n = 0;
}
