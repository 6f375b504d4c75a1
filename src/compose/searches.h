/* compose: the page searches kept from build to build in watch mode
 * (searches.c). A page search (cmp_page_candidates) is a function of what
 * it is given: the page's context, the stories waiting (their text, their
 * entries, where they are in the edition and where they were last time)
 * and the layout. After an edit of one story, most of a rebuild's searches
 * are the last build's: they are taken from here, the rest made again. The
 * key is a 128-bit digest of every input: the layout's file and the
 * edition's (its `words:` override the layout's), its language, the grid, the context's fields, and
 * for each story waiting a fingerprint of its article and entry (128 bits over every field) with
 * its place in the edition and the planner's state. Stories with a table across columns (whose flow
 * is set again for each width measured) are never kept.
 *
 * Ownership: the memo (rt_compose_ctx.searches) owns its entries until
 * rt_compose_searches_free; rt_compose_searches_sweep drops after each
 * build what it did not use.
 */
#ifndef RT_COMPOSE_SEARCHES_H
#define RT_COMPOSE_SEARCHES_H

#include "page.h"

/* cmp_page_candidates, or (watch mode) the plans the build before found
 * for the same inputs; what it finds is kept for the next build. */
int cmp_page_search(composer *c, const cmp_page_ctx *x, cmp_page_plan *out);
/* A tag for the page count about to be tried (composer.search_tag), new in
 * the build; 0 when nothing is kept. */
int cmp_searches_tag(composer *c);
/* Drops the searches this build made or used only under `tag` (a page count
 * tried and not chosen: the next build plans the count chosen), so that a
 * build that tries six counts does not keep them all. */
void cmp_searches_drop(composer *c, int tag);

#endif
