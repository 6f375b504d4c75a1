/* compose: one article as a block on the grid: its body as a flow of
 * lines (typeset once at the column measure), its header (kicker,
 * headline, standfirst, byline) and images across the block's columns,
 * each measured first and drawn from what was measured (see block.h). */
#include "block.h"

#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- article flow */

static void flow_push(article_flow *f, flow_item it, rt_flow_el el) {
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->items = rt_xrealloc(f->items, f->cap * sizeof *f->items);
        f->els = rt_xrealloc(f->els, f->cap * sizeof *f->els);
        f->where = rt_xrealloc(f->where, f->cap * sizeof *f->where);
    }
    f->items[f->n] = it;
    f->els[f->n] = el;
    f->where[f->n] = -1;
    f->n++;
}

static void flow_space(composer *c, article_flow *f, double h) {
    int r = cmp_rows_for(c, h);
    if (r > 0)
        flow_push(f, (flow_item){.kind = FI_SPACE, .para = -1},
                  (rt_flow_el){.rows = r, .space = true, .para = -1});
}

/* Adds a typeset paragraph's lines to the flow. */
static void flow_para(composer *c, article_flow *f, tpara *tp, double indent, const char *marker,
                      bool keep_with_next) {
    RT_PUSH(f->paras, f->n_paras, f->cap_paras, *tp);
    int pid = (int)f->n_paras - 1;
    const rt_style *st = tp->style;
    int rpl = cmp_rows_for(c, st->leading);
    if (rpl < 1)
        rpl = 1;
    if (st->space_before > 0)
        flow_space(c, f, st->space_before);
    size_t nl = tp->lines.n;
    for (size_t i = 0; i < nl; i++) {
        /* the lines beside a drop cap stay together */
        bool kwn = keep_with_next || (int)i + 1 < tp->drop_lines;
        double ind = indent + ((int)i < tp->drop_lines ? tp->drop_w : 0);
        flow_push(f,
                  (flow_item){.kind = FI_LINE,
                              .para = pid,
                              .line = i,
                              .indent = ind,
                              .marker = i == 0 ? marker : NULL,
                              .marker_style = st},
                  (rt_flow_el){.rows = rpl,
                               .keep_with_next = kwn,
                               .para = pid,
                               .line = (int)i,
                               .para_lines = (int)nl});
    }
    if (st->space_after > 0)
        flow_space(c, f, st->space_after);
}

/* A table's rows (table.h); one that fits the column gets a line of space
 * above and below (dropped at a column's top), one across the block carries
 * its own. */
static void flow_table(composer *c, const rt_article *a, const rt_block *b, article_flow *f) {
    cmp_table *t = cmp_table_measure(c, a, b);
    if (!t)
        return;
    size_t k = f->n_tables;
    RT_PUSH(f->tables, f->n_tables, f->cap_tables, t);
    bool across = cmp_table_min_span(t) > 1;
    int span = across ? cmp_table_min_span(t) : 1;
    if (!across)
        flow_space(c, f, c->B);
    size_t el0 = f->n;
    RT_PUSH(f->table_el0, k, f->cap_el0, el0);
    for (size_t r = 0; r < cmp_table_rows(t); r++)
        flow_push(f, (flow_item){.kind = FI_TABLE_ROW, .para = (int)f->n_tables - 1, .line = r},
                  cmp_table_el(c, t, r, span));
    if (!across)
        flow_space(c, f, c->B);
}

int cmp_flow_min_span(const article_flow *f, size_t from) {
    int span = 1;
    for (size_t i = 0; i < f->n_tables; i++)
        if (f->table_el0[i] + cmp_table_rows(f->tables[i]) > from &&
            cmp_table_min_span(f->tables[i]) > span)
            span = cmp_table_min_span(f->tables[i]);
    return span;
}

bool cmp_flow_span_fixed(const article_flow *f) {
    for (size_t i = 0; i < f->n_tables; i++)
        if (cmp_table_min_span(f->tables[i]) != 1)
            return false;
    return true;
}

