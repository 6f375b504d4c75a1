/* compose: the edition planner (plan.h). The front page is planned first
 * (its lead and what fits under it); the article pages after it are
 * planned together by a beam search: from each of the best partial
 * editions, the cheapest plans for its next page (page.h) make the next
 * partial editions, and the best BEAM of those go on. A partial edition is
 * scored by the cost of its pages plus an estimate of what its waiting
 * stories will cost, so that cramming a page is not mistaken for progress.
 * Ties keep the earlier plan (the edition's order), so the same input
 * always gives the same pages.
 *
 * Longer than 600 lines: the parts, the front page, the beam, the house
 * pages' places and the reporting of what it could not place share the
 * planner's state. */
#include "plan.h"

#include "msgbox.h"
#include "page.h"
#include "searches.h"
#include "pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BEAM 6
#define WINDOW 10      /* waiting stories a page may take from, in order */
#define BRIEF_WINDOW 6 /* and briefs from further on, for its rail */
#define BRIEF_CELLS                                                                                \
    15.0                  /* waiting briefs beyond the rails' share: brief_wide per so many cells  \
                           */
#define ROOMY 0.95        /* stories under this share of the pages asked for: spread, photos grow */
#define PAGE_BASE 60.0    /* each page: fewer pages for the same quality */
#define PAGE_TYPICAL 30.0 /* what a good page costs besides: estimates what waits */

struct planner {
    composer *c;
    part *parts;
    size_t n;
    int *order; /* placement order: the lead, then sections in order of first appearance */
    size_t n_order;
    unsigned char *done; /* per part, after what was drawn */
    int cont;            /* continued on the next page (-1: none) */
    size_t cont_from;
    double cont_area;
    unsigned char *missed; /* per part: pinned to a page that has passed, or impossible */
    cmp_page_plan *chain;  /* the article pages planned */
    int n_chain;
    unsigned char *chain_done;   /* what they complete */
    int gap_cap, gap_cap_narrow; /* the largest gap a page may leave, in grid cells */
    double want0;   /* spread over more pages than they fill: each page's share (0: not) */
    int msg_span;   /* columns the smallest supporter message needs (0: none) */
    cmp_pool *pool; /* the second thread (pool.h), until the pages are drawn */
};

planner *cmp_planner_new(composer *c, rt_doc *const *docs) {
    const rt_edition *e = c->e;
    planner *P = rt_xcalloc(1, sizeof *P);
    P->c = c;
    P->n = e->n_entries;
    P->parts = rt_xcalloc(P->n + 1, sizeof *P->parts);
    P->order = rt_xcalloc(P->n + 1, sizeof *P->order);
    P->done = rt_xcalloc(P->n + 1, 1);
    P->missed = rt_xcalloc(P->n + 1, 1);
    P->cont = -1;
    size_t lead = e->lead >= 0 && (size_t)e->lead < e->n_entries ? (size_t)e->lead : 0;
    /* sections numbered in order of first appearance */
    int *section = rt_xcalloc(P->n + 1, sizeof *section);
    int n_sections = 0;
    for (size_t i = 0; i < P->n; i++) {
        section[i] = -1;
        for (size_t k = 0; k < i && section[i] < 0; k++)
            if (rt_same_section(e->entries[k].article, e->entries[i].article))
                section[i] = section[k];
        if (section[i] < 0)
            section[i] = n_sections++;
    }
    bool *first = rt_xcalloc(P->n + 1, sizeof *first);
    for (size_t i = 0; i < P->n; i++) {
        first[i] = true;
        for (size_t k = 0; k < i; k++)
            first[i] &= section[k] != section[i];
    }
    P->pool = cmp_pool_new(c);
    cmp_pool_parts_init(P->pool, c, P->parts, P->n, docs, first);
    free(first);
    for (size_t i = 0; i < P->n; i++)
        P->parts[i].section = section[i];
    /* the lead first; then each section in order, its stories in edition order */
    if (P->n)
        P->order[P->n_order++] = (int)lead;
    for (int s = 0; s < n_sections; s++)
        for (size_t i = 0; i < P->n; i++)
            if (section[i] == s && i != lead)
                P->order[P->n_order++] = (int)i;
    for (size_t k = 0; k < P->n_order; k++)
        P->parts[P->order[k]].order = (int)k;
    free(section);
    /* gaps: messages fill them, when the edition has some; else the call */
    double small = 0; /* the narrowest message box */
    for (size_t i = 0; i < e->n_messages; i++) {
        const rt_message *m = &e->messages[i];
        if (m->status == RT_PAY_PENDING || m->rate < 0 || (size_t)m->rate >= c->l->n_rates)
            continue;
        double mw = cmp_msg_width(c, &c->l->rates[m->rate]);
        if (small == 0 || mw < small)
            small = mw;
    }
    int page_cells = c->l->columns * (c->rows - 2);
    P->gap_cap_narrow = (int)(page_cells * 0.1);
    P->gap_cap = small > 0 ? (int)(page_cells * 0.4) : P->gap_cap_narrow;
    P->msg_span =
        small > 0 ? (int)ceil((small + c->l->gutter) / (c->col_w + c->l->gutter) - 1e-6) : 0;
    /* pins that cannot be honoured: set aside (reported once) */
    for (size_t i = 0; i < P->n; i++) {
        const rt_entry *en = P->parts[i].en;
        int need = cmp_flow_min_span(&P->parts[i].f, 0);
        if (en->span && en->span < need) {
            rt_error(c->d, e->path, en->mark.line, en->mark.col,
                     "'%s' is pinned to %d column%s, but a table in it needs %d",
                     P->parts[i].a->path, en->span, en->span == 1 ? "" : "s", need);
            P->missed[i] = 2; /* reported */
            continue;
        }
        int widest = en->span ? en->span : c->l->columns;
        if (en->no_jump && cmp_part_natural(c, &P->parts[i], 0, widest) > c->rows - 2)
            P->missed[i] = 1;
    }
    return P;
}

