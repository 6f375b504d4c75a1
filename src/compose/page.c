/* compose: modular page patterns, searched and scored (page.h).
 *
 * The search is a depth-first walk over the page's tiers: which waiting
 * story goes where, at which width, at its natural height or down to the
 * foot. Every story is measured once per width (piece.h caches it); a
 * finished arrangement is scored and the cheapest CMP_KEEP are kept.
 *
 * Longer than 600 lines: the walk, its scoring and the drawing of its
 * result share the plan being built and are read together.
 */
#include "page.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_TIER 12      /* rows a tier below another needs at least */
#define FRONT_PIECES 4   /* the front's lead and the stories under it */
#define MIN_BLOCK 10     /* rows a story needs under another in a stack */
#define RAIL_HEAD 2      /* rows of the rail's heading */
#define CHOICES 3        /* stories tried at each step, in the edition's order */
#define OPENERS 4        /* stories tried to open a page or a stack */
#define MAX_STACK 6      /* stories in a main stack */
#define MAX_RAIL 7       /* stories in a rail */
#define RAIL_KEEP 2      /* rail fillings tried with each main stack */
#define PATTERN_EVALS 80 /* arrangements scored per opener and pattern */
#define RAIL_CACHE 16
#define END_STEEP 2.0 /* the end-of-edition gap beyond a tenth of a page: times the gap cost */

typedef enum { AFTER_FINISH, AFTER_RAIL, AFTER_RAIL_THEN_F, AFTER_RAIL_GAP } after_main;

typedef struct {
    composer *c;
    const cmp_page_ctx *x;
    unsigned char *used; /* per part, during the walk */
    cmp_page_plan cur;
    cmp_page_plan *best;
    int n_best;
    long evals;
    long cap;             /* evaluations allowed for the pattern being searched */
    bool briefs_in_stack; /* a retry: briefs may go in the main stack too */
    bool in_sub;          /* building the stack beside a rail under the main stack */
    int stack_from;       /* the first piece of the main stack being built */
    int n_stories;        /* waiting stories that are not briefs */
    /* the split tier being built */
    int s_top, s_w, s_m;
    after_main after;
    const part **waiting;    /* scratch for score(): one per window story */
    struct rail_walk *rails; /* rail fillings already searched (RAIL_CACHE) */
    unsigned long rail_mask[16];
    int n_rails, next_rail;
} gen;

static const rt_compose_params *params(const gen *g) {
    return &g->c->l->compose;
}

static size_t from_of(const gen *g, int p) {
    return p == g->x->cont ? g->x->cont_from : 0;
}

static part *P_(const gen *g, int p) {
    return &g->x->parts[p];
}

/* The largest gap a page may leave `span` columns wide, in grid cells. */
static int gap_cap(const cmp_page_ctx *x, int span) {
    if (x->gap_cap <= 0)
        return 1 << 30;
    return x->msg_span > 0 && span >= x->msg_span ? x->gap_cap : x->gap_cap_narrow;
}

static int area(const piece *pc) {
    return pc->span * pc->rows;
}

static bool pinned_here(const gen *g, int p) {
    const rt_entry *en = P_(g, p)->en;
    return en && en->page == g->x->page && from_of(g, p) == 0;
}

/* May story p go at `span` columns from `col0`, from row `top`? */
static bool pin_ok(const gen *g, int p, int col0, int span, int top) {
    const rt_entry *en = P_(g, p)->en;
    if (!en || from_of(g, p) > 0)
        return true;
    if (en->span && span != en->span)
        return false;
    if (en->position == RT_POS_TOP && (top != g->x->top || col0 != g->x->col0))
        return false;
    return true;
}

static cmp_jump may_jump(const gen *g, int p) {
    if (g->x->last_chance || from_of(g, p) > 0)
        return CMP_NO_JUMP; /* a story continues once at most */
    if (g->in_sub)
        return CMP_NO_JUMP; /* nor from a narrow stack beside briefs (its rest would be wider) */
    if (g->x->front)        /* only the lead; with a short rest when nothing else fits */
        return p != g->x->window[0] ? CMP_NO_JUMP : g->x->small_first ? CMP_JUMP_SHORT : CMP_JUMP;
    return CMP_JUMP;
}

/* A cut first piece must be at least a third of its article: its
 * continuation (measured at the same width) at most twice its area, and a
 * fifth of its lines at least. */
static bool piece_ok(gen *g, const piece *pc) {
    part *pt = P_(g, pc->part);
    if (pc->jumps && pc->from == 0) {
        if (!g->x->small_first) { /* (the front page's lead, when nothing else fits) */
            size_t lines = cmp_flow_lines(&pt->f, 0, pt->f.n),
                   shown = cmp_flow_lines(&pt->f, 0, pc->to);
            if (shown * 5 < lines)
                return false;
            int rest = cmp_part_natural(g->c, pt, pc->to, pc->span) * pc->span;
            if (rest > 2 * area(pc))
                return false;
        }
        /* and its continuation must fit the next page: a story jumps once */
        int C = g->c->l->columns;
        if (cmp_part_natural(g->c, pt, pc->to, C) > g->c->rows - 2)
            return false;
    }
    if (pc->from > 0 && g->x->cont_area > 0 && pc->span * pc->rows > 2 * g->x->cont_area)
        return false;
    const rt_entry *en = pt->en;
    if (en && pc->from == 0 && en->position == RT_POS_BOTTOM && pc->top + pc->rows != g->x->bottom)
        return false;
    return true;
}