void cmp_flow_for_span(composer *c, article_flow *f, int span) {
    f->span = span;
    for (size_t i = 0; i < f->n_tables; i++) {
        if (cmp_table_min_span(f->tables[i]) == 1)
            continue; /* set at the column's width once */
        for (size_t r = 0; r < cmp_table_rows(f->tables[i]); r++)
            f->els[f->table_el0[i] + r] = cmp_table_el(c, f->tables[i], r, span);
    }
}

void cmp_build_flow(composer *c, const rt_article *a, const rt_doc *doc, double width,
                    article_flow *f) {
    const rt_layout *l = c->l;
    memset(f, 0, sizeof *f);
    bool first_para = true;
    /* drop caps go to articles long enough for the layout */
    size_t words = 0;
    for (size_t i = 0; doc && i < doc->n_blocks; i++)
        for (size_t k = 0; k < doc->blocks[i].n_spans; k++)
            for (const char *s = doc->blocks[i].spans[k].text; *s; s++)
                words += *s == ' ';
    bool drop = l->drop_cap_lines > 0 && words >= (size_t)l->drop_cap_min_words;
    bool notes = false;
    for (size_t i = 0; doc && i < doc->n_blocks; i++) {
        const rt_block *b = &doc->blocks[i];
        /* -- tables (table.c) -- */
        if (b->kind == RT_BLOCK_TABLE) {
            flow_table(c, a, b, f);
            first_para = true;
            continue;
        }
        /* -- footnotes: after a short rule at the end of the text -- */
        if (b->kind == RT_BLOCK_NOTE && !notes) {
            notes = true;
            flow_space(c, f, c->B * 0.5);
            flow_push(f, (flow_item){.kind = FI_NOTE_RULE, .para = -1},
                      (rt_flow_el){.rows = 1, .keep_with_next = true, .para = -1});
        }
        tpara tp;
        const rt_style *st;
        double indent = 0, first_indent = -1;
        const char *marker = NULL;
        bool kwn = false;
        switch (b->kind) {
        case RT_BLOCK_SUBHEAD:
            st = &l->styles[RT_ST_SUBHEAD];
            kwn = true;
            break;
        case RT_BLOCK_QUOTE:
            st = &l->styles[RT_ST_QUOTE];
            indent = st->size;
            first_indent = 0;
            break;
        case RT_BLOCK_ITEM:
        case RT_BLOCK_ITEM_CONT:
            st = &l->styles[RT_ST_LIST];
            indent = st->size * 1.3 * (b->depth > 0 ? b->depth : 1);
            first_indent = 0;
            marker = b->kind == RT_BLOCK_ITEM ? b->marker : NULL;
            break;
        case RT_BLOCK_NOTE: /* numbered, hanging */
            st = &l->styles[RT_ST_NOTE];
            indent = st->size * 1.6;
            first_indent = 0;
            marker = b->marker;
            break;
        default:
            st = &l->styles[RT_ST_BODY];
            if (first_para)
                first_indent = 0;
            break;
        }
        c->src = a->path; /* words cut by force are reported here */
        c->src_line = b->line;
        c->src_col = b->col;
        bool typeset = drop && i == 0 && b->kind == RT_BLOCK_PARA &&
                       cmp_typeset_drop(c, &tp, b->spans, b->n_spans, st, a->lang, width);
        if (typeset ||
            cmp_typeset(c, &tp, b->spans, b->n_spans, st, a->lang, width - indent, first_indent)) {
            bool forced = false;
            for (size_t k = 0; k < tp.lines.n; k++)
                forced |= tp.lines.lines[k].forced;
            if (tp.lines.pass == 3 && cmp_overfull_lines(&tp))
                rt_warning(c->d, a->path, b->line, b->col,
                           "a word is wider than the column (%.1f mm) and sticks out of it; "
                           "a soft hyphen (U+00AD) in it, or a shorter word, would help",
                           (width - indent) / RT_MM);
            else if (tp.lines.pass == 3 && !forced)
                rt_warning(c->d, a->path, b->line, b->col,
                           "no line breaks keep this paragraph's spaces under 2x (widest %.2fx); "
                           "rewording it, or a soft hyphen (U+00AD) in a long name, would help",
                           cmp_widest_space(&tp));
            flow_para(c, f, &tp, indent, marker, kwn);
        } else {
            cmp_tpara_free(&tp);
        }
        first_para = b->kind == RT_BLOCK_SUBHEAD;
    }
    c->src = NULL;
    if (a->n_related) {
        const rt_style *ts = &l->styles[RT_ST_RELATED_TITLE];
        const rt_style *rs = &l->styles[RT_ST_RELATED];
        flow_space(c, f, c->B);
        flow_push(f, (flow_item){.kind = FI_RULE, .para = -1},
                  (rt_flow_el){.rows = 1, .keep_with_next = true, .para = -1});
        tpara tp;
        if (cmp_typeset_text(c, &tp, l->words[c->e->lang].related, ts, c->e->lang, width))
            flow_para(c, f, &tp, 0, NULL, true);
        else
            cmp_tpara_free(&tp);
        for (size_t k = 0; k < a->n_related; k++) {
            rt_span sp[2] = {{a->related[k].title, 0, NULL}, {NULL, 0, NULL}};
            size_t ns = 1;
            char *u = NULL;
            if (a->related[k].url && l->links == RT_LINKS_INLINE) {
                u = rt_xasprintf(" %s", a->related[k].url);
                sp[1] = (rt_span){u, RT_SPAN_EM, NULL};
                ns = 2;
            }
            if (cmp_typeset(c, &tp, sp, ns, rs, a->lang, width - rs->size, 0))
                flow_para(c, f, &tp, rs->size, "›", false);
            else
                cmp_tpara_free(&tp);
            free(u);
        }
    }
}