void cmp_planner_free(planner *P) {
    if (!P)
        return;
    cmp_pool_free(P->pool);
    for (size_t i = 0; i < P->n; i++)
        cmp_part_free(&P->parts[i]);
    free(P->parts);
    free(P->order);
    free(P->done);
    free(P->missed);
    free(P->chain);
    free(P->chain_done);
    free(P);
}

size_t cmp_planner_strongest(const planner *P, int *out, size_t max) {
    int *all = rt_xcalloc(P->n_order + 1, sizeof *all);
    size_t n = 0;
    for (size_t k = 1; k < P->n_order; k++) { /* placed, strongest first, order on a tie */
        int p = P->order[k];
        if (!P->parts[p].started || P->parts[p].ap->first_page == 1)
            continue; /* (not the stories of the front page itself) */
        size_t at = n++;
        while (at > 0 && P->parts[all[at - 1]].weight < P->parts[p].weight) {
            all[at] = all[at - 1];
            at--;
        }
        all[at] = p;
    }
    if (n > max)
        n = max;
    memcpy(out, all, n * sizeof *out);
    free(all);
    return n;
}

/* The stories that may go on page `page`, in order: the continuation, the
 * stories pinned to it, then the first WINDOW waiting. */
static size_t window_for(const planner *P, const unsigned char *done, int cont, int page,
                         int *win) {
    size_t n = 0;
    if (cont >= 0)
        win[n++] = cont;
    for (size_t k = 0; k < P->n_order; k++) {
        int p = P->order[k];
        const rt_entry *en = P->parts[p].en;
        if (p != cont && !done[p] && !P->missed[p] && en->page == page)
            win[n++] = p;
    }
    size_t free_ = 0, k = 0;
    for (; k < P->n_order && free_ < WINDOW; k++) {
        int p = P->order[k];
        const rt_entry *en = P->parts[p].en;
        if (p == cont || done[p] || P->missed[p] || en->page)
            continue;
        win[n++] = p;
        free_++;
    }
    /* and briefs from further on: a rail takes them before their turn rather
     * than leave them to fill the last pages alone */
    for (size_t briefs = 0; k < P->n_order && briefs < BRIEF_WINDOW; k++) {
        int p = P->order[k];
        const part *pt = &P->parts[p];
        if (p == cont || done[p] || P->missed[p] || pt->en->page || pt->role != RT_ROLE_BRIEF)
            continue;
        win[n++] = p;
        briefs++;
    }
    return n;
}