static bool push(gen *g, int p, int col0, int top, piece *pc) {
    if (g->cur.n >= (g->x->front ? FRONT_PIECES : CMP_MAX_PIECES))
        return false;
    pc->part = p;
    pc->col0 = col0;
    pc->top = top;
    if (!piece_ok(g, pc))
        return false;
    g->cur.pc[g->cur.n++] = *pc;
    g->used[p] = 1;
    return true;
}

static void pop(gen *g) {
    g->used[g->cur.pc[--g->cur.n].part] = 0;
}

/* Pushes a piece that reaches the foot of its column: a hole under its
 * text larger than the layout's hole_rows becomes a gap under the block
 * (small messages or the call fill it), if the gap is not too large. The
 * caller restores cur.n_gaps after pop(). */
static bool push_down(gen *g, int p, int col0, int r, piece *pc) {
    int hole = pc->hole;
    if (hole > params(g)->hole_rows + 1) {
        if ((hole - 1) * pc->span > gap_cap(g->x, pc->span) || g->cur.n_gaps >= CMP_MAX_GAPS)
            return false;
        pc->rows -= hole;
        pc->hole = 0;
        pc->gap_below = true;
        if (!push(g, p, col0, r, pc))
            return false;
        g->cur.gaps[g->cur.n_gaps++] = (cmp_gap){
            .col0 = col0, .span = pc->span, .top = r + pc->rows + 1, .bottom = r + pc->rows + hole};
        return true;
    }
    return push(g, p, col0, r, pc);
}

/* ------------------------------------------------------------- scoring */

static double score(gen *g) {
    const rt_compose_params *cp = params(g);
    const cmp_page_ctx *x = g->x;
    cmp_page_plan *pl = &g->cur;
    int rows_page = x->bottom - x->top;
    double cost = 0;
    const piece *tl = NULL, *big = NULL, *second = NULL;
    int sections[CMP_MAX_PIECES], n_sections = 0, n_full = 0;
    /* the window's stories still waiting (neither placed before nor here) */
    const part **waiting = g->waiting;
    int n_waiting = 0;
    for (size_t w = 0; w < x->n_window; w++)
        if (!g->used[x->window[w]] && !x->done[x->window[w]])
            waiting[n_waiting++] = &x->parts[x->window[w]];
    for (int i = 0; i < pl->n; i++) {
        const piece *pc = &pl->pc[i];
        part *pt = P_(g, pc->part);
        if (pc->hole > 0)
            cost += pc->hole <= cp->hole_rows
                        ? pc->hole * pc->span * cp->cost.hole
                        : pc->hole * pc->span * cp->cost.gap + cp->cost.gap_each;
        cost += pc->extra * pc->span * cp->cost.image_slack;
        if (!pc->jumps && pc->img_max > 0) /* a whole story with its photo cropped */
            cost += (pt->img[pc->span] - pc->img_max) * pc->span * cp->cost.image_crop;
        if (pc->jumps)
            cost += cp->cost.jump + (pc->top > x->top ? cp->cost.jump_later : 0);
        if (pc->span >= 4 && pc->rows < 0.4 * rows_page) {
            int lines = (int)cmp_flow_lines(&pt->f, pc->from, pc->to);
            if (lines < cp->cost.shallow_rows * pc->span)
                cost += cp->cost.shallow;
        }
        if (pt->role == RT_ROLE_BRIEF && pc->span >= 3)
            cost += cp->cost.brief_wide;
        if (x->ncols >= 3 && pc->span == x->ncols && !x->front) {
            cost += cp->cost.fullw;
            n_full++;
        }
        if (pc->from == 0 && pt->a->n_images && pc->top > x->top + rows_page / 2)
            cost += cp->cost.low_photo;
        if (pc->span == 1 && pc->rows > rows_page * cp->cost.tall_share)
            cost += cp->cost.tall_column;
        /* watch mode: a story stays on the page it was on */
        if (pc->from == 0 && pt->was_on && pt->was_on != x->page)
            cost += cp->cost.moved;
        if (!tl || pc->top < tl->top || (pc->top == tl->top && pc->col0 < tl->col0))
            tl = pc;
        if (!big || area(pc) > area(big)) {
            second = big;
            big = pc;
        } else if (!second || area(pc) > area(second)) {
            second = pc;
        }
        bool seen = false;
        for (int k = 0; k < n_sections; k++)
            seen |= sections[k] == pt->section;
        if (!seen)
            sections[n_sections++] = pt->section;
        /* the edition's order: stories that come first in its section wait */
        for (int w = 0; w < n_waiting; w++)
            if (waiting[w]->section == pt->section && waiting[w]->order < pt->order)
                cost += pt->role == RT_ROLE_BRIEF ? cp->cost.order * 0.3 : cp->cost.order;
        /* two blocks side by side with their tops level */
        for (int k = 0; k < pl->n; k++) {
            const piece *o = &pl->pc[k];
            if (o != pc && o->col0 == pc->col0 + pc->span && o->top == pc->top)
                cost += cp->cost.bump;
        }
    }
    if (n_sections > 1)
        cost += (n_sections - 1) * cp->cost.mixed;
    if (pl->fullw >= 2)
        cost += cp->cost.strips;
    /* three stories across the page, one under another: only the last
     * resort of a page no pattern fits (the stories stacked as they come) */
    if (n_full >= 3)
        cost += cp->cost.shallow;
    if (tl && big && area(tl) < area(big))
        cost += cp->cost.not_top;
    if (big && second && area(second) * 5 > area(big) * 4)
        cost += cp->cost.flat;
    /* a page opens with a new story rather than a continuation */
    if (tl && tl->from > 0 && pl->n > 1)
        cost += cp->cost.jump_later;
    /* the page leads with its first section, and with its strongest story */
    if (tl)
        for (int k = 0; k < n_sections; k++)
            if (sections[k] < P_(g, tl->part)->section) {
                cost += cp->cost.hierarchy;
                break;
            }
    if (tl)
        for (int i = 0; i < pl->n; i++)
            if (P_(g, pl->pc[i].part)->weight > P_(g, tl->part)->weight + 0.5)
                cost += cp->cost.hierarchy;
    /* the gaps; spreading the stories over more pages than they fill, with
     * no messages for the room, the page's share of it is planned (a band
     * the call for messages fills) and costs little: what goes beyond costs
     * as any gap */
    double allowance = x->room;
    for (int i = 0; i < pl->n_gaps; i++) {
        const cmp_gap *gp = &pl->gaps[i];
        double cells = (gp->bottom - gp->top) * gp->span,
               cheap = cells < allowance ? cells : allowance;
        allowance -= cheap;
        cost += cheap * cp->cost.gap * 0.1 + (cells - cheap) * cp->cost.gap + cp->cost.gap_each;
    }
    /* spreading the stories over the pages: a page that takes more than its
     * share leaves too little for the others */
    if (x->want > 0) {
        double content = 0;
        for (int i = 0; i < pl->n; i++)
            content += (pl->pc[i].rows - pl->pc[i].extra - pl->pc[i].hole) * pl->pc[i].span;
        cost += content > x->want ? 0.5 * (content - x->want) : 0.1 * (x->want - content);
    }
    return cost;
}

