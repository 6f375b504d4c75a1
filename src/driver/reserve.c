/* driver: the edition's reserve (see reserve.h). Composition is a pure
 * function of the edition, so the reserve is chosen outside it: the
 * edition as listed is composed, and again with stories of the reserve
 * slotted into their sections, and the composition that leaves the least
 * to house wins. */
#include "reserve.h"
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRIES 5     /* compositions with stories of the reserve, beyond the first */
#define TOP_UPS 2       /* ... and with one story more that goes last */
#define ENOUGH 0.1      /* left to house, in pages, that needs no more of the reserve */
#define SAME_ROOM 0.05  /* two compositions that leave this close to house tie */
#define CLOSE_ROOM 0.25 /* ... and this close, the one without a large house box wins */

typedef struct {
    rt_composition *comp;
    rt_diag diag;     /* its diagnostics, kept until one is chosen */
    bool *take;       /* e->n_reserve flags */
    rt_edition *view; /* NULL: the edition as listed */
    rt_doc **docs;
    int printed;
    double room; /* house pages and the house boxes of article pages, in pages */
    int faults;  /* design goals missed */
} attempt;

/* Why a story of the reserve cannot print: the first error a composition
 * that tried it reported in its file. */
typedef struct {
    char *message;
    int line, col;
} problem;

static void keep_problems(const attempt *a, const rt_edition *e, problem *why) {
    for (size_t i = 0; i < a->diag.n_items; i++) {
        const rt_diag_item *it = &a->diag.items[i];
        for (size_t r = 0; it->severity == RT_ERROR && it->path && r < e->n_reserve; r++)
            if (a->take[r] && !why[r].message && e->reserve[r].article &&
                strcmp(it->path, e->reserve[r].article->path) == 0)
                why[r] = (problem){rt_xstrdup(it->message), it->line, it->col};
    }
}

static double room_of(const rt_composition *c) {
    const rt_design *t = &c->totals;
    return t->house_pages + t->house_share * t->article_pages;
}

/* The design goals a composition misses (compcheck's, but the house ones). */
static int faults_of(const rt_composition *c) {
    const rt_design *t = &c->totals;
    int n = t->pages_with_3_strips + (t->max_stack > 2) + t->shallow + t->jumped_twice +
            t->small_first_pieces + (t->bumps > 1 ? t->bumps - 1 : 0) + (t->empty_share > 0.01) +
            (t->back && strcmp(t->back, "house") == 0);
    for (size_t i = 0; i < c->n_pages; i++)
        if (c->pages[i].messages) {
            n += t->message_fill_min < 0.75;
            break;
        }
    return n;
}

static void attempt_free(attempt *a) {
    rt_composition_free(a->comp);
    rt_diag_clear(&a->diag);
    free(a->take);
    rt_edition_view_free(a->view);
    free(a->docs);
    memset(a, 0, sizeof *a);
}

static void attempt_run(const rt_edition *e, const bool *take, rt_doc **docs, rt_doc **reserve_docs,
                        rt_doc *const *msg_docs, rt_compose_ctx *ctx, problem *why, attempt *a) {
    memset(a, 0, sizeof *a);
    rt_diag_init(&a->diag, NULL);
    a->diag.silent = true;
    a->diag.keep = true;
    a->take = rt_xcalloc(e->n_reserve + 1, sizeof *a->take);
    for (size_t r = 0; r < e->n_reserve; r++)
        a->printed += a->take[r] = take && take[r];
    const rt_edition *pe = e;
    rt_doc **pd = docs;
    if (a->printed) {
        int *from = rt_xcalloc(e->n_entries + e->n_reserve + 1, sizeof *from);
        a->view = rt_edition_with_reserve(e, a->take, from);
        a->docs = rt_xcalloc(a->view->n_entries + 1, sizeof *a->docs);
        for (size_t i = 0; i < a->view->n_entries; i++)
            a->docs[i] = from[i] >= 0 ? docs[from[i]] : reserve_docs[-1 - from[i]];
        free(from);
        pe = a->view;
        pd = a->docs;
    }
    a->comp = rt_compose(pe, pd, msg_docs, ctx, &a->diag);
    /* a character no font has, in the stories this composition printed
     * (the shaper collects them over every composition tried) */
    if (a->comp)
        rt_compose_report_edition_missing(ctx, pe, &a->diag);
    keep_problems(a, e, why);
    if (a->comp) {
        a->room = room_of(a->comp);
        a->faults = faults_of(a->comp);
    }
    if (ctx->plan_debug)
        fprintf(ctx->plan_debug,
                "reserve: %d stories printed: %zu pages, %.2f pages to house, %d design faults, "
                "%d errors, largest house box %.2f\n",
                a->printed, a->comp ? a->comp->n_pages : 0, a->room, a->faults, a->diag.errors,
                a->comp ? a->comp->totals.house_max : 0);
}

