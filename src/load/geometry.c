/* load: the geometry checks of a layout: every dimension against the page
 * and against the others, as compose will use them. Called by the layout
 * loader once everything is read (see ld_check_geometry in tree.h). */
#include "tree.h"

#include <math.h>

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
#define PRESS_RULE 0.25           /* pt: thinner breaks up on most newsprint presses */
#define MAX_RULE 4.0              /* pt */
#define MIN_MODULE_W (20 * RT_MM) /* a message module, inside its frame */
#define MSG_PAD (2.2 * RT_MM)     /* compose's padding inside a message frame */

static double mm(double pt) {
    return pt / RT_MM;
}

/* Every dimension against the page and against the others, as compose
 * will use them (compose.c: the rows of the text area, the masthead band,
 * the folio's two rows; msgbox.c: the message page's head and grid). */
void ld_check_geometry(yctx *c, const rt_layout *l, const geo_nodes *g, const ynode *root) {
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
        else if (l->rule_width < PRESS_RULE)
            rt_warning(c->d, c->path, g->rule->mark.line, g->rule->mark.col,
                       "rule width %gpt is under %gpt, the thinnest line most newsprint presses "
                       "hold: its rules may break up in print",
                       l->rule_width, PRESS_RULE);
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
    /* a message module of the message page's grid (msgbox.c: the page's
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