/* After a page: what it completed, what continues. */
static void apply(const planner *P, const cmp_page_plan *pl, unsigned char *done, int *cont,
                  size_t *cont_from, double *cont_area) {
    for (int i = 0; i < pl->n; i++)
        if (pl->pc[i].to >= P->parts[pl->pc[i].part].f.n)
            done[pl->pc[i].part] = 1;
    *cont = pl->cont;
    *cont_from = pl->cont_from;
    *cont_area = pl->cont_area;
}

/* ------------------------------------------------------- the beam search */

typedef struct {
    unsigned char *done;
    int cont;
    size_t cont_from;
    double cont_area;
    double cost;  /* of its pages */
    double score; /* cost + the estimate of what waits */
    int parent;   /* state it grew from (-1: the edition after the front page) */
    int plan;     /* its last page's plan */
    int pages;
} bstate;

typedef struct {
    bstate *s;
    size_t n, cap;
    cmp_page_plan *plans;
    size_t n_plans, cap_plans;
} store;

static bool finished(const planner *P, const bstate *s) {
    if (s->cont >= 0)
        return false;
    for (size_t i = 0; i < P->n; i++)
        if (!s->done[i] && !P->missed[i])
            return false;
    return true;
}

/* When no pattern takes anything: the first story waiting across the
 * page, down to its foot, continued if it must (even a second time: it
 * is reported). False if not even that can be set. */
static bool fallback(planner *P, const int *win, size_t n_win, const unsigned char *done, int cont,
                     size_t cont_from, int top, int bottom, cmp_page_plan *pl) {
    composer *c = P->c;
    memset(pl, 0, sizeof *pl);
    pl->cont = -1;
    for (size_t w = 0; w < n_win; w++) {
        int p = win[w];
        if (done[p])
            continue;
        piece pc;
        size_t from = p == cont ? cont_from : 0;
        const rt_entry *en = P->parts[p].en;
        int span = en->span && from == 0 ? en->span : c->l->columns;
        if (P->missed[p] || !cmp_part_fit(c, &P->parts[p], from, span, bottom - top, CMP_JUMP, &pc))
            continue;
        pc.part = p;
        pc.col0 = 0;
        pc.top = top;
        pl->pc[pl->n++] = pc;
        pl->fullw = span == c->l->columns;
        pl->cost = 1000;
        if (pc.jumps) {
            pl->cont = p;
            pl->cont_from = pc.to;
            pl->cont_area = pc.span * pc.rows;
        }
        return true;
    }
    return false;
}

static int by_score(const void *a, const void *b) {
    const bstate *x = *(const bstate *const *)a, *y = *(const bstate *const *)b;
    if (x->score < y->score - 1e-9)
        return -1;
    if (x->score > y->score + 1e-9)
        return 1;
    return x->plan - y->plan; /* the earlier plan on a tie */
}

/* The waiting stories' area at 3 columns; *briefs: the briefs' part of it. */
static double remaining_of(planner *P, const bstate *s, double *briefs) {
    composer *c = P->c;
    int span = c->l->columns < 3 ? c->l->columns : 3;
    double cells = 0, b = 0;
    for (size_t i = 0; i < P->n; i++) {
        if (s->done[i] || P->missed[i])
            continue;
        size_t from = (int)i == s->cont ? s->cont_from : 0;
        double a = (double)cmp_part_natural(c, &P->parts[i], from, span) * span;
        cells += a;
        if (P->parts[i].role == RT_ROLE_BRIEF)
            b += a;
    }
    if (briefs)
        *briefs = b;
    return cells;
}

static double remaining(planner *P, const bstate *s) {
    return remaining_of(P, s, NULL);
}

/* Briefs go in the rails (2 columns of 5 or more): more of them waiting
 * than that share of what waits leaves the last pages briefs across the
 * main stack (page.c: brief_wide), which the pages before could have
 * avoided by taking briefs in their rails rather than short stories. */
static double briefs_over(planner *P, double rest, double briefs) {
    int C = P->c->l->columns;
    double over = briefs - rest * 2.0 / C;
    if (C < 5 || over <= 0)
        return 0;
    return over / BRIEF_CELLS * P->c->l->compose.cost.brief_wide;
}

/* What the stories still waiting will cost: pages at the usual cost for
 * their area; with a page count to reach, that many pages, each costing
 * what it cannot fill (or cannot hold). */
