/* compose: the flatplan ("chemin de fer") of a composed edition. */
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FP_THUMB_W 120.0 /* thumbnail width, points */
#define FP_MARGIN 28.0
#define FP_SPREAD_GAP 22.0
#define FP_ROW_GAP 30.0 /* room under a row for the page numbers */
#define FP_SPREADS_PER_ROW 4

/* Translucent tints for sections, in order of first appearance. */
static const unsigned tints[] = {0xd6272860, 0x1f77b460, 0x2ca02c60, 0xff7f0e60,
                                 0x9467bd60, 0x8c564b60, 0xe377c260, 0x17becf60,
                                 0xbcbd2260, 0x39398860, 0x7f7f7f60, 0x00806060};
#define N_TINTS (sizeof tints / sizeof *tints)

static rt_draw *push_rgba_rect(rt_page *pg, double x, double y, double w, double h, unsigned rgba,
                               bool stroke, double lw) {
    rt_draw d = {.kind = RT_DRAW_RECT,
                 .x = x,
                 .y = y,
                 .w = w,
                 .h = h,
                 .rgba = rgba,
                 .stroke = stroke,
                 .line_width = lw};
    return cmp_push(pg, d);
}

/* `text`, shortened with an ellipsis until it fits `w` (NULL if nothing fits). */
static char *fit_text(composer *c, const char *text, const rt_style *st, int lang, double w) {
    char *s = rt_xstrdup(text);
    size_t len = strlen(s);
    while (len > 0) {
        if (cmp_string_width(c, s, st, lang) <= w)
            return s;
        /* drop the last character (and a trailing space), add "…" */
        size_t cut = len;
        char *dots = strstr(s, "\xe2\x80\xa6");
        if (dots && (size_t)(dots - s) + 3 == len)
            cut = (size_t)(dots - s);
        do
            cut--;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80);
        while (cut > 0 && s[cut - 1] == ' ')
            cut--;
        if (cut == 0)
            break;
        s[cut] = '\0';
        char *t = rt_xasprintf("%s\xe2\x80\xa6", s);
        free(s);
        s = t;
        len = strlen(s);
    }
    free(s);
    return NULL;
}

static int section_index(const char **names, size_t *n, const char *section) {
    if (!section)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(names[i], section) == 0)
            return (int)i;
    names[*n] = section;
    return (int)(*n)++;
}

