/* load: layout files (layouts/<name>.yaml). */
#include "tree.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The nodes of the values the geometry checks use, each set only when its
 * value was read: a check runs when all its values are known, so every
 * problem is reported once, and none follows from another. */
typedef struct {
    const ynode *page[3];    /* width, height, bleed */
    const ynode *margins[4]; /* top, bottom, inner, outer */
    const ynode *count, *gutter, *baseline, *masthead, *rule, *ink;
    const ynode *styles[RT_ST_COUNT]; /* the style's node when size and leading were read */
    const ynode *grid;                /* messages.grid, when both numbers were read */
} geo_nodes;

const char *const rt_style_names[RT_ST_COUNT] = {
    "body",          "headline",      "lead_headline", "kicker",      "standfirst",
    "byline",        "subhead",       "quote",         "list",        "caption",
    "credit",        "related_title", "related",       "folio",       "masthead",
    "masthead_info", "page_title",    "message_from",  "message_text"};

const char *const rt_lang_names[RT_LANG_COUNT] = {"fr", "nl", "en"};

int rt_lang_from_name(const char *name) {
    for (int i = 0; i < RT_LANG_COUNT; i++)
        if (strcmp(name, rt_lang_names[i]) == 0)
            return i;
    return -1;
}

static int find_color(const rt_layout *l, const char *name) {
    for (size_t i = 0; i < l->n_colors; i++)
        if (strcmp(l->colors[i].name, name) == 0)
            return (int)i;
    return -1;
}

static bool color_ref(yctx *c, const rt_layout *l, const ynode *n, const char *what, int *out) {
    if (!yn_expect(c, n, YN_SCALAR, what))
        return false;
    int i = find_color(l, n->value);
    if (i < 0) {
        yn_error(c, n, "%s: unknown colour '%s' (define it under 'colors')", what, n->value);
        return false;
    }
    *out = i;
    return true;
}

static void load_colors(yctx *c, rt_layout *l, const ynode *n) {
    if (!yn_expect(c, n, YN_MAP, "'colors'"))
        return;
    l->colors = rt_xcalloc(n->n / 2 + 1, sizeof *l->colors);
    l->color_marks = rt_xcalloc(n->n / 2 + 1, sizeof *l->color_marks);
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        const ynode *k = n->items[i], *v = n->items[i + 1];
        if (k->kind != YN_SCALAR) {
            yn_error(c, k, "a colour's name must be a plain name");
            continue;
        }
        if (v->kind != YN_SEQ || v->n != 4) {
            yn_error(c, v, "colour '%s' must be a list of 4 CMYK percentages, e.g. [0, 0, 0, 100]",
                     k->value);
            continue;
        }
        double cmyk[4];
        bool ok = true;
        for (int j = 0; j < 4; j++)
            ok &= yn_number(c, v->items[j], "a CMYK percentage", 0, 100, &cmyk[j]);
        if (!ok)
            continue;
        if (find_color(l, k->value) >= 0) {
            yn_error(c, k, "colour '%s' defined twice", k->value);
            continue;
        }
        if (!yn_text_ok(c, k, k->value))
            continue;
        l->color_marks[l->n_colors] = k->mark;
        rt_color *col = &l->colors[l->n_colors++];
        col->name = rt_xstrdup(k->value);
        col->cmyk = (rt_cmyk){cmyk[0] / 100, cmyk[1] / 100, cmyk[2] / 100, cmyk[3] / 100};
    }
}