static void keep(gen *g, double cost) {
    g->cur.cost = cost;
    int at = g->n_best;
    while (at > 0 && cost < g->best[at - 1].cost - 1e-9)
        at--;
    if (at >= CMP_KEEP)
        return;
    int n = g->n_best < CMP_KEEP ? g->n_best + 1 : CMP_KEEP;
    memmove(&g->best[at + 1], &g->best[at], (size_t)(n - 1 - at) * sizeof *g->best);
    g->best[at] = g->cur;
    g->n_best = n;
}

/* Two stories across the page, the upper one at its natural height and
 * the lower one down to the page's foot (its photo grown there, or its own
 * text longer): when the lower one is the larger block it goes on top (the
 * page led by its largest block, the photo high) if its weight and the
 * edition's pins allow. Returns the index of the upper piece to swap with
 * the other, or -1. */
static int tiers_to_swap(const gen *g) {
    const cmp_page_ctx *x = g->x;
    const cmp_page_plan *pl = &g->cur;
    if (pl->n != 2 || pl->n_gaps || pl->rail.span || pl->sub.span || x->front)
        return -1;
    int i = pl->pc[0].top < pl->pc[1].top ? 0 : 1;
    const piece *a = &pl->pc[i], *b = &pl->pc[1 - i];
    if (a->span != x->ncols || b->span != x->ncols || a->jumps || b->jumps || a->extra > 0 ||
        a->top != x->top || b->top != a->top + a->rows + 1 || b->top + b->rows != x->bottom ||
        area(b) <= area(a))
        return -1;
    const part *pa = P_(g, a->part), *pb = P_(g, b->part);
    if (pb->weight + 0.5 < pa->weight)
        return -1;
    const rt_entry *ea = from_of(g, a->part) == 0 ? pa->en : NULL,
                   *eb = from_of(g, b->part) == 0 ? pb->en : NULL;
    if ((ea && ea->position == RT_POS_TOP) || (eb && eb->position == RT_POS_BOTTOM))
        return -1;
    return i;
}

/* Swaps the two tiers of tiers_to_swap() (i: the upper one's index): the
 * lower one starts at the top. Swapping again (1 - i) undoes it. */
static void swap_tiers(gen *g, int i) {
    piece *a = &g->cur.pc[i], *b = &g->cur.pc[1 - i];
    int top = a->top;
    b->top = top;
    a->top = top + b->rows + 1;
}

/* A complete arrangement down to row `end`: checks, scores, keeps. */
static void finish(gen *g, int end) {
    const cmp_page_ctx *x = g->x;
    g->evals++;
    if (g->cur.n == 0)
        return;
    if (x->cont >= 0 && !g->used[x->cont])
        return; /* a continuation goes on the next page */
    for (size_t w = 0; w < x->n_window; w++)
        if (pinned_here(g, x->window[w]) && !g->used[x->window[w]])
            return;
    int saved_gaps = g->cur.n_gaps;
    double extra = 0;
    if (end < x->bottom) { /* the end of the edition: what is left is a gap */
        bool waiting = false;
        for (size_t w = 0; w < x->n_window; w++)
            waiting |= !g->used[x->window[w]] && !x->done[x->window[w]];
        int cells = (x->bottom - end) * x->ncols;
        /* at the end of the edition: messages fill what is left, when there
         * are some; else it is the call for messages, as any gap */
        extra = waiting           ? cells * params(g)->cost.leftover
                : x->msg_span > 0 ? cells * params(g)->cost.hole * params(g)->cost.end_share
                                  : cells * params(g)->cost.gap + params(g)->cost.gap_each;
        /* spreading the stories over a page count: the end of the edition
         * beyond a tenth of the page costs more, so that the slack goes in
         * small gaps over the last pages rather than one large house box */
        double tenth = 0.1 * x->ncols * (x->bottom - x->top);
        if (!waiting && x->msg_span == 0 && x->want > 0 && cells > tenth)
            extra += (cells - tenth) * params(g)->cost.gap * END_STEEP;
        if (g->cur.n_gaps < CMP_MAX_GAPS && x->bottom - end - 1 >= 1)
            g->cur.gaps[g->cur.n_gaps++] =
                (cmp_gap){.col0 = x->col0, .span = x->ncols, .top = end + 1, .bottom = x->bottom};
    }
    /* what continues on the next page */
    g->cur.cont = -1;
    g->cur.cont_from = 0;
    g->cur.cont_area = 0;
    for (int i = 0; i < g->cur.n; i++)
        if (g->cur.pc[i].jumps) {
            g->cur.cont = g->cur.pc[i].part;
            g->cur.cont_from = g->cur.pc[i].to;
            g->cur.cont_area = area(&g->cur.pc[i]);
        }
    double cost = score(g);
    if (end < x->bottom)
        cost += extra - (g->cur.n_gaps > saved_gaps
                             ? params(g)->cost.gap_each +
                                   (x->bottom - end - 1) * x->ncols * params(g)->cost.gap
                             : 0);
    /* scored in the order it was built: the search makes the choices it
     * makes without the swap, and only the order on the page changes */
    int swap = tiers_to_swap(g);
    if (swap >= 0)
        swap_tiers(g, swap);
    keep(g, cost);
    if (swap >= 0) /* back as it was built (the walk pops its pieces) */
        swap_tiers(g, 1 - swap);
    g->cur.n_gaps = saved_gaps;
}

