/* compose: the planner's second thread. Two pieces of the planner's work
 * split into jobs that do not depend on each other, and whichever thread
 * is free takes the next job:
 *   - typesetting the articles (cmp_pool_parts_init): one job per article;
 *   - the page searches of one step of the beam (cmp_pool_searches): each
 *     state of the beam asks for the candidates of the same next page.
 *
 * What the threads share and change is changed under locks: the shaper and
 * the fonts (rt_shaper_share, rt_fonts_share), the memo of typeset strings
 * and the words already warned about (composer.share_lock). Each thread
 * measures with a composer of its own, and each search of the second
 * thread with its own copy of the parts (their caches, piece.h: everything
 * they point to is only read during a search). A job gives the same values
 * whichever thread runs it, so the plan is the one of one thread, in the
 * same bytes: an article's messages are kept and given in the edition's
 * order, the dictionaries are loaded before the articles are typeset, and
 * nothing warns during a page search (composer.quiet: what a word cut by
 * force is, is said when the page is drawn).
 *
 * One thread does everything when the build asks for one (--jobs 1:
 * rt_compose_ctx.threads) and in watch mode (rt_compose_ctx.watching: what
 * it typesets is kept from build to build, in the memory of one thread);
 * the second takes no job while the images converted ahead have the second
 * processor (rt_compose_ctx.busy, asked before each job; RT_PLAN_DEBUG says
 * how many it ran), and the searches are not shared when an article
 * has a table set across columns (setting it for a span rewrites the flow
 * both copies would read).
 *
 * Ownership: the pool owns its thread and its copy of the parts; it borrows
 * the composer and the parts, which must outlive it. The copy is made at
 * the first search, once the front page is drawn; no part is drawn while
 * it lives (the planner frees the pool before it draws the article pages).
 */
#ifndef RT_COMPOSE_POOL_H
#define RT_COMPOSE_POOL_H

#include "page.h"

typedef struct cmp_pool cmp_pool;

/* The second thread for composer c, or NULL when one thread is to do the
 * work (then the calls below run their jobs in turn). */
cmp_pool *cmp_pool_new(composer *c);
/* cmp_part_init of parts[0..n) from docs[k] (first[k]: first of its section). */
void cmp_pool_parts_init(cmp_pool *p, composer *c, part *parts, size_t n, rt_doc *const *docs,
                         const bool *first);
/* The candidates of each of x[0..n) (whose parts are parts[0..n_parts))
 * into out + k * CMP_KEEP, their counts in counts[k], as
 * cmp_page_candidates gives them. */
void cmp_pool_searches(cmp_pool *p, composer *c, part *parts, size_t n_parts, const cmp_page_ctx *x,
                       size_t n, cmp_page_plan *out, int *counts);
/* Stops the thread, frees the copy; the composer works alone again. */
void cmp_pool_free(cmp_pool *p);

#endif