void cmp_flow_free(article_flow *f) {
    for (size_t i = 0; i < f->n_paras; i++)
        cmp_tpara_free(&f->paras[i]);
    free(f->paras);
    for (size_t i = 0; i < f->n_tables; i++)
        cmp_table_free(f->tables[i]);
    free(f->tables);
    free(f->table_el0);
    free(f->items);
    free(f->els);
    free(f->where);
    free(f->lines_to);
}

size_t cmp_flow_lines(article_flow *f, size_t from, size_t to) {
    if (!f->lines_to) {
        f->lines_to = rt_xcalloc(f->n + 1, sizeof *f->lines_to);
        for (size_t i = 0; i < f->n; i++)
            f->lines_to[i + 1] = f->lines_to[i] + (f->items[i].kind == FI_LINE);
    }
    if (to > f->n)
        to = f->n;
    return from < to ? f->lines_to[to] - f->lines_to[from] : 0;
}

/* Draws the placed flow items [from, to). */
void cmp_draw_flow(composer *c, rt_page *pg, article_flow *f, const rt_flow_pos *pos, size_t from,
                   size_t to, const int *col_map) {
    for (size_t i = from; i < to; i++) {
        if (pos[i].col < 0)
            continue;
        const flow_item *it = &f->items[i];
        f->where[i] = pg->number * 1000 + pos[i].col;
        double x = cmp_col_x(c, pg, col_map[pos[i].col]);
        if (it->kind == FI_LINE) {
            const tpara *tp = &f->paras[it->para];
            double y = cmp_row_baseline(c, pos[i].row);
            cmp_draw_line(c, pg, tp, it->line, x + it->indent, y);
            if (it->line == 0 && tp->drop) /* the initial sits on the last line it spans */
                cmp_push(pg, (rt_draw){.kind = RT_DRAW_RUN,
                                       .x = x,
                                       .y = cmp_row_baseline(c, pos[i].row + tp->drop_lines - 1),
                                       .run = tp->drop,
                                       .color = tp->drop->color});
            if (it->marker) {
                double mw = cmp_string_width(c, it->marker, it->marker_style, c->e->lang);
                cmp_draw_string(c, pg, it->marker, it->marker_style, c->e->lang,
                                x + it->indent - mw - it->marker_style->size * 0.4, mw, y,
                                RT_ALIGN_LEFT);
            }
        } else if (it->kind == FI_RULE) {
            double y = cmp_row_top(c, pos[i].row) + c->B * 0.5;
            cmp_rule(pg, x, y, x + c->col_w, y, c->l->rule_width, c->l->accent_color);
        } else if (it->kind == FI_NOTE_RULE) { /* a short rule above the notes */
            double y = cmp_row_top(c, pos[i].row) + c->B * 0.6;
            cmp_rule(pg, x, y, x + c->col_w * 0.25, y, c->l->rule_width, c->l->rule_color);
        } else if (it->kind == FI_TABLE_ROW) { /* table.c */
            cmp_table_draw_row(c, pg, f->tables[it->para], it->line, f->span, &pos[i], x);
        }
    }
}