/* --------------------------------------------------------------- rails */

/* Can story p go in a rail of w columns and `rows` rows? Briefs can, and
 * short stories that take at most half the rail. */
static bool rail_story(gen *g, int p, int w, int rows) {
    part *pt = P_(g, p);
    if (from_of(g, p) > 0 || pt->role > RT_ROLE_SECONDARY)
        return false;
    if (pt->en && pt->en->span && pt->en->span != w)
        return false;
    if (pt->en && pt->en->position == RT_POS_TOP)
        return false;
    int nat = cmp_part_natural(g->c, pt, 0, w);
    return pt->role == RT_ROLE_BRIEF ? nat <= rows : nat * 2 <= rows;
}

typedef struct {
    int part[MAX_RAIL];
    int rows[MAX_RAIL]; /* each story's natural rows */
    int n;
    int end;     /* row after the last story */
    double cost; /* its leftover and its skips */
} rail_fill;

typedef struct rail_walk {
    gen *g;
    int col0, w, top, bottom;
    rail_fill cur, best[RAIL_KEEP];
    int n_best;
    long steps;
} rail_walk;

static void rail_keep(rail_walk *rw) {
    const rt_compose_params *cp = params(rw->g);
    int left = rw->bottom - rw->cur.end;
    double cost = rw->cur.cost;
    if (left > cp->hole_rows && (left - 1) * rw->w > gap_cap(rw->g->x, rw->w))
        return;               /* too large a gap */
    if (left > cp->hole_rows) /* the call for messages, or small messages */
        cost += (left - 1) * rw->w * cp->cost.gap + cp->cost.gap_each;
    else
        cost += left * rw->w * cp->cost.hole;
    int at = rw->n_best;
    while (at > 0 && cost < rw->best[at - 1].cost - 1e-9)
        at--;
    if (at >= RAIL_KEEP)
        return;
    int n = rw->n_best < RAIL_KEEP ? rw->n_best + 1 : RAIL_KEEP;
    memmove(&rw->best[at + 1], &rw->best[at], (size_t)(n - 1 - at) * sizeof *rw->best);
    rw->best[at] = rw->cur;
    rw->best[at].cost = cost;
    rw->n_best = n;
}

static void rail_dfs(rail_walk *rw, int r, size_t from_w) {
    gen *g = rw->g;
    const cmp_page_ctx *x = g->x;
    if (++rw->steps > 4000)
        return;
    if (rw->cur.n > 0)
        rail_keep(rw);
    if (rw->cur.n >= MAX_RAIL)
        return;
    int tried = 0;
    for (size_t w = from_w; w < x->n_window && tried < CHOICES; w++) {
        int p = x->window[w];
        if (g->used[p] || x->done[p])
            continue;
        bool inrail = false;
        for (int k = 0; k < rw->cur.n; k++)
            inrail |= rw->cur.part[k] == p;
        if (inrail || !rail_story(g, p, rw->w, rw->bottom - rw->top - RAIL_HEAD))
            continue;
        tried++;
        int nat = cmp_part_natural(g->c, P_(g, p), 0, rw->w);
        if (r + nat > rw->bottom)
            continue;
        rail_fill saved = rw->cur;
        rw->cur.part[rw->cur.n] = p;
        rw->cur.rows[rw->cur.n] = nat;
        rw->cur.n++;
        rw->cur.end = r + nat;
        rw->cur.cost += (tried - 1) * params(g)->cost.order;
        rail_dfs(rw, r + nat + 1, w + 1);
        rw->cur = saved;
    }
}

static void after_rail(gen *g, int end);

/* The rail fillings found for one place and the stories still free, so
 * that the many main stacks beside the same rail reuse them. */
static rail_walk *rail_lookup(gen *g, int col0, int w, int top, int bottom) {
    unsigned long mask = 0; /* the stories a rail could take that are used */
    for (size_t k = 0; k < g->x->n_window && k < 8 * sizeof mask; k++)
        if (g->used[g->x->window[k]] && P_(g, g->x->window[k])->role <= RT_ROLE_SECONDARY)
            mask |= 1ul << k;
    for (int i = 0; i < g->n_rails; i++) {
        rail_walk *rw = &g->rails[i];
        if (rw->col0 == col0 && rw->w == w && rw->top == top && rw->bottom == bottom &&
            g->rail_mask[i] == mask)
            return rw;
    }
    int i = g->n_rails < RAIL_CACHE ? g->n_rails++ : (g->next_rail++ % RAIL_CACHE);
    rail_walk *rw = &g->rails[i];
    *rw = (rail_walk){.g = g, .col0 = col0, .w = w, .top = top, .bottom = bottom};
    g->rail_mask[i] = mask;
    rw->cur.end = top + RAIL_HEAD;
    rail_dfs(rw, top + RAIL_HEAD, 0);
    return rw;
}

