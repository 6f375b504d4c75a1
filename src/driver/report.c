/* build: the JSON build report (--report FILE.json). The schema is
 * documented in README.md ("Build report"); bump RT_REPORT_SCHEMA when a
 * field changes meaning or goes away (adding fields keeps the version). */
#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define RT_REPORT_SCHEMA "rotative-report/1"

static void jstr(FILE *f, const char *s) {
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* A number with at most 2 decimals, no trailing zeros (JSON has no NaN). */
static void jnum(FILE *f, double v) {
    if (!isfinite(v))
        v = 0;
    char b[64];
    snprintf(b, sizeof b, "%.2f", v);
    char *e = b + strlen(b) - 1;
    while (*e == '0')
        *e-- = '\0';
    if (*e == '.')
        *e = '\0';
    fputs(strcmp(b, "-0") ? b : "0", f);
}

static void jint_or_null(FILE *f, int v) {
    if (v)
        fprintf(f, "%d", v);
    else
        fputs("null", f);
}

static void jbox_mm(FILE *f, double x, double y, double w, double h) {
    fputc('[', f);
    jnum(f, x / RT_MM);
    fputc(',', f);
    jnum(f, y / RT_MM);
    fputc(',', f);
    jnum(f, w / RT_MM);
    fputc(',', f);
    jnum(f, h / RT_MM);
    fputc(']', f);
}

typedef struct {
    size_t n;
    bool in_word;
} word_count;

static void count_span(const rt_span *sp, void *arg) {
    word_count *wc = arg;
    if (sp->flags & RT_SPAN_NOTE) /* a note's number is not a word of the text */
        return;
    for (const char *p = sp->text; *p; p++) {
        bool space = *p == ' ' || *p == '\n' || *p == '\t';
        if (!space && !wc->in_word)
            wc->n++;
        wc->in_word = !space;
    }
}

size_t rt_doc_words(const rt_doc *doc) {
    word_count wc = {0, false};
    for (size_t b = 0; doc && b < doc->n_blocks; b++) {
        const rt_block *bl = &doc->blocks[b];
        wc.in_word = false;
        if (!bl->table) {
            rt_block_each_span(bl, count_span, &wc);
            continue;
        }
        for (size_t k = 0; k < bl->table->n_rows * (size_t)bl->table->n_cols; k++) {
            wc.in_word = false; /* each cell on its own */
            for (size_t s = 0; s < bl->table->cells[k].n_spans; s++)
                count_span(&bl->table->cells[k].spans[s], &wc);
        }
    }
    return wc.n;
}

static const char *const lang_names[] = {"fr", "nl", "en"};

static const char *page_kind(const rt_page *pg) {
    return pg->number == 1 ? "front" : pg->messages ? "messages" : pg->house ? "house" : "articles";
}
static const char *const pay_names[] = {"paid", "pending", "offered"};
static const char *const sev_names[] = {"note", "warning", "error"};

void rt_report_json(FILE *f, const rt_report_input *in) {
    const rt_edition *e = in->edition;
    const rt_composition *c = in->comp;
    const rt_diag *d = in->diag;
    fprintf(f, "{\n  \"schema\": \"%s\",\n  \"status\": %d,\n", RT_REPORT_SCHEMA, in->status);
    fprintf(f, "  \"edition\": {\"path\": ");
    jstr(f, in->edition_path);
    if (e) {
        fputs(", \"paper\": ", f);
        jstr(f, e->paper);
        fprintf(f, ", \"number\": %d, \"date\": ", e->number);
        jstr(f, e->date);
        fprintf(f, ", \"language\": \"%s\", \"layout\": ", lang_names[e->lang % 3]);
        jstr(f, e->layout ? e->layout->name : NULL);
    }
    fputs("},\n", f);
    if (e && e->layout) {
        const rt_layout *l = e->layout;
        int rows = (int)floor((l->height - l->margin_top - l->margin_bottom) / l->baseline + 1e-6);
        fprintf(f, "  \"grid\": {\"columns\": %d, \"rows\": %d, \"first_row\": 2},\n", l->columns,
                rows);
    }
    fputs("  \"output\": ", f);
    jstr(f, in->output);
    fputs(",\n", f);

    /* pages */
    fputs("  \"pages\": [", f);
    for (size_t p = 0; c && p < c->n_pages; p++) {
        const rt_page *pg = &c->pages[p];
        fprintf(f, "%s\n    {\"number\": %d, \"kind\": \"%s\", \"section\": ", p ? "," : "",
                pg->number, page_kind(pg));
        jstr(f, pg->section);
        fputs(", \"blocks\": [", f);
        int nb = 0;
        rt_block_iter it = {0};
        for (const rt_segment *sg; (sg = rt_page_next_block(c, pg->number, &it));) {
            const rt_article_place *ap = &c->articles[it.article];
            fprintf(f, "%s\n      {\"article\": %zu, \"title\": ", nb++ ? "," : "", it.article);
            jstr(f, ap->article->title);
            fprintf(f,
                    ", \"col0\": %d, \"columns\": %d, \"top_row\": %d, \"rows\": %d, "
                    "\"short_rows\": %d, \"box_mm\": ",
                    sg->col0, sg->columns, sg->top, sg->bottom - sg->top, sg->short_rows);
            jbox_mm(f, sg->x, sg->y, sg->w, sg->h);
            fputs(", \"continued_from\": ", f);
            jint_or_null(f, it.segment > 0 ? ap->segments[it.segment - 1].page : 0);
            fputs(", \"continues_on\": ", f);
            jint_or_null(f, sg->jump_to);
            fputc('}', f);
        }
        fputs(nb ? "\n    ], \"house_boxes\": [" : "], \"house_boxes\": [", f);
        int nh = 0;
        for (size_t h = 0; h < c->n_house; h++)
            if (c->house[h].page == pg->number)
                fprintf(f, "%s{\"col0\": %d, \"columns\": %d, \"top_row\": %d, \"rows\": %d}",
                        nh++ ? ", " : "", c->house[h].col0, c->house[h].columns, c->house[h].top,
                        c->house[h].bottom - c->house[h].top);
        fputs("], \"calls\": [", f);
        int nc = 0;
        for (size_t k = 0; k < c->n_calls; k++)
            if (c->calls[k].page == pg->number) {
                fputs(nc++ ? ", {\"box_mm\": " : "{\"box_mm\": ", f);
                jbox_mm(f, c->calls[k].x, c->calls[k].y, c->calls[k].w, c->calls[k].h);
                fputc('}', f);
            }
        fputs("], \"messages\": [", f);
        int nm = 0;
        for (size_t m = 0; m < c->n_messages; m++)
            if (c->messages[m].page == pg->number)
                fprintf(f, "%s%zu", nm++ ? ", " : "", m);
        fputs("], \"design\": ", f);
        const rt_page_design *pd = c->design ? &c->design[p] : NULL;
        if (pd && strcmp(page_kind(pg), "articles") == 0)
            fprintf(f,
                    "{\"blocks\": %d, \"full_width\": %d, \"stack\": %d, \"shallow\": %d, "
                    "\"bumps\": %d, \"briefs_wide\": %d, \"largest_top\": %s, \"dominant\": %s, "
                    "\"largest_share\": %.3f, \"house_share\": %.3f, \"empty_share\": %.3f, "
                    "\"small_jumps\": %d, \"hollow\": %d}",
                    pd->blocks, pd->full_width, pd->stack, pd->shallow, pd->bumps, pd->briefs_wide,
                    pd->largest_top ? "true" : "false", pd->dominant ? "true" : "false",
                    pd->largest_share, pd->house_share, pd->empty_share, pd->small_jumps,
                    pd->hollow);
        else
            fputs("null", f);
        fputc('}', f);
    }
    fputs(c && c->n_pages ? "\n  ],\n" : "],\n", f);

    /* articles */
    size_t total_words = 0;
    fputs("  \"articles\": [", f);
    for (size_t a = 0; e && a < e->n_entries; a++) {
        const rt_article *ar = e->entries[a].article;
        const rt_article_place *ap = c && a < c->n_articles ? &c->articles[a] : NULL;
        size_t words = in->docs ? rt_doc_words(in->docs[a]) : 0;
        total_words += words;
        fprintf(f, "%s\n    {\"index\": %zu, \"path\": ", a ? "," : "", a);
        jstr(f, ar ? ar->path : NULL);
        fputs(", \"title\": ", f);
        jstr(f, ar ? ar->title : NULL);
        fputs(", \"section\": ", f);
        jstr(f, ar ? ar->section : NULL);
        fprintf(f, ", \"words\": %zu, \"reserve\": %s", words,
                e->entries[a].reserve ? "true" : "false");
        if (ap && ap->article) {
            const rt_text_stats *s = &ap->stats;
            double mx, p95, mean;
            rt_stats_ratios(s, &mx, &p95, &mean);
            fprintf(f, ", \"placed\": true, \"first_page\": %d, \"last_page\": %d, \"lines\": %d",
                    ap->first_page, ap->last_page, ap->lines);
            fputs(", \"segments\": [", f);
            for (size_t k = 0; k < ap->n_segments; k++) {
                const rt_segment *sg = &ap->segments[k];
                fprintf(f, "%s{\"page\": %d, \"columns\": %d, \"rows\": %d, \"continues_on\": ",
                        k ? ", " : "", sg->page, sg->columns, sg->bottom - sg->top);
                jint_or_null(f, sg->jump_to);
                fputc('}', f);
            }
            fputs("], \"typography\": {\"space_ratio_max\": ", f);
            jnum(f, mx);
            fputs(", \"space_ratio_p95\": ", f);
            jnum(f, p95);
            fputs(", \"drop_cap_space_ratio_max\": ", f);
            if (s->drop_ratio_max > 0)
                jnum(f, s->drop_ratio_max);
            else
                fputs("null", f);
            fprintf(f,
                    ", \"loose_lines\": %d, \"very_loose_lines\": %d, \"overfull_lines\": %d, "
                    "\"hyphenated_lines\": %d, \"max_hyphen_run\": %d, \"widows\": %d, "
                    "\"orphans\": %d}",
                    s->over15, s->over2, s->overfull, s->hyphenated, s->max_hyph_run, s->widows,
                    s->orphans);
        } else {
            fputs(", \"placed\": false", f);
        }
        fputc('}', f);
    }
    fputs(e && e->n_entries ? "\n  ],\n" : "],\n", f);
    /* the reserve: the stories printed are among the articles above */
    int printed = 0;
    for (size_t a = 0; e && a < e->n_entries; a++)
        printed += e->entries[a].reserve;
    fprintf(f, "  \"reserve\": {\"printed\": %d, \"left\": [", printed);
    for (size_t r = 0; e && r < e->n_reserve; r++) {
        fputs(r ? ", " : "", f);
        jstr(f, e->reserve[r].article ? e->reserve[r].article->path : NULL);
    }
    fputs("]},\n", f);

    /* messages */
    double paid = 0, donations = 0;
    int placed = 0, held = 0;
    fputs("  \"messages\": [", f);
    for (size_t m = 0; e && m < e->n_messages; m++) {
        const rt_message *ms = &e->messages[m];
        const rt_message_place *mp = c && m < c->n_messages ? &c->messages[m] : NULL;
        fprintf(f, "%s\n    {\"index\": %zu, \"path\": ", m ? "," : "", m);
        jstr(f, ms->path);
        fputs(", \"from\": ", f);
        jstr(f, ms->from);
        fputs(", \"format\": ", f);
        jstr(f, ms->format);
        fprintf(f, ", \"status\": \"%s\", \"amount\": ", pay_names[ms->status % 3]);
        jnum(f, ms->amount);
        fputs(", \"donation\": ", f);
        jnum(f, ms->donation);
        fputs(", \"reference\": ", f);
        jstr(f, ms->reference);
        if (ms->status == RT_PAY_PAID)
            paid += ms->amount;
        donations += ms->donation;
        if (mp && mp->page) {
            placed++;
            fprintf(f, ", \"page\": %d, \"box_mm\": ", mp->page);
            jbox_mm(f, mp->x, mp->y, mp->w, mp->h);
            fputs(", \"held\": null}", f);
        } else {
            held++;
            fputs(", \"page\": null, \"box_mm\": null, \"held\": ", f);
            jstr(f, mp && mp->held ? mp->held : "not placed");
            fputc('}', f);
        }
    }
    fputs(e && e->n_messages ? "\n  ],\n" : "],\n", f);

    fprintf(f,
            "  \"totals\": {\"pages\": %zu, \"articles\": %zu, \"words\": %zu, "
            "\"messages_placed\": %d, \"messages_held\": %d, \"house_pages\": %d, "
            "\"overset_lines\": %d, \"amount_paid\": ",
            c ? c->n_pages : 0, e ? e->n_entries : 0, total_words, placed, held,
            c ? c->house_pages : 0, c ? c->overset_lines : 0);
    jnum(f, paid);
    fputs(", \"donations\": ", f);
    jnum(f, donations);
    fprintf(f, ", \"errors\": %d, \"warnings\": %d},\n", d->errors, d->warnings);
    if (c) {
        const rt_design *t = &c->totals;
        fprintf(f,
                "  \"design\": {\"article_pages\": %d, \"full_width_per_page\": %.3f, "
                "\"pages_with_3_strips\": %d, \"max_stack\": %d, \"shallow\": %d, "
                "\"bumps\": %d, \"briefs_wide\": %d, \"largest_top\": %d, \"hollow\": %d, "
                "\"house_share\": %.4f, \"empty_share\": %.4f, \"house_max\": %.4f, "
                "\"jumps\": %d, \"articles_jumping\": %d, \"jumped_twice\": %d, "
                "\"small_first_pieces\": %d, \"front_jumps\": %d, "
                "\"jumps_per_article\": %.3f, \"message_fill_min\": %.3f, "
                "\"message_fill_mean\": %.3f, \"message_blank_max\": %.3f, \"house_pages\": %d, "
                "\"back\": \"%s\"},\n",
                t->article_pages, t->full_width_per_page, t->pages_with_3_strips, t->max_stack,
                t->shallow, t->bumps, t->briefs_wide, t->largest_top, t->hollow, t->house_share,
                t->empty_share, t->house_max, t->jumps, t->articles_jumping, t->jumped_twice,
                t->small_first_pieces, t->front_jumps, t->jumps_per_article, t->message_fill_min,
                t->message_fill_mean, t->message_blank_max, t->house_pages,
                t->back ? t->back : "front");
    }

    fputs("  \"diagnostics\": [", f);
    for (size_t i = 0; i < d->n_items; i++) {
        const rt_diag_item *it = &d->items[i];
        fprintf(f, "%s\n    {\"severity\": \"%s\", \"file\": ", i ? "," : "",
                sev_names[it->severity % 3]);
        jstr(f, it->path);
        fprintf(f, ", \"line\": %d, \"column\": %d, \"message\": ", it->line, it->col);
        jstr(f, it->message);
        fputc('}', f);
    }
    fputs(d->n_items ? "\n  ]\n}\n" : "]\n}\n", f);
}

/* A title cut to `max` characters (UTF-8 aware) for one-line listings. */
static void put_title(FILE *f, const char *s, int max) {
    int n = 0;
    const char *p = s ? s : "";
    while (*p && n < max) {
        int l = 1;
        while (((unsigned char)p[l] & 0xC0) == 0x80)
            l++;
        fwrite(p, 1, (size_t)l, f);
        p += l;
        n++;
    }
    if (*p)
        fputs("\xe2\x80\xa6", f);
}

void rt_report_summary(FILE *f, const rt_report_input *in) {
    const rt_edition *e = in->edition;
    const rt_composition *c = in->comp;
    if (!e || !c)
        return;
    for (size_t p = 0; p < c->n_pages; p++) {
        const rt_page *pg = &c->pages[p];
        fprintf(f, "page %2d %-10.10s", pg->number,
                pg->number > 1 && !pg->messages && !pg->house ? (pg->section ? pg->section : "")
                                                              : page_kind(pg));
        int nb = 0;
        rt_block_iter it = {0};
        for (const rt_segment *sg; (sg = rt_page_next_block(c, pg->number, &it));) {
            const rt_article_place *ap = &c->articles[it.article];
            fputs(nb++ ? "\n                   " : " ", f);
            put_title(f, ap->article->title, 34);
            fprintf(f, "  %d col x %d rows", sg->columns, sg->bottom - sg->top);
            if (it.article < e->n_entries && e->entries[it.article].reserve && it.segment == 0)
                fputs(", reserve", f);
            if (it.segment > 0)
                fprintf(f, ", from p. %d", ap->segments[it.segment - 1].page);
            if (sg->jump_to)
                fprintf(f, ", continues p. %d", sg->jump_to);
        }
        int nm = 0;
        for (size_t m = 0; m < c->n_messages; m++)
            nm += c->messages[m].page == pg->number;
        if (nm)
            fprintf(f, "%s%d message%s", nb ? "\n                    " : " ", nm,
                    nm == 1 ? "" : "s");
        for (size_t h = 0; h < c->n_house; h++)
            if (c->house[h].page == pg->number)
                fprintf(f, "\n                   house box  %d col x %d rows", c->house[h].columns,
                        c->house[h].bottom - c->house[h].top);
        fputc('\n', f);
    }
    /* problems, most urgent first */
    int problems = 0;
    for (size_t m = 0; m < c->n_messages; m++) {
        if (c->messages[m].page)
            continue;
        const rt_message *ms = &e->messages[c->messages[m].message];
        fprintf(f, "%sheld: %s (%s, %s)\n", problems++ ? "" : "problems:\n", ms->path,
                ms->from ? ms->from : "?",
                c->messages[m].held ? c->messages[m].held : "not placed");
    }
    int loose = 0, very = 0, widows = 0, orphans = 0, overfull = 0;
    for (size_t a = 0; a < c->n_articles; a++) {
        const rt_text_stats *s = &c->articles[a].stats;
        loose += s->over15;
        very += s->over2;
        widows += s->widows;
        orphans += s->orphans;
        overfull += s->overfull;
        if (s->over2 || s->overfull || s->widows || s->orphans) {
            fprintf(f, "%s%s: ", problems++ ? "" : "problems:\n", c->articles[a].article->path);
            const char *sep = "";
            if (s->overfull)
                fprintf(f, "%s%d overfull line%s", sep, s->overfull, s->overfull == 1 ? "" : "s"),
                    sep = ", ";
            if (s->over2)
                fprintf(f, "%s%d line%s with spaces over 2x", sep, s->over2,
                        s->over2 == 1 ? "" : "s"),
                    sep = ", ";
            if (s->widows)
                fprintf(f, "%s%d widow%s", sep, s->widows, s->widows == 1 ? "" : "s"), sep = ", ";
            if (s->orphans)
                fprintf(f, "%s%d orphan%s", sep, s->orphans, s->orphans == 1 ? "" : "s");
            fputc('\n', f);
        }
    }
    fprintf(f,
            "%zu pages, %d messages placed, %d held; %d loose lines (spaces over 1.5x), %d over "
            "2x, %d overfull, %d widows, %d orphans; %d warning%s\n",
            c->n_pages, c->messages_placed, c->messages_held, loose, very, overfull, widows,
            orphans, in->diag->warnings, in->diag->warnings == 1 ? "" : "s");
    int printed = 0;
    for (size_t a = 0; a < e->n_entries; a++)
        printed += e->entries[a].reserve;
    if (printed || e->n_reserve)
        fprintf(f, "reserve: %d of %zu stories printed\n", printed, printed + e->n_reserve);
}

void rt_report_stats(FILE *f, const rt_composition *c) {
    rt_text_stats all = {0};
    rt_stats_print_header(f);
    for (size_t i = 0; i < c->n_articles; i++) {
        const rt_article_place *ap = &c->articles[i];
        if (!ap->article)
            continue;
        rt_stats_print(f, ap->article->title, &ap->stats);
        rt_stats_merge(&all, &ap->stats);
    }
    rt_stats_print(f, "ALL", &all);
    if (all.infeasible)
        fprintf(f, "%d paragraph(s) had no feasible breaks and were set by the emergency pass\n",
                all.infeasible);
    fprintf(f, "lines above 2x outside those paragraphs: %d\n", all.over2_elsewhere);
    rt_stats_free(&all);
}
