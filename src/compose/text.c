/* compose: typesetting helpers (spans -> shaped, broken lines -> draws).
 *
 * Longer than 600 lines: measuring a paragraph (typeset, the memo's key,
 * breaking again without a hyphen at a column's foot) and drawing it (the
 * line adjustment, glyph expansion, margin kerning) read the same items and
 * must agree to the point, so they stay side by side. */
#include "text.h"
#include "memo.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

rt_font *cmp_font(composer *c, const rt_style *st, unsigned flags) {
    bool bold = st->bold || (flags & RT_SPAN_STRONG);
    bool italic = st->italic != !!(flags & RT_SPAN_EM);
    rt_font *f = rt_font_get(c->ctx->fonts, st->font, bold, italic, st->size);
    if (!f)
        f = rt_font_get(c->ctx->fonts, st->font, st->bold, italic, st->size);
    if (!f)
        f = rt_font_get(c->ctx->fonts, st->font, bold, st->italic, st->size);
    if (!f)
        f = rt_font_get(c->ctx->fonts, st->font, st->bold, st->italic, st->size);
    if (st->small_caps) {
        rt_font *sc = rt_font_small_caps(c->ctx->fonts, f);
        if (sc)
            f = sc;
    }
    return f; /* non-NULL: rt_compose_check_fonts ran first */
}

static rt_palign palign(rt_align a) {
    switch (a) {
    case RT_ALIGN_LEFT:
        return RT_PALIGN_LEFT;
    case RT_ALIGN_CENTER:
        return RT_PALIGN_CENTER;
    case RT_ALIGN_RIGHT:
        return RT_PALIGN_RIGHT;
    default:
        return RT_PALIGN_JUSTIFY;
    }
}

/* A link whose text is its address (an autolink: "www.example.org",
 * "kaz@example.org", "https://example.org") prints once, not twice. */
bool cmp_link_shows_url(const char *text, const char *url) {
    static const char *const schemes[] = {"", "mailto:", "http://", "https://"};
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
        size_t k = strlen(schemes[i]);
        if (strncmp(url, schemes[i], k) == 0 && strcmp(url + k, text) == 0)
            return true;
    }
    return false;
}

bool cmp_typeset_widths(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                        int lang, const double *widths, size_t n_widths, double first_indent) {
    memset(tp, 0, sizeof *tp);
    tp->style = st;
    tp->width = widths[n_widths - 1];
    rt_text_span *ts = rt_xcalloc(n * 2 + 1, sizeof *ts);
    char **owned = rt_xcalloc(n * 2 + 1, sizeof *owned);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *t = rt_typo_apply(spans[i].text, strlen(spans[i].text), lang, &len);
        owned[m] = t;
        rt_text_span ts_i = {t, len, cmp_font(c, st, spans[i].flags), st->color, 0, false};
        if (spans[i].flags & RT_SPAN_NOTE) { /* a note's number: a superior figure */
            rt_style sup = *st;
            sup.size *= 0.62;
            ts_i.font = cmp_font(c, &sup, spans[i].flags);
            ts_i.rise = st->size * 0.36;
        }
        ts_i.strike = (spans[i].flags & RT_SPAN_STRIKE) != 0;
        ts[m++] = ts_i;
        if ((spans[i].flags & RT_SPAN_LINK) && spans[i].url && c->l->links == RT_LINKS_INLINE) {
            bool last_of_link = i + 1 >= n || !(spans[i + 1].flags & RT_SPAN_LINK) ||
                                !spans[i + 1].url || strcmp(spans[i + 1].url, spans[i].url) != 0;
            if (last_of_link && !cmp_link_shows_url(spans[i].text, spans[i].url)) {
                char *u = rt_xasprintf(" (%s)", spans[i].url);
                owned[m] = u;
                ts[m++] = (rt_text_span){u, strlen(u), cmp_font(c, st, 0), st->color, 0, false};
            }
        }
    }
    rt_para_opts o = {.lang = lang,
                      .hyphenate = st->hyphenate,
                      .align = palign(st->align),
                      .indent = first_indent >= 0 ? first_indent : st->indent,
                      .uppercase = st->uppercase,
                      .expand = st->align == RT_ALIGN_JUSTIFY ? RT_EXPANSION : 0,
                      .protrude = st->align == RT_ALIGN_JUSTIFY || st->align == RT_ALIGN_LEFT,
                      .tracking = st->align == RT_ALIGN_JUSTIFY ? RT_TRACKING : 0};
    /* Margin kerning takes from the gutter: the hanging hyphen of a line
     * and the hanging quote of its neighbour together leave at least 1.1
     * em, two thirds of the rest going to the right edge (the text layer
     * does not hang at all: keep_text_in_measure). */
    double spare = c->l->gutter - 1.1 * st->size;
    if (spare <= 0.01)
        o.protrude = false;
    o.protrude_max_r = spare * 2 / 3;
    o.protrude_max_l = spare / 3;
    for (size_t i = 0; i < n_widths; i++) /* words wider than the narrowest line get cut */
        if (widths[i] > 0 && (o.measure == 0 || widths[i] < o.measure))
            o.measure = widths[i];
    tp->para = rt_shape_para(c->ctx->shaper, ts, m, &o);
    bool ok = rt_break_para(tp->para, widths, n_widths, &c->bp, &tp->lines);
    bool forced = false;
    for (size_t i = 0; ok && i < tp->lines.n; i++)
        forced |= tp->lines.lines[i].forced;
    if (ok && !o.hyphenate && (cmp_overfull_lines(tp) > 0 || forced)) {
        /* a word wider than the measure is hyphenated even in a style that
         * is not (a long compound in a list item) rather than stick out or
         * be cut between any two letters */
        o.hyphenate = true;
        rt_para_free(tp->para);
        rt_lines_free(&tp->lines);
        tp->para = rt_shape_para(c->ctx->shaper, ts, m, &o);
        ok = rt_break_para(tp->para, widths, n_widths, &c->bp, &tp->lines);
    }
    for (size_t i = 0; i < m; i++)
        free(owned[i]);
    free(owned);
    free(ts);
    cmp_warn_forced(c, tp);
    return ok && tp->lines.n > 0;
}