/* Pushes a rail filling's stories one under another from row r down to
 * `bottom` in [col0, col0 + w), the last one taking what is left (a hole of
 * at most hole_rows), else a gap under it. False if one does not fit: the
 * caller pops what was pushed and restores the gaps. */
static bool push_rail(gen *g, const rail_fill *rf, int col0, int w, int r, int bottom) {
    for (int k = 0; k < rf->n; k++) {
        int rows = rf->rows[k];
        int left = bottom - (r + rows);
        if (k + 1 == rf->n && left <= params(g)->hole_rows)
            rows += left; /* the last story takes the rest */
        piece pc;
        if (!cmp_part_fit(g->c, P_(g, rf->part[k]), 0, w, rows, CMP_NO_JUMP, &pc) ||
            !push(g, rf->part[k], col0, r, &pc))
            return false;
        r += rows + 1;
    }
    if (bottom - r >= 1 && g->cur.n_gaps < CMP_MAX_GAPS)
        g->cur.gaps[g->cur.n_gaps++] =
            (cmp_gap){.col0 = col0, .span = w, .top = r, .bottom = bottom};
    return true;
}

static int rail_briefs(const gen *g, const rail_fill *rf) {
    int n = 0;
    for (int k = 0; k < rf->n; k++)
        n += P_(g, rf->part[k])->role == RT_ROLE_BRIEF;
    return n;
}

static cmp_rail_head rail_head(const gen *g, const rail_fill *rf, int col0, int w, int top) {
    return (cmp_rail_head){.col0 = col0,
                           .span = w,
                           .top = top,
                           .part = rf->part[0],
                           .briefs = rail_briefs(g, rf) == rf->n};
}

/* Fills the rail [top, bottom) at columns [col0, col0 + w), then goes on. */
static void rail_then(gen *g, int col0, int w, int top, int bottom, int end_after) {
    const rt_compose_params *cp = params(g);
    if (bottom - top < (g->x->front ? MIN_TIER + RAIL_HEAD : cp->rail_min_rows))
        return; /* (the front's, under its lead: one story may do) */
    rail_walk rw = *rail_lookup(g, col0, w, top, bottom);
    for (int b = 0; b < rw.n_best; b++) {
        const rail_fill *rf = &rw.best[b];
        int n0 = g->cur.n, gaps0 = g->cur.n_gaps;
        if (push_rail(g, rf, col0, w, top + RAIL_HEAD, bottom)) {
            g->cur.rail = rail_head(g, rf, col0, w, top);
            after_rail(g, end_after);
            g->cur.rail.span = 0;
        }
        while (g->cur.n > n0)
            pop(g);
        g->cur.n_gaps = gaps0;
    }
}

/* ---------------------------------------------------------- main stacks */

static bool stays(const gen *g, const piece *pc, bool first) {
    const rt_entry *en = P_(g, pc->part)->en;
    if (pc->from > 0 || !en)
        return pc->jumps || pc->gap_below;
    return pc->jumps || pc->gap_below || (first && en->position == RT_POS_TOP) ||
           (!first && en->position == RT_POS_BOTTOM);
}

/* The stack ends at row `end`: the rail beside it, or the page is done.
 * Its stories go largest first (each keeps its height), but for one that
 * continues on the next page (it stays at the foot) and pinned ones. */
static void after_stack(gen *g, int end) {
    piece *st = &g->cur.pc[g->stack_from];
    int n = g->cur.n - g->stack_from;
    piece saved[CMP_MAX_PIECES];
    memcpy(saved, st, (size_t)n * sizeof *saved);
    if (n >= 2 && !g->x->front && !stays(g, &st[0], true)) {
        for (int i = 1; i < n; i++) { /* insertion sort, stable */
            piece v = st[i];
            if (stays(g, &v, false) || stays(g, &st[i - 1], false))
                continue;
            int k = i;
            while (k > 0 && !stays(g, &st[k - 1], k - 1 == 0) && area(&st[k - 1]) < area(&v)) {
                st[k] = st[k - 1];
                k--;
            }
            st[k] = v;
        }
        int r = saved[0].top;
        for (int i = 0; i < n; i++) {
            st[i].top = r;
            r += st[i].rows + 1;
        }
    }
    if (g->after == AFTER_FINISH)
        finish(g, end);
    else
        rail_then(g, g->x->col0 + g->s_m, g->s_w, g->s_top,
                  g->after == AFTER_RAIL_THEN_F ? end : g->x->bottom, end);
    memcpy(st, saved, (size_t)n * sizeof *saved);
}

static void stack_dfs(gen *g, int col0, int span, int r, int bottom, int depth, bool to_bottom);

#define SUB_RAIL 2 /* columns of the rail under a main stack's first stories */
/* rows of its heading: one less than the page rail's, the stack beside it starts a row higher */
#define SUB_HEAD 1

/* Under the main stack's first stories, when what waits is mostly briefs:
 * the rest of the stack's columns as a rail of briefs (SUB_RAIL columns, on
 * the left) beside a narrower stack to the foot, rather than briefs across
 * the whole stack. */
