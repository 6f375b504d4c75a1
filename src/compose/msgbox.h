/* compose: one supporter message in its box (measure, then draw), the
 * geometry of the message grid, and how a message fits its format.
 *
 * Ownership: a cmp_msg_set owns its typeset paragraphs (cmp_msg_set_free).
 */
#ifndef RT_COMPOSE_MSGBOX_H
#define RT_COMPOSE_MSGBOX_H

#include "text.h"

#define MSG_PAD (2.2 * RT_MM)

/* A message measured in its box: the logo's size, the text and signature
 * typeset at the chosen scale, how it fits. */
typedef struct {
    double logo_w, logo_h; /* 0: no logo */
    double inner_w;        /* measure of the text */
    double avail;          /* height for the text (below the logo) */
    rt_style ts, fs;       /* text and signature styles at the chosen scale */
    tpara *paras;
    size_t n_paras;
    tpara from;
    rt_message_fit fit;
} cmp_msg_set;

/* The heading of a message page: baselines of the title and the call, and
 * the rule under them; the grid starts one grid step below the rule. */
void cmp_msg_head(const composer *c, double *title_y, double *call_y, double *rule_y);
/* Size of the box of format r on the message grid. */
void cmp_msg_box_size(const composer *c, const rt_rate *r, double *bw, double *bh);
/* Width of the box of format r. */
double cmp_msg_width(const composer *c, const rt_rate *r);
/* Measures message m in a box of bw x bh; draws nothing. */
void cmp_measure_message(composer *c, const rt_message *m, const rt_doc *doc, double bw, double bh,
                         cmp_msg_set *ms);
/* Draws a measured message in the box (bx, by, bw, bh). */
void cmp_draw_message(composer *c, rt_page *pg, const rt_message *m, const cmp_msg_set *ms,
                      double bx, double by, double bw, double bh);
void cmp_msg_set_free(cmp_msg_set *ms);
/* Reports a message that does not fit its box (rt_report_message_fit). */
void cmp_report_fit(composer *c, const rt_message *m, const rt_doc *doc, const rt_message_fit *fit);

#endif