int cmp_overfull_lines(const tpara *tp) {
    int n = 0;
    for (size_t i = 0; i < tp->lines.n; i++)
        n += tp->lines.lines[i].overfull;
    return n;
}

/* The memo of typeset paragraphs this composer uses: the one kept between
 * builds (watch), else its own. */
struct cmp_memo **cmp_memo_of(composer *c) {
    if (c->ctx && c->ctx->keep)
        return c->ctx->keep;
    if (c->memo_home)
        return c->memo_home;
    c->memo_free = cmp_memo_free;
    return &c->memo;
}

/* A memo key, built on the stack unless it is long (a lookup per measure:
 * the planner asks for the same headers again and again). */
typedef struct {
    unsigned char *p;
    size_t len, cap;
    unsigned char local[512];
} memo_keybuf;

static void key_add(memo_keybuf *k, const void *d, size_t n) {
    if (k->len + n > k->cap) {
        size_t cap = (k->len + n) * 2;
        unsigned char *np = rt_xmalloc(cap);
        memcpy(np, k->p, k->len);
        if (k->p != k->local)
            free(k->p);
        k->p = np;
        k->cap = cap;
    }
    memcpy(k->p + k->len, d, n);
    k->len += n;
}

/* Everything cmp_typeset_widths reads but the style and the language: the
 * spans (text, flags, link), the measure, the indent, the links mode and
 * the break parameters. */
static void memo_key(composer *c, memo_keybuf *k, const rt_span *spans, size_t n, double width,
                     double first_indent) {
    k->p = k->local;
    k->len = 0;
    k->cap = sizeof k->local;
    for (size_t i = 0; i < n; i++) {
        key_add(k, &spans[i].flags, sizeof spans[i].flags);
        key_add(k, spans[i].text, strlen(spans[i].text) + 1);
        char has_url = spans[i].url != NULL;
        key_add(k, &has_url, 1);
        if (spans[i].url)
            key_add(k, spans[i].url, strlen(spans[i].url) + 1);
    }
    int links = (int)c->l->links;
    const rt_break_params *bp = &c->bp;
    key_add(k, &width, sizeof width);
    key_add(k, &first_indent, sizeof first_indent);
    key_add(k, &links, sizeof links);
    key_add(k, &c->l->gutter, sizeof c->l->gutter); /* margin kerning's limit */
    key_add(k, &bp->tolerance, sizeof bp->tolerance);
    key_add(k, &bp->tolerance2, sizeof bp->tolerance2);
    key_add(k, &bp->line_penalty, sizeof bp->line_penalty);
    key_add(k, &bp->double_hyphen, sizeof bp->double_hyphen);
    key_add(k, &bp->final_hyphen, sizeof bp->final_hyphen);
    key_add(k, &bp->fitness_demerits, sizeof bp->fitness_demerits);
    key_add(k, &bp->max_hyphen_run, sizeof bp->max_hyphen_run);
}

