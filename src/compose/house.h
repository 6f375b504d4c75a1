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
/* The call for supporter messages in a framed box (x, y, w, h): the
 * advertisement, scaled, in a box of two columns and an eighth of the page
 * or more, else the call alone (nth -1: a gap on an article page). On a
 * message page, whose head already calls, the rate card and how to place a
 * message in its first box (nth 0) where they fit, else how; who places one
 * in a second, the call in a third; nth -1 and more: the first box of a
 * gap on an article page (the call), the next ones as on a message page.
 * False (nothing drawn) when the box is too low for a line. */
bool cmp_house_box_draw(composer *c, rt_page *pg, double x, double y, double w, double h, int nth);
/* The room a message page's messages leave on its grid (`used`: its cells,
 * msg_rows x msg_columns, nonzero where a message is; the grid's top edge
 * at `grid_top`): the paper's box in each rectangle of free cells, largest
 * first, on the grid like a message of that size, so that no message page
 * ends in a blank (the back page is often one); each recorded in
 * c->out->calls. `used` is marked full. The message page `turn` (0, 1, ...
 * in the edition) decides the first box: the rate card and how on one
 * page, who places a message on the next, so that the same box does not
 * close every page of a spread. */
void cmp_house_fill_grid(composer *c, rt_page *pg, unsigned char *used, double grid_top, int turn);

#endif