static void sub_split(gen *g, int col0, int span, int r, int bottom) {
    const cmp_page_ctx *x = g->x;
    const rt_compose_params *cp = params(g);
    int mw = span - SUB_RAIL;
    /* not while the stories are spread over more pages than they fill: the
     * column packs briefs tighter than across the stack, and the room it
     * leaves goes to the last page (a house box on the back page is worse
     * than briefs across a stack) */
    if (mw < 1 || bottom - r < cp->rail_min_rows || x->room > 0)
        return;
    int briefs = 0, stories = 0;
    for (size_t w = 0; w < x->n_window; w++) {
        int p = x->window[w];
        if (g->used[p] || x->done[p])
            continue;
        if (P_(g, p)->role == RT_ROLE_BRIEF && from_of(g, p) == 0)
            briefs++;
        else
            stories++;
    }
    if (briefs < 2 || stories >= 2)
        return;                                      /* stories enough for the stack */
    for (int i = g->stack_from; i < g->cur.n; i++) { /* not under a shallow block */
        const piece *pc = &g->cur.pc[i];
        if (pc->span >= 4 && (int)cmp_flow_lines(&P_(g, pc->part)->f, pc->from, pc->to) <
                                 cp->cost.shallow_rows * pc->span)
            return;
    }
    /* the fillings of a rail whose stories start at r + SUB_HEAD (a rail's
     * walk starts RAIL_HEAD rows under its top) */
    rail_walk rw = *rail_lookup(g, col0, SUB_RAIL, r - (RAIL_HEAD - SUB_HEAD), bottom);
    for (int b = 0; b < rw.n_best; b++) {
        const rail_fill *rf = &rw.best[b];
        if (rf->n < 2 || rail_briefs(g, rf) == 0)
            continue; /* a column of briefs, not one story beside another */
        int n0 = g->cur.n, gaps0 = g->cur.n_gaps;
        if (push_rail(g, rf, col0, SUB_RAIL, r + SUB_HEAD, bottom)) {
            g->cur.sub = rail_head(g, rf, col0, SUB_RAIL, r);
            int saved_from = g->stack_from;
            g->in_sub = true;
            g->stack_from = g->cur.n;
            stack_dfs(g, col0 + SUB_RAIL, mw, r, bottom, 1, true);
            g->in_sub = false;
            g->stack_from = saved_from;
            g->cur.sub.span = 0;
        }
        while (g->cur.n > n0)
            pop(g);
        g->cur.n_gaps = gaps0;
    }
}

/* Stories one under another in [col0, col0 + span) from row r; with
 * to_bottom the last one reaches `bottom`, else the stack ends where its
 * stories do (a tier follows). */
static void stack_dfs(gen *g, int col0, int span, int r, int bottom, int depth, bool to_bottom) {
    const cmp_page_ctx *x = g->x;
    if (g->evals > g->cap)
        return;
    if (depth >= 1 && to_bottom && !g->in_sub && !x->front && span >= SUB_RAIL + 1 &&
        g->after == AFTER_RAIL)
        sub_split(g, col0, span, r, bottom);
    int saved_from = g->stack_from;
    if (depth == 0)
        g->stack_from = g->cur.n;
    int rows_left = bottom - r;
    int tried = 0;
    for (size_t w = 0; w < x->n_window; w++) {
        int p = x->window[w];
        if (g->used[p] || x->done[p])
            continue;
        bool forced = p == x->cont || pinned_here(g, p);
        if (tried >= (depth == 0 ? OPENERS : CHOICES) && !forced)
            continue;
        if (x->front && r == x->top && w != 0)
            break; /* the front page opens with its lead */
        part *pt = P_(g, p);
        if (pt->role == RT_ROLE_BRIEF && !forced && span >= 3 && !x->front && g->n_stories >= 2 &&
            !g->briefs_in_stack)
            continue; /* briefs go in the rail while there are stories for the main stack */
        tried++;
        if (!pin_ok(g, p, col0, span, r))
            continue;
        if (depth == 0)
            g->evals = 0; /* each opener gets the same search */
        size_t from = from_of(g, p);
        int nat = cmp_part_natural(g->c, pt, from, span);
        piece pc;
        /* at its natural height, another story under it */
        if (depth + 1 < MAX_STACK && nat + 1 + (to_bottom ? MIN_BLOCK : 0) <= rows_left &&
            cmp_part_fit(g->c, pt, from, span, nat, CMP_NO_JUMP, &pc) && push(g, p, col0, r, &pc)) {
            if (to_bottom)
                stack_dfs(g, col0, span, r + nat + 1, bottom, depth + 1, true);
            else {
                if (bottom - (r + nat) > (g->after == AFTER_RAIL_GAP ? 2 : MIN_TIER))
                    after_stack(g, r + nat);
                stack_dfs(g, col0, span, r + nat + 1, bottom, depth + 1, false);
            }
            pop(g);
        }
        /* down to the bottom: whole, or continued on the next page */
        int gaps0 = g->cur.n_gaps;
        if (to_bottom && rows_left > 0 &&
            cmp_part_fit(g->c, pt, from, span, rows_left, may_jump(g, p), &pc) &&
            push_down(g, p, col0, r, &pc)) {
            after_stack(g, bottom);
            pop(g);
        }
        g->cur.n_gaps = gaps0;
    }
    g->stack_from = saved_from;
}

/* ------------------------------------------------------------- patterns */

/* A story across every column from row r: down to the foot (then the page
 * is done), or at its natural height followed by `then` (0: nothing, so
 * not tried; 1: another such story to the foot; 2: a main stack and a rail
 * of `w` columns to the foot). */
static void full_width(gen *g, int r, int then, int w);

static void split_tier(gen *g, int r, int w, bool then_full) {
    const cmp_page_ctx *x = g->x;
    int saved_top = g->s_top, saved_w = g->s_w, saved_m = g->s_m;
    after_main saved_after = g->after;
    g->s_top = r;
    g->s_w = w;
    g->s_m = x->ncols - w;
    g->after = then_full ? AFTER_RAIL_THEN_F : AFTER_RAIL;
    stack_dfs(g, x->col0, x->ncols - w, r, x->bottom, 0, !then_full);
    if (!then_full && x->want > 0) { /* spreading: the main stack may end early */
        g->after = AFTER_RAIL_GAP;
        stack_dfs(g, x->col0, x->ncols - w, r, x->bottom, 0, false);
    }
    g->s_top = saved_top;
    g->s_w = saved_w;
    g->s_m = saved_m;
    g->after = saved_after;
}