static void key_free(memo_keybuf *k) {
    if (k->p != k->local)
        free(k->p);
}

/* A paragraph showing a character no font has is not kept: typesetting it
 * again is what reports that character. */
static bool has_notdef(const rt_para *p) {
    for (size_t i = 0; i < p->n_items; i++)
        if ((p->items[i].run && rt_run_has_notdef(p->items[i].run)) ||
            (p->items[i].pre && rt_run_has_notdef(p->items[i].pre)) ||
            (p->items[i].post && rt_run_has_notdef(p->items[i].post)))
            return true;
    return false;
}

bool cmp_typeset(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                 int lang, double width, double first_indent) {
    memo_keybuf key;
    memo_key(c, &key, spans, n, width, first_indent);
    rt_para *para;
    rt_lines lines;
    cmp_share_lock(c);
    struct cmp_memo **mp = cmp_memo_of(c);
    bool found = cmp_memo_find(*mp, key.p, key.len, st, lang, width, &para, &lines);
    cmp_share_unlock(c);
    if (!found) {
        tpara own;
        bool ok = cmp_typeset_widths(c, &own, spans, n, st, lang, &width, 1, first_indent);
        if (!ok || !own.para || has_notdef(own.para)) {
            *tp = own;
            key_free(&key);
            return ok;
        }
        /* the memo takes the paragraph and its lines, unless another thread
         * gave it the same meanwhile (compose/pool.h) */
        cmp_share_lock(c);
        if (c->share_lock && cmp_memo_find(*mp, key.p, key.len, st, lang, width, &para, &lines)) {
            cmp_tpara_free(&own);
        } else {
            para = cmp_memo_add(mp, key.p, key.len, st, lang, width, own.para, own.lines);
            lines = own.lines;
        }
        cmp_share_unlock(c);
    } else {
        cmp_warn_forced(c, &(tpara){.para = para, .lines = lines});
    }
    key_free(&key);
    /* what typesetting it again would give, shared with the memo */
    memset(tp, 0, sizeof *tp);
    tp->style = st;
    tp->width = width;
    tp->para = para;
    tp->lines = lines;
    tp->shared = true;
    return true;
}

bool cmp_typeset_text(composer *c, tpara *tp, const char *text, const rt_style *st, int lang,
                      double width) {
    rt_span sp = {(char *)text, 0, NULL};
    return cmp_typeset(c, tp, &sp, 1, st, lang, width, 0);
}

void cmp_tpara_free(tpara *tp) {
    if (tp->shared) {
        tp->lines = (rt_lines){0};
        tp->shared = false;
    } else {
        rt_para_free(tp->para);
        rt_lines_free(&tp->lines);
    }
    tp->para = NULL;
    tp->drop = NULL;
}

/* A private copy of a shared paragraph, to change it. */
static void tpara_unshare(tpara *tp) {
    if (!tp->shared)
        return;
    rt_para *p = rt_xmalloc(sizeof *p);
    *p = *tp->para;
    p->items = rt_xmalloc(p->n_items * sizeof *p->items + 1);
    memcpy(p->items, tp->para->items, p->n_items * sizeof *p->items);
    rt_line *ls = rt_xmalloc(tp->lines.n * sizeof *ls + 1);
    memcpy(ls, tp->lines.lines, tp->lines.n * sizeof *ls);
    tp->para = p;
    tp->lines.lines = ls;
    tp->shared = false;
}

bool cmp_rebreak_unhyphenated(composer *c, tpara *tp, const size_t *lines, size_t n) {
    if (!tp->para || tp->lines.n == 0 || n == 0)
        return false;
    double *widths = rt_xmalloc(tp->lines.n * sizeof *widths);
    for (size_t i = 0; i < tp->lines.n; i++)
        widths[i] = tp->lines.lines[i].width; /* the same measures, line by line */
    rt_break_rules rules = {.n_lines = tp->lines.n, .no_hyphen = lines, .n_no_hyphen = n};
    rt_lines out;
    bool ok = rt_break_para_ruled(tp->para, widths, tp->lines.n, &c->bp, &rules, &out);
    free(widths);
    if (!ok)
        return false;
    tpara_unshare(tp);
    rt_lines_free(&tp->lines);
    tp->lines = out;
    return true;
}