/* `a` can print in place of `base` (the edition as listed): no more pages,
 * no text left out, no error or design goal missed that `base` has not. */
static bool acceptable(const attempt *a, const attempt *base) {
    return a->comp && a->diag.errors <= base->diag.errors &&
           a->comp->n_pages <= base->comp->n_pages &&
           a->comp->overset_lines <= base->comp->overset_lines && a->faults <= base->faults;
}

/* Of two compositions that leave about as much to house, the one without
 * a house box over a tenth of a page (a design warning) is better; else
 * the one that leaves less, else the one with fewer stories of the reserve. */
static bool better(const attempt *a, const attempt *b) {
    bool a_small = a->comp->totals.house_max <= RT_HOUSE_BOX_MAX + 1e-9,
         b_small = b->comp->totals.house_max <= RT_HOUSE_BOX_MAX + 1e-9;
    if (a_small != b_small && fabs(a->room - b->room) <= CLOSE_ROOM)
        return a_small;
    if (fabs(a->room - b->room) > SAME_ROOM)
        return a->room < b->room;
    return a->printed < b->printed;
}

/* What a story takes on the page, points²: its segments' blocks. */
static double area_of(const rt_article_place *p) {
    double s = 0;
    for (size_t k = 0; k < p->n_segments; k++)
        s += p->segments[k].w * p->segments[k].h;
    return s;
}

/* The stories of the reserve whose estimated sizes, in the order listed,
 * fit `room` (points²): each that still fits is taken. */
static void choose(const rt_edition *e, const double *size, double room, bool *take) {
    for (size_t r = 0; r < e->n_reserve; r++) {
        take[r] = size[r] <= room;
        if (take[r])
            room -= size[r];
    }
}

static bool same_take(const bool *a, const bool *b, size_t n) {
    return memcmp(a, b, n * sizeof *a) == 0;
}