/* ----------------------------------------------------------- the header */

/* The one headline routine (first pieces and continuations): `title` in
 * `hs` at width w, its first baseline 0.85 of the size below y + before.
 * Returns the y below it (0.3 of the size under the last baseline, then
 * `after`). */
static double measure_headline(composer *c, cmp_lines *ls, const char *title, const rt_style *hs,
                               int lang, double w, double y, double before, double after) {
    ls->set = cmp_typeset_text(c, &ls->tp, title, hs, lang, w);
    if (!ls->set) {
        cmp_tpara_free(&ls->tp);
        return y;
    }
    ls->base = y + hs->size * 0.85 + before;
    ls->leading = hs->leading;
    return cmp_last_baseline(ls->base, ls->tp.lines.n, ls->leading) + hs->size * 0.3 + after;
}

/* A paragraph of the header in style st (kicker, standfirst, byline): its
 * first baseline one size below y + space_before. Returns the y below it. */
static double measure_header_text(composer *c, cmp_lines *ls, const char *text, const rt_style *st,
                                  int lang, double w, double y) {
    ls->set = cmp_typeset_text(c, &ls->tp, text, st, lang, w);
    if (!ls->set) {
        cmp_tpara_free(&ls->tp);
        return y;
    }
    ls->base = y + st->space_before + st->size;
    ls->leading = st->leading;
    return cmp_last_baseline(ls->base, ls->tp.lines.n, ls->leading) + (st->leading - st->size) +
           st->space_after;
}

void cmp_measure_header(composer *c, const rt_article *a, int span, bool lead, double k,
                        cmp_header *h) {
    const rt_layout *l = c->l;
    memset(h, 0, sizeof *h);
    double w = cmp_span_w(c, span);
    double y = 0;
    c->src = a->path; /* words cut by force are found in the file */
    c->src_line = c->src_col = 0;
    if (a->kicker)
        y = measure_header_text(c, &h->part[0], a->kicker, &l->styles[RT_ST_KICKER], a->lang, w, y);
    /* headline size by span: narrower blocks get smaller headlines */
    rt_style hs = l->styles[lead ? RT_ST_LEAD_HEADLINE : RT_ST_HEADLINE];
    if (!lead)
        k *= l->compose.headline_scale[span < 1                ? 1
                                       : span > RT_MAX_COLUMNS ? RT_MAX_COLUMNS
                                                               : span];
    if (k != 1) {
        hs.size *= k;
        hs.leading *= k;
    }
    y = measure_headline(c, &h->part[1], a->title, &hs, a->lang, w, y, hs.space_before,
                         hs.space_after);
    if (h->part[1].set) /* the scaled style lives in the header, not on the stack */
        h->part[1].tp.style = &l->styles[lead ? RT_ST_LEAD_HEADLINE : RT_ST_HEADLINE];
    if (a->standfirst) {
        int sspan = span > 2 ? (span * 3 + 4) / 5 : span;
        if (sspan < 2 && span >= 2)
            sspan = 2;
        y = measure_header_text(c, &h->part[2], a->standfirst, &l->styles[RT_ST_STANDFIRST],
                                a->lang, cmp_span_w(c, sspan), y);
    }
    if (a->byline)
        y = measure_header_text(c, &h->part[3], a->byline, &l->styles[RT_ST_BYLINE], a->lang, w, y);
    c->src = NULL;
    h->rows = cmp_rows_for(c, y) + 1;
}

