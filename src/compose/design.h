/* compose: page-design figures and warnings (design.c). */
#ifndef RT_COMPOSE_DESIGN_H
#define RT_COMPOSE_DESIGN_H

#include "grid.h"

/* Fills c->out->design and c->out->totals from the finished composition;
 * warns (to c->d) about each page-design problem with its page. */
void cmp_design(composer *c);

#endif