double cmp_space_ratio(const tpara *tp, size_t li) {
    const rt_line *ln = &tp->lines.lines[li];
    const rt_para *p = tp->para;
    if (p->align != RT_PALIGN_JUSTIFY || ln->last)
        return 0;
    double nat = 0, set = 0, r, box_r;
    cmp_line_adjust(tp, li, &r, &box_r);
    for (size_t k = ln->start; k < ln->end; k++) {
        const rt_item *it = &p->items[k];
        if (it->kind != RT_ITEM_GLUE || it->stretch > 1e5)
            continue;
        nat += it->width;
        set += it->width + (r > 0 ? r * it->stretch : r * it->shrink);
    }
    return nat > 0 ? set / nat : 0;
}

/* Copies of a drop cap's paragraph, lines and runs (the memo keeps one). */
static rt_para *para_copy(const rt_para *p) {
    rt_para *q = rt_xmalloc(sizeof *q);
    *q = *p;
    q->items = rt_xmalloc((p->n_items ? p->n_items : 1) * sizeof *q->items);
    memcpy(q->items, p->items, p->n_items * sizeof *q->items);
    return q;
}

static rt_lines lines_copy(rt_lines l) {
    rt_lines m = l;
    m.lines = rt_xmalloc((l.n ? l.n : 1) * sizeof *m.lines);
    memcpy(m.lines, l.lines, l.n * sizeof *m.lines);
    return m;
}