static void load_style(yctx *c, rt_layout *l, rt_style *st, const ynode *n, const char *name) {
    static const char *const keys[] = {
        "font",   "weight",       "italic",      "size",      "leading",   "color",      "align",
        "indent", "space_before", "space_after", "uppercase", "hyphenate", "small_caps", NULL};
    char what[64];
    snprintf(what, sizeof what, "style '%s'", name);
    st->mark = n->mark;
    if (!yn_expect(c, n, YN_MAP, what))
        return;
    yn_check_keys(c, n, keys, what);
    ynode *v;
    if ((v = yn_require(c, n, "font", what)))
        yn_string(c, v, "font", &st->font);
    if ((v = yn_get(n, "weight")) && yn_expect(c, v, YN_SCALAR, "weight")) {
        if (strcmp(v->value, "bold") == 0)
            st->bold = true;
        else if (strcmp(v->value, "regular") != 0)
            yn_error(c, v, "weight must be regular or bold, not '%s'", v->value);
    }
    if ((v = yn_get(n, "italic")))
        yn_bool(c, v, "italic", &st->italic);
    bool size_ok = false;
    if ((v = yn_require(c, n, "size", what)) && yn_length(c, v, "size", &st->size)) {
        if (st->size < 3 || st->size > 400)
            yn_error(c, v, "size must be between 3pt and 400pt, not %gpt", st->size);
        else
            size_ok = true;
    }
    if ((v = yn_require(c, n, "leading", what)) && yn_length(c, v, "leading", &st->leading) &&
        size_ok) {
        if (st->leading < st->size * 0.7)
            yn_error(c, v, "leading is less than 70%% of the size");
        else if (st->leading > st->size * 3)
            yn_error(c, v, "leading (%gpt) is more than 3 times the size (%gpt)", st->leading,
                     st->size);
    }
    st->color = find_color(l, "black");
    if ((v = yn_get(n, "color")))
        color_ref(c, l, v, "color", &st->color);
    st->align = RT_ALIGN_LEFT;
    if ((v = yn_get(n, "align")) && yn_expect(c, v, YN_SCALAR, "align")) {
        static const char *const names[] = {"justify", "left", "center", "right"};
        bool found = false;
        for (int i = 0; i < 4; i++)
            if (strcmp(v->value, names[i]) == 0) {
                st->align = (rt_align)i;
                found = true;
            }
        if (!found)
            yn_error(c, v, "align must be justify, left, center or right, not '%s'", v->value);
    }
    if ((v = yn_get(n, "indent")))
        yn_length(c, v, "indent", &st->indent);
    if ((v = yn_get(n, "space_before")))
        yn_length(c, v, "space_before", &st->space_before);
    if ((v = yn_get(n, "space_after")))
        yn_length(c, v, "space_after", &st->space_after);
    if ((v = yn_get(n, "uppercase")))
        yn_bool(c, v, "uppercase", &st->uppercase);
    st->hyphenate = st->align == RT_ALIGN_JUSTIFY;
    if ((v = yn_get(n, "hyphenate")))
        yn_bool(c, v, "hyphenate", &st->hyphenate);
    if ((v = yn_get(n, "small_caps")))
        yn_bool(c, v, "small_caps", &st->small_caps);
}

/* printf formats of the paper's words: exactly one conversion of the kind
 * expected, nothing else (they go to printf). */
static bool check_format(const char *s, char conv) {
    int count = 0;
    for (const char *p = s; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        if (p[1] != conv)
            return false;
        count++;
        p++;
    }
    return conv ? count == 1 : count == 0;
}

static void load_words(yctx *c, rt_words *w, const ynode *n, const char *lang) {
    static const char *const keys[] = {
        "related", "continued_on",   "continued_from", "page",         "number",
        "price",   "messages_title", "in_this_issue",  "support_call", NULL};
    static const char convs[] = {0, 'd', 'd', 'd', 'd', 's', 0, 0, 0};
    char what[48];
    snprintf(what, sizeof what, "words for '%s'", lang);
    if (!yn_expect(c, n, YN_MAP, what))
        return;
    yn_check_keys(c, n, keys, what);
    char **fields[] = {&w->related,        &w->continued_on,  &w->continued_from,
                       &w->page,           &w->number,        &w->price,
                       &w->messages_title, &w->in_this_issue, &w->support_call};
    for (int i = 0; keys[i]; i++) {
        ynode *v = yn_require(c, n, keys[i], what);
        if (!v || !yn_string(c, v, keys[i], fields[i]))
            continue;
        if (!check_format(*fields[i], convs[i])) {
            if (convs[i])
                yn_error(c, v, "'%s' must contain exactly one %%%c and no other %% conversion",
                         keys[i], convs[i]);
            else
                yn_error(c, v, "'%s' must not contain %% conversions (write %%%% for a %% sign)",
                         keys[i]);
            free(*fields[i]);
            *fields[i] = NULL;
        }
    }
}