static double estimate(planner *P, const bstate *s, int target) {
    composer *c = P->c;
    double page_cells = (double)c->l->columns * (c->rows - 2);
    double briefs;
    double rest = remaining_of(P, s, &briefs), over = briefs_over(P, rest, briefs);
    if (target <= 0) {
        /* and near the end, the part of a page the last stories leave */
        double cap = page_cells * 0.9, est = rest * (PAGE_BASE + PAGE_TYPICAL) / page_cells;
        if (rest > 0 && rest < 3 * cap)
            est += (ceil(rest / cap) * cap - rest) * P->c->l->compose.cost.gap * 0.5;
        return est + over;
    }
    int left = target - s->pages;
    if (left <= 0)
        return rest > 0 ? rest * 10 : 0;
    double q = rest / left, cap = page_cells * 0.95;
    double per = PAGE_BASE + PAGE_TYPICAL + (q < cap ? cap - q : 3 * (q - cap));
    /* more room than small gaps can take: the end of the edition gets it
     * (page.c: END_STEEP), unless messages fill it */
    if (P->msg_span == 0 && q < page_cells * 0.9)
        per += (page_cells * 0.9 - q) * P->c->l->compose.cost.gap * 2.0;
    /* spread: pages that took more than their share leave the last ones
     * hollow (one story on a page-sized call for messages) */
    if (P->want0 > 0 && q < P->want0)
        per += (P->want0 - q) * P->c->l->compose.cost.gap * 2.0;
    return left * per + over;
}

int cmp_plan_front(planner *P, rt_page *pg, int col0, int ncols, int top, int bottom) {
    composer *c = P->c;
    if (!P->n_order)
        return top;
    int *win = rt_xcalloc(P->n + 1, sizeof *win);
    /* the lead, then what may follow it (stories pinned to page 1 first) */
    size_t n = 0;
    for (size_t k = 0; k < P->n_order && !n; k++) /* the lead, unless it cannot be set */
        if (!P->missed[P->order[k]])
            win[n++] = P->order[k];
    if (!n) {
        free(win);
        return top;
    }
    size_t rest = window_for(P, P->done, -1, 1, win + 1);
    for (size_t k = 0; k < rest; k++)
        if (win[1 + k] != win[0])
            win[n++] = win[1 + k];
    cmp_page_ctx x = {.parts = P->parts,
                      .n_parts = P->n,
                      .done = P->done,
                      .window = win,
                      .n_window = n,
                      .cont = -1,
                      .page = 1,
                      .col0 = col0,
                      .ncols = ncols,
                      .top = top,
                      .bottom = bottom,
                      .front = true};
    cmp_page_plan *cand = rt_xcalloc(CMP_KEEP, sizeof *cand);
    int nc = cmp_page_search(c, &x, cand);
    /* a long lead with a tall photo shows under a fifth of its lines
     * there: the front opens with it all the same (not with messages and
     * the lead inside the paper) */
    if (nc == 0) {
        x.small_first = true;
        nc = cmp_page_search(c, &x, cand);
    }
    if (nc == 0)
        rt_warning(c->d, P->parts[win[0]].a->path, 0, 0,
                   "the lead fits on the front page in no shape: the front carries no story");
    int end = top;
    /* the cheapest with what it leaves for the pages after it */
    int best = -1;
    double best_score = 0;
    bstate after = {.done = rt_xcalloc(P->n + 1, 1)};
    for (int k = 0; k < nc; k++) {
        memcpy(after.done, P->done, P->n);
        apply(P, &cand[k], after.done, &after.cont, &after.cont_from, &after.cont_area);
        double sc = cand[k].cost + estimate(P, &after, 0);
        if (best < 0 || sc < best_score - 1e-9) {
            best = k;
            best_score = sc;
        }
    }
    free(after.done);
    if (best >= 0) {
        cmp_draw_page_plan(c, pg, P->parts, &cand[best]);
        apply(P, &cand[best], P->done, &P->cont, &P->cont_from, &P->cont_area);
        end = bottom;
    }
    free(cand);
    free(win);
    return end;
}