bool cmp_typeset_drop(composer *c, tpara *tp, const rt_span *spans, size_t n, const rt_style *st,
                      int lang, double width) {
    const rt_layout *l = c->l;
    int lines = l->drop_cap_lines;
    if (!lines || n == 0 || !spans[0].text[0])
        return false;
    unsigned cp;
    int clen = rt_utf8_decode(spans[0].text, &cp);
    if (!rt_is_letter(cp))
        return false;
    /* the initial's cap height spans `lines` lines: from the cap height of
     * the first line to the baseline of the last */
    rt_font *body = cmp_font(c, st, 0);
    rt_font *probe =
        rt_font_get(c->ctx->fonts, l->drop_cap.font, l->drop_cap.bold, l->drop_cap.italic, 100);
    double cap = (lines - 1) * c->B + rt_font_cap_height(body);
    double size = cap / (rt_font_cap_height(probe) / 100);
    rt_font *df =
        rt_font_get(c->ctx->fonts, l->drop_cap.font, l->drop_cap.bold, l->drop_cap.italic, size);
    char letter[8] = {0};
    memcpy(letter, spans[0].text, (size_t)clen);
    /* typeset before (the planner measures a story at several widths; watch
     * keeps the memo from build to build): copies of what the memo keeps */
    memo_keybuf key;
    memo_key(c, &key, spans, n, width, 0);
    key_add(&key, "drop", 5);
    key_add(&key, &lines, sizeof lines);
    key_add(&key, &c->B, sizeof c->B);
    key_add(&key, &l->drop_cap.bold, sizeof l->drop_cap.bold);
    key_add(&key, &l->drop_cap.italic, sizeof l->drop_cap.italic);
    key_add(&key, &l->drop_cap.color, sizeof l->drop_cap.color);
    if (l->drop_cap.font)
        key_add(&key, l->drop_cap.font, strlen(l->drop_cap.font) + 1);
    struct cmp_memo **mp = cmp_memo_of(c);
    rt_para *kept_para;
    rt_lines kept_lines;
    const cmp_memo_drop *kept;
    cmp_share_lock(c);
    bool found =
        cmp_memo_find_drop(*mp, key.p, key.len, st, lang, width, &kept_para, &kept_lines, &kept);
    cmp_share_unlock(c); /* (an entry never changes once added) */
    if (found) {
        key_free(&key);
        memset(tp, 0, sizeof *tp);
        tp->style = st;
        tp->width = width;
        tp->para = para_copy(kept_para);
        tp->lines = lines_copy(kept_lines);
        rt_run *first = rt_run_copy(kept->first), *initial = rt_run_copy(kept->drop);
        tp->para->items[kept->first_item].run = first;
        cmp_share_lock(c); /* the composition owns them (freed in any order) */
        RT_PUSH(c->out->runs, c->out->n_runs, c->out->cap_runs, first);
        RT_PUSH(c->out->runs, c->out->n_runs, c->out->cap_runs, initial);
        cmp_share_unlock(c);
        tp->drop = initial;
        tp->drop_lines = kept->lines;
        tp->drop_w = kept->w;
        cmp_warn_forced(c, tp);
        return true;
    }
    rt_run *drop = rt_shape_run(c->ctx->shaper, letter, (size_t)clen, df, l->drop_cap.color);
    if (rt_run_has_notdef(drop)) { /* not in the initial's font: no drop cap */
        rt_run_free(drop);
        key_free(&key);
        return false;
    }
    /* "À Charleroi": the initial is a word of its own */
    bool alone =
        spans[0].text[clen] == ' ' || spans[0].text[clen] == '\t' || spans[0].text[clen] == '\n';
    /* the rest of the paragraph, set around it. The lines beside the
     * initial are short: few spaces take all their stretch, and a word
     * that does not fit leaves them loose. They get twice the
     * letter-spacing of other lines, and the gap after the initial (from
     * its ink, not its advance) is chosen between 0.3 and 0.6 of a line
     * for the best of them. */
    rt_span *rest = rt_xcalloc(n, sizeof *rest);
    memcpy(rest, spans, n * sizeof *rest);
    rest[0].text = (char *)spans[0].text + clen;
    double *widths = rt_xcalloc((size_t)lines + 1, sizeof *widths);
    double ink = rt_run_ink_right(drop), dw = 0, best_ratio = 1e9;
    bool ok = false;
    static const double gaps[] = {0.3, 0.4, 0.5, 0.6};
    for (size_t gi = 0; gi < sizeof gaps / sizeof *gaps; gi++) {
        double w = ink + c->B * gaps[gi];
        for (int i = 0; i < lines; i++)
            widths[i] = width - w;
        widths[lines] = width;
        tpara cand;
        if (!cmp_typeset_widths(c, &cand, rest, n, st, lang, widths, (size_t)lines + 1, 0) ||
            cand.lines.n < (size_t)lines) {
            cmp_tpara_free(&cand);
            continue;
        }
        size_t end = cand.lines.lines[lines - 1].end;
        for (size_t k = 0; k < end; k++) {
            rt_item *it = &cand.para->items[k];
            if (it->kind == RT_ITEM_BOX && it->run && it->run->gaps &&
                st->align == RT_ALIGN_JUSTIFY)
                it->stretch += it->run->gaps * RT_TRACKING * rt_font_size(it->run->font);
        }
        rt_lines_free(&cand.lines);
        if (!rt_break_para(cand.para, widths, (size_t)lines + 1, &c->bp, &cand.lines) ||
            cand.lines.n < (size_t)lines) {
            cmp_tpara_free(&cand);
            continue;
        }
        double worst = 0;
        for (int i = 0; i < lines; i++) {
            double r = cmp_space_ratio(&cand, (size_t)i);
            if (r > worst)
                worst = r;
        }
        if (worst < best_ratio - 0.005) {
            if (ok)
                cmp_tpara_free(tp);
            *tp = cand;
            best_ratio = worst;
            dw = w;
            ok = true;
        } else {
            cmp_tpara_free(&cand);
        }
    }
    free(widths);
    free(rest);
    if (!ok || tp->lines.n < (size_t)lines) { /* too short for a drop cap */
        rt_run_free(drop);
        cmp_tpara_free(tp);
        key_free(&key);
        return false;
    }
    /* text extraction reads the initial with the first word: the big glyph
     * carries no text, the first word's first glyph carries both letters
     * (and the space between them when the initial is a word of its own) */
    drop->utf8[0] = '\0';
    drop->len = 0;
    rt_item *first = NULL;
    for (size_t i = 0; i < tp->para->n_items && !first; i++)
        if (tp->para->items[i].kind == RT_ITEM_BOX && tp->para->items[i].run)
            first = &tp->para->items[i];
    if (first) {
        const rt_run *o = first->run;
        rt_run *r = rt_run_new(o->n_glyphs, o->len + (size_t)clen + alone);
        r->font = o->font;
        r->color = o->color;
        r->width = o->width;
        r->gaps = o->gaps;
        memcpy(r->unsafe, o->unsafe, o->n_glyphs);
        memcpy(r->pen, o->pen, (o->n_glyphs + 1) * sizeof *r->pen);
        memcpy(r->glyphs, o->glyphs, o->n_glyphs * sizeof *r->glyphs);
        memcpy(r->x, o->x, o->n_glyphs * sizeof *r->x);
        memcpy(r->y, o->y, o->n_glyphs * sizeof *r->y);
        for (size_t g = 0; g < o->n_glyphs; g++)
            r->cluster[g] = o->cluster[g] == 0 ? 0 : o->cluster[g] + clen + alone;
        snprintf(r->utf8, r->len + 1, "%s%s%s", letter, alone ? " " : "", o->utf8);
        first->run = r;
        cmp_share_lock(c);
        RT_PUSH(c->out->runs, c->out->n_runs, c->out->cap_runs, r);
        /* the memo keeps copies (not a paragraph showing a missing character:
         * typesetting it again is what reports it) */
        if (!has_notdef(tp->para)) {
            cmp_memo_drop kd = {rt_run_copy(drop), rt_run_copy(r),
                                (size_t)(first - tp->para->items), lines, dw};
            cmp_memo_add_drop(mp, key.p, key.len, st, lang, width, para_copy(tp->para),
                              lines_copy(tp->lines), kd);
        }
        cmp_share_unlock(c);
    }
    key_free(&key);
    cmp_share_lock(c); /* the composition owns them (freed in any order) */
    RT_PUSH(c->out->runs, c->out->n_runs, c->out->cap_runs, drop);
    cmp_share_unlock(c);
    tp->drop = drop;
    tp->drop_lines = lines;
    tp->drop_w = dw;
    return true;
}