static void load_messages(yctx *c, rt_layout *l, const ynode *n, geo_nodes *g_) {
    static const char *const keys[] = {"grid", "rates", NULL};
    if (!yn_expect(c, n, YN_MAP, "'messages'"))
        return;
    yn_check_keys(c, n, keys, "'messages'");
    geo_nodes *gn = g_;
    ynode *g = yn_require(c, n, "grid", "'messages'");
    if (g && yn_expect(c, g, YN_MAP, "'grid'")) {
        static const char *const gk[] = {"columns", "rows", NULL};
        yn_check_keys(c, g, gk, "'grid'");
        ynode *v;
        bool ok = true;
        if ((v = yn_require(c, g, "columns", "'grid'")))
            ok &= yn_int(c, v, "grid columns", 1, 12, &l->msg_columns);
        else
            ok = false;
        if ((v = yn_require(c, g, "rows", "'grid'")))
            ok &= yn_int(c, v, "grid rows", 1, 24, &l->msg_rows);
        else
            ok = false;
        if (ok)
            gn->grid = g;
    }
    ynode *r = yn_require(c, n, "rates", "'messages'");
    if (!r || !yn_expect(c, r, YN_MAP, "'rates'"))
        return;
    l->rates = rt_xcalloc(r->n / 2 + 1, sizeof *l->rates);
    for (size_t i = 0; i + 1 < r->n; i += 2) {
        const ynode *k = r->items[i], *v = r->items[i + 1];
        if (k->kind != YN_SCALAR) {
            yn_error(c, k, "a format's name must be a plain name, such as \"1/8\"");
            continue;
        }
        if (!yn_expect(c, v, YN_MAP, "a rate") ||
            !yn_text_ok(c, k, k->value)) /* printed on the rate card */
            continue;
        static const char *const rk[] = {"columns", "rows", "price", NULL};
        char what[64];
        snprintf(what, sizeof what, "rate '%s'", k->value);
        yn_check_keys(c, v, rk, what);
        rt_rate rate = {rt_xstrdup(k->value), 0, 0, 0, k->mark};
        ynode *x;
        bool ok = true;
        if ((x = yn_require(c, v, "columns", what)))
            ok &= yn_int(c, x, "columns", 1, 12, &rate.columns);
        else
            ok = false;
        if ((x = yn_require(c, v, "rows", what)))
            ok &= yn_int(c, x, "rows", 1, 24, &rate.rows);
        else
            ok = false;
        if ((x = yn_require(c, v, "price", what)))
            ok &= yn_number(c, x, "price", 0, 1e6, &rate.price);
        else
            ok = false;
        if (ok && l->msg_columns && l->msg_rows &&
            (rate.columns > l->msg_columns || rate.rows > l->msg_rows)) {
            yn_error(c, k, "rate '%s' (%d x %d) does not fit the message grid (%d x %d)", rate.name,
                     rate.columns, rate.rows, l->msg_columns, l->msg_rows);
            ok = false;
        }
        for (size_t j = 0; j < l->n_rates; j++)
            if (strcmp(l->rates[j].name, rate.name) == 0) {
                yn_error(c, k, "rate '%s' defined twice", rate.name);
                ok = false;
            }
        if (ok)
            l->rates[l->n_rates++] = rate;
        else
            free(rate.name);
    }
}