int cmp_plan_pages(planner *P, int budget, int target) {
    composer *c = P->c;
    int top = 2, bottom = c->rows; /* below the folio */
    store st = {0};
    bstate root = {.done = rt_xcalloc(P->n + 1, 1),
                   .cont = P->cont,
                   .cont_from = P->cont_from,
                   .cont_area = P->cont_area,
                   .parent = -1,
                   .plan = -1};
    memcpy(root.done, P->done, P->n);
    /* spread over more pages than the stories fill: photos may grow more */
    double page_cells = (double)c->l->columns * (bottom - top);
    c->roomy_photos = target > 0 && remaining(P, &root) < ROOMY * target * page_cells;
    /* spread over more pages than the stories fill: each page may leave
     * its share of the room (a band the call for messages fills) rather
     * than the stories filling their pages and the last ones left hollow */
    int cap_narrow = P->gap_cap_narrow, cap = P->gap_cap;
    double room = 0;
    if (c->roomy_photos && P->msg_span == 0) {
        double share = 1.0 - remaining(P, &root) / (target * page_cells);
        room = page_cells * share;
        P->want0 = remaining(P, &root) / target;
        int spread = (int)(page_cells * (share + 0.05));
        if (spread > cap_narrow)
            cap_narrow = spread;
        if (spread > cap)
            cap = spread;
    }
    RT_PUSH(st.s, st.n, st.cap, root);
    int *frontier = rt_xcalloc(BEAM + 1, sizeof *frontier);
    int n_front = 1;
    frontier[0] = 0;
    int best_final = -1;
    double best_final_score = 0;
    int *last = rt_xcalloc(BEAM + 1, sizeof *last);
    int n_last = 0;
    /* the searches of one step: a page context per state of the beam that
     * goes on, run together (pool.h), then the states made from them in
     * the beam's order */
    cmp_page_ctx *xs = rt_xcalloc(BEAM + 1, sizeof *xs);
    int *searched = rt_xcalloc(BEAM + 1, sizeof *searched),
        *counts = rt_xcalloc(BEAM + 1, sizeof *counts);
    int *wins = rt_xcalloc((size_t)BEAM * (P->n + 2), sizeof *wins);
    cmp_page_plan *cands = rt_xcalloc((size_t)BEAM * CMP_KEEP, sizeof *cands);
    for (int page = 2; n_front > 0; page++) {
        size_t first_child = st.n;
        int n_x = 0;
        for (int f = 0; f < n_front; f++) {
            int si = frontier[f];
            if (finished(P, &st.s[si])) {
                double fs = st.s[si].cost;
                if (target > 0)
                    fs += 1e6 * abs(st.s[si].pages - target); /* the count asked for, if it can */
                if (best_final < 0 || fs < best_final_score - 1e-9) {
                    best_final = si;
                    best_final_score = fs;
                }
                continue;
            }
            if (budget > 0 && page > budget)
                continue;
            const bstate *s = &st.s[si];
            int *win = wins + (size_t)n_x * (P->n + 2);
            size_t n_win = window_for(P, s->done, s->cont, page, win);
            cmp_page_ctx x = {.parts = P->parts,
                              .n_parts = P->n,
                              .done = s->done,
                              .window = win,
                              .n_window = n_win,
                              .cont = s->cont,
                              .cont_from = s->cont_from,
                              .cont_area = s->cont_area,
                              .page = page,
                              .col0 = 0,
                              .ncols = c->l->columns,
                              .top = top,
                              .bottom = bottom,
                              .last_chance = budget > 0 && page == budget,
                              .gap_cap = cap,
                              .gap_cap_narrow = cap_narrow,
                              .msg_span = P->msg_span};
            if (target > 0 && s->pages < target) {
                x.want = remaining(P, s) / (target - s->pages);
                x.room = room;
            }
            /* the last page of the edition: what its stories leave is a gap anyway */
            if (remaining(P, s) < (double)c->l->columns * (bottom - top) * 0.9 &&
                (target <= 0 || s->pages + 1 >= target)) /* spread: the last page of the count */
                x.gap_cap = x.gap_cap_narrow = 0;
            searched[n_x] = si;
            xs[n_x++] = x;
        }
        cmp_pool_searches(P->pool, c, P->parts, P->n, xs, (size_t)n_x, cands, counts);
        for (int j = 0; j < n_x; j++) {
            int si = searched[j];
            const cmp_page_ctx *xj = &xs[j];
            cmp_page_plan *cand = cands + (size_t)j * CMP_KEEP;
            int nc = counts[j];
            bstate s = st.s[si];
            if (c->ctx->plan_debug) {
                fprintf(c->ctx->plan_debug, "page %d, state %d (cost %.1f): %d plans, window", page,
                        si, s.cost, nc);
                for (size_t w = 0; w < xj->n_window; w++)
                    fprintf(c->ctx->plan_debug, " a%d%s", xj->window[w],
                            s.done[xj->window[w]] ? "*" : "");
                fprintf(c->ctx->plan_debug, nc ? ", best %.1f\n" : "\n", nc ? cand[0].cost : 0);
            }
            if (nc == 0 && fallback(P, xj->window, xj->n_window, s.done, s.cont, s.cont_from, top,
                                    bottom, cand))
                nc = 1;
            for (int k = 0; k < nc; k++) {
                bstate ch = {.done = rt_xmalloc(P->n + 1),
                             .parent = si,
                             .pages = s.pages + 1,
                             .cost = s.cost + cand[k].cost + PAGE_BASE};
                memcpy(ch.done, s.done, P->n);
                apply(P, &cand[k], ch.done, &ch.cont, &ch.cont_from, &ch.cont_area);
                ch.score = ch.cost + estimate(P, &ch, target);
                ch.plan = (int)st.n_plans;
                RT_PUSH(st.plans, st.n_plans, st.cap_plans, cand[k]);
                RT_PUSH(st.s, st.n, st.cap, ch);
            }
        }
        /* the best BEAM children go on */
        size_t nch = st.n - first_child;
        bstate **ptrs = rt_xcalloc(nch + 1, sizeof *ptrs);
        for (size_t i = 0; i < nch; i++)
            ptrs[i] = &st.s[first_child + i];
        qsort(ptrs, nch, sizeof *ptrs, by_score);
        /* the best BEAM different partial editions (the same stories placed
         * and the same continuation: only the cheaper one) */
        n_front = 0;
        for (size_t i = 0; i < nch && n_front < BEAM; i++) {
            const bstate *a = ptrs[i];
            bool dup = false;
            for (int k = 0; k < n_front && !dup; k++) {
                const bstate *b = &st.s[frontier[k]];
                dup = a->cont == b->cont && a->cont_from == b->cont_from &&
                      memcmp(a->done, b->done, P->n) == 0;
            }
            if (!dup)
                frontier[n_front++] = (int)(a - st.s);
        }
        free(ptrs);
        if (n_front > 0) {
            memcpy(last, frontier, (size_t)n_front * sizeof *last);
            n_last = n_front;
        }
    }
    /* the budget ran out: the best of the last pages, with what is left overset */
    if (best_final < 0)
        for (int i = 0; i < n_last; i++)
            if (best_final < 0 || st.s[last[i]].score < st.s[best_final].score - 1e-9)
                best_final = last[i];
    /* the chosen edition, page by page */
    free(P->chain);
    P->chain = NULL;
    P->n_chain = 0;
    if (best_final >= 0) {
        int depth = st.s[best_final].pages;
        P->chain = rt_xcalloc((size_t)depth + 1, sizeof *P->chain);
        for (int si = best_final, k = depth; si >= 0 && st.s[si].plan >= 0; si = st.s[si].parent)
            P->chain[--k] = st.plans[st.s[si].plan];
        P->n_chain = depth;
        if (!P->chain_done)
            P->chain_done = rt_xcalloc(P->n + 1, 1);
        memcpy(P->chain_done, st.s[best_final].done, P->n);
    }
    P->want0 = 0;
    int made = P->n_chain;
    if (c->ctx->plan_debug)
        fprintf(c->ctx->plan_debug, "plan: target %d, chose %d pages (state %d)\n", target, made,
                best_final);
    for (size_t i = 0; i < st.n; i++)
        free(st.s[i].done);
    free(st.s);
    free(st.plans);
    free(frontier);
    free(last);
    free(xs);
    free(searched);
    free(counts);
    free(wins);
    free(cands);
    return made;
}

