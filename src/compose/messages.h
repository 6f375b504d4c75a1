/* compose: supporter messages: packed on message pages, or in the gaps of
 * article pages; a message's fit in its format's box, measured as it will
 * print. */
#ifndef RT_COMPOSE_MESSAGES_H
#define RT_COMPOSE_MESSAGES_H

#include "text.h"

/* Where a message goes: a gap of an article page (its box from the gap's
 * top left, below the gap's label) or a cell of a message page's grid. */
typedef struct {
    int gap;           /* index into the gaps planned with (-1: none) */
    int page;          /* message page, 0-based (-1: none) */
    double x, y, w, h; /* in a gap */
    int gx, gy;        /* on a message page */
} cmp_msg_spot;

typedef struct {
    cmp_msg_spot *spot; /* per edition message; gap and page -1: not printed (held) */
    double *gap_used;   /* per gap: the height its messages take (0: none, a house box) */
    size_t n_gaps;
    int pages;       /* message pages */
    double fill_min; /* the least full message page, as a share of its grid */
    double in_gaps;  /* message area set in gaps, in message pages */
} cmp_msg_plan;

/* Decides where every message goes, drawing nothing: first in the gaps of
 * article pages (largest first, any format that fits), then spread over
 * `pages` message pages (0: as few as they need; more if they do not fit). */
void cmp_plan_messages(composer *c, const rt_house_box *gaps, size_t n_gaps, int pages,
                       cmp_msg_plan *mp);
void cmp_msg_plan_free(cmp_msg_plan *mp);
/* Draws the messages planned in gaps (the recorded gaps, c->out->house,
 * are those planned with, in order) and the call for messages in what is
 * left of each gap, once a page (`front_called`: the front page's rail has
 * it already). */
void cmp_fill_gaps(composer *c, rt_doc *const *msg_docs, const cmp_msg_plan *mp, bool front_called);
/* Makes the message pages and draws their messages; reports held ones. */
void cmp_messages(composer *c, rt_doc *const *msg_docs, const cmp_msg_plan *mp);
/* How many message pages the edition's messages need, alone. */
int cmp_message_pages(composer *c);

#endif
