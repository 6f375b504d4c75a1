/* pango_greedy EDITION.yaml [--time N]
 *
 * Reference for rotative's typography: sets every body paragraph of the
 * edition's articles with Pango's own layout (greedy line breaking,
 * pango_layout_set_justify) at the edition layout's column width and body
 * style, with the same fonts and the same automatic typography, and prints
 * the same statistics as `rotative build --stats` (space ratio = set width of
 * the spaces / their natural width; Pango only stretches spaces and has no
 * hyphenation of its own; spaces are U+0020). With --time N it lays the text out N times and
 * prints the median wall time of one pass in milliseconds (the speed floor).
 */
#include "compose/compose.h"

#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One justified paragraph: stats per line. */
static void measure(PangoContext *ctx, PangoFontDescription *desc, const char *text, double width,
                    double space_w, rt_text_stats *st) {
    PangoLayout *lay = pango_layout_new(ctx);
    pango_layout_set_font_description(lay, desc);
    pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD);
    pango_layout_set_text(lay, text, -1);
    int n = pango_layout_get_line_count(lay);
    for (int i = 0; i < n; i++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(lay, i);
        PangoRectangle log;
        pango_layout_line_get_extents(line, NULL, &log);
        double natural = log.width / (double)PANGO_SCALE;
        st->lines++;
        if (natural > width + 0.01)
            st->overfull++;
        if (i == n - 1)
            continue; /* the last line is set at its natural width */
        const char *s = text + line->start_index;
        int spaces = 0;
        for (int k = 0; k < line->length; k++)
            spaces += s[k] == ' ';
        /* trailing space at the break is not set */
        if (line->length > 0 && s[line->length - 1] == ' ')
            spaces--;
        if (spaces <= 0)
            continue;
        double nat = spaces * space_w;
        double ratio = (width - natural + nat) / nat;
        if (natural > width)
            ratio = 1;
        RT_PUSH(st->ratios, st->n_ratios, st->cap_ratios, ratio);
        st->over15 += ratio > 1.5;
        st->over2 += ratio > 2.0;
    }
    g_object_unref(lay);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs("usage: pango_greedy EDITION.yaml [--time N]\n", stderr);
        return 2;
    }
    int reps = argc >= 4 && strcmp(argv[2], "--time") == 0 ? atoi(argv[3]) : 0;
    rt_diag d;
    rt_diag_init(&d, stderr);
    rt_edition *e = rt_edition_load(argv[1], "layouts", &d);
    if (!e || d.errors || !e->layout)
        return 2;
    const rt_layout *l = e->layout;
    const rt_style *body = &l->styles[RT_ST_BODY];
    double area = l->width - l->margin_inner - l->margin_outer;
    double width = (area - (l->columns - 1) * l->gutter) / l->columns;

    rt_fonts *fonts = rt_fonts_new("fonts", &d); /* the same fonts, nothing else */
    if (!fonts)
        return 2;
    PangoContext *ctx = pango_font_map_create_context(rt_fonts_pango_map(fonts));
    pango_context_set_round_glyph_positions(ctx, FALSE);
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, body->font);
    pango_font_description_set_absolute_size(desc, body->size * PANGO_SCALE);

    /* natural width of a space */
    PangoLayout *sp = pango_layout_new(ctx);
    pango_layout_set_font_description(sp, desc);
    pango_layout_set_text(sp, "x x", -1);
    int w3;
    pango_layout_get_size(sp, &w3, NULL);
    pango_layout_set_text(sp, "xx", -1);
    int w2;
    pango_layout_get_size(sp, &w2, NULL);
    double space_w = (w3 - w2) / (double)PANGO_SCALE;
    g_object_unref(sp);

    /* the paragraphs, as rotative sets them (typography applied) */
    char **paras = NULL;
    size_t np = 0, cap = 0;
    for (size_t i = 0; i < e->n_entries; i++) {
        rt_article *a = e->entries[i].article;
        rt_doc *doc = rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line,
                                        RT_MD_ARTICLE, &d);
        for (size_t b = 0; b < doc->n_blocks; b++) {
            if (doc->blocks[b].kind != RT_BLOCK_PARA)
                continue;
            rt_buf t = {0};
            for (size_t k = 0; k < doc->blocks[b].n_spans; k++)
                rt_buf_adds(&t, doc->blocks[b].spans[k].text);
            size_t len;
            char *typo = rt_typo_apply(t.data ? t.data : "", t.len, a->lang, &len);
            rt_buf_free(&t);
            RT_PUSH(paras, np, cap, typo);
        }
        rt_doc_free(doc);
    }
    if (reps > 0) {
        double *ms = rt_xcalloc((size_t)reps, sizeof *ms);
        for (int r = 0; r < reps; r++) {
            double t0 = now_ms();
            rt_text_stats st = {0};
            for (size_t i = 0; i < np; i++)
                measure(ctx, desc, paras[i], width, space_w, &st);
            rt_stats_free(&st);
            ms[r] = now_ms() - t0;
        }
        qsort(ms, (size_t)reps, sizeof *ms, cmp_d);
        printf("%.2f\n", ms[reps / 2]);
        free(ms);
    } else {
        rt_text_stats st = {0};
        for (size_t i = 0; i < np; i++)
            measure(ctx, desc, paras[i], width, space_w, &st);
        rt_stats_print_header(stdout);
        rt_stats_print(stdout, "Pango greedy (same text)", &st);
        rt_stats_free(&st);
    }
    for (size_t i = 0; i < np; i++)
        free(paras[i]);
    free(paras);
    pango_font_description_free(desc);
    g_object_unref(ctx);
    rt_fonts_free(fonts);
    rt_edition_free(e);
    return 0;
}