rt_composition *rt_reserve_compose(const rt_edition *e, rt_doc **docs, rt_doc **reserve_docs,
                                   rt_doc *const *msg_docs, rt_compose_ctx *ctx, rt_diag *d,
                                   rt_reserve_choice *out) {
    memset(out, 0, sizeof *out);
    out->e = e;
    out->docs = docs;
    if (!e->n_reserve) /* the one composition, reporting as it goes */
        return rt_compose(e, docs, msg_docs, ctx, d);
    size_t nr = e->n_reserve;
    /* a paragraph is typeset once for every composition tried */
    bool own_memo = !ctx->keep;
    if (own_memo)
        ctx->keep = &out->memo;
    attempt best = {0}, base = {0}, t;
    /* watch mode: the stories of the reserve printed last time, kept while
     * they still fill the room (an edit of a few lines does not swap them) */
    const rt_plan_memory *prev = ctx->previous;
    bool *take = rt_xcalloc(nr + 1, sizeof *take);
    problem *why = rt_xcalloc(nr + 1, sizeof *why);
    int had = 0;
    for (size_t r = 0; prev && r < nr; r++)
        for (size_t i = 0; e->reserve[r].article && i < prev->n && !take[r]; i++)
            had += take[r] =
                prev->reserve[i] && strcmp(prev->paths[i], e->reserve[r].article->path) == 0;
    double before = -1; /* what the edition as listed leaves to house, in pages */
    if (had) {
        attempt_run(e, take, docs, reserve_docs, msg_docs, ctx, why, &t);
        /* (all of the reserve printed: there is no more to add); no text
         * left out, no design goal missed */
        if (t.comp && !t.diag.errors && (t.room <= ENOUGH || had == (int)nr) &&
            t.comp->plan_pages <= prev->made && t.comp->overset_lines == 0 && t.faults == 0) {
            best = t;
            goto chosen;
        }
        attempt_free(&t);
    }
    attempt_run(e, NULL, docs, reserve_docs, msg_docs, ctx, why, &base);
    before = base.comp ? base.room : -1;
    if (!base.comp || base.room <= ENOUGH) {
        best = base;
        base = (attempt){0};
        goto chosen;
    }
    /* each story's size, from what the listed stories take: a line fitted
     * through their words and areas (the headline, standfirst and byline
     * make a short story take more per word than a long one) */
    double sw = 0, sa = 0, sww = 0, swa = 0, n = 0;
    for (size_t i = 0; i < e->n_entries && i < base.comp->n_articles; i++) {
        if ((int)i == e->lead || !e->entries[i].article)
            continue;
        double w = (double)rt_doc_words(docs[i]), a = area_of(&base.comp->articles[i]);
        sw += w;
        sa += a;
        sww += w * w;
        swa += w * a;
        n++;
    }
    double det = n * sww - sw * sw;
    double per_word = det > 0 ? (n * swa - sw * sa) / det : sw > 0 ? sa / sw : 0;
    double per_story = det > 0 ? (sa - per_word * sw) / n : 0;
    if (per_word <= 0 || per_story < 0) { /* too few stories to fit a line */
        per_word = sw > 0 ? sa / sw : 0;
        per_story = 0;
    }
    if (ctx->plan_debug)
        fprintf(ctx->plan_debug, "reserve: a story takes %.0f pt2 and %.0f pt2 a word\n", per_story,
                per_word);
    double *size = rt_xcalloc(nr + 1, sizeof *size);
    for (size_t r = 0; r < nr; r++)
        size[r] = e->reserve[r].article && reserve_docs[r] && !why[r].message
                      ? per_story + (double)rt_doc_words(reserve_docs[r]) * per_word
                      : INFINITY;
    const rt_layout *l = e->layout;
    double page = (l->width - l->margin_inner - l->margin_outer) *
                  (l->height - l->margin_top - l->margin_bottom);
    /* the room, scaled until what is taken fills it without a page more:
     * too much (a page more, or a goal missed) halves the step back */
    double f = 1, lo = 0, hi = INFINITY;
    bool **tried = rt_xcalloc(MAX_TRIES + 1, sizeof *tried);
    int n_tried = 0;
    for (int i = 0; i < MAX_TRIES * 2 && n_tried < MAX_TRIES; i++) {
        choose(e, size, f * base.room * page, take);
        bool seen = false;
        for (int k = 0; k < n_tried && !seen; k++)
            seen = same_take(tried[k], take, nr);
        bool none = true;
        for (size_t r = 0; r < nr; r++)
            none = none && !take[r];
        if (!seen && !none) {
            tried[n_tried] = rt_xmalloc((nr + 1) * sizeof *take);
            memcpy(tried[n_tried++], take, nr * sizeof *take);
            attempt_run(e, take, docs, reserve_docs, msg_docs, ctx, why, &t);
            bool ok = acceptable(&t, &base), flawed = false;
            for (size_t r = 0; r < nr; r++) /* a story that cannot print is not tried again */
                if (why[r].message && !isinf(size[r])) {
                    size[r] = INFINITY;
                    flawed = true;
                }
            if (ok && (!best.comp || better(&t, &best))) {
                attempt_free(&best);
                best = t;
            } else {
                attempt_free(&t);
            }
            if (!ok && flawed)
                continue; /* the same room, without it */
            if (!ok)
                hi = f;
            else if (best.room <= ENOUGH)
                break;
            else
                lo = f;
        } else if (none) {
            lo = f; /* not even the smallest story fits: more room */
        } else if (isinf(hi)) {
            lo = f;
        } else {
            hi = f;
        }
        f = isinf(hi) ? f * 1.35 : (lo + hi) / 2;
    }
    /* what the best leaves is at the end of the edition, most often (the
     * last page takes what the others leave): a story that goes last (of
     * the last section, or of none listed) fills it without moving the
     * rest; the nearest in size, while one is left */
    for (int up = 0; up < TOP_UPS && best.comp && best.room > ENOUGH; up++) {
        const rt_edition *be = best.view ? best.view : e;
        const rt_article *last = be->n_entries ? be->entries[be->n_entries - 1].article : NULL;
        double left = best.room * page;
        int pick = -1;
        for (size_t r = 0; r < nr; r++) {
            const rt_article *a = e->reserve[r].article;
            if (best.take[r] || !a || size[r] > 1.5 * left)
                continue;
            bool listed = false; /* its section has stories in the edition */
            for (size_t k = 0; k < be->n_entries && !listed; k++)
                listed = rt_same_section(a, be->entries[k].article);
            bool at_end = !listed || (last && rt_same_section(a, last));
            if (at_end && (pick < 0 || fabs(size[r] - left) < fabs(size[pick] - left)))
                pick = (int)r;
        }
        if (pick < 0)
            break;
        memcpy(take, best.take, nr * sizeof *take);
        take[pick] = true;
        attempt_run(e, take, docs, reserve_docs, msg_docs, ctx, why, &t);
        if (acceptable(&t, &base) && better(&t, &best)) {
            attempt_free(&best);
            best = t;
        } else {
            attempt_free(&t);
            size[pick] = INFINITY; /* not again */
        }
    }
    for (int k = 0; k < n_tried; k++)
        free(tried[k]);
    free(tried);
    free(size);
    if (!best.comp || !better(&best, &base)) {
        attempt_free(&best);
        best = base;
        base = (attempt){0};
    }
chosen:
    attempt_free(&base);
    free(take);
    rt_diag_forward(d, &best.diag);
    rt_diag_clear(&best.diag);
    /* a story of the reserve that cannot print is left out, and said so */
    for (size_t r = 0; r < nr; r++) {
        if (why[r].message && !(best.take && best.take[r]))
            rt_diag_report(d, RT_WARNING, e->reserve[r].article->path, why[r].line, why[r].col,
                           "this story of the reserve is left out: %s", why[r].message);
        free(why[r].message);
    }
    free(why);
    if (best.printed && before >= 0)
        rt_diag_report(d, RT_NOTE, e->path, 0, 0,
                       "%d of the reserve's %zu stories printed: the articles listed left %.1f "
                       "pages to house pages and boxes, with them %.1f%s",
                       best.printed, nr, before, best.room,
                       best.printed == (int)nr && best.room > ENOUGH ? " (the reserve is used up)"
                                                                     : "");
    else if (best.printed)
        rt_diag_report(d, RT_NOTE, e->path, 0, 0,
                       "%d of the reserve's %zu stories printed, as in the last build",
                       best.printed, nr);
    free(best.take);
    if (own_memo)
        ctx->keep = NULL;
    out->view = best.view;
    out->printed = best.printed;
    if (best.view) {
        out->e = best.view;
        out->docs = best.docs;
    }
    return best.comp;
}

void rt_reserve_choice_free(rt_reserve_choice *c) {
    if (c->view)
        free(c->docs);
    if (c->memo)
        rt_compose_keep_free(c->memo);
    rt_edition_view_free(c->view);
    memset(c, 0, sizeof *c);
}
