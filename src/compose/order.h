/* compose: reading-order marks (order.c). */
#ifndef RT_COMPOSE_ORDER_H
#define RT_COMPOSE_ORDER_H

#include "grid.h"

/* Adds to every page of c->out, after its own draws, the invisible marks
 * (RT_DRAW_MARK) that show layout-analysing text extractors the cuts between
 * its modules and between the columns of its stories. `rail` is the front
 * page's rail as {x, y, w, h} in points, or NULL. The marks' run is owned by
 * c->out. */
void cmp_mark_reading_order(composer *c, const double *rail);

#endif