static void after_rail(gen *g, int end) {
    if (g->after == AFTER_RAIL_THEN_F) {
        full_width(g, end + 1, 0, 0);
    } else if (g->after == AFTER_RAIL_GAP) { /* the main column ends early: a gap under it */
        int gaps0 = g->cur.n_gaps;
        if ((g->x->bottom - end - 1) * g->s_m > gap_cap(g->x, g->s_m))
            return; /* too large a gap */
        if (g->x->bottom - end - 1 >= 2 && g->cur.n_gaps < CMP_MAX_GAPS)
            g->cur.gaps[g->cur.n_gaps++] = (cmp_gap){
                .col0 = g->x->col0, .span = g->s_m, .top = end + 1, .bottom = g->x->bottom};
        finish(g, g->x->bottom);
        g->cur.n_gaps = gaps0;
    } else {
        finish(g, g->x->bottom);
    }
}

static void full_width(gen *g, int r, int then, int w) {
    const cmp_page_ctx *x = g->x;
    int C = x->ncols;
    int rows_left = x->bottom - r;
    if (rows_left < MIN_TIER || g->evals > g->cap)
        return;
    int tried = 0;
    for (size_t k = 0; k < x->n_window; k++) {
        int p = x->window[k];
        if (g->used[p] || x->done[p])
            continue;
        bool forced = p == x->cont || pinned_here(g, p);
        if (tried >= OPENERS && !forced)
            continue;
        if (x->front && r == x->top && k != 0)
            break; /* the front page opens with its lead */
        part *pt = P_(g, p);
        if (pt->role == RT_ROLE_BRIEF && !forced && g->n_stories >= 1 && !x->front)
            continue;
        tried++;
        if (!pin_ok(g, p, x->col0, C, r))
            continue;
        if (r == x->top)
            g->evals = 0; /* each opener gets the same search */
        size_t from = from_of(g, p);
        int nat = cmp_part_natural(g->c, pt, from, C);
        piece pc;
        if (then == 0) {
            int gaps0 = g->cur.n_gaps;
            if (cmp_part_fit(g->c, pt, from, C, rows_left, may_jump(g, p), &pc) &&
                push_down(g, p, x->col0, r, &pc)) {
                g->cur.fullw++;
                finish(g, x->bottom);
                g->cur.fullw--;
                pop(g);
            }
            g->cur.n_gaps = gaps0;
            continue;
        }
        int need = then == 1 || x->front ? MIN_TIER : 3 * MIN_TIER;
        if (nat + 1 + need <= rows_left && cmp_part_fit(g->c, pt, from, C, nat, CMP_NO_JUMP, &pc) &&
            push(g, p, x->col0, r, &pc)) {
            g->cur.fullw++;
            if (then == 1)
                full_width(g, r + nat + 1, 0, 0);
            else
                split_tier(g, r + nat + 1, w, false);
            g->cur.fullw--;
            pop(g);
        }
    }
}

/* The article page's patterns, each with `cap` evaluations per opener. */
static void patterns(gen *g, long cap) {
    const cmp_page_ctx *x = g->x;
    int C = x->ncols;
    int widths[2], nw = 0;
    if (C >= 5)
        widths[nw++] = 2;
    if (C >= 3)
        widths[nw++] = 1;
    g->cap = cap;
    for (int i = 0; i < nw; i++) { /* S: a main stack beside a rail */
        g->evals = 0;
        split_tier(g, x->top, widths[i], false);
    }
    for (int i = 0; i < nw; i++) { /* F + S */
        g->evals = 0;
        full_width(g, x->top, 2, widths[i]);
    }
    for (int i = 0; i < nw; i++) { /* S + F */
        g->evals = 0;
        split_tier(g, x->top, widths[i], true);
    }
    g->evals = 0; /* F + F */
    full_width(g, x->top, 1, 0);
    g->evals = 0; /* F */
    full_width(g, x->top, 0, 0);
}