void cmp_line_adjust(const tpara *tp, size_t li, double *glue_r, double *box_r) {
    const rt_line *ln = &tp->lines.lines[li];
    bool justify = tp->para->align == RT_PALIGN_JUSTIFY && !ln->last;
    double r = ln->ratio < -1 ? -1 : ln->ratio;
    *glue_r = *box_r = 0;
    if (r < 0) { /* shrinking: spaces and glyphs alike */
        *glue_r = *box_r = r;
    } else if (justify) { /* see rt_line.ratio */
        *glue_r = r;
        *box_r = r < 1 ? r : 1;
    }
}

/* Font expansion in steps of a quarter per cent (microtype's default step is
 * 0.4 %): each distinct horizontal scale is a scaled font of its own in Cairo,
 * its glyphs loaded again; stepped, a build uses a few dozen instead of a
 * thousand (8 % of a text edition's work). The spaces of the line take up
 * what the steps add or remove, so that the line keeps its width. */
#define SX_STEPS 400.0

/* A box's horizontal scale and letter-spacing on a line adjusted by box_r
 * (its stretch is font expansion plus letter-spacing; it shrinks by
 * expansion only). */
static double box_scale(const rt_item *it, double box_r, double *track) {
    double expand = it->width * RT_EXPANSION, sx = 1;
    *track = 0;
    if (it->width > 0 && it->shrink > 0) {
        sx = 1 + (box_r > 0 ? box_r * expand : box_r * it->shrink) / it->width;
        if (box_r > 0 && it->run && it->run->gaps > 0)
            *track = box_r * (it->stretch - expand) / it->run->gaps;
    }
    return sx;
}

/* A line through struck text, at about half the x-height. */
static void draw_strike(rt_page *pg, const rt_run *run, double x0, double x1, double y) {
    double size = rt_font_size(run->font);
    double sy = y - rt_font_cap_height(run->font) * 0.36;
    cmp_rule(pg, x0, sy, x1, sy, size * 0.06, run->color);
}

/* Where extractors read the text of a line's runs, drawn from draws
 * [from, ...): inside the measure [left, right], so that a column's text
 * ends at its edge however far margin kerning hangs a hyphen, a comma or a
 * quote out of it; and for text larger than the gutter, that much further
 * in. Poppler (plain pdftotext, the layout analysis of many readers) takes
 * into a line the words up to 0.7 of its font size away, and into a block
 * up to three words up to one font size away: a 21 pt headline's line
 * would take the first words of the column across the gutter. The glyphs
 * stay where they are (rt_draw.text_x0/x1). */
