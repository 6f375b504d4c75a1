/* compose: pages, front page, articles flowed through columns, folios. */
#include "compose_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_BODY_ROWS 6 /* an article starts on a page only with this much room */

/* ------------------------------------------------------------- geometry */

double cmp_area_left(const composer *c, int page_number) {
    /* odd pages are right-hand pages: the inner margin is on the left */
    return page_number % 2 ? c->l->margin_inner : c->l->margin_outer;
}

double cmp_row_top(const composer *c, int row) {
    return c->l->margin_top + row * c->B;
}

double cmp_row_baseline(const composer *c, int row) {
    return cmp_row_top(c, row) + c->B * 0.78;
}

static double col_x(const composer *c, const rt_page *pg, int col) {
    return cmp_area_left(c, pg->number) + col * (c->col_w + c->l->gutter);
}

rt_page *cmp_new_page(composer *c) {
    rt_composition *o = c->out;
    o->pages = rt_xrealloc(o->pages, (o->n_pages + 1) * sizeof *o->pages);
    rt_page *pg = &o->pages[o->n_pages++];
    memset(pg, 0, sizeof *pg);
    pg->number = (int)o->n_pages;
    return pg;
}

static const char *const months[RT_LANG_COUNT][12] = {
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"},
    {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
     "oktober", "november", "december"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
};

char *cmp_format_date(const rt_edition *e) {
    const char *m = months[e->lang][(e->month - 1) % 12];
    if (e->lang == RT_LANG_EN)
        return rt_xasprintf("%s %d, %d", m, e->day, e->year);
    if (e->lang == RT_LANG_FR && e->day == 1)
        return rt_xasprintf("1er %s %d", m, e->year);
    return rt_xasprintf("%d %s %d", e->day, m, e->year);
}

/* Folio: running head of an inside page (rows 0..1). */
static void draw_folio(composer *c, rt_page *pg) {
    const rt_style *st = &c->l->styles[RT_ST_FOLIO];
    const rt_words *w = &c->l->words[c->e->lang];
    double x = cmp_area_left(c, pg->number);
    double y = cmp_row_baseline(c, 0);
    char *date = cmp_format_date(c->e);
    char *pageno = rt_xasprintf(w->page, pg->number);
    char *left = rt_xasprintf("%s — %s", c->e->paper, date);
    bool even = pg->number % 2 == 0;
    /* page number on the outer edge, paper and date beside it, section opposite */
    cmp_draw_string(c, pg, pageno, st, c->e->lang, x, c->area_w, y,
                    even ? RT_ALIGN_LEFT : RT_ALIGN_RIGHT);
    double pw = cmp_string_width(c, pageno, st, c->e->lang) + 12;
    if (even)
        cmp_draw_string(c, pg, left, st, c->e->lang, x + pw, c->area_w - pw, y, RT_ALIGN_LEFT);
    else
        cmp_draw_string(c, pg, left, st, c->e->lang, x, c->area_w - pw, y, RT_ALIGN_RIGHT);
    if (pg->section)
        cmp_draw_string(c, pg, pg->section, st, c->e->lang, x, c->area_w, y,
                        even ? RT_ALIGN_RIGHT : RT_ALIGN_LEFT);
    double ry = cmp_row_top(c, 1) + c->B * 0.3;
    cmp_rule(pg, x, ry, x + c->area_w, ry, c->l->rule_width * 2, c->l->rule_color);
    free(date);
    free(pageno);
    free(left);
}

/* Slug line outside the trim, below the bleed (print variant only). */
static void draw_slug(composer *c, rt_page *pg) {
    const rt_style *st = &c->l->styles[RT_ST_FOLIO];
    char *date = cmp_format_date(c->e);
    char *num = rt_xasprintf(c->l->words[c->e->lang].number, c->e->number);
    char *pageno = rt_xasprintf(c->l->words[c->e->lang].page, pg->number);
    char *s = rt_xasprintf("%s — %s — %s — %s", c->e->paper, num, pageno, date);
    double y = c->l->height + c->l->bleed + (RT_MARKS_OFFSET - c->l->bleed) * 0.6;
    cmp_draw_string(c, pg, s, st, c->e->lang, 0, c->l->width, y, RT_ALIGN_LEFT);
    free(date);
    free(num);
    free(pageno);
    free(s);
}

/* Front-page masthead band; returns the first free row below it. */
static int draw_masthead(composer *c, rt_page *pg) {
    const rt_layout *l = c->l;
    const rt_words *w = &l->words[c->e->lang];
    int rows = (int)ceil(l->masthead_height / c->B);
    double x = cmp_area_left(c, pg->number);
    double top = cmp_row_top(c, 0);
    const rt_style *ms = &l->styles[RT_ST_MASTHEAD];
    const rt_style *is = &l->styles[RT_ST_MASTHEAD_INFO];
    double info_base = cmp_row_top(c, rows) - c->B * 0.6;
    double rule_y = info_base - is->leading;
    double title_base = top + (rule_y - top) * 0.5 + rt_font_cap_height(cmp_font(c, ms, 0)) * 0.5;
    cmp_draw_string(c, pg, c->e->paper, ms, c->e->lang, x, c->area_w, title_base, RT_ALIGN_CENTER);
    cmp_rule(pg, x, rule_y, x + c->area_w, rule_y, 2.5, l->accent_color);
    char *num = rt_xasprintf(w->number, c->e->number);
    char *date = cmp_format_date(c->e);
    char *amount = c->e->lang == RT_LANG_EN ? rt_xasprintf("%.2f", c->e->price)
                                            : rt_xasprintf("%.2f", c->e->price);
    if (c->e->lang != RT_LANG_EN)
        for (char *p = amount; *p; p++)
            if (*p == '.')
                *p = ',';
    char *price = rt_xasprintf(w->price, amount);
    cmp_draw_string(c, pg, num, is, c->e->lang, x, c->area_w, info_base, RT_ALIGN_LEFT);
    cmp_draw_string(c, pg, date, is, c->e->lang, x, c->area_w, info_base, RT_ALIGN_CENTER);
    cmp_draw_string(c, pg, price, is, c->e->lang, x, c->area_w, info_base, RT_ALIGN_RIGHT);
    double bottom = cmp_row_top(c, rows) - c->B * 0.15;
    cmp_rule(pg, x, bottom, x + c->area_w, bottom, l->rule_width * 2, l->rule_color);
    free(num);
    free(date);
    free(amount);
    free(price);
    return rows + 1;
}

/* ------------------------------------------------------------- article flow */

typedef enum { FI_LINE, FI_SPACE, FI_RULE } fi_kind;

typedef struct {
    fi_kind kind;
    int para;       /* index into the article's tparas */
    size_t line;
    double indent;  /* left indent (lists, quotes) */
    const char *marker; /* list marker on the first line of an item */
    const rt_style *marker_style;
} flow_item;

typedef struct {
    tpara *paras;
    size_t n_paras, cap_paras;
    flow_item *items;
    rt_flow_el *els;
    int *where; /* page * 1000 + column of each placed element, for widow/orphan counts */
    size_t n, cap;
} article_flow;

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

static int rows_for(const composer *c, double h) {
    int r = (int)ceil(h / c->B - 1e-6);
    return r < 0 ? 0 : r;
}

static void flow_space(composer *c, article_flow *f, double h) {
    int r = rows_for(c, h);
    if (r > 0)
        flow_push(f, (flow_item){FI_SPACE, -1, 0, 0, NULL, NULL},
                  (rt_flow_el){r, true, false, -1, 0, 0});
}

/* Adds a typeset paragraph's lines to the flow. */
static void flow_para(composer *c, article_flow *f, tpara *tp, double indent, const char *marker,
                      bool keep_with_next) {
    RT_PUSH(f->paras, f->n_paras, f->cap_paras, *tp);
    int pid = (int)f->n_paras - 1;
    const rt_style *st = tp->style;
    int rpl = rows_for(c, st->leading);
    if (rpl < 1)
        rpl = 1;
    if (st->space_before > 0)
        flow_space(c, f, st->space_before);
    size_t nl = tp->lines.n;
    for (size_t i = 0; i < nl; i++) {
        /* the lines beside a drop cap stay together */
        bool kwn = keep_with_next || (int)i + 1 < tp->drop_lines;
        double ind = indent + ((int)i < tp->drop_lines ? tp->drop_w : 0);
        flow_push(f, (flow_item){FI_LINE, pid, i, ind, i == 0 ? marker : NULL, st},
                  (rt_flow_el){rpl, false, kwn, pid, (int)i, (int)nl});
    }
    if (st->space_after > 0)
        flow_space(c, f, st->space_after);
}

static void build_flow(composer *c, const rt_article *a, const rt_doc *doc, double width,
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
    for (size_t i = 0; doc && i < doc->n_blocks; i++) {
        const rt_block *b = &doc->blocks[i];
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
            if (tp.lines.pass == 3)
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
        flow_push(f, (flow_item){FI_RULE, -1, 0, 0, NULL, NULL},
                  (rt_flow_el){1, false, true, -1, 0, 0});
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

static void flow_free(article_flow *f) {
    for (size_t i = 0; i < f->n_paras; i++)
        cmp_tpara_free(&f->paras[i]);
    free(f->paras);
    free(f->items);
    free(f->els);
    free(f->where);
}

/* Draws the placed flow items [from, to). */
static void draw_flow(composer *c, rt_page *pg, article_flow *f, const rt_flow_pos *pos,
                      size_t from, size_t to, const int *col_map) {
    for (size_t i = from; i < to; i++) {
        if (pos[i].col < 0)
            continue;
        const flow_item *it = &f->items[i];
        f->where[i] = pg->number * 1000 + pos[i].col;
        double x = col_x(c, pg, col_map[pos[i].col]);
        if (it->kind == FI_LINE) {
            const tpara *tp = &f->paras[it->para];
            double y = cmp_row_baseline(c, pos[i].row);
            cmp_draw_line(c, pg, tp, it->line, x + it->indent, y);
            if (it->line == 0 && tp->drop) /* the initial sits on the last line it spans */
                cmp_push(pg, (rt_draw){.kind = RT_DRAW_RUN, .x = x,
                                       .y = cmp_row_baseline(c, pos[i].row + tp->drop_lines - 1),
                                       .run = tp->drop, .color = tp->drop->color});
            if (it->marker) {
                double mw = cmp_string_width(c, it->marker, it->marker_style, c->e->lang);
                cmp_draw_string(c, pg, it->marker, it->marker_style, c->e->lang,
                                x + it->indent - mw - it->marker_style->size * 0.4, mw, y,
                                RT_ALIGN_LEFT);
            }
        } else if (it->kind == FI_RULE) {
            double y = cmp_row_top(c, pos[i].row) + c->B * 0.5;
            cmp_rule(pg, x, y, x + c->col_w, y, c->l->rule_width, c->l->accent_color);
        }
    }
}

/* Header of an article (kicker, headline, standfirst, byline) across
 * `span` columns from `col0`, starting at `row`. Returns rows used. */
static int draw_header(composer *c, rt_page *pg, const rt_article *a, int row, int col0, int span,
                       bool lead) {
    const rt_layout *l = c->l;
    double x = col_x(c, pg, col0);
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
    const rt_style *hs = &l->styles[lead ? RT_ST_LEAD_HEADLINE : RT_ST_HEADLINE];
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
    return rows_for(c, y - cmp_row_top(c, row)) + 1;
}

/* An image across `span` columns at `row`; returns the rows it takes with
 * its caption and credit. */
static int draw_image(composer *c, rt_page *pg, const rt_article *a, const rt_image *im, int row,
                      int col0, int span, int max_rows) {
    const rt_layout *l = c->l;
    double x = col_x(c, pg, col0);
    double w = span * c->col_w + (span - 1) * l->gutter;
    int img_rows = rows_for(c, w * im->height_px / (double)(im->width_px > 0 ? im->width_px : 1));
    const rt_style *cs = &l->styles[RT_ST_CAPTION];
    const rt_style *rs = &l->styles[RT_ST_CREDIT];
    tpara cap = {0}, cred = {0};
    bool has_cap = im->caption && cmp_typeset_text(c, &cap, im->caption, cs, a->lang, w);
    bool has_cred = im->credit && cmp_typeset_text(c, &cred, im->credit, rs, a->lang, w);
    double text_h = (has_cap ? cap.lines.n * cs->leading : 0) +
                    (has_cred ? cred.lines.n * rs->leading : 0) + c->B * 0.3;
    int text_rows = rows_for(c, text_h);
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
    if (ppi < 200)
        rt_warning(c->d, a->path, im->mark.line, im->mark.col,
                   "image '%s' prints at %.0f ppi (under 200): it will look soft; "
                   "a file at least %.0f pixels wide would do",
                   im->file, ppi, ceil(w / 72.0 * 200 * (scale * im->width_px / w)));
    cmp_push(pg, (rt_draw){.kind = RT_DRAW_IMAGE, .x = x, .y = top, .w = w, .h = h,
                           .image = im->file});
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

static int page_first_row(composer *c, rt_page *pg) {
    (void)c;
    (void)pg;
    return 2; /* folio rows */
}

static rt_page *inside_page(composer *c, const char *section) {
    rt_page *pg = cmp_new_page(c);
    pg->section = section ? rt_xstrdup(section) : NULL;
    return pg;
}

static void draw_jump(composer *c, rt_page *pg, int col, int row, const char *fmt, int page,
                      int lang, rt_align align) {
    const rt_style *st = &c->l->styles[RT_ST_BYLINE];
    char *s = rt_xasprintf(fmt, page);
    cmp_draw_string(c, pg, s, st, lang, col_x(c, pg, col), c->col_w, cmp_row_baseline(c, row),
                    align);
    free(s);
}

/* Places one article at the cursor; continues on new pages as needed. */
/* Records a piece of an article: rows [top, bottom) across the first ncols
 * columns of the page's text area. */
static void push_segment(composer *c, rt_article_place *ap, int page, int top, int bottom,
                         int ncols, int jump_to) {
    rt_segment sg = {page, top, bottom, ncols, jump_to, cmp_area_left(c, page),
                     cmp_row_top(c, top), ncols * c->col_w + (ncols - 1) * c->l->gutter,
                     (bottom - top) * c->B};
    RT_PUSH(ap->segments, ap->n_segments, ap->cap_segments, sg);
}

static void place_article(composer *c, cursor *cur, size_t idx, const rt_doc *doc, bool lead) {
    const rt_edition *e = c->e;
    const rt_layout *l = c->l;
    const rt_article *a = e->entries[idx].article;
    rt_article_place *ap = &c->out->articles[idx];
    ap->article = a;
    int ncols = l->columns;
    article_flow f;
    build_flow(c, a, doc, c->col_w, &f);
    rt_flow_pos *pos = rt_xcalloc(f.n + 1, sizeof *pos);
    int col_map[64];
    for (int i = 0; i < ncols && i < 64; i++)
        col_map[i] = i;
    rt_fill_opts fo = {2};

    /* room for the header and a few lines? */
    if (!cur->page || c->rows - cur->row < MIN_BODY_ROWS + 6) {
        cur->page = inside_page(c, a->section);
        cur->row = page_first_row(c, cur->page);
    }
    if (!cur->page->section && a->section && cur->page->number > 1)
        cur->page->section = rt_xstrdup(a->section);
    ap->first_page = cur->page->number;
    int seg_top = cur->row;
    int hrows = draw_header(c, cur->page, a, cur->row, 0, ncols, lead);
    int body_top = cur->row + hrows;
    rt_col cols[64];
    for (int i = 0; i < ncols; i++)
        cols[i] = (rt_col){body_top, c->rows};
    if (a->n_images) {
        int span = lead ? (ncols >= 5 ? 3 : ncols >= 3 ? 2 : ncols) : (ncols >= 4 ? 2 : 1);
        int max = (c->rows - body_top) * 2 / 3;
        int ir = draw_image(c, cur->page, a, &a->images[0], body_top, 0, span, max);
        for (int i = 0; i < span; i++)
            cols[i].top += ir;
    }
    /* more images: one column each, at the top of the last columns */
    for (size_t k = 1; k < a->n_images && (int)k < ncols; k++) {
        int col = ncols - (int)k;
        int ir = draw_image(c, cur->page, a, &a->images[k], cols[col].top, col, 1,
                            (c->rows - cols[col].top) / 2);
        cols[col].top += ir;
    }
    size_t next = 0;
    for (;;) {
        int bottom = rt_fill_balanced(f.els, f.n, next, cols, (size_t)ncols, &fo, pos);
        if (bottom >= 0) {
            draw_flow(c, cur->page, &f, pos, next, f.n, col_map);
            push_segment(c, ap, cur->page->number, seg_top, bottom, ncols, 0);
            /* rule under the article, across the page */
            cur->row = bottom + 1;
            double y = cmp_row_top(c, bottom) + c->B * 0.45;
            double x = cmp_area_left(c, cur->page->number);
            if (cur->row < c->rows)
                cmp_rule(cur->page, x, y, x + c->area_w, y, l->rule_width, l->rule_color);
            break;
        }
        /* does not fit: fill this page, keep a row for the jump line */
        cols[ncols - 1].bottom = c->rows - 1;
        size_t stop = rt_fill(f.els, f.n, next, cols, (size_t)ncols, &fo, pos, NULL);
        /* a word hyphenated across a jump is unreadable: end the page on a
         * line that does not end in a hyphen */
        for (int tries = 0; tries < 4 && stop > next && stop < f.n; tries++) {
            const flow_item *last = &f.items[stop - 1];
            if (last->kind != FI_LINE || !f.paras[last->para].lines.lines[last->line].hyphen)
                break;
            cols[ncols - 1].bottom--;
            stop = rt_fill(f.els, f.n, next, cols, (size_t)ncols, &fo, pos, NULL);
        }
        if (stop == next && cols[0].top >= c->rows - 2) {
            /* nothing fits at all on a fresh page: give up rather than loop */
            rt_error(c->d, a->path, 0, 0, "article cannot be placed: a line is taller than a page");
            break;
        }
        draw_flow(c, cur->page, &f, pos, next, stop, col_map);
        int from_page = cur->page->number;
        push_segment(c, ap, from_page, seg_top, c->rows, ncols, from_page + 1);
        draw_jump(c, cur->page, ncols - 1, c->rows - 1, l->words[a->lang].continued_on,
                  from_page + 1, a->lang, RT_ALIGN_RIGHT);
        next = stop;
        cur->page = inside_page(c, a->section);
        cur->row = page_first_row(c, cur->page);
        seg_top = cur->row;
        /* continuation head */
        const rt_style *ks = &l->styles[RT_ST_BYLINE];
        char *from = rt_xasprintf(l->words[a->lang].continued_from, from_page);
        double x = cmp_area_left(c, cur->page->number);
        cmp_draw_string(c, cur->page, from, ks, a->lang, x, c->area_w,
                        cmp_row_baseline(c, cur->row), RT_ALIGN_LEFT);
        free(from);
        const rt_style *hs = &l->styles[RT_ST_HEADLINE];
        tpara tp;
        double y = cmp_row_top(c, cur->row + 1);
        if (cmp_typeset_text(c, &tp, a->title, hs, a->lang, c->area_w)) {
            double last = cmp_draw_lines(c, cur->page, &tp, x, y + hs->size * 0.85, hs->leading);
            y = last + hs->size * 0.3;
        }
        cmp_tpara_free(&tp);
        int top = cur->row + 1 + rows_for(c, y - cmp_row_top(c, cur->row + 1)) + 1;
        for (int i = 0; i < ncols; i++)
            cols[i] = (rt_col){top, c->rows};
    }
    for (size_t i = 0; i < f.n_paras; i++) {
        ap->lines += (int)f.paras[i].lines.n;
        for (size_t k = 0; k < f.paras[i].lines.n; k++)
            ap->overfull += f.paras[i].lines.lines[k].overfull;
        cmp_stats_para(&ap->stats, &f.paras[i]);
    }
    /* a column break after a paragraph's first line leaves an orphan, one
     * before its last line a widow */
    for (size_t i = 1; i < f.n; i++) {
        const rt_flow_el *el = &f.els[i];
        if (f.items[i].kind != FI_LINE || el->line == 0 || f.where[i] == f.where[i - 1])
            continue;
        if (el->line == 1)
            ap->stats.orphans++;
        if (el->line == el->para_lines - 1)
            ap->stats.widows++;
    }
    ap->last_page = cur->page->number;
    flow_free(&f);
    free(pos);
}

bool rt_compose_check_fonts(const rt_layout *l, rt_fonts *fonts, rt_diag *d) {
    bool ok = true;
    if (l->drop_cap_lines && l->drop_cap.font &&
        !rt_fonts_has(fonts, l->drop_cap.font, l->drop_cap.bold, l->drop_cap.italic)) {
        rt_error(d, l->path, l->drop_cap.mark.line, l->drop_cap.mark.col,
                 "drop_cap: font '%s' is not in the fonts folder (available: %s)",
                 l->drop_cap.font, rt_fonts_families(fonts));
        ok = false;
    }
    for (int i = 0; i < RT_ST_COUNT; i++) {
        const rt_style *st = &l->styles[i];
        if (!st->font)
            continue;
        if (!rt_fonts_has(fonts, st->font, st->bold, st->italic)) {
            rt_error(d, l->path, st->mark.line, st->mark.col,
                     "style '%s': font '%s'%s%s is not in the fonts folder (available: %s)",
                     rt_style_names[i], st->font, st->bold ? " bold" : "",
                     st->italic ? " italic" : "", rt_fonts_families(fonts));
            ok = false;
        } else if (st->small_caps &&
                   !rt_font_small_caps(fonts, rt_font_get(fonts, st->font, st->bold, st->italic,
                                                          st->size))) {
            rt_error(d, l->path, st->mark.line, st->mark.col,
                     "style '%s': font '%s' has no small capitals (OpenType smcp)",
                     rt_style_names[i], st->font);
            ok = false;
        }
    }
    return ok;
}

void cmp_init(composer *c, const rt_edition *e, rt_compose_ctx *ctx, rt_diag *d,
              rt_composition *out) {
    const rt_layout *l = e->layout;
    memset(c, 0, sizeof *c);
    c->e = e;
    c->l = l;
    c->ctx = ctx;
    c->d = d;
    c->out = out;
    c->B = l->baseline;
    c->area_w = l->width - l->margin_inner - l->margin_outer;
    c->col_w = (c->area_w - (l->columns - 1) * l->gutter) / l->columns;
    c->rows = (int)floor((l->height - l->margin_top - l->margin_bottom) / c->B + 1e-6);
    rt_break_params_default(&c->bp);
}

rt_composition *rt_compose(const rt_edition *e, rt_doc *const *docs, rt_doc *const *msg_docs,
                           rt_compose_ctx *ctx, rt_diag *d) {
    const rt_layout *l = e->layout;
    if (!l || !rt_compose_check_fonts(l, ctx->fonts, d))
        return NULL;
    rt_composition *out = rt_xcalloc(1, sizeof *out);
    out->width = l->width;
    out->height = l->height;
    out->bleed = l->bleed;
    out->offset = ctx->marks ? RT_MARKS_OFFSET : 0;
    out->n_articles = e->n_entries;
    out->articles = rt_xcalloc(e->n_entries + 1, sizeof *out->articles);
    out->n_messages = e->n_messages;
    out->messages = rt_xcalloc(e->n_messages + 1, sizeof *out->messages);
    for (size_t i = 0; i < e->n_messages; i++)
        out->messages[i].message = (int)i;
    composer c;
    cmp_init(&c, e, ctx, d, out);

    cursor cur = {0};
    rt_page *front = cmp_new_page(&c);
    cur.page = front;
    cur.row = draw_masthead(&c, front);
    int lead = e->lead >= 0 && (size_t)e->lead < e->n_entries ? e->lead : 0;
    if (e->n_entries)
        place_article(&c, &cur, (size_t)lead, docs[lead], true);
    /* the other articles in edition order, each starting on an inside page
     * when the front page is full */
    if (cur.page == front)
        cur.page = NULL;
    for (size_t i = 0; i < e->n_entries; i++) {
        if ((int)i == lead)
            continue;
        place_article(&c, &cur, i, docs[i], false);
    }
    cmp_messages(&c, msg_docs);
    for (size_t i = 1; i < out->n_pages; i++)
        draw_folio(&c, &out->pages[i]);
    if (ctx->marks)
        for (size_t i = 0; i < out->n_pages; i++)
            draw_slug(&c, &out->pages[i]);
    return out;
}

void rt_composition_free(rt_composition *c) {
    if (!c)
        return;
    for (size_t i = 0; i < c->n_pages; i++) {
        free(c->pages[i].draws);
        free(c->pages[i].section);
    }
    free(c->pages);
    for (size_t i = 0; i < c->n_articles; i++) {
        rt_stats_free(&c->articles[i].stats);
        free(c->articles[i].segments);
    }
    free(c->messages);
    for (size_t i = 0; i < c->n_runs; i++)
        rt_run_free(c->runs[i]);
    free(c->runs);
    free(c->articles);
    free(c);
}
