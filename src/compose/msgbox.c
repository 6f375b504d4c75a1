/* compose: one supporter message in its box: measured (the largest type
 * that fills at most 80 % of the box, below its logo), then drawn; the fit
 * the intake reports and the proof a supporter approves. */
#include "msgbox.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The heading of a message page: baselines of the title and the call, and
 * the rule under them; the grid starts one grid step below the rule. */
void cmp_msg_head(const composer *c, double *title_y, double *call_y, double *rule_y) {
    const rt_style *ts = &c->l->styles[RT_ST_PAGE_TITLE];
    const rt_style *ss = &c->l->styles[RT_ST_STANDFIRST];
    *title_y = cmp_row_top(c, 2) + ts->size;
    *call_y = *title_y + ts->leading * 0.3 + ss->size + ss->leading * 0.4;
    *rule_y = *call_y + ss->leading * 0.6;
}

/* Size of the box of format r on the message grid. */
double cmp_msg_width(const composer *c, const rt_rate *r) {
    double bw, bh;
    cmp_msg_box_size(c, r, &bw, &bh);
    return bw;
}

void cmp_msg_box_size(const composer *c, const rt_rate *r, double *bw, double *bh) {
    const rt_layout *l = c->l;
    double ty, cy, ry;
    cmp_msg_head(c, &ty, &cy, &ry);
    double gh = cmp_row_top(c, c->rows) - (ry + c->B);
    double cw = (c->area_w - (l->msg_columns - 1) * l->gutter) / l->msg_columns;
    double ch = (gh - (l->msg_rows - 1) * l->gutter) / l->msg_rows;
    *bw = r->columns * cw + (r->columns - 1) * l->gutter;
    *bh = r->rows * ch + (r->rows - 1) * l->gutter;
}

static bool has_overfull(const tpara *tp) {
    for (size_t i = 0; i < tp->lines.n; i++)
        if (tp->lines.lines[i].overfull || tp->lines.lines[i].forced) /* cut by force: too wide */
            return true;
    return false;
}

static double message_height(composer *c, const rt_message *m, const rt_doc *doc, double w,
                             double scale, tpara **paras, size_t *n_paras, tpara *from,
                             rt_style *ts, rt_style *fs, bool *overfull) {
    *overfull = false;
    const rt_layout *l = c->l;
    *ts = l->styles[RT_ST_MESSAGE_TEXT];
    *fs = l->styles[RT_ST_MESSAGE_FROM];
    ts->size *= scale;
    ts->leading *= scale;
    fs->size *= scale;
    fs->leading *= scale;
    double h = 0;
    *n_paras = 0;
    *paras = rt_xcalloc(doc ? doc->n_blocks + 1 : 1, sizeof **paras);
    for (size_t i = 0; doc && i < doc->n_blocks; i++) {
        tpara tp;
        if (cmp_typeset(c, &tp, doc->blocks[i].spans, doc->blocks[i].n_spans, ts, c->e->lang, w,
                        0)) {
            if (*n_paras)
                h += ts->leading * 0.4;
            h += tp.lines.n * ts->leading;
            *overfull |= has_overfull(&tp);
            (*paras)[(*n_paras)++] = tp;
        } else {
            cmp_tpara_free(&tp);
        }
    }
    memset(from, 0, sizeof *from);
    if (cmp_typeset_text(c, from, m->from, fs, c->e->lang, w)) {
        h += fs->leading * 0.5 + from->lines.n * fs->leading;
        *overfull |= has_overfull(from);
    }
    return h;
}

static void free_paras(tpara *paras, size_t n, tpara *from) {
    for (size_t i = 0; i < n; i++)
        cmp_tpara_free(&paras[i]);
    free(paras);
    cmp_tpara_free(from);
}

/* Measures message m in a box of bw x bh: the largest type (up to 2.6x, in
 * steps) that fills at most 80 % of the box, below its logo. Draws nothing. */