/* drop_cap: {lines: 3, font: PT Serif, weight: bold, italic: false, color: red} */
static void load_drop_cap(yctx *c, rt_layout *l, const ynode *n) {
    static const char *const keys[] = {"lines", "font",      "weight", "italic",
                                       "color", "min_words", NULL};
    if (!yn_expect(c, n, YN_MAP, "'drop_cap'"))
        return;
    yn_check_keys(c, n, keys, "'drop_cap'");
    rt_style *st = &l->drop_cap;
    st->mark = n->mark;
    st->color = find_color(l, "black");
    ynode *v;
    if ((v = yn_require(c, n, "lines", "'drop_cap'")))
        yn_int(c, v, "lines", 2, 6, &l->drop_cap_lines);
    if ((v = yn_require(c, n, "font", "'drop_cap'")))
        yn_string(c, v, "font", &st->font);
    if ((v = yn_get(n, "weight")) && yn_expect(c, v, YN_SCALAR, "weight")) {
        if (strcmp(v->value, "bold") == 0)
            st->bold = true;
        else if (strcmp(v->value, "regular") != 0)
            yn_error(c, v, "weight must be regular or bold, not '%s'", v->value);
    }
    if ((v = yn_get(n, "italic")))
        yn_bool(c, v, "italic", &st->italic);
    if ((v = yn_get(n, "color")))
        color_ref(c, l, v, "color", &st->color);
    if ((v = yn_get(n, "min_words")))
        yn_int(c, v, "min_words", 0, 100000, &l->drop_cap_min_words);
}

/* Lengths of a mapping ({width: .., height: ..}); nodes[i] is the node of
 * keys[i] when it was read (NULL otherwise: missing or wrong). */
static void load_pair(yctx *c, const ynode *m, const char *what, const char *const *keys,
                      double **outs, const ynode **nodes, int n_req) {
    if (!yn_expect(c, m, YN_MAP, what))
        return;
    yn_check_keys(c, m, keys, what);
    for (int i = 0; keys[i]; i++) {
        ynode *v = i < n_req ? yn_require(c, m, keys[i], what) : yn_get(m, keys[i]);
        if (v && yn_length(c, v, keys[i], outs[i]))
            nodes[i] = v;
    }
}

/* ---------------------------------------------------------- geometry */

/* The largest page a PDF may have: 14,400 units a side (ISO 32000-1,
 * annex C; Acrobat refuses more, and Cairo's output breaks far above). */
#define PDF_MAX_SIDE 14400.0
/* The print variant (--marks) puts crop marks and a slug line in a band
 * this wide outside the trim on every side: compose's RT_MARKS_OFFSET. */
#define MARKS_BAND (12.0 * RT_MM)
/* Crop marks run from 1 mm outside the bleed for 6 mm: they must stay in
 * the band, so the bleed may be at most 12 - 7 = 5 mm. */
#define MAX_BLEED (5.0 * RT_MM)
#define MIN_COLUMN (20.0 * RT_MM)
#define MIN_ROWS 20               /* baseline rows a page's text area must hold */
#define MIN_COLUMN_EMS 6          /* body type: at least this many ems across a column */
#define MIN_BASELINE 4.0          /* pt */
#define MAX_BASELINE 36.0         /* pt */
#define MIN_RULE 0.1              /* pt: thinner does not print */
#define MAX_RULE 4.0              /* pt */
#define MIN_MODULE_W (20 * RT_MM) /* a message module, inside its frame */
#define MSG_PAD (2.2 * RT_MM)     /* compose's padding inside a message frame */

static double mm(double pt) {
    return pt / RT_MM;
}

/* Every dimension against the page and against the others, as compose
 * will use them (compose.c: the rows of the text area, the masthead band,
 * the folio's two rows; messages.c: the message page's head and grid). */