int cmp_page_candidates(composer *c, const cmp_page_ctx *x, cmp_page_plan *out) {
    /* what it measures warns when it is drawn, not while it is tried */
    bool quiet = c->quiet;
    c->quiet = true;
    gen g = {.c = c, .x = x, .best = out};
    g.used = rt_xcalloc(x->n_parts + 1, 1);
    g.rails = rt_xcalloc(RAIL_CACHE, sizeof *g.rails);
    g.waiting = rt_xcalloc(x->n_window + 1, sizeof *g.waiting);
    g.cur.cont = -1;
    for (size_t k = 0; k < x->n_window; k++)
        g.n_stories += !x->done[x->window[k]] && x->parts[x->window[k]].role != RT_ROLE_BRIEF;
    if (x->front) {
        g.after = AFTER_FINISH;
        g.cap = PATTERN_EVALS * 2;
        stack_dfs(&g, x->col0, x->ncols, x->top, x->bottom, 0, true);
        g.evals = 0;
        stack_dfs(&g, x->col0, x->ncols, x->top, x->bottom, 0, false);
        /* the lead across, then a stack beside a column of shorter
         * stories, to the foot, where the lead and the stories under it
         * leave a gap over a tenth of the page (a call for messages as
         * large as a story) */
        int gap = 0;
        for (int i = 0; g.n_best > 0 && i < g.best[0].n_gaps; i++)
            gap += g.best[0].gaps[i].span * (g.best[0].gaps[i].bottom - g.best[0].gaps[i].top);
        bool split = g.n_best == 0 || gap > 0.1 * x->ncols * (x->bottom - x->top);
        for (int w = 1; split && w <= 2 && x->ncols >= 4; w++) {
            g.evals = 0;
            full_width(&g, x->top, 2, w);
        }
    } else {
        patterns(&g, PATTERN_EVALS);
        /* nothing fits: the waiting stories are mostly briefs, too few
         * stories to fill a main stack; briefs join it before the page is
         * left part empty */
        if (g.n_best == 0) {
            g.briefs_in_stack = true;
            patterns(&g, PATTERN_EVALS);
            g.briefs_in_stack = false;
        }
        if (g.n_best == 0) { /* the patterns with a gap of any size (costed as such) */
            cmp_page_ctx loose = *x;
            loose.gap_cap = loose.gap_cap_narrow = 0;
            g.x = &loose;
            g.n_rails = g.next_rail = 0; /* the rail fillings kept were found under the caps */
            patterns(&g, PATTERN_EVALS);
            g.x = x;
        }
        if (g.n_best == 0) { /* the end of the edition: what is left, anyhow */
            g.evals = 0;
            g.cap = PATTERN_EVALS;
            g.after = AFTER_FINISH;
            stack_dfs(&g, x->col0, x->ncols, x->top, x->bottom, 0, false);
        }
    }
    free(g.rails);
    free(g.waiting);
    free(g.used);
    c->quiet = quiet;
    return g.n_best;
}

/* -------------------------------------------------------------- drawing */

static int by_place(const void *a, const void *b) {
    const piece *x = a, *y = b;
    if (x->top != y->top)
        return x->top - y->top;
    return x->col0 - y->col0;
}

/* A rail's heading: "En bref" for briefs (or where its stories' section
 * would repeat the page's other rail), else its first story's section;
 * never `other` (the other rail's heading) when the section can be. */
static const char *rail_title(const composer *c, const part *parts, const cmp_rail_head *h,
                              const char *other) {
    const char *section = parts[h->part].a->section, *br = c->l->words[c->e->lang].briefs;
    const char *t = h->briefs || !section ? br : section;
    if (other && strcmp(t, other) == 0)
        t = t == br && section ? section : br;
    return t;
}

/* A rule in the gutter beside the rail (on its left, or with `left` false
 * on its right), its heading and the accent rule under it (in `rows` rows:
 * 2, or 1 with the rule at the foot of the heading's row). */
static void draw_rail_head(composer *c, rt_page *pg, const cmp_rail_head *h, int bottom, bool left,
                           int rows, const char *title) {
    const rt_layout *l = c->l;
    double x = cmp_col_x(c, pg, h->col0);
    double w = cmp_span_w(c, h->span);
    double gx = left ? x - l->gutter / 2 : x + w + l->gutter / 2;
    cmp_rule(pg, gx, cmp_row_top(c, h->top) + c->B * 0.2, gx, cmp_row_top(c, bottom) - c->B * 0.2,
             l->rule_width, l->rule_color);
    cmp_draw_string(c, pg, title, &l->styles[RT_ST_KICKER], c->e->lang, x, w,
                    cmp_row_baseline(c, h->top), RT_ALIGN_LEFT);
    double ry = cmp_row_top(c, h->top + 1) + c->B * (rows >= 2 ? 0.15 : 0.02);
    cmp_rule(pg, x, ry, x + w, ry, l->rule_width * 2, l->accent_color);
}

const char *cmp_page_plan_section(const part *parts, const cmp_page_plan *p) {
    const piece *first = NULL;
    for (int i = 0; i < p->n; i++)
        if (!first || by_place(&p->pc[i], first) < 0)
            first = &p->pc[i];
    return first ? parts[first->part].a->section : NULL;
}

void cmp_draw_page_plan(composer *c, rt_page *pg, part *parts, const cmp_page_plan *p) {
    const rt_layout *l = c->l;
    piece pcs[CMP_MAX_PIECES];
    memcpy(pcs, p->pc, (size_t)p->n * sizeof *pcs);
    qsort(pcs, (size_t)p->n, sizeof *pcs, by_place);
    int bottom = c->rows;
    const char *section = cmp_page_plan_section(parts, p);
    if (section && !pg->section && pg->number > 1)
        pg->section = rt_xstrdup(section);
    for (int i = 0; i < p->n; i++)
        cmp_place_piece(c, pg, &parts[pcs[i].part], &pcs[i]);
    /* a rule under each block that does not reach the foot */
    for (int i = 0; i < p->n; i++) {
        const piece *pc = &pcs[i];
        int end = pc->top + pc->rows;
        if (end >= bottom)
            continue;
        double x0 = cmp_col_x(c, pg, pc->col0), x1 = x0 + cmp_span_w(c, pc->span);
        double y = cmp_row_top(c, end) + c->B * 0.45;
        cmp_rule(pg, x0, y, x1, y, l->rule_width, l->rule_color);
    }
    const char *title = NULL;
    if (p->rail.span) {
        title = rail_title(c, parts, &p->rail, NULL);
        draw_rail_head(c, pg, &p->rail, bottom, true, RAIL_HEAD, title);
    }
    if (p->sub.span) /* not headed as the page's rail is */
        draw_rail_head(c, pg, &p->sub, bottom, false, SUB_HEAD,
                       rail_title(c, parts, &p->sub, title));
    for (int i = 0; i < p->n_gaps; i++)
        cmp_house_box(c, pg, p->gaps[i].col0, p->gaps[i].span, p->gaps[i].top, p->gaps[i].bottom);
}
