/* compose: the edition planner. It decides which articles go on which page
 * and how each page is cut into modules, for the whole edition at once: a
 * beam search over the pages, where each page is one of a few modular
 * patterns (a full-width lead, a main stack beside a rail of briefs, a strip
 * at the foot) filled with pieces measured without drawing (piece.h). The
 * chosen plan is then drawn page after page.
 *
 * Ownership: the planner owns every article's typeset flow until
 * cmp_planner_free(), which adds their statistics to the composition.
 */
#ifndef RT_COMPOSE_PLAN_H
#define RT_COMPOSE_PLAN_H

#include "piece.h"

typedef struct planner planner;

/* Typesets every article and gives it its role and weight. */
planner *cmp_planner_new(composer *c, rt_doc *const *docs);
/* The front page's main region [col0, col0 + ncols) x [top, bottom): the
 * edition's lead across it (continued inside when long), other stories
 * under it when there is room. Returns the first row left empty. */
int cmp_plan_front(planner *P, rt_page *pg, int col0, int ncols, int top, int bottom);
/* Plans the article pages after the front page, drawing nothing: `budget`
 * > 0 caps how many (the edition's `pages` less the message pages);
 * `target` > 0 asks for that many, the stories spread over them. A new plan
 * replaces the last. Returns the number of pages planned. */
int cmp_plan_pages(planner *P, int budget, int target);
/* A copy of the last plan (cmp_plan_pages), to restore after others were
 * tried instead of planning it again; new, freed by cmp_plan_saved_free(). */
typedef struct cmp_plan_saved cmp_plan_saved;
cmp_plan_saved *cmp_plan_save(const planner *P);
/* Makes the saved plan the last one again. */
void cmp_plan_restore(planner *P, const cmp_plan_saved *s);
void cmp_plan_saved_free(cmp_plan_saved *s);
/* The gaps of the planned pages, in order (for the supporter messages),
 * their page numbers counted from `first_page`. Returns how many; *out is
 * new. */
size_t cmp_planned_gaps(const planner *P, int first_page, rt_house_box **out);
/* Does the plan place every story? */
bool cmp_planned_complete(const planner *P);
/* The gaps of the planned pages, in grid cells. */
int cmp_planned_gap_rows(const planner *P);
/* Where the house pages go between the planned pages: after[k] of them
 * after article page k (`articles` pages, `msg_pages` message pages after
 * them), where no story continues across (else before the back page),
 * between two sections where there are places enough, spread evenly, none
 * before a page a story is pinned to. Returns those left for after the
 * article pages (before the message pages; with none, after the back page:
 * a story is pinned to it). */
int cmp_planned_house_places(const planner *P, int articles, int msg_pages, int house, int *after);
/* Draws planned page k on pg. */
void cmp_draw_planned(planner *P, int k, rt_page *pg);
/* Reports what was not placed (overset, impossible pins) once, with the
 * cause. */
void cmp_planner_report(planner *P, int last_page, bool allow_overset);
/* The strongest stories after the lead and off the front page, strongest
 * first (for the front page's index when the edition names no teasers);
 * returns how many. */
size_t cmp_planner_strongest(const planner *P, int *out, size_t max);
/* Adds each article's statistics to the composition, frees. */
void cmp_planner_free(planner *P);

#endif
