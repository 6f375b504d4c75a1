/* compose: the memo of typeset paragraphs (memo.c), for cmp_typeset and
 * cmp_typeset_text: spans in a style at a width, shaped and broken once per
 * composer. The planner measures every story's kicker, headline, standfirst
 * and byline (and captions) for each page plan it tries; without the memo
 * that was most of a build's time. In watch mode one memo lives from build
 * to build (rt_compose_ctx.keep), so that a rebuild typesets again only the
 * paragraphs that changed; rt_compose_keep_sweep drops after each build
 * what it did not use.
 *
 * A paragraph with a drop cap (cmp_typeset_drop) is kept with its initial
 * and the first word's run that carries the initial's text: runs of its
 * own, which the memo owns; each use takes copies of them (text.c).
 *
 * Ownership: the memo owns the paragraphs and lines added to it (their runs
 * stay the shaper's, but a drop cap's) until cmp_memo_free, which cmp_done
 * calls (or, kept between builds, rt_compose_keep_free).
 */
#ifndef RT_COMPOSE_MEMO_H
#define RT_COMPOSE_MEMO_H

#include "grid.h"

/* The paragraph and lines typeset from `key` (the spans' texts, flags and
 * links, the measures, the indent and the break parameters, as text.c
 * writes them) in `st` at `width`, if typeset before (only the style's
 * fields that typesetting reads are compared). Marks the entry used by
 * this build. */
bool cmp_memo_find(struct cmp_memo *m, const void *key, size_t key_len, const rt_style *st,
                   int lang, double width, rt_para **para, rt_lines *lines);
/* Adds them (*m made on first use); the memo takes `para` and `lines`.
 * Returns the paragraph as the memo keeps it. */
rt_para *cmp_memo_add(struct cmp_memo **m, const void *key, size_t key_len, const rt_style *st,
                      int lang, double width, rt_para *para, rt_lines lines);
/* A drop cap kept with its paragraph: the initial, and the first word's
 * run (item `first_item`) showing the initial's text too. */
typedef struct {
    rt_run *drop, *first;
    size_t first_item;
    int lines;
    double w; /* the indent beside the initial */
} cmp_memo_drop;
/* The same for a paragraph with a drop cap (a key of its own). */
bool cmp_memo_find_drop(struct cmp_memo *m, const void *key, size_t key_len, const rt_style *st,
                        int lang, double width, rt_para **para, rt_lines *lines,
                        const cmp_memo_drop **drop);
/* Adds one (the memo takes the paragraph, the lines and the drop's runs). */
void cmp_memo_add_drop(struct cmp_memo **m, const void *key, size_t key_len, const rt_style *st,
                       int lang, double width, rt_para *para, rt_lines lines, cmp_memo_drop drop);
void cmp_memo_free(struct cmp_memo *m);

#endif
