/* compose: the memo of typeset strings (memo.c), for cmp_typeset_text: a
 * string in a style at a width, shaped and broken once per composer. The
 * planner measures every story's kicker, headline, standfirst and byline
 * (and captions) for each page plan it tries; without the memo that was
 * most of a build's time.
 *
 * Ownership: the memo owns the paragraphs and lines added to it (their runs
 * stay the shaper's) until cmp_memo_free, which cmp_done calls.
 */
#ifndef RT_COMPOSE_MEMO_H
#define RT_COMPOSE_MEMO_H

#include "grid.h"

/* The paragraph and lines of `text` set in `st` at `width`, if typeset
 * before (only the style's fields that typesetting reads are compared). */
bool cmp_memo_find(const struct cmp_memo *m, const char *text, const rt_style *st, int lang,
                   double width, rt_para **para, rt_lines *lines);
/* Adds them (*m made on first use); the memo takes `para` and `lines`.
 * Returns the paragraph as the memo keeps it. */
rt_para *cmp_memo_add(struct cmp_memo **m, const char *text, const rt_style *st, int lang,
                      double width, rt_para *para, rt_lines lines);
void cmp_memo_free(struct cmp_memo *m);

#endif
