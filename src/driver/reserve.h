/* driver: the edition's reserve (reserve.c), used by build.c. A newsroom
 * keeps a stock of stories that do not date ("le marbre") for the month
 * the copy falls short of the pages: rotative prints the ones that fill
 * what would otherwise go to house pages and large house boxes, and no
 * more.
 */
#ifndef RT_DRIVER_RESERVE_H
#define RT_DRIVER_RESERVE_H

#include "../compose/compose.h"
#include "../load/load.h"
#include "../parse/parse.h"

/* What the build prints: the edition as listed, or with stories of its
 * reserve. Owns `view` and `docs` (arrays only: the articles and documents
 * stay the edition's and the caller's). */
typedef struct {
    const rt_edition *e;   /* the edition the pages print: `view`, or the one loaded */
    rt_doc **docs;         /* its entries' documents, in its order */
    rt_edition *view;      /* NULL: no story of the reserve printed */
    int printed;           /* stories of the reserve printed */
    struct cmp_memo *memo; /* the paragraphs typeset once for them all (when the build
                              keeps none itself): the composition's runs live here */
} rt_reserve_choice;

/* Composes `e` (rt_compose, every argument as there); when the edition has
 * a reserve and the pages leave room to house pages or large house boxes,
 * composes it again with the stories of the reserve that fill that room
 * (in the order listed, each whose estimated size still fits), and keeps
 * the composition that leaves the least to house without more pages or
 * more design faults. `reserve_docs` are the documents of e->reserve. In
 * watch mode (ctx->previous), the stories printed last time are tried
 * first and kept while they still fill the room (or are all of it). Only the chosen
 * composition's diagnostics reach `d`. Free `out` after the composition. */
rt_composition *rt_reserve_compose(const rt_edition *e, rt_doc **docs, rt_doc **reserve_docs,
                                   rt_doc *const *msg_docs, rt_compose_ctx *ctx, rt_diag *d,
                                   rt_reserve_choice *out);
void rt_reserve_choice_free(rt_reserve_choice *c);

#endif
