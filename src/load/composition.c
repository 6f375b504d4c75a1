/* load: the layout's `composition:` section (rt_compose_params): how pages
 * are composed, with every default in one place. */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

const char *const rt_role_names[] = {"auto", "brief", "secondary", "main", "lead", NULL};

/* Every default of the `composition:` section, in one place. */
const rt_compose_params rt_compose_defaults = {
    .baseline_offset = 0.78,
    .headline_scale = {0, 0.62, 0.78, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    .rail_columns = 3,
    .hole_rows = 3,
    .min_lines = 2,
    .min_piece_rows = 6,
    .min_image_rows = 8,
    .image_share = 0.4,
    .lead_image_share = 0.45,
    .brief_words = 200,
    .main_words = 550,
    .role_headline = {1, 0.8, 0.9, 1, 1.1},
    .rail_min_rows = 24,
    .cost = {.hole = 1,
             .gap = 3,
             .gap_each = 40,
             .image_slack = 0.3,
             .image_crop = 2,
             .jump = 80,
             .jump_later = 40,
             .hierarchy = 25,
             .shallow = 150,
             .shallow_rows = 12,
             .tall_column = 10,
             .tall_share = 0.7,
             .strips = 12,
             .leftover = 3,
             .end_share = 0.5,
             .fullw = 10,
             .bump = 60,
             .not_top = 160,
             .flat = 10,
             .brief_wide = 60,
             .order = 6,
             .mixed = 3,
             .low_photo = 4,
             .moved = 40},
};

/* composition: {baseline_offset: 0.78, headline_scale: [...], costs: {...}, ...} */
void rt_load_composition(yctx *c, rt_layout *l, const ynode *n) {
    static const char *const keys[] = {"baseline_offset", "headline_scale", "rail_columns",
                                       "hole_rows",       "min_lines",      "min_piece_rows",
                                       "min_image_rows",  "image_share",    "lead_image_share",
                                       "brief_words",     "main_words",     "role_headline",
                                       "rail_min_rows",   "costs",          NULL};
    rt_compose_params *p = &l->compose;
    if (!yn_expect(c, n, YN_MAP, "'composition'"))
        return;
    yn_check_keys(c, n, keys, "'composition'");
    ynode *v;
    if ((v = yn_get(n, "baseline_offset")))
        yn_number(c, v, "baseline_offset", 0, 1, &p->baseline_offset);
    if ((v = yn_get(n, "headline_scale")) && yn_expect(c, v, YN_SEQ, "headline_scale")) {
        if (v->n < 1 || v->n > RT_MAX_COLUMNS)
            yn_error(c, v, "headline_scale: one factor per block width, 1 to %d columns",
                     RT_MAX_COLUMNS);
        double last = 1;
        for (size_t i = 0; i < v->n && i < RT_MAX_COLUMNS; i++)
            if (yn_number(c, v->items[i], "a headline scale", 0.2, 3, &last))
                p->headline_scale[i + 1] = last;
        for (size_t i = v->n; i < RT_MAX_COLUMNS; i++) /* wider blocks: the last factor */
            p->headline_scale[i + 1] = last;
    }
    if ((v = yn_get(n, "rail_columns")))
        yn_int(c, v, "rail_columns", 2, RT_MAX_COLUMNS + 1, &p->rail_columns);
    if ((v = yn_get(n, "hole_rows")))
        yn_int(c, v, "hole_rows", 0, 20, &p->hole_rows);
    if ((v = yn_get(n, "min_lines")))
        yn_int(c, v, "min_lines", 1, 4, &p->min_lines);
    if ((v = yn_get(n, "min_piece_rows")))
        yn_int(c, v, "min_piece_rows", 1, 40, &p->min_piece_rows);
    if ((v = yn_get(n, "min_image_rows")))
        yn_int(c, v, "min_image_rows", 3, 40, &p->min_image_rows);
    if ((v = yn_get(n, "image_share")))
        yn_number(c, v, "image_share", 0.1, 1, &p->image_share);
    if ((v = yn_get(n, "lead_image_share")))
        yn_number(c, v, "lead_image_share", 0.1, 1, &p->lead_image_share);
    if ((v = yn_get(n, "brief_words")))
        yn_int(c, v, "brief_words", 0, 100000, &p->brief_words);
    if ((v = yn_get(n, "main_words")))
        yn_int(c, v, "main_words", 1, 100000, &p->main_words);
    if ((v = yn_get(n, "rail_min_rows")))
        yn_int(c, v, "rail_min_rows", 4, 400, &p->rail_min_rows);
    if ((v = yn_get(n, "role_headline")) && yn_expect(c, v, YN_MAP, "'role_headline'")) {
        yn_check_keys(c, v, rt_role_names + 1, "'role_headline'");
        for (int r = RT_ROLE_BRIEF; r <= RT_ROLE_LEAD; r++) {
            ynode *x = yn_get(v, rt_role_names[r]);
            if (x)
                yn_number(c, x, "a headline factor", 0.3, 3, &p->role_headline[r]);
        }
    }
    if ((v = yn_get(n, "costs")) && yn_expect(c, v, YN_MAP, "'costs'")) {
        static const char *const ck[] = {
            "hole",       "gap",       "gap_each", "image_slack",  "jump",
            "jump_later", "hierarchy", "shallow",  "shallow_rows", "tall_column",
            "tall_share", "strips",    "leftover", "end_share",    "fullw",
            "bump",       "not_top",   "flat",     "brief_wide",   "order",
            "mixed",      "low_photo", "moved",    "image_crop",   NULL};
        double *outs[] = {&p->cost.hole,        &p->cost.gap,        &p->cost.gap_each,
                          &p->cost.image_slack, &p->cost.jump,       &p->cost.jump_later,
                          &p->cost.hierarchy,   &p->cost.shallow,    NULL,
                          &p->cost.tall_column, &p->cost.tall_share, &p->cost.strips,
                          &p->cost.leftover,    &p->cost.end_share,  &p->cost.fullw,
                          &p->cost.bump,        &p->cost.not_top,    &p->cost.flat,
                          &p->cost.brief_wide,  &p->cost.order,      &p->cost.mixed,
                          &p->cost.low_photo,   &p->cost.moved,      &p->cost.image_crop};
        yn_check_keys(c, v, ck, "'costs'");
        for (int i = 0; ck[i]; i++) {
            ynode *x = yn_get(v, ck[i]);
            if (!x)
                continue;
            if (!outs[i])
                yn_int(c, x, ck[i], 1, 100, &p->cost.shallow_rows);
            else
                yn_number(c, x, ck[i], 0, 10000, outs[i]);
        }
    }
}