static void check_geometry(yctx *c, const rt_layout *l, const geo_nodes *g, const ynode *root) {
    const ynode *W = g->page[0], *H = g->page[1], *bleed = g->page[2];
    const ynode *top = g->margins[0], *bottom = g->margins[1], *inner = g->margins[2],
                *outer = g->margins[3];
    bool w_ok = false, h_ok = false;
    const double max_trim = PDF_MAX_SIDE - 2 * MARKS_BAND;
    const ynode *sides[2] = {W, H};
    const double vals[2] = {l->width, l->height};
    for (int i = 0; i < 2; i++) {
        if (!sides[i])
            continue;
        const char *name = i ? "page height" : "page width";
        if (vals[i] <= 0)
            yn_error(c, sides[i], "%s must be more than 0", name);
        else if (vals[i] > max_trim)
            yn_error(c, sides[i],
                     "%s %gmm is over the PDF limit: with the 12mm band of crop marks on each "
                     "side (--marks), a page may be at most %.1fmm (14,400pt in all)",
                     name, mm(vals[i]), mm(max_trim));
        else if (i)
            h_ok = true;
        else
            w_ok = true;
    }
    if (bleed && l->bleed > MAX_BLEED)
        yn_error(c, bleed,
                 "bleed %.1fmm is too wide: at most 5mm (the crop marks of --marks sit outside "
                 "it, within 12mm of the trim)",
                 mm(l->bleed));
    const ynode *margins = yn_get(root, "margins");
    double area_w = 0, area_h = 0;
    bool across = w_ok && inner && outer, down = h_ok && top && bottom;
    if (across) {
        area_w = l->width - l->margin_inner - l->margin_outer;
        if (area_w <= 0) {
            yn_error(c, margins,
                     "the inner and outer margins (%.1fmm together) leave no room across the "
                     "%.1fmm page",
                     mm(l->margin_inner + l->margin_outer), mm(l->width));
            across = false;
        }
    }
    if (down) {
        area_h = l->height - l->margin_top - l->margin_bottom;
        if (area_h <= 0) {
            yn_error(c, margins,
                     "the top and bottom margins (%.1fmm together) leave no room down the "
                     "%.1fmm page",
                     mm(l->margin_top + l->margin_bottom), mm(l->height));
            down = false;
        }
    }
    /* columns across the text area */
    double col_w = 0;
    const ynode *columns = yn_get(root, "columns");
    if (across && g->count && g->gutter) {
        col_w = (area_w - (l->columns - 1) * l->gutter) / l->columns;
        if (col_w < MIN_COLUMN) {
            yn_error(c, columns,
                     "%d columns with %.1fmm gutters do not fit the %.1fmm between the margins: "
                     "each column would be %.1fmm, under the 20mm minimum",
                     l->columns, mm(l->gutter), mm(area_w), mm(col_w));
            col_w = 0;
        }
    }
    if (g->rule) {
        if (l->rule_width < MIN_RULE || l->rule_width > MAX_RULE)
            yn_error(c, g->rule, "rule width must be between %gpt and %gpt, not %gpt", MIN_RULE,
                     MAX_RULE, l->rule_width);
        else if (g->gutter && l->columns > 1 && l->gutter < 2 * l->rule_width)
            yn_error(c, g->rule,
                     "rule width %gpt is too wide for the %.1fmm gutter it is drawn in (at most "
                     "half the gutter)",
                     l->rule_width, mm(l->gutter));
    }
    /* rows down the text area */
    int rows = 0;
    const rt_style *body = &l->styles[RT_ST_BODY];
    if (g->baseline) {
        if (l->baseline < MIN_BASELINE || l->baseline > MAX_BASELINE)
            yn_error(c, g->baseline, "baseline must be between %gpt and %gpt, not %gpt",
                     MIN_BASELINE, MAX_BASELINE, l->baseline);
        else if (g->styles[RT_ST_BODY] && fabs(body->leading - l->baseline) > 0.001)
            yn_error(c, g->baseline, "baseline (%.2fpt) must equal the body leading (%.2fpt)",
                     l->baseline, body->leading);
        else if (down) {
            rows = (int)floor(area_h / l->baseline + 1e-6);
            if (rows < MIN_ROWS) {
                yn_error(c, margins,
                         "the text area (%.1fmm high) holds %d rows of the %gpt baseline: at "
                         "least %d are needed",
                         mm(area_h), rows, l->baseline, MIN_ROWS);
                rows = 0;
            }
        }
    }
    /* the front page: the masthead band, then at least half the rows */
    if (g->masthead) {
        const ynode *mh = g->masthead;
        const ynode *ms = g->styles[RT_ST_MASTHEAD], *mi = g->styles[RT_ST_MASTHEAD_INFO];
        double need = l->styles[RT_ST_MASTHEAD].leading + l->styles[RT_ST_MASTHEAD_INFO].leading;
        if (l->masthead_height <= 0)
            yn_error(c, mh, "masthead height must be more than 0");
        else if (ms && mi && l->masthead_height < need)
            yn_error(c, mh,
                     "masthead height %.1fmm is less than its type needs: the paper's name "
                     "(%gpt) and the line under it (%gpt), %.1fmm",
                     mm(l->masthead_height), l->styles[RT_ST_MASTHEAD].leading,
                     l->styles[RT_ST_MASTHEAD_INFO].leading, mm(need));
        else if (rows) {
            int band = (int)ceil(l->masthead_height / l->baseline) + 1;
            if (rows - band < rows / 2)
                yn_error(c, mh,
                         "masthead height %.1fmm leaves %d of the front page's %d rows for "
                         "articles: it must leave at least half",
                         mm(l->masthead_height), rows - band > 0 ? rows - band : 0, rows);
        }
    }
    /* type against the column and the page */
    for (int i = 0; i < RT_ST_COUNT; i++) {
        const rt_style *st = &l->styles[i];
        const ynode *sn = g->styles[i];
        if (!sn)
            continue;
        bool text = i == RT_ST_BODY || i == RT_ST_QUOTE || i == RT_ST_LIST;
        if (text && col_w > 0 && st->size * MIN_COLUMN_EMS > col_w)
            yn_error(c, sn,
                     "style '%s': %gpt type is too large for %.1fmm columns (at most %.1fpt: "
                     "%d ems a line)",
                     rt_style_names[i], st->size, mm(col_w), col_w / MIN_COLUMN_EMS,
                     MIN_COLUMN_EMS);
        if (col_w > 0 && st->indent >= col_w / 2)
            yn_error(c, sn, "style '%s': the indent (%.1fmm) is half the column or more",
                     rt_style_names[i], mm(st->indent));
        if (down && (st->space_before > area_h / 4 || st->space_after > area_h / 4))
            yn_error(c, sn,
                     "style '%s': space before or after (%.1fmm) is more than a quarter of the "
                     "text area's height",
                     rt_style_names[i],
                     mm(st->space_before > st->space_after ? st->space_before : st->space_after));
        if (down && st->leading > area_h / 4)
            yn_error(c, sn, "style '%s': a %gpt line is more than a quarter of the text area",
                     rt_style_names[i], st->leading);
    }
    /* colours under the ink limit: the PDF would fail its own preflight */
    for (size_t i = 0; i < l->n_colors; i++) {
        const rt_cmyk *k = &l->colors[i].cmyk;
        double tac = (k->c + k->m + k->y + k->k) * 100;
        if (tac > l->ink_limit + 1e-9) {
            ynode at = {0};
            at.mark = l->color_marks[i];
            yn_error(c, &at, "colour '%s' has %g%% total ink, over the ink limit (%g%%%s)",
                     l->colors[i].name, tac, l->ink_limit,
                     g->ink ? ", print.ink_limit" : ", the default");
        }
    }
    /* a message module of the message page's grid (messages.c: the page's
     * title and call under the folio, a rule, one row, then the grid) */
    const rt_style *pt = &l->styles[RT_ST_PAGE_TITLE], *sf = &l->styles[RT_ST_STANDFIRST];
    const rt_style *mt = &l->styles[RT_ST_MESSAGE_TEXT], *mf = &l->styles[RT_ST_MESSAGE_FROM];
    if (g->grid && across && rows && g->gutter && g->styles[RT_ST_PAGE_TITLE] &&
        g->styles[RT_ST_STANDFIRST] && g->styles[RT_ST_MESSAGE_TEXT] &&
        g->styles[RT_ST_MESSAGE_FROM]) {
        double head =
            2 * l->baseline + pt->size + 0.3 * pt->leading + sf->size + sf->leading + l->baseline;
        double grid_h = rows * l->baseline - head;
        double mw = (area_w - (l->msg_columns - 1) * l->gutter) / l->msg_columns;
        double mh = (grid_h - (l->msg_rows - 1) * l->gutter) / l->msg_rows;
        double need_h = 2 * MSG_PAD + mf->leading * 1.5 + 3 * mt->leading;
        if (mw - 2 * MSG_PAD < MIN_MODULE_W || mh < need_h)
            yn_error(c, g->grid,
                     "the message grid (%d x %d) makes modules of %.1f x %.1fmm: too small "
                     "(at least %.0fmm wide and %.1fmm high, for three lines of message text "
                     "and the signature)",
                     l->msg_columns, l->msg_rows, mm(mw), mm(mh), mm(MIN_MODULE_W + 2 * MSG_PAD),
                     mm(need_h));
    }
}