void cmp_measure_message(composer *c, const rt_message *m, const rt_doc *doc, double bw, double bh,
                         cmp_msg_set *ms) {
    double pad = MSG_PAD;
    memset(ms, 0, sizeof *ms);
    double inner_w = bw - 2 * pad;
    double avail = bh - 2 * pad;
    /* a logo on top, whole (never cropped), at most a third of the box */
    if (m->logo && m->logo_w > 0 && m->logo_h > 0) {
        ms->logo_h = avail / 3;
        ms->logo_w = ms->logo_h * m->logo_w / m->logo_h;
        if (ms->logo_w > inner_w) {
            ms->logo_w = inner_w;
            ms->logo_h = ms->logo_w * m->logo_h / m->logo_w;
        }
        avail -= ms->logo_h + pad;
    }
    double scale = 1.0, h = 0;
    bool overfull;
    for (double s = 2.6; s > 1.0; s -= 0.2) {
        h = message_height(c, m, doc, inner_w - 2 * pad * (s - 1), s, &ms->paras, &ms->n_paras,
                           &ms->from, &ms->ts, &ms->fs, &overfull);
        free_paras(ms->paras, ms->n_paras, &ms->from);
        if (h <= avail * 0.8 && !overfull) {
            scale = s;
            break;
        }
    }
    if (scale > 1.0)
        inner_w -= 2 * pad * (scale - 1);
    h = message_height(c, m, doc, inner_w, scale, &ms->paras, &ms->n_paras, &ms->from, &ms->ts,
                       &ms->fs, &overfull);
    ms->inner_w = inner_w;
    ms->avail = avail;
    rt_message_fit *fit = &ms->fit;
    fit->scale = scale;
    fit->height = h;
    fit->room = avail;
    fit->lines_over = h > avail + 0.01 ? (int)ceil((h - avail) / ms->ts.leading) : 0;
    fit->too_wide = overfull;
    fit->fits = !fit->lines_over && !overfull;
}

/* Draws a measured message in the box (bx, by, bw, bh): the frame, the
 * logo, the text and the signature, centred vertically. */
void cmp_draw_message(composer *c, rt_page *pg, const rt_message *m, const cmp_msg_set *ms,
                      double bx, double by, double bw, double bh) {
    const rt_layout *l = c->l;
    double pad = MSG_PAD;
    cmp_frame(pg, bx, by, bw, bh, 0.75, l->rule_color);
    if (ms->logo_h > 0) {
        cmp_push(pg, (rt_draw){.kind = RT_DRAW_IMAGE,
                               .x = bx + (bw - ms->logo_w) / 2,
                               .y = by + pad,
                               .w = ms->logo_w,
                               .h = ms->logo_h,
                               .image = m->logo,
                               .contain = true,
                               .img_w = m->logo_w,
                               .img_h = m->logo_h});
        by += ms->logo_h + pad;
    }
    const rt_style *ts = &ms->ts, *fs = &ms->fs;
    double h = ms->fit.height;
    double x0 = bx + pad + (bw - 2 * pad - ms->inner_w) / 2;
    double y = by + pad + (ms->avail > h ? (ms->avail - h) / 2 : 0);
    for (size_t i = 0; i < ms->n_paras; i++) {
        if (i)
            y += ts->leading * 0.4;
        double last = cmp_draw_lines(c, pg, &ms->paras[i], x0, y + ts->size, ts->leading);
        y = last + (ts->leading - ts->size);
    }
    if (ms->from.para) {
        y += fs->leading * 0.5;
        cmp_draw_lines(c, pg, &ms->from, x0, y + fs->size, fs->leading);
    }
}

void cmp_msg_set_free(cmp_msg_set *ms) {
    free_paras(ms->paras, ms->n_paras, &ms->from);
    ms->paras = NULL;
    ms->n_paras = 0;
}

/* The smallest format (by area, then price) larger than `rate` that message
 * m fits, set in it; -1 if none. */
int rt_message_smallest_format(const rt_edition *e, const rt_message *m, const rt_doc *doc,
                               int rate, rt_compose_ctx *ctx) {
    const rt_layout *l = e->layout;
    const rt_rate *r = &l->rates[rate];
    int best = -1;
    for (size_t k = 0; k < l->n_rates; k++) {
        const rt_rate *o = &l->rates[k];
        if (o->columns * o->rows <= r->columns * r->rows)
            continue;
        if (best >= 0) {
            const rt_rate *b = &l->rates[best];
            int ao = o->columns * o->rows, ab = b->columns * b->rows;
            if (ao > ab || (ao == ab && o->price >= b->price))
                continue;
        }
        rt_message_fit f;
        rt_fit_message(e, m, doc, (int)k, ctx, &f);
        if (f.fits)
            best = (int)k;
    }
    return best;
}

