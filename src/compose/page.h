/* compose: modular page patterns. A page's text area is cut into tiers,
 * top to bottom, each one of:
 *   F  one article across every column ("full width");
 *   S  a main stack (articles one under another, m columns) beside a rail
 *      of w = 1 or 2 columns: a heading ("En bref"), then short stories one
 *      under another, small messages or the call for messages at its foot.
 *      When the stories waiting are mostly briefs, the main stack may end in
 *      a rail of its own (2 columns) beside a narrower stack, rather than
 *      set briefs across it.
 * A page is F, S, F+S, S+F or F+F (never three full-width strips, never two
 * stories side by side with their headlines level: the rail's heading sets
 * its stories lower). The last tier reaches the page's foot: its last story
 * fills it (a taller photo, a hole of at most hole_rows) or continues on the
 * next page.
 *
 * cmp_page_candidates() measures (nothing is drawn) and scores the patterns
 * for the articles waiting, and keeps the cheapest; cmp_draw_page_plan()
 * draws the one chosen. The costs are the layout's (composition: costs:)
 * and are documented in the README ("Page composition").
 *
 * Ownership: plans are plain values; nothing here allocates what outlives
 * a call.
 */
#ifndef RT_COMPOSE_PAGE_H
#define RT_COMPOSE_PAGE_H

#include "piece.h"

#define CMP_MAX_PIECES 14
#define CMP_MAX_GAPS 6
#define CMP_KEEP 8 /* page candidates kept */

typedef struct {
    int col0, span, top, bottom;
} cmp_gap;

/* A rail's heading: where, its first story (whose section names a mixed
 * rail), and whether it holds only briefs (headed "En bref"). */
typedef struct {
    int col0, span, top; /* span 0: no rail */
    int part;
    bool briefs;
} cmp_rail_head;

typedef struct {
    piece pc[CMP_MAX_PIECES];
    int n;
    cmp_rail_head rail;         /* the page's rail, beside the main stack */
    cmp_rail_head sub;          /* a rail under the main stack's first stories */
    cmp_gap gaps[CMP_MAX_GAPS]; /* for small messages or the call for messages */
    int n_gaps;
    int fullw; /* full-width tiers */
    double cost;
    /* left for the next page: the part continued there (-1: none) */
    int cont;
    size_t cont_from;
    double cont_area; /* the jumping piece's area (its continuation may be at most twice it) */
} cmp_page_plan;

/* What the page is planned from. */
typedef struct {
    part *parts;
    size_t n_parts;
    const unsigned char *done; /* per part: placed completely */
    const int *window;         /* the parts that may go here, in the edition's order */
    size_t n_window;
    int cont; /* the part continued from the previous page (-1: none): it must go here */
    size_t cont_from;
    double cont_area;
    int page;         /* the page's number */
    int col0, ncols;  /* the region (the whole text area on article pages) */
    int top, bottom;  /* rows */
    bool front;       /* the front page: its lead first across the region, only it may jump */
    bool last_chance; /* no page after this one: nothing may jump */
    bool small_first; /* the front page's lead may jump with a first piece smaller than
                         page.c's piece_ok asks (no shape of it fits otherwise) */
    double want; /* spread the stories: this many grid cells of them here (0: as many as fit) */
    double room; /* spread over more pages than they fill: the cells each page may leave
                    to the call for messages at little cost (0: none) */
    int gap_cap; /* the largest gap allowed, in grid cells (messages or the call fill it) */
    int gap_cap_narrow; /* ... for a gap narrower than msg_span columns */
    int msg_span;       /* columns the smallest supporter message needs (0: there are none) */
} cmp_page_ctx;

/* The cheapest plans for the page, cheapest first (at most CMP_KEEP);
 * returns how many. A page that can take nothing returns 0. */
int cmp_page_candidates(composer *c, const cmp_page_ctx *pc, cmp_page_plan *out);
/* The section of the plan's top-left piece (its page's running head), or
 * NULL. */
const char *cmp_page_plan_section(const part *parts, const cmp_page_plan *p);
/* Draws plan p on pg (pieces, rules, the rail's heading) and records its
 * gaps for the messages and the call. */
void cmp_draw_page_plan(composer *c, rt_page *pg, part *parts, const cmp_page_plan *p);

#endif
