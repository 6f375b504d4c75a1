/* compose: one article as a block on the grid: its body as a flow of
 * lines (typeset once at the column measure), its header (kicker,
 * headline, standfirst, byline) and images across the block's columns. */
#include "compose_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- article flow */

void cmp_flow_push(article_flow *f, flow_item it, rt_flow_el el) {
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

int cmp_rows_for(const composer *c, double h) {
    int r = (int)ceil(h / c->B - 1e-6);
    return r < 0 ? 0 : r;
}

static void flow_space(composer *c, article_flow *f, double h) {
    int r = cmp_rows_for(c, h);
    if (r > 0)
        cmp_flow_push(f, (flow_item){FI_SPACE, -1, 0, 0, NULL, NULL},
                      (rt_flow_el){r, true, false, -1, 0, 0, 0, false});
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
        cmp_flow_push(f, (flow_item){FI_LINE, pid, i, ind, i == 0 ? marker : NULL, st},
                      (rt_flow_el){rpl, false, kwn, pid, (int)i, (int)nl, 0, false});
    }
    if (st->space_after > 0)
        flow_space(c, f, st->space_after);
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
            cmp_table_flow(c, a, b, f);
            first_para = true;
            continue;
        }
        /* -- footnotes: after a short rule at the end of the text -- */
        if (b->kind == RT_BLOCK_NOTE && !notes) {
            notes = true;
            flow_space(c, f, c->B * 0.5);
            cmp_flow_push(f, (flow_item){FI_NOTE_RULE, -1, 0, 0, NULL, NULL},
                          (rt_flow_el){1, false, true, -1, 0, 0, 0, false});
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
        bool typeset = drop && i == 0 && b->kind == RT_BLOCK_PARA &&
                       cmp_typeset_drop(c, &tp, b->spans, b->n_spans, st, a->lang, width);
        if (typeset ||
            cmp_typeset(c, &tp, b->spans, b->n_spans, st, a->lang, width - indent, first_indent)) {
            if (tp.lines.pass == 3 && cmp_overfull_lines(&tp))
                rt_warning(c->d, a->path, b->line, b->col,
                           "a word is wider than the column (%.1f mm) and sticks out of it; "
                           "a soft hyphen (U+00AD) in it, or a shorter word, would help",
                           (width - indent) / RT_MM);
            else if (tp.lines.pass == 3)
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
    if (a->n_related) {
        const rt_style *ts = &l->styles[RT_ST_RELATED_TITLE];
        const rt_style *rs = &l->styles[RT_ST_RELATED];
        flow_space(c, f, c->B);
        cmp_flow_push(f, (flow_item){FI_RULE, -1, 0, 0, NULL, NULL},
                      (rt_flow_el){1, false, true, -1, 0, 0, 0, false});
        tpara tp;
        if (cmp_typeset_text(c, &tp, l->words[a->lang].related, ts, a->lang, width))
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
    free(f->items);
    free(f->els);
    free(f->where);
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
            cmp_table_draw_row(c, pg, f, i, &pos[i], x);
        }
    }
}

/* Header of an article (kicker, headline, standfirst, byline) across
 * `span` columns from `col0`, starting at `row`. Returns rows used. */
