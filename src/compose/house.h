/* compose: house pages (house.c). */
#ifndef RT_COMPOSE_HOUSE_H
#define RT_COMPOSE_HOUSE_H

#include "grid.h"

/* Adds a house page to c->out: the call for supporter messages set as a
 * full-page advertisement (its words from the layout's and the edition's
 * `words:`, the rate card drawn to scale). Its draws are owned by the page. */
void cmp_house_page(composer *c);
/* The same advertisement in the box (x, top, W, H) of a page, scaled down
 * until it fits; false (nothing drawn) when even small it does not. Without
 * `call` (a message page, whose head is the call), only the rate card and
 * how to place a message. */
bool cmp_house_ad(composer *c, rt_page *pg, double x, double top, double W, double H, bool call);

#endif