static void keep_text_in_measure(rt_page *pg, size_t from, double left, double right,
                                 double gutter) {
    for (size_t i = from; i < pg->n_draws; i++) {
        rt_draw *d = &pg->draws[i];
        if (d->kind != RT_DRAW_RUN || !d->run->len)
            continue;
        double x0 = d->x, x1 = cmp_run_right(d);
        double in = fmax(0, rt_font_size(d->run->font) - gutter + 0.5);
        double l = left + in, r = right - in;
        if (x0 >= l - 0.01 && x1 <= r + 0.01)
            continue;
        double t0 = fmax(x0, l), t1 = fmin(x1, r);
        double keep = fmin(0.5, (x1 - x0) / 2); /* what stays of the run at least */
        if (t1 - t0 < keep) { /* a run wholly in the margin (a hyphen), or nearly */
            if (x1 > r) {
                t0 = fmin(fmax(r - keep, x0), x1 - keep);
                t1 = t0 + keep;
            } else {
                t1 = fmin(fmax(l + keep, x0 + keep), x1);
                t0 = t1 - keep;
            }
        }
        d->text_x0 = t0;
        d->text_x1 = t1;
    }
}

double cmp_run_right(const rt_draw *d) {
    return d->x + d->run->width * (d->sx > 0 ? d->sx : 1) + d->run->gaps * d->tracking;
}

void cmp_draw_line(composer *c, rt_page *pg, const tpara *tp, size_t li, double x, double y) {
    const rt_line *ln = &tp->lines.lines[li];
    const rt_para *p = tp->para;
    size_t first_draw = pg->n_draws;
    double measure_l = x, measure_r = x + ln->width;
    double glue_r, box_r;
    cmp_line_adjust(tp, li, &glue_r, &box_r);
    double natural = ln->natural;
    if (p->align == RT_PALIGN_CENTER)
        x += (ln->width - natural) / 2;
    else if (p->align == RT_PALIGN_RIGHT)
        x += ln->width - natural;
    else
        x -= ln->lp; /* margin kerning */
    const rt_run *prev = NULL;
    /* pieces reshaped around an unsafe hyphenation point (rt_item.pre/post) */
    const rt_item *after = ln->prev_break != SIZE_MAX ? &p->items[ln->prev_break] : NULL;
    const rt_item *brk = &p->items[ln->end];
    const rt_run *first_sub = after && after->kind == RT_ITEM_PENALTY ? after->post : NULL;
    const rt_run *last_sub = brk->kind == RT_ITEM_PENALTY ? brk->pre : NULL;
    /* the width the stepped scales add to the line's boxes, and its spaces */
    double stepped = 0, spaces = 0;
    for (size_t i = ln->start; i < ln->end; i++) {
        const rt_item *it = &p->items[i];
        double track;
        if (it->kind == RT_ITEM_BOX) {
            double w = i == ln->start && first_sub    ? first_sub->width
                       : i + 1 == ln->end && last_sub ? last_sub->width
                                                      : it->width;
            double sx = box_scale(it, box_r, &track);
            stepped += w * (round(sx * SX_STEPS) / SX_STEPS - sx);
        } else if (it->kind == RT_ITEM_GLUE && it->stretch < 1e5) {
            spaces += it->width;
        }
    }
    bool step = spaces > 0; /* a line without spaces keeps its exact scales */
    double prev_sx = 1, prev_track = 0;
    double strike_x = -1, strike_end = 0; /* a struck stretch being drawn */
    const rt_run *strike_run = NULL;
    for (size_t i = ln->start; i < ln->end; i++) {
        const rt_item *it = &p->items[i];
        if (it->kind == RT_ITEM_BOX && !it->strike && strike_x >= 0) {
            draw_strike(pg, strike_run, strike_x, strike_end, y);
            strike_x = -1;
        }
        if (it->kind == RT_ITEM_BOX) {
            const rt_run *run = it->run;
            double w = it->width;
            if (i == ln->start && first_sub) {
                run = first_sub;
                w = first_sub->width;
            } else if (i + 1 == ln->end && last_sub) {
                run = last_sub; /* the hyphen is part of it */
                w = last_sub->width;
            }
            if (run)
                prev = run;
            double track, sx = box_scale(it, box_r, &track);
            if (step)
                sx = round(sx * SX_STEPS) / SX_STEPS;
            if (run && run->n_glyphs)
                cmp_push(pg, (rt_draw){.kind = RT_DRAW_RUN,
                                       .x = x,
                                       .y = y - it->rise,
                                       .run = run,
                                       .color = run->color,
                                       .sx = sx,
                                       .tracking = track});
            prev_sx = sx;
            prev_track = track;
            if (it->strike && run) {
                if (strike_x < 0)
                    strike_x = x;
                strike_run = run;
            }
            x += w * sx + (run ? run->gaps : 0) * track;
            if (it->strike)
                strike_end = x;
        } else if (it->kind == RT_ITEM_GLUE) {
            if (prev && it->stretch < 1e5) /* a real space character for text extraction */
                /* set like the word before it, so that render can draw the
                 * line's words and spaces in one call */
                cmp_push(pg, (rt_draw){.kind = RT_DRAW_RUN,
                                       .x = x,
                                       .y = y,
                                       .run = rt_space_run(c->ctx->shaper, prev->font, prev->color),
                                       .color = prev->color,
                                       .sx = prev_sx,
                                       .tracking = prev_track});
            double adj = it->stretch > 1e5 ? 0
                         : glue_r > 0      ? glue_r * it->stretch
                                           : glue_r * it->shrink;
            if (step && it->stretch < 1e5)
                adj -= stepped * it->width / spaces;
            x += it->width + adj;
        }
    }
    if (strike_x >= 0)
        draw_strike(pg, strike_run, strike_x, strike_end, y);
    if (ln->hyphen && !last_sub && brk->run)
        cmp_push(
            pg,
            (rt_draw){
                .kind = RT_DRAW_RUN, .x = x, .y = y, .run = brk->run, .color = brk->run->color});
    keep_text_in_measure(pg, first_draw, measure_l, measure_r, c->l->gutter);
}