void rt_report_message_fit(const rt_edition *e, const rt_message *m, const rt_doc *doc, int rate,
                           rt_compose_ctx *ctx, const rt_message_fit *fit, rt_diag *d) {
    const rt_layout *l = e->layout;
    const rt_rate *r = &l->rates[rate];
    if (fit->too_wide) {
        rt_error(d, m->path, m->text_mark.line, m->text_mark.col,
                 "a word is too wide for a '%s' box (a long address? break it with spaces or "
                 "choose a wider format)",
                 r->name);
        return;
    }
    if (!fit->lines_over)
        return;
    int best = rt_message_smallest_format(e, m, doc, rate, ctx);
    char *hint = best >= 0 ? rt_xasprintf("; the smallest format it fits is '%s' (%.2f)",
                                          l->rates[best].name, l->rates[best].price)
                           : rt_xstrdup("; it fits no format: shorten it");
    rt_error(d, m->path, m->text_mark.line, m->text_mark.col,
             "text does not fit a '%s' box: %d line%s too long%s", r->name, fit->lines_over,
             fit->lines_over == 1 ? "" : "s", hint);
    free(hint);
}

void cmp_report_fit(composer *c, const rt_message *m, const rt_doc *doc,
                    const rt_message_fit *fit) {
    rt_report_message_fit(c->e, m, doc, m->rate, c->ctx, fit, c->d);
}

void rt_fit_message(const rt_edition *e, const rt_message *m, const rt_doc *doc, int rate,
                    rt_compose_ctx *ctx, rt_message_fit *fit) {
    composer c;
    cmp_init(&c, e, ctx, NULL, NULL);
    const rt_rate *r = &e->layout->rates[rate];
    double bw, bh;
    cmp_msg_box_size(&c, r, &bw, &bh);
    cmp_msg_set ms;
    cmp_measure_message(&c, m, doc, bw, bh, &ms);
    *fit = ms.fit;
    cmp_msg_set_free(&ms);
    cmp_done(&c);
}

void rt_message_box(const rt_edition *e, int rate, double *w, double *h) {
    composer c;
    cmp_init(&c, e, NULL, NULL, NULL);
    cmp_msg_box_size(&c, &e->layout->rates[rate], w, h);
    cmp_done(&c);
}

rt_composition *rt_message_proof(const rt_edition *e, const rt_message *m, const rt_doc *doc,
                                 rt_compose_ctx *ctx, rt_diag *d) {
    const rt_layout *l = e->layout;
    if (m->rate < 0 || (size_t)m->rate >= l->n_rates)
        return NULL;
    const rt_rate *r = &l->rates[m->rate];
    rt_composition *out = rt_xcalloc(1, sizeof *out);
    composer c;
    cmp_init(&c, e, ctx, d, out);
    double bw, bh, margin = 8 * RT_MM, head = 9 * RT_MM;
    cmp_msg_box_size(&c, r, &bw, &bh);
    out->width = bw + 2 * margin;
    out->height = bh + 2 * margin + head;
    out->pages = rt_xcalloc(1, sizeof *out->pages);
    out->n_pages = 1;
    rt_page *pg = &out->pages[0];
    pg->number = 1;
    rt_style cap = l->styles[RT_ST_CAPTION];
    char *t = rt_xasprintf(
        "%s \xe2\x80\x94 %d \xc3\x97 %d \xe2\x80\x94 %.0f \xc3\x97 %.0f mm \xe2\x80\x94 %s",
        r->name, r->columns, r->rows, bw / RT_MM, bh / RT_MM, l->name ? l->name : "");
    cmp_draw_string(&c, pg, t, &cap, e->lang, margin, bw, margin + cap.size, RT_ALIGN_LEFT);
    free(t);
    cmp_msg_set ms;
    cmp_measure_message(&c, m, doc, bw, bh, &ms);
    cmp_draw_message(&c, pg, m, &ms, margin, margin + head, bw, bh);
    if (!ms.fit.fits)
        cmp_report_fit(&c, m, doc, &ms.fit);
    cmp_msg_set_free(&ms);
    cmp_done(&c);
    return out;
}