rt_composition *rt_flatplan(const rt_composition *c, const rt_edition *e, rt_compose_ctx *ctx,
                            rt_diag *d) {
    const rt_layout *l = e->layout;
    size_t n = c->n_pages;
    if (!l || n == 0)
        return NULL;
    double s = FP_THUMB_W / c->width, th = c->height * s;
    /* spreads: [1], [2, 3], ..., last alone when the count is even */
    size_t n_spreads = 1 + n / 2;
    size_t per_row = n_spreads < FP_SPREADS_PER_ROW ? n_spreads : FP_SPREADS_PER_ROW;
    size_t n_rows = (n_spreads + per_row - 1) / per_row;
    double spread_w = 2 * FP_THUMB_W;
    double head_h = 34, legend_h = 30;
    double W = 2 * FP_MARGIN + per_row * spread_w + (per_row - 1) * FP_SPREAD_GAP;
    double H = FP_MARGIN + head_h + n_rows * (th + FP_ROW_GAP) + legend_h + FP_MARGIN / 2;

    rt_composition *out = rt_xcalloc(1, sizeof *out);
    out->width = W;
    out->height = H;
    out->pages = rt_xcalloc(1, sizeof *out->pages);
    out->n_pages = 1;
    rt_page *pg = &out->pages[0];
    pg->number = 1;
    composer cp = {0};
    cp.e = e;
    cp.l = l;
    cp.ctx = ctx;
    cp.d = d;
    cp.out = out;

    rt_style head = l->styles[RT_ST_HEADLINE];
    head.size = 16;
    head.leading = 18;
    head.uppercase = false;
    head.small_caps = false;
    head.color = l->styles[RT_ST_BODY].color;
    rt_style label = l->styles[RT_ST_CAPTION];
    label.size = 6.5;
    label.leading = 7.5;
    label.bold = true;
    label.italic = false;
    label.uppercase = false;
    label.small_caps = false;
    label.color = l->styles[RT_ST_BODY].color;
    rt_style folio = label;
    folio.size = 8;
    folio.bold = false;

    char *date = cmp_format_date(e);
    const rt_words *wd = &l->words[e->lang];
    char *num = rt_xasprintf(wd->number, e->number);
    char *count = rt_xasprintf(wd->flatplan_pages, (int)n);
    char *title = rt_xasprintf("%s %s \xe2\x80\x94 %s \xe2\x80\x94 %s", e->paper, num, date, count);
    free(num);
    free(count);
    cmp_draw_string(&cp, pg, title, &head, e->lang, FP_MARGIN, W - 2 * FP_MARGIN, FP_MARGIN + 14,
                    RT_ALIGN_LEFT);
    free(title);
    free(date);

    const char **sections = rt_xcalloc(c->n_articles + n + 1, sizeof *sections);
    size_t n_sections = 0;
    for (size_t p = 0; p < n; p++) {
        size_t spread = (p + 1) / 2; /* page 1 -> 0, pages 2-3 -> 1, ... */
        bool right = p % 2 == 0;     /* odd page numbers are right-hand pages */
        size_t row = spread / per_row, col = spread % per_row;
        double x = FP_MARGIN + col * (spread_w + FP_SPREAD_GAP) + (right ? FP_THUMB_W : 0);
        double y = FP_MARGIN + head_h + row * (th + FP_ROW_GAP);
        const rt_page *src = &c->pages[p];
        rt_draw thumb = {
            .kind = RT_DRAW_PAGE, .x = x, .y = y, .w = FP_THUMB_W, .h = th, .sx = s, .page = src};
        push_rgba_rect(pg, x, y, FP_THUMB_W, th, 0xffffffff, false, 0);
        cmp_push(pg, thumb);
        if (src->messages) {
            double ax = x + cmp_area_left(&cp, src->number) * s,
                   aw = FP_THUMB_W - (l->margin_inner + l->margin_outer) * s;
            double ay = y + l->margin_top * s, ah = th - (l->margin_top + l->margin_bottom) * s;
            push_rgba_rect(pg, ax, ay, aw, ah, 0xf0c00040, false, 0);
            int count = 0;
            for (size_t m = 0; m < c->n_messages; m++)
                count += c->messages[m].page == src->number;
            char *t = rt_xasprintf(wd->flatplan_messages, count);
            push_rgba_rect(pg, ax, ay + ah / 2 - 8, aw, 11, 0xffffffd0, false, 0);
            cmp_draw_string(&cp, pg, t, &label, e->lang, ax, aw, ay + ah / 2, RT_ALIGN_CENTER);
            free(t);
        }
        rt_block_iter it = {0};
        for (const rt_segment *sg; (sg = rt_page_next_block(c, src->number, &it));) {
            const rt_article_place *ap = &c->articles[it.article];
            int si = section_index(sections, &n_sections, ap->article->section);
            unsigned tint = si < 0 ? 0x80808050 : tints[(size_t)si % N_TINTS];
            double bx = x + sg->x * s, by = y + sg->y * s, bw = sg->w * s, bh = sg->h * s;
            push_rgba_rect(pg, bx, by, bw, bh, tint, false, 0);
            push_rgba_rect(pg, bx, by, bw, bh, tint | 0xff, true, 0.6);
            char *t = ap->article->title
                          ? fit_text(&cp, ap->article->title, &label, ap->article->lang, bw - 4)
                          : NULL;
            if (t && bh >= 9) {
                push_rgba_rect(pg, bx, by, bw, 9, 0xffffffd8, false, 0);
                cmp_draw_string(&cp, pg, t, &label, ap->article->lang, bx + 2, bw - 4, by + 6.8,
                                RT_ALIGN_LEFT);
            }
            free(t);
            if (sg->jump_to && bh >= 20) {
                char *j = rt_xasprintf(wd->flatplan_jump, sg->jump_to);
                cmp_draw_string(&cp, pg, j, &label, e->lang, bx + 2, bw - 4, by + bh - 3,
                                RT_ALIGN_RIGHT);
                free(j);
            }
        }
        push_rgba_rect(pg, x, y, FP_THUMB_W, th, 0x404040ff, true, 0.5);
        char *num = rt_xasprintf("%d", src->number);
        cmp_draw_string(&cp, pg, num, &folio, e->lang, x, FP_THUMB_W, y + th + 11,
                        right ? RT_ALIGN_RIGHT : RT_ALIGN_LEFT);
        free(num);
        if (src->section) {
            char *t = fit_text(&cp, src->section, &folio, e->lang, FP_THUMB_W - 20);
            if (t)
                cmp_draw_string(&cp, pg, t, &folio, e->lang, x, FP_THUMB_W, y + th + 11,
                                RT_ALIGN_CENTER);
            free(t);
        }
    }
    /* legend: one swatch per section */
    double lx = FP_MARGIN, ly = H - FP_MARGIN / 2 - legend_h + 12;
    for (size_t i = 0; i < n_sections; i++) {
        double w = cmp_string_width(&cp, sections[i], &folio, e->lang);
        push_rgba_rect(pg, lx, ly - 7, 9, 9, tints[i % N_TINTS], false, 0);
        push_rgba_rect(pg, lx, ly - 7, 9, 9, tints[i % N_TINTS] | 0xff, true, 0.6);
        cmp_draw_string(&cp, pg, sections[i], &folio, e->lang, lx + 12, w, ly, RT_ALIGN_LEFT);
        lx += 12 + w + 16;
    }
    push_rgba_rect(pg, lx, ly - 7, 9, 9, 0xf0c00040, false, 0);
    double mw = cmp_string_width(&cp, wd->flatplan_legend, &folio, e->lang);
    cmp_draw_string(&cp, pg, wd->flatplan_legend, &folio, e->lang, lx + 12, mw, ly, RT_ALIGN_LEFT);
    free(sections);
    cmp_done(&cp); /* the memo of typeset strings */
    return out;
}