rt_layout *rt_layout_load(const char *path, rt_diag *d) {
    size_t len;
    int bad;
    char *text = ld_read_text(path, 1 << 20, "layout file", d, &len, &bad);
    if (!text)
        return NULL;
    yctx c = {.path = path, .line_offset = 0, .d = d, .max_depth = 64};
    ynode *root = yn_parse(&c, text, len);
    if (!root) {
        free(text);
        return NULL;
    }
    rt_layout *l = rt_xcalloc(1, sizeof *l);
    l->path = rt_xstrdup(path);
    l->rule_width = 0.5;
    l->bleed = 3 * RT_MM;
    l->links = RT_LINKS_INLINE;
    if (!yn_expect(&c, root, YN_MAP, "a layout")) {
        yn_free(root);
        free(text);
        rt_layout_free(l);
        return NULL;
    }
    geo_nodes g = {0};
    static const char *const keys[] = {
        "name",     "page",  "margins", "columns", "baseline", "rules",    "accent", "colors",
        "masthead", "links", "styles",  "words",   "messages", "drop_cap", "print",  NULL};
    yn_check_keys(&c, root, keys, "the layout");
    ynode *v;
    if ((v = yn_require(&c, root, "name", "the layout")))
        yn_string(&c, v, "name", &l->name);
    if ((v = yn_require(&c, root, "page", "the layout"))) {
        static const char *const pk[] = {"width", "height", "bleed", NULL};
        double *outs[] = {&l->width, &l->height, &l->bleed};
        load_pair(&c, v, "'page'", pk, outs, g.page, 2);
    }
    if ((v = yn_require(&c, root, "margins", "the layout"))) {
        static const char *const mk[] = {"top", "bottom", "inner", "outer", NULL};
        double *outs[] = {&l->margin_top, &l->margin_bottom, &l->margin_inner, &l->margin_outer};
        load_pair(&c, v, "'margins'", mk, outs, g.margins, 4);
    }
    if ((v = yn_require(&c, root, "columns", "the layout")) &&
        yn_expect(&c, v, YN_MAP, "'columns'")) {
        static const char *const ck[] = {"count", "gutter", NULL};
        yn_check_keys(&c, v, ck, "'columns'");
        ynode *x;
        if ((x = yn_require(&c, v, "count", "'columns'")) &&
            yn_int(&c, x, "column count", 1, 12, &l->columns))
            g.count = x;
        if ((x = yn_require(&c, v, "gutter", "'columns'")) &&
            yn_length(&c, x, "gutter", &l->gutter))
            g.gutter = x;
    }
    if ((v = yn_require(&c, root, "baseline", "the layout")) &&
        yn_length(&c, v, "baseline", &l->baseline))
        g.baseline = v;
    if ((v = yn_require(&c, root, "colors", "the layout")))
        load_colors(&c, l, v);
    if (find_color(l, "black") < 0 && v)
        yn_error(&c, v, "the colours must define 'black'");
    l->rule_color = l->accent_color = find_color(l, "black");
    if ((v = yn_get(root, "rules")) && yn_expect(&c, v, YN_MAP, "'rules'")) {
        static const char *const rk[] = {"width", "color", NULL};
        yn_check_keys(&c, v, rk, "'rules'");
        ynode *x;
        if ((x = yn_get(v, "width")) && yn_length(&c, x, "rule width", &l->rule_width))
            g.rule = x;
        if ((x = yn_get(v, "color")))
            color_ref(&c, l, x, "rule colour", &l->rule_color);
    }
    if ((v = yn_get(root, "accent")))
        color_ref(&c, l, v, "accent", &l->accent_color);
    l->masthead_height = 40 * RT_MM;
    g.masthead = root; /* the default is checked too */
    if ((v = yn_get(root, "masthead")) && yn_expect(&c, v, YN_MAP, "'masthead'")) {
        static const char *const mk[] = {"height", NULL};
        yn_check_keys(&c, v, mk, "'masthead'");
        ynode *x;
        if ((x = yn_get(v, "height")))
            g.masthead = yn_length(&c, x, "masthead height", &l->masthead_height) ? x : NULL;
    } else if (v) {
        g.masthead = NULL;
    }
    if ((v = yn_get(root, "links")) && yn_expect(&c, v, YN_SCALAR, "'links'")) {
        if (strcmp(v->value, "inline") == 0)
            l->links = RT_LINKS_INLINE;
        else if (strcmp(v->value, "omit") == 0)
            l->links = RT_LINKS_OMIT;
        else
            yn_error(&c, v, "links must be inline or omit, not '%s'", v->value);
    }
    if ((v = yn_require(&c, root, "styles", "the layout")) &&
        yn_expect(&c, v, YN_MAP, "'styles'")) {
        /* yn_check_keys takes a NULL-terminated list; rt_style_names is not */
        const char *names[RT_ST_COUNT + 1] = {0};
        memcpy(names, rt_style_names, sizeof rt_style_names);
        yn_check_keys(&c, v, names, "'styles'");
        for (int i = 0; i < RT_ST_COUNT; i++) {
            ynode *s = yn_get(v, rt_style_names[i]);
            if (s) {
                int e0 = c.errors;
                load_style(&c, l, &l->styles[i], s, rt_style_names[i]);
                if (c.errors == e0)
                    g.styles[i] = s;
            } else {
                yn_error(&c, v, "missing style '%s'", rt_style_names[i]);
            }
        }
    }
    if ((v = yn_require(&c, root, "words", "the layout")) && yn_expect(&c, v, YN_MAP, "'words'")) {
        const char *langs[RT_LANG_COUNT + 1] = {0};
        memcpy(langs, rt_lang_names, sizeof rt_lang_names);
        yn_check_keys(&c, v, langs, "'words'");
        for (int i = 0; i < RT_LANG_COUNT; i++) {
            ynode *w = yn_get(v, rt_lang_names[i]);
            if (w)
                load_words(&c, &l->words[i], w, rt_lang_names[i]);
            else
                yn_error(&c, v, "missing words for language '%s'", rt_lang_names[i]);
        }
    }
    if ((v = yn_get(root, "messages")))
        load_messages(&c, l, v, &g);
    if ((v = yn_get(root, "drop_cap")))
        load_drop_cap(&c, l, v);
    l->ink_limit = 240;
    if ((v = yn_get(root, "print")) && yn_expect(&c, v, YN_MAP, "'print'")) {
        static const char *const pk[] = {"ink_limit", "images", NULL};
        yn_check_keys(&c, v, pk, "'print'");
        ynode *x;
        if ((x = yn_get(v, "ink_limit")) && yn_number(&c, x, "ink_limit", 100, 400, &l->ink_limit))
            g.ink = x;
        if ((x = yn_get(v, "images")) && yn_expect(&c, x, YN_SCALAR, "images")) {
            if (strcmp(x->value, "grey") == 0 || strcmp(x->value, "gray") == 0)
                l->grey_images = true;
            else if (strcmp(x->value, "cmyk") != 0)
                yn_error(&c, x, "images must be cmyk or grey, not '%s'", x->value);
        }
    }
    check_geometry(&c, l, &g, root);
    yn_free(root);
    free(text);
    return l;
}

void rt_layout_free(rt_layout *l) {
    if (!l)
        return;
    free(l->path);
    free(l->name);
    for (size_t i = 0; i < l->n_colors; i++)
        free(l->colors[i].name);
    free(l->colors);
    free(l->color_marks);
    for (int i = 0; i < RT_ST_COUNT; i++)
        free(l->styles[i].font);
    free(l->drop_cap.font);
    for (int i = 0; i < RT_LANG_COUNT; i++) {
        rt_words *w = &l->words[i];
        char *fields[] = {w->related,        w->continued_on,  w->continued_from,
                          w->page,           w->number,        w->price,
                          w->messages_title, w->in_this_issue, w->support_call};
        for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
            free(fields[k]);
    }
    for (size_t i = 0; i < l->n_rates; i++)
        free(l->rates[i].name);
    free(l->rates);
    free(l);
}