struct cmp_plan_saved {
    cmp_page_plan *chain;
    int n_chain;
    unsigned char *chain_done; /* NULL: no plan */
    bool roomy_photos;         /* the photos' room the plan was measured with */
};

cmp_plan_saved *cmp_plan_save(const planner *P) {
    cmp_plan_saved *s = rt_xcalloc(1, sizeof *s);
    s->n_chain = P->n_chain;
    s->chain = rt_xcalloc((size_t)P->n_chain + 1, sizeof *s->chain);
    if (P->n_chain)
        memcpy(s->chain, P->chain, (size_t)P->n_chain * sizeof *s->chain);
    if (P->chain_done) {
        s->chain_done = rt_xmalloc(P->n + 1);
        memcpy(s->chain_done, P->chain_done, P->n + 1);
    }
    s->roomy_photos = P->c->roomy_photos;
    return s;
}

void cmp_plan_restore(planner *P, const cmp_plan_saved *s) {
    free(P->chain);
    P->chain = rt_xcalloc((size_t)s->n_chain + 1, sizeof *P->chain);
    if (s->n_chain)
        memcpy(P->chain, s->chain, (size_t)s->n_chain * sizeof *P->chain);
    P->n_chain = s->n_chain;
    free(P->chain_done);
    P->chain_done = NULL;
    if (s->chain_done) {
        P->chain_done = rt_xmalloc(P->n + 1);
        memcpy(P->chain_done, s->chain_done, P->n + 1);
    }
    P->c->roomy_photos = s->roomy_photos;
}