void cmp_measure_continuation(composer *c, const rt_article *a, int from_page, int span,
                              cmp_header *h) {
    const rt_layout *l = c->l;
    memset(h, 0, sizeof *h);
    double w = cmp_span_w(c, span);
    char *from = rt_xasprintf(l->words[c->e->lang].continued_from, from_page);
    double dx;
    cmp_lines *cf = &h->part[0];
    cf->set = cmp_typeset_string(c, &cf->tp, from, &l->styles[RT_ST_BYLINE], c->e->lang, w,
                                 RT_ALIGN_LEFT, &dx);
    if (!cf->set)
        cmp_tpara_free(&cf->tp);
    cf->base = c->B * l->compose.baseline_offset;
    free(from);
    double y = measure_headline(c, &h->part[1], a->title, &l->styles[RT_ST_HEADLINE], a->lang, w,
                                c->B, 0, 0);
    h->rows = 1 + cmp_rows_for(c, y - c->B) + 1;
}

void cmp_draw_header(composer *c, rt_page *pg, const cmp_header *h, int row, int col0) {
    double x = cmp_col_x(c, pg, col0), top = cmp_row_top(c, row);
    for (int i = 0; i < 4; i++)
        cmp_draw_box_lines(c, pg, &h->part[i], x, top);
}

void cmp_header_free(cmp_header *h) {
    for (int i = 0; i < 4; i++)
        cmp_lines_free(&h->part[i]);
}

/* ---------------------------------------------------------- the figures */

void cmp_measure_figure(composer *c, const rt_article *a, const rt_image *im, int span,
                        int max_rows, int extra_rows, cmp_figure *fig) {
    const rt_layout *l = c->l;
    memset(fig, 0, sizeof *fig);
    fig->im = im;
    double w = cmp_span_w(c, span);
    int img_rows =
        cmp_rows_for(c, w * im->height_px / (double)(im->width_px > 0 ? im->width_px : 1));
    img_rows += extra_rows; /* taller than its proportions: cropped at the sides */
    const rt_style *cs = &l->styles[RT_ST_CAPTION];
    const rt_style *rs = &l->styles[RT_ST_CREDIT];
    cmp_lines *cap = &fig->caption, *cred = &fig->credit;
    cap->set = im->caption && cmp_typeset_text(c, &cap->tp, im->caption, cs, a->lang, w);
    cred->set = im->credit && cmp_typeset_text(c, &cred->tp, im->credit, rs, a->lang, w);
    if (im->caption && !cap->set)
        cmp_tpara_free(&cap->tp);
    if (im->credit && !cred->set)
        cmp_tpara_free(&cred->tp);
    double text_h = (cap->set ? cap->tp.lines.n * cs->leading : 0) +
                    (cred->set ? cred->tp.lines.n * rs->leading : 0) + c->B * 0.3;
    int text_rows = cmp_rows_for(c, text_h);
    /* at least three rows, or what a strip (a panorama) takes at its
     * proportions; less room than that: not drawn (cmp_place_piece says so) */
    int least = img_rows < 3 ? (img_rows < 1 ? 1 : img_rows) : 3;
    if (img_rows + text_rows > max_rows)
        img_rows = max_rows - text_rows;
    if (img_rows < least) {
        cmp_figure_free(fig);
        return;
    }
    fig->w = w;
    fig->h = img_rows * c->B - c->B * 0.2;
    fig->ppi = 72.0 / fmax(w / im->width_px, fig->h / im->height_px);
    /* under the picture: the credit, then the caption */
    double y = fig->h + c->B * 0.2;
    if (cred->set) {
        cred->base = y + rs->size;
        cred->leading = rs->leading;
        y = cmp_last_baseline(cred->base, cred->tp.lines.n, rs->leading) + (rs->leading - rs->size);
    }
    if (cap->set) {
        cap->base = y + cs->size;
        cap->leading = cs->leading;
    }
    fig->rows = img_rows + text_rows;
}

