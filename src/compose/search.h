/* compose: the page searches of one step of the planner's beam, on two
 * threads. Each state of the beam asks for the candidates of the same next
 * page (cmp_page_candidates); the searches do not depend on each other, so
 * a second thread takes every other one as it comes free.
 *
 * The second thread measures its own copy of the parts: their caches
 * (piece.h) are its own, everything they point to is shared and only read
 * during a search. What a search shares and changes, the shaper and the memo
 * of typeset strings, it changes only while measuring a block's head, under
 * composer.measure_lock. A search is a pure function of its page context,
 * whichever copy it measures: the candidates are the same values, in the
 * same order, as on one thread (the same bytes). Nothing warns during a
 * search (composer.quiet): what a word cut by force is, is reported when
 * the page is drawn.
 *
 * The second thread is not used when the edition has a table set across
 * columns (setting it for a span rewrites the flow both copies share), or
 * when the build asks for one thread (rt_compose_ctx.threads).
 *
 * Ownership: the pool owns its thread and its copy of the parts; it borrows
 * the composer and the parts it was made from, which must outlive it and
 * not be drawn (only measured) while it lives.
 */
#ifndef RT_COMPOSE_SEARCH_H
#define RT_COMPOSE_SEARCH_H

#include "page.h"

typedef struct cmp_search_pool cmp_search_pool;

/* A pool for the parts[0..n) of composer c, or NULL when one thread is to
 * do the searches (then cmp_search_run runs them in turn). */
cmp_search_pool *cmp_search_pool_new(composer *c, part *parts, size_t n);
/* The candidates of each of x[0..n) into out + k * CMP_KEEP, their counts
 * in counts[k], as cmp_page_candidates gives them. */
void cmp_search_run(cmp_search_pool *p, composer *c, const cmp_page_ctx *x, size_t n,
                    cmp_page_plan *out, int *counts);
/* Stops the thread, frees the copy; the composer measures alone again. */
void cmp_search_pool_free(cmp_search_pool *p);

#endif
