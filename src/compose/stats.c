/* compose: text quality statistics (--stats). */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

void cmp_stats_para(rt_text_stats *s, const tpara *tp) {
    const rt_para *p = tp->para;
    int run = 0;
    if (tp->lines.pass == 3)
        s->infeasible++;
    for (size_t i = 0; i < tp->lines.n; i++) {
        const rt_line *ln = &tp->lines.lines[i];
        s->lines++;
        s->overfull += ln->overfull;
        const rt_item *e = &p->items[ln->end];
        bool hy = e->kind == RT_ITEM_PENALTY && e->flagged;
        if (hy) {
            s->hyphenated++;
            if (++run > s->max_hyph_run)
                s->max_hyph_run = run;
        } else {
            run = 0;
        }
        double ratio = cmp_space_ratio(tp, i);
        if ((int)i < tp->drop_lines && tp->drop && ratio > s->drop_ratio_max)
            s->drop_ratio_max = ratio;
        if (ratio <= 0) /* ragged, last, or no spaces */
            continue;
        RT_PUSH(s->ratios, s->n_ratios, s->cap_ratios, ratio);
        s->over15 += ratio > 1.5;
        s->over2 += ratio > 2.0;
        s->over2_elsewhere += ratio > 2.0 && tp->lines.pass != 3;
    }
}

double cmp_widest_space(const tpara *tp) {
    rt_text_stats s = {0};
    cmp_stats_para(&s, tp);
    double mx = 1;
    for (size_t i = 0; i < s.n_ratios; i++)
        if (s.ratios[i] > mx)
            mx = s.ratios[i];
    rt_stats_free(&s);
    return mx;
}

void rt_stats_merge(rt_text_stats *into, const rt_text_stats *from) {
    for (size_t i = 0; i < from->n_ratios; i++)
        RT_PUSH(into->ratios, into->n_ratios, into->cap_ratios, from->ratios[i]);
    into->lines += from->lines;
    into->over15 += from->over15;
    into->over2 += from->over2;
    into->overfull += from->overfull;
    into->hyphenated += from->hyphenated;
    if (from->max_hyph_run > into->max_hyph_run)
        into->max_hyph_run = from->max_hyph_run;
    into->widows += from->widows;
    into->orphans += from->orphans;
    into->infeasible += from->infeasible;
    into->over2_elsewhere += from->over2_elsewhere;
    if (from->drop_ratio_max > into->drop_ratio_max)
        into->drop_ratio_max = from->drop_ratio_max;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void rt_stats_ratios(const rt_text_stats *s, double *max, double *p95, double *mean) {
    *max = *p95 = *mean = 1;
    if (!s->n_ratios)
        return;
    double *v = rt_xmalloc(s->n_ratios * sizeof *v);
    memcpy(v, s->ratios, s->n_ratios * sizeof *v);
    qsort(v, s->n_ratios, sizeof *v, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < s->n_ratios; i++)
        sum += v[i];
    *max = v[s->n_ratios - 1];
    /* nearest-rank percentile */
    size_t rank = (size_t)((95 * s->n_ratios + 99) / 100);
    *p95 = v[rank ? rank - 1 : 0];
    *mean = sum / (double)s->n_ratios;
    free(v);
}

void rt_stats_print_header(FILE *f) {
    fprintf(f, "%-34s %6s %6s %6s %6s %5s %5s %5s %7s %5s %5s %5s\n", "article", "lines", "max",
            "p95", "mean", ">1.5", ">2", "over", "hyph%", "run", "widow", "orph");
}

/* The first `width` characters of `name` (not bytes: a title is never cut
 * inside a character), padded with spaces to that many characters. */
static void print_cell(FILE *f, const char *name, int width) {
    int chars = 0;
    size_t n = 0;
    while (name[n] && chars < width) {
        size_t k = 1;
        while (name[n + k] && ((unsigned char)name[n + k] & 0xC0) == 0x80)
            k++;
        n += k;
        chars++;
    }
    fprintf(f, "%.*s%*s", (int)n, name, width - chars, "");
}

void rt_stats_print(FILE *f, const char *name, const rt_text_stats *s) {
    double mx, p95, mean;
    rt_stats_ratios(s, &mx, &p95, &mean);
    print_cell(f, name, 34);
    fprintf(f, " %6d %6.2f %6.2f %6.2f %5d %5d %5d %7.1f %5d %5d %5d\n", s->lines, mx, p95, mean,
            s->over15, s->over2, s->overfull, s->lines ? 100.0 * s->hyphenated / s->lines : 0.0,
            s->max_hyph_run, s->widows, s->orphans);
}

void rt_stats_free(rt_text_stats *s) {
    free(s->ratios);
    memset(s, 0, sizeof *s);
}