void cmp_draw_figure(composer *c, rt_page *pg, const rt_article *a, const cmp_figure *fig, int row,
                     int col0) {
    if (!fig->rows)
        return;
    const rt_image *im = fig->im;
    double x = cmp_col_x(c, pg, col0), top = cmp_row_top(c, row);
    if (fig->ppi < c->l->min_ppi) {
        double scale = 72.0 / fig->ppi;
        rt_warning(c->d, a->path, im->mark.line, im->mark.col,
                   "image '%s' prints at %.0f ppi (under %.0f): it will look soft; "
                   "a file at least %.0f pixels wide would do",
                   im->file, fig->ppi, c->l->min_ppi,
                   ceil(fig->w / 72.0 * c->l->min_ppi * (scale * im->width_px / fig->w)));
    }
    cmp_push(pg, (rt_draw){.kind = RT_DRAW_IMAGE,
                           .x = x,
                           .y = top,
                           .w = fig->w,
                           .h = fig->h,
                           .image = im->file,
                           .img_w = im->width_px,
                           .img_h = im->height_px,
                           .focus = im->focus_x != 0.5 || im->focus_y != 0.5,
                           .fx = im->focus_x,
                           .fy = im->focus_y});
    cmp_draw_box_lines(c, pg, &fig->credit, x, top);
    cmp_draw_box_lines(c, pg, &fig->caption, x, top);
}

void cmp_figure_free(cmp_figure *fig) {
    cmp_lines_free(&fig->caption);
    cmp_lines_free(&fig->credit);
    fig->rows = 0;
}

/* ------------------------------------------------------ the block's head */

void cmp_measure_block_head(composer *c, const rt_article *a, const cmp_head_opts *o,
                            cmp_block_head *bh) {
    memset(bh, 0, sizeof *bh);
    bh->o = *o;
    int span = o->span;
    if (o->continued)
        cmp_measure_continuation(c, a, o->continued, span, &bh->head);
    else
        cmp_measure_header(c, a, span, o->lead, o->headline > 0 ? o->headline : 1, &bh->head);
    for (int i = 0; i < span; i++)
        bh->col_top[i] = bh->head.rows;
    if (o->continued || !a->n_images)
        return;
    const rt_compose_params *cp = &c->l->compose;
    int max = (int)(o->page_rows * (o->lead ? cp->lead_image_share : cp->image_share));
    if (o->img_max > 0 && o->img_max < max)
        max = o->img_max;
    int ispan = span >= 4 ? span - 1 : span;
    /* a tall photo keeps its shape: as many columns as it can take without
     * being cropped by more than a seventh, the text beside it */
    const rt_image *im0 = &a->images[0];
    while (ispan > 1 && im0->width_px > 0 &&
           cmp_rows_for(c, cmp_span_w(c, ispan) * im0->height_px / im0->width_px) * 7 > max * 8)
        ispan--;
    size_t nf = a->n_images < CMP_MAX_FIGS ? a->n_images : CMP_MAX_FIGS;
    cmp_measure_figure(c, a, &a->images[0], ispan, max + o->extra_rows, o->extra_rows,
                       &bh->figs[0]);
    bh->fig_col[0] = 0;
    bh->fig_row[0] = bh->col_top[0];
    for (int i = 0; i < ispan; i++)
        bh->col_top[i] += bh->figs[0].rows;
    for (size_t k = 1; k < nf; k++) {
        int col = span - 1 - (int)((k - 1) % (size_t)span);
        /* at most half the page's rows below the head */
        cmp_measure_figure(c, a, &a->images[k], 1, (o->page_rows - bh->col_top[col]) / 2, 0,
                           &bh->figs[k]);
        bh->fig_col[k] = col;
        bh->fig_row[k] = bh->col_top[col];
        bh->col_top[col] += bh->figs[k].rows;
    }
    bh->n_figs = nf;
}

void cmp_draw_block_head(composer *c, rt_page *pg, const rt_article *a, const cmp_block_head *bh,
                         int row, int col0) {
    cmp_draw_header(c, pg, &bh->head, row, col0);
    for (size_t k = 0; k < bh->n_figs; k++)
        cmp_draw_figure(c, pg, a, &bh->figs[k], row + bh->fig_row[k], col0 + bh->fig_col[k]);
}

void cmp_block_head_free(cmp_block_head *bh) {
    cmp_header_free(&bh->head);
    for (size_t k = 0; k < bh->n_figs; k++)
        cmp_figure_free(&bh->figs[k]);
    bh->n_figs = 0;
}