void cmp_plan_saved_free(cmp_plan_saved *s) {
    if (!s)
        return;
    free(s->chain);
    free(s->chain_done);
    free(s);
}

size_t cmp_planned_gaps(const planner *P, int first_page, rt_house_box **out) {
    size_t n = 0;
    for (int k = 0; k < P->n_chain; k++)
        n += (size_t)P->chain[k].n_gaps;
    *out = rt_xcalloc(n + 1, sizeof **out);
    n = 0;
    for (int k = 0; k < P->n_chain; k++)
        for (int i = 0; i < P->chain[k].n_gaps; i++) {
            const cmp_gap *g = &P->chain[k].gaps[i];
            /* as cmp_house_box will record it: gaps under a line and a half are not */
            if ((g->bottom - g->top) * P->c->B - P->c->B * 0.6 < P->c->B * 1.5)
                continue;
            (*out)[n++] = (rt_house_box){.page = first_page + k,
                                         .col0 = g->col0,
                                         .columns = g->span,
                                         .top = g->top,
                                         .bottom = g->bottom};
        }
    return n;
}

static const char *planned_section(const planner *P, int k) {
    return k >= 0 && k < P->n_chain ? cmp_page_plan_section(P->parts, &P->chain[k]) : NULL;
}

static bool planned_continues(const planner *P, int k) {
    return k >= 0 && k < P->n_chain && P->chain[k].cont >= 0;
}

/* The house pages' places (plan.h): one to a place, the places spread
 * evenly (the same advertisement twice or three times in a row reads as a
 * hole in the paper, one between two stories' pages as an advertisement),
 * the rest at the last place; after the back page only when a story is
 * pinned to it. */
int cmp_planned_house_places(const planner *P, int articles, int msg_pages, int house, int *after) {
    const rt_edition *e = P->c->e;
    /* a story pinned to page N is planned on article page N - 2: no house
     * page before it */
    int first = 0;
    for (size_t i = 0; i < e->n_entries; i++)
        if (e->entries[i].page - 2 > first)
            first = e->entries[i].page - 2;
    /* the places: between two sections first, where they are enough (a
     * house page inside a section parts its pages), the last always */
    int *at = rt_xcalloc((size_t)articles + 1, sizeof *at), n = 0;
    for (int pass = 0; pass < 2 && n < house; pass++) {
        n = 0;
        for (int k = first; k < articles; k++) {
            if (planned_continues(P, k) || (k + 1 == articles && msg_pages == 0))
                continue;
            const char *s0 = planned_section(P, k), *s1 = planned_section(P, k + 1);
            bool between = k + 1 >= articles || !s0 || !s1 || strcmp(s0, s1) != 0;
            if (pass == 1 || between || k + 2 >= articles)
                at[n++] = k;
        }
    }
    /* stories continued across every place: before the back page all the
     * same (its jump line says the page), unless a story is pinned to it */
    if (!n && house > 0 && !msg_pages && articles >= 2 && articles - 2 >= first)
        at[n++] = articles - 2;
    int left = house;
    if (n > 0 && house > 0) {
        int placed = house < n ? house : n;
        /* place i of `placed` at the end of its share of the places: one
         * alone where it always went (before the back page, or before the
         * message pages) */
        for (int i = 0; i < placed; i++)
            after[at[(int)(((long)(i + 1) * n) / placed) - 1]]++;
        after[at[n - 1]] += house - placed;
        left = 0;
    }
    free(at);
    return left;
}

