/* load: layout files (layouts/<name>.yaml). */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

/* The optional styles a layout does not define, derived from its others. */
static void default_styles(rt_layout *l, const bool *given) {
    rt_style *st = l->styles;
    /* the paper: a colour with no ink (text reversed out of the call's box) */
    int paper = -1;
    for (size_t i = 0; i < l->n_colors; i++)
        if (l->colors[i].cmyk.c + l->colors[i].cmyk.m + l->colors[i].cmyk.y + l->colors[i].cmyk.k <
            0.001)
            paper = (int)i;
    rt_style d[RT_ST_COUNT];
    d[RT_ST_TEASER] = st[RT_ST_HEADLINE];
    d[RT_ST_TEASER].size = 13;
    d[RT_ST_TEASER].leading = 14;
    d[RT_ST_TEASER].space_before = d[RT_ST_TEASER].space_after = 0;
    d[RT_ST_CALL] = st[RT_ST_HEADLINE];
    d[RT_ST_CALL].size = 17;
    d[RT_ST_CALL].leading = 18;
    d[RT_ST_CALL].space_before = d[RT_ST_CALL].space_after = 0;
    d[RT_ST_CALL].hyphenate = false;
    d[RT_ST_CALL].color = paper >= 0 ? paper : st[RT_ST_BODY].color;
    d[RT_ST_RATE] = st[RT_ST_STANDFIRST];
    d[RT_ST_RATE].color = d[RT_ST_CALL].color;
    d[RT_ST_RATE].size = 10;
    d[RT_ST_RATE].leading = 13;
    d[RT_ST_HOUSE_CALL] = st[RT_ST_LEAD_HEADLINE];
    d[RT_ST_HOUSE_CALL].align = RT_ALIGN_CENTER;
    d[RT_ST_HOUSE_CALL].hyphenate = false;
    d[RT_ST_HOUSE_CALL].color = l->accent_color;
    d[RT_ST_HOUSE_RATE] = st[RT_ST_STANDFIRST];
    d[RT_ST_HOUSE_RATE].size = 18;
    d[RT_ST_HOUSE_RATE].leading = 26;
    /* tables and footnotes: the caption's face and size on the body's grid,
     * ranged left */
    for (int i = RT_ST_TABLE; i <= RT_ST_NOTE; i++) {
        d[i] = st[RT_ST_CAPTION];
        d[i].leading = st[RT_ST_BODY].leading;
        d[i].align = RT_ALIGN_LEFT;
        d[i].indent = d[i].space_before = d[i].space_after = 0;
        d[i].uppercase = d[i].hyphenate = d[i].small_caps = false;
    }
    for (int i = RT_ST_REQUIRED; i < RT_ST_COUNT; i++)
        if (!given[i]) {
            st[i] = d[i];
            st[i].font = d[i].font ? rt_xstrdup(d[i].font) : NULL;
        }
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
    static const char *const keys[] = {"name",        "page",   "margins",  "columns",  "baseline",
                                       "rules",       "accent", "colors",   "masthead", "links",
                                       "styles",      "words",  "messages", "drop_cap", "print",
                                       "composition", NULL};
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
        yn_check_keys(&c, v, rt_style_names, "'styles'");
        bool given[RT_ST_COUNT] = {0};
        for (int i = 0; i < RT_ST_COUNT; i++) {
            ynode *s = yn_get(v, rt_style_names[i]);
            if (s) {
                int e0 = c.errors;
                load_style(&c, l, &l->styles[i], s, rt_style_names[i]);
                given[i] = true;
                if (c.errors == e0)
                    g.styles[i] = s;
            } else if (i < RT_ST_REQUIRED) {
                yn_error(&c, v, "missing style '%s'", rt_style_names[i]);
            }
        }
        default_styles(l, given);
    }
    if ((v = yn_get(root, "words")) && yn_expect(&c, v, YN_MAP, "'words'")) {
        yn_check_keys(&c, v, rt_lang_names, "'words'");
        for (int i = 0; i < RT_LANG_COUNT; i++) {
            ynode *w = yn_get(v, rt_lang_names[i]);
            char what[48];
            snprintf(what, sizeof what, "words for '%s'", rt_lang_names[i]);
            if (w)
                ld_load_words(&c, &l->words[i], w, what);
        }
    }
    for (int i = 0; i < RT_LANG_COUNT; i++)
        rt_words_fill(&l->words[i], i);
    if ((v = yn_get(root, "messages")))
        ld_load_rate_card(&c, l, v, &g);
    if ((v = yn_get(root, "drop_cap")))
        load_drop_cap(&c, l, v);
    l->compose = rt_compose_defaults;
    if ((v = yn_get(root, "composition")))
        rt_load_composition(&c, l, v);
    l->ink_limit = RT_INK_LIMIT;
    l->min_ppi = 200;
    if ((v = yn_get(root, "print")) && yn_expect(&c, v, YN_MAP, "'print'")) {
        static const char *const pk[] = {"ink_limit", "images", "min_ppi", "profile", NULL};
        yn_check_keys(&c, v, pk, "'print'");
        ynode *x;
        if ((x = yn_get(v, "ink_limit")) && yn_number(&c, x, "ink_limit", 100, 400, &l->ink_limit))
            g.ink = x;
        if ((x = yn_get(v, "min_ppi")))
            yn_number(&c, x, "min_ppi", 0, 2400, &l->min_ppi);
        if ((x = yn_get(v, "images")) && yn_expect(&c, x, YN_SCALAR, "images")) {
            if (strcmp(x->value, "grey") == 0 || strcmp(x->value, "gray") == 0)
                l->grey_images = true;
            else if (strcmp(x->value, "cmyk") != 0)
                yn_error(&c, x, "images must be cmyk or grey, not '%s'", x->value);
        }
        if ((x = yn_get(v, "profile")) && yn_expect(&c, x, YN_SCALAR, "profile")) {
            /* the CMYK output profile, relative to the layout's folder */
            char *dir = rt_path_dir(path);
            l->profile = rt_path_join(dir, x->value);
            free(dir);
            if (!rt_file_exists(l->profile))
                yn_error(&c, x, "profile not found: '%s' (looked for %s)", x->value, l->profile);
        }
    }
    ld_check_geometry(&c, l, &g, root);
    yn_free(root);
    free(text);
    return l;
}

void rt_layout_free(rt_layout *l) {
    if (!l)
        return;
    free(l->path);
    free(l->profile);
    free(l->name);
    for (size_t i = 0; i < l->n_colors; i++)
        free(l->colors[i].name);
    free(l->colors);
    free(l->color_marks);
    for (int i = 0; i < RT_ST_COUNT; i++)
        free(l->styles[i].font);
    free(l->drop_cap.font);
    for (int i = 0; i < RT_LANG_COUNT; i++)
        rt_words_clear(&l->words[i]);
    for (size_t i = 0; i < l->n_rates; i++)
        free(l->rates[i].name);
    free(l->rates);
    free(l);
}