double cmp_last_baseline(double y, size_t n, double leading) {
    for (size_t i = 0; i + 1 < n; i++)
        y += leading;
    return y;
}

double cmp_draw_lines(composer *c, rt_page *pg, const tpara *tp, double x, double y,
                      double leading) {
    for (size_t i = 0; i < tp->lines.n; i++) {
        cmp_draw_line(c, pg, tp, i, x, y);
        if (i + 1 < tp->lines.n)
            y += leading;
    }
    return y;
}

void cmp_draw_box_lines(composer *c, rt_page *pg, const cmp_lines *ls, double x, double top) {
    if (ls->set)
        cmp_draw_lines(c, pg, &ls->tp, x, top + ls->base, ls->leading);
}

void cmp_lines_free(cmp_lines *ls) {
    if (ls->set)
        cmp_tpara_free(&ls->tp);
    memset(ls, 0, sizeof *ls);
}

bool cmp_typeset_string(composer *c, tpara *tp, const char *text, const rt_style *st, int lang,
                        double w, rt_align align, double *dx) {
    rt_style s2 = *st;
    s2.align = align;
    s2.indent = 0;
    s2.hyphenate = false;
    *dx = 0;
    if (!cmp_typeset_text(c, tp, text, &s2, lang, 1e6))
        return false;
    tpara_unshare(tp); /* its alignment and measure change below */
    const rt_line *ln = &tp->lines.lines[0];
    double nat = ln->natural;
    *dx = align == RT_ALIGN_CENTER ? (w - nat) / 2 : align == RT_ALIGN_RIGHT ? w - nat : 0;
    /* drawn as left-aligned at the computed offset */
    tp->style = st;
    tp->para->align = RT_PALIGN_LEFT;
    tp->lines.lines[0].width = nat;
    return true;
}

void cmp_draw_string(composer *c, rt_page *pg, const char *text, const rt_style *st, int lang,
                     double x, double w, double baseline, rt_align align) {
    tpara tp;
    double dx;
    if (cmp_typeset_string(c, &tp, text, st, lang, w, align, &dx))
        cmp_draw_line(c, pg, &tp, 0, x + dx, baseline);
    cmp_tpara_free(&tp);
}

double cmp_string_width(composer *c, const char *text, const rt_style *st, int lang) {
    rt_style s2 = *st;
    s2.indent = 0;
    s2.hyphenate = false;
    tpara tp;
    double w = 0;
    if (cmp_typeset_text(c, &tp, text, &s2, lang, 1e6))
        w = tp.lines.lines[0].natural;
    cmp_tpara_free(&tp);
    return w;
}