bool cmp_planned_complete(const planner *P) {
    if (!P->chain_done || (P->n_chain && P->chain[P->n_chain - 1].cont >= 0))
        return P->n == 0;
    for (size_t i = 0; i < P->n; i++)
        if (!P->chain_done[i] && !P->missed[i])
            return false;
    return true;
}

int cmp_planned_gap_rows(const planner *P) {
    int cells = 0;
    for (int k = 0; k < P->n_chain; k++)
        for (int i = 0; i < P->chain[k].n_gaps; i++) {
            const cmp_gap *g = &P->chain[k].gaps[i];
            cells += (g->bottom - g->top) * g->span;
        }
    return cells;
}

void cmp_draw_planned(planner *P, int k, rt_page *pg) {
    /* drawing changes the parts (their continuations, the lines at a
     * column's foot): no copy of them measures after */
    cmp_pool_free(P->pool);
    P->pool = NULL;
    cmp_draw_page_plan(P->c, pg, P->parts, &P->chain[k]);
    if (k == P->n_chain - 1 && P->chain_done) {
        memcpy(P->done, P->chain_done, P->n);
        P->cont = P->chain[k].cont;
    }
}

/* ------------------------------------------------------------ reporting */

void cmp_planner_report(planner *P, int last_page, bool allow_overset) {
    composer *c = P->c;
    bool cause = false; /* a pin that cannot be honoured: what follows is its consequence */
    for (size_t k = 0; k < P->n_order; k++) {
        part *pt = &P->parts[P->order[k]];
        if (pt->next >= pt->f.n && pt->started)
            continue;
        int lines = 0;
        size_t words = 0;
        for (size_t i = pt->next; i < pt->f.n; i++)
            if (pt->f.items[i].kind == FI_LINE) {
                lines++;
                const tpara *tp = &pt->f.paras[pt->f.items[i].para];
                const rt_line *ln = &tp->lines.lines[pt->f.items[i].line];
                for (size_t j = ln->start; j < ln->end; j++)
                    words += tp->para->items[j].kind == RT_ITEM_GLUE;
                words++;
            }
        const rt_entry *en = pt->en;
        int widest = en->span ? en->span : c->l->columns;
        if (P->missed[P->order[k]] == 2) {
            cause = true;
        } else if (!pt->started && en->no_jump &&
                   cmp_part_natural(c, pt, 0, widest) > c->rows - 2) {
            rt_error(c->d, c->e->path, en->mark.line, en->mark.col,
                     "'%s' cannot be placed without a jump (no_jump): it needs %d rows in %d "
                     "columns, a page has %d",
                     pt->a->path, cmp_part_natural(c, pt, 0, widest), widest, c->rows - 2);
            cause = true;
        } else if (en->page && en->page > last_page && !pt->started) {
            rt_error(c->d, c->e->path, en->mark.line, en->mark.col,
                     "'%s' is pinned to page %d, but its stories fill pages 1 to %d (the "
                     "supporter messages and house pages come after them): pin it to page %d "
                     "or earlier",
                     pt->a->path, en->page, last_page, last_page);
            cause = true;
        } else if (cause) {
            rt_diag_report(c->d, RT_NOTE, pt->a->path, 0, 0,
                           "not placed: %d line%s (about %zu words), after the error above", lines,
                           lines == 1 ? "" : "s", words);
        } else {
            rt_diag_report(c->d, allow_overset ? RT_WARNING : RT_ERROR, pt->a->path, 0, 0,
                           "overset: %d line%s (about %zu words) %s; cut them, or give the "
                           "edition more pages%s",
                           lines, lines == 1 ? "" : "s", words,
                           pt->started ? "did not fit after the last jump" : "found no page",
                           allow_overset ? "" : " (--allow-overset builds anyway)");
        }
        pt->jump_page = 0; /* a jump line with nowhere to go is not drawn */
        c->out->overset_lines += lines;
    }
}
