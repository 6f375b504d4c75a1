/* compose: the page planner. Articles become rectangular blocks on the
 * column grid; each page is tiled with horizontal bands of blocks. The
 * planner measures candidate blocks (block.h: nothing is drawn while it
 * searches), keeps the cheapest arrangement of a page, then places it.
 *
 * Ownership: the planner owns every article's typeset flow until
 * cmp_planner_free(), which adds their statistics to the composition.
 */
#ifndef RT_COMPOSE_PLAN_H
#define RT_COMPOSE_PLAN_H

#include "block.h"

typedef struct planner planner;
/* Builds every article's flow; the lead first, then sections in order. */
planner *cmp_planner_new(composer *c, rt_doc *const *docs);
/* Tiles the region [col0, col0+ncols) x [top, bottom) of pg with blocks
 * of the waiting articles; returns the first row it left empty. */
int cmp_planner_fill(planner *P, rt_page *pg, int col0, int ncols, int top, int bottom);
bool cmp_planner_done(const planner *P);
/* Reports what was not placed (overset, impossible pins). */
void cmp_planner_report(planner *P, int last_page, bool allow_overset);
/* Adds each article's statistics to the composition, frees. */
void cmp_planner_free(planner *P);

#endif