int cmp_draw_header(composer *c, rt_page *pg, const rt_article *a, int row, int col0, int span,
                    bool lead) {
    const rt_layout *l = c->l;
    double x = cmp_col_x(c, pg, col0);
    double w = span * c->col_w + (span - 1) * l->gutter;
    double y = cmp_row_top(c, row);
    tpara tp;
    if (a->kicker) {
        const rt_style *st = &l->styles[RT_ST_KICKER];
        if (cmp_typeset_text(c, &tp, a->kicker, st, a->lang, w)) {
            y += st->space_before;
            double last = cmp_draw_lines(c, pg, &tp, x, y + st->size, st->leading);
            y = last + (st->leading - st->size) + st->space_after;
        }
        cmp_tpara_free(&tp);
    }
    /* headline size by span: narrower blocks get smaller headlines */
    static const double scale[] = {0, 0.62, 0.78, 0.9, 1.0};
    rt_style hstyle = l->styles[lead ? RT_ST_LEAD_HEADLINE : RT_ST_HEADLINE];
    if (!lead && span < 4) {
        hstyle.size *= scale[span < 1 ? 1 : span];
        hstyle.leading *= scale[span < 1 ? 1 : span];
    }
    const rt_style *hs = &hstyle;
    if (cmp_typeset_text(c, &tp, a->title, hs, a->lang, w)) {
        double first = y + hs->size * 0.85 + hs->space_before;
        double last = cmp_draw_lines(c, pg, &tp, x, first, hs->leading);
        y = last + hs->size * 0.3 + hs->space_after;
    }
    cmp_tpara_free(&tp);
    if (a->standfirst) {
        const rt_style *st = &l->styles[RT_ST_STANDFIRST];
        int sspan = span > 2 ? (span * 3 + 4) / 5 : span;
        if (sspan < 2 && span >= 2)
            sspan = 2;
        double sw = sspan * c->col_w + (sspan - 1) * l->gutter;
        if (cmp_typeset_text(c, &tp, a->standfirst, st, a->lang, sw)) {
            double first = y + st->space_before + st->size;
            double last = cmp_draw_lines(c, pg, &tp, x, first, st->leading);
            y = last + (st->leading - st->size) + st->space_after;
        }
        cmp_tpara_free(&tp);
    }
    if (a->byline) {
        const rt_style *st = &l->styles[RT_ST_BYLINE];
        if (cmp_typeset_text(c, &tp, a->byline, st, a->lang, w)) {
            double first = y + st->space_before + st->size;
            double last = cmp_draw_lines(c, pg, &tp, x, first, st->leading);
            y = last + (st->leading - st->size) + st->space_after;
        }
        cmp_tpara_free(&tp);
    }
    return cmp_rows_for(c, y - cmp_row_top(c, row)) + 1;
}

/* An image across `span` columns at `row`; returns the rows it takes with
 * its caption and credit. */
int cmp_draw_image(composer *c, rt_page *pg, const rt_article *a, const rt_image *im, int row,
                   int col0, int span, int max_rows, int extra_rows, bool quiet) {
    const rt_layout *l = c->l;
    double x = cmp_col_x(c, pg, col0);
    double w = span * c->col_w + (span - 1) * l->gutter;
    int img_rows =
        cmp_rows_for(c, w * im->height_px / (double)(im->width_px > 0 ? im->width_px : 1));
    img_rows += extra_rows; /* taller than its proportions: cropped at the sides */
    const rt_style *cs = &l->styles[RT_ST_CAPTION];
    const rt_style *rs = &l->styles[RT_ST_CREDIT];
    tpara cap = {0}, cred = {0};
    bool has_cap = im->caption && cmp_typeset_text(c, &cap, im->caption, cs, a->lang, w);
    bool has_cred = im->credit && cmp_typeset_text(c, &cred, im->credit, rs, a->lang, w);
    double text_h = (has_cap ? cap.lines.n * cs->leading : 0) +
                    (has_cred ? cred.lines.n * rs->leading : 0) + c->B * 0.3;
    int text_rows = cmp_rows_for(c, text_h);
    if (img_rows + text_rows > max_rows)
        img_rows = max_rows - text_rows;
    if (img_rows < 3) {
        cmp_tpara_free(&cap);
        cmp_tpara_free(&cred);
        return 0;
    }
    double top = cmp_row_top(c, row);
    double h = img_rows * c->B - c->B * 0.2;
    /* the image covers the box (cropped to fit): its effective resolution */
    double scale = fmax(w / im->width_px, h / im->height_px);
    double ppi = 72.0 / scale;
    if (ppi < 200 && !quiet)
        rt_warning(c->d, a->path, im->mark.line, im->mark.col,
                   "image '%s' prints at %.0f ppi (under 200): it will look soft; "
                   "a file at least %.0f pixels wide would do",
                   im->file, ppi, ceil(w / 72.0 * 200 * (scale * im->width_px / w)));
    cmp_push(pg, (rt_draw){.kind = RT_DRAW_IMAGE,
                           .x = x,
                           .y = top,
                           .w = w,
                           .h = h,
                           .image = im->file,
                           .img_w = im->width_px,
                           .img_h = im->height_px});
    double y = top + h + c->B * 0.2;
    if (has_cred) {
        double b = y + rs->size;
        double last = cmp_draw_lines(c, pg, &cred, x, b, rs->leading);
        y = last + (rs->leading - rs->size);
    }
    if (has_cap) {
        double b = y + cs->size;
        cmp_draw_lines(c, pg, &cap, x, b, cs->leading);
    }
    cmp_tpara_free(&cap);
    cmp_tpara_free(&cred);
    return img_rows + text_rows;
}

typedef struct {
    rt_page *page;
    int row; /* first free row (full width) */
} cursor;
