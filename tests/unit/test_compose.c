/* Unit tests: compose (the small fixture edition -> pages of draws). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "compose/compose.h"
#include "compose/block.h"

#include <stdlib.h>
#include <string.h>

static rt_diag diag;
static rt_edition *ed;
static rt_doc **docs, **mdocs;
static rt_fonts *fonts;
static rt_shaper *shaper;

static int setup(void **state) {
    (void)state;
    rt_diag_init(&diag, stderr);
    ed = rt_edition_load("tests/e2e/fixtures/mini/issue.yaml", "layouts", &diag);
    if (!ed || diag.errors)
        return -1;
    docs = rt_xcalloc(ed->n_entries, sizeof *docs);
    for (size_t i = 0; i < ed->n_entries; i++) {
        rt_article *a = ed->entries[i].article;
        docs[i] = rt_markdown_parse(a->body, strlen(a->body), a->path, a->body_line, RT_MD_ARTICLE,
                                    &diag);
    }
    mdocs = rt_xcalloc(ed->n_messages, sizeof *mdocs);
    for (size_t i = 0; i < ed->n_messages; i++)
        mdocs[i] = rt_markdown_parse(ed->messages[i].text, strlen(ed->messages[i].text),
                                     ed->messages[i].path, 1, RT_MD_MESSAGE, &diag);
    fonts = rt_fonts_new("fonts", &diag);
    shaper = rt_shaper_new(fonts, NULL, &diag);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    for (size_t i = 0; i < ed->n_entries; i++)
        rt_doc_free(docs[i]);
    for (size_t i = 0; i < ed->n_messages; i++)
        rt_doc_free(mdocs[i]);
    free(docs);
    free(mdocs);
    rt_edition_free(ed);
    rt_shaper_free(shaper);
    rt_fonts_free(fonts);
    return 0;
}

static void test_pages_and_placement(void **state) {
    (void)state;
    rt_compose_ctx ctx = {.shaper = shaper, .fonts = fonts};
    rt_composition *c = rt_compose(ed, docs, mdocs, &ctx, &diag);
    assert_non_null(c);
    assert_int_equal(diag.errors, 0);
    /* both articles fit the front page under the masthead; the message
     * (1/16) goes in the gap under them; three house pages make the four
     * pages of a sheet */
    assert_int_equal(c->n_pages, 4);
    assert_int_equal(c->articles[0].first_page, 1);
    assert_int_equal(c->articles[1].first_page, 1);
    assert_int_equal(c->articles[0].segments[0].columns, 4); /* the lead, beside the rail */
    assert_true(c->articles[1].segments[0].top >= c->articles[0].segments[0].bottom);
    assert_int_equal(c->messages[0].page, 1);
    assert_int_equal(c->n_house, 1);
    assert_int_equal(c->house[0].messages, 1);
    assert_true(c->pages[1].house && c->pages[2].house && c->pages[3].house);
    assert_int_equal(c->house_pages, 3);
    assert_int_equal(c->messages_placed, 1);
    assert_null(c->pages[0].section);
    /* every draw within the trim; runs have glyphs; the lead's image is drawn */
    int images = 0;
    for (size_t p = 0; p < c->n_pages; p++)
        for (size_t i = 0; i < c->pages[p].n_draws; i++) {
            const rt_draw *d = &c->pages[p].draws[i];
            assert_true(d->x >= 0 && d->x <= c->width);
            assert_true(d->y >= 0 && d->y <= c->height);
            if (d->kind == RT_DRAW_RUN)
                assert_true(d->run->n_glyphs > 0);
            images += d->kind == RT_DRAW_IMAGE;
        }
    assert_int_equal(images, 1);
    rt_composition_free(c);
}

static void test_marks_variant(void **state) {
    (void)state;
    rt_compose_ctx ctx = {.shaper = shaper, .fonts = fonts, .marks = true};
    rt_composition *c = rt_compose(ed, docs, mdocs, &ctx, &diag);
    assert_true(c->offset > 0);
    /* the slug line sits below the trim, outside the bleed */
    bool slug = false;
    for (size_t i = 0; i < c->pages[0].n_draws; i++) {
        const rt_draw *d = &c->pages[0].draws[i];
        if (d->kind == RT_DRAW_RUN && d->y > c->height + c->bleed)
            slug = true;
    }
    assert_true(slug);
    rt_composition_free(c);
}

static void test_missing_font_is_an_error(void **state) {
    (void)state;
    char *saved = ed->layout->styles[RT_ST_CAPTION].font;
    ed->layout->styles[RT_ST_CAPTION].font = "Helvetica";
    char buf[1024] = {0};
    FILE *f = fmemopen(buf, sizeof buf, "w");
    rt_diag d;
    rt_diag_init(&d, f);
    assert_false(rt_compose_check_fonts(ed->layout, fonts, &d));
    fclose(f);
    ed->layout->styles[RT_ST_CAPTION].font = saved;
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(buf, "style 'caption': font 'Helvetica' is not in the fonts folder"));
}

/* Measure, then place: a block head is measured without a page, then drawn
 * from that geometry; everything drawn lies inside the rows it measured,
 * and measuring twice gives the same geometry. */
static void test_measure_then_draw(void **state) {
    (void)state;
    rt_compose_ctx ctx = {.shaper = shaper, .fonts = fonts};
    rt_composition out = {0};
    composer c;
    cmp_init(&c, ed, &ctx, &diag, &out);
    const rt_article *a = ed->entries[0].article;
    for (int span = 1; span <= ed->layout->columns; span++) {
        cmp_head_opts o = {.span = span, .page_rows = c.rows};
        cmp_block_head bh, again;
        cmp_measure_block_head(&c, a, &o, &bh);
        cmp_measure_block_head(&c, a, &o, &again);
        assert_true(bh.head.rows > 0);
        assert_int_equal(bh.head.rows, again.head.rows);
        for (int i = 0; i < span; i++) {
            assert_int_equal(bh.col_top[i], again.col_top[i]);
            assert_true(bh.col_top[i] >= bh.head.rows);
        }
        cmp_block_head_free(&again);
        rt_page pg = {.number = 2};
        cmp_draw_block_head(&c, &pg, a, &bh, 10, 0);
        assert_true(pg.n_draws > 0);
        int deepest = 0;
        for (int i = 0; i < span; i++)
            if (bh.col_top[i] > deepest)
                deepest = bh.col_top[i];
        double top = cmp_row_top(&c, 10), bottom = cmp_row_top(&c, 10 + deepest);
        double right = cmp_col_x(&c, &pg, 0) + cmp_span_w(&c, span) + 0.01;
        for (size_t k = 0; k < pg.n_draws; k++) {
            const rt_draw *d = &pg.draws[k];
            assert_true(d->y >= top && d->y <= bottom);
            assert_true(d->x >= cmp_col_x(&c, &pg, 0) - 1 && d->x <= right);
        }
        free(pg.draws);
        cmp_block_head_free(&bh);
    }
    cmp_done(&c);
    for (size_t i = 0; i < out.n_runs; i++)
        rt_run_free(out.runs[i]);
    free(out.runs);
}

/* A tall photo keeps its shape: fewer columns than the block, about its
 * own proportions, the text beside it; a wide one spans the block. */
static void test_portrait_photo(void **state) {
    (void)state;
    rt_compose_ctx ctx = {.shaper = shaper, .fonts = fonts};
    rt_composition out = {0};
    composer c;
    cmp_init(&c, ed, &ctx, &diag, &out);
    rt_image tall = {
        .file = "tall.png", .width_px = 800, .height_px = 1200, .focus_x = 0.5, .focus_y = 0.5};
    rt_image wide = {
        .file = "wide.png", .width_px = 1800, .height_px = 1200, .focus_x = 0.5, .focus_y = 0.5};
    rt_article a = {.path = "x.md",
                    .title = "Une photo debout",
                    .lang = RT_LANG_FR,
                    .images = &tall,
                    .n_images = 1};
    cmp_head_opts o = {.span = 3, .page_rows = c.rows};
    cmp_block_head bh;
    cmp_measure_block_head(&c, &a, &o, &bh);
    assert_true(bh.figs[0].rows > 0);
    assert_true(bh.figs[0].w < cmp_span_w(&c, 3) - 1); /* narrower than the block */
    double ratio = bh.figs[0].h / bh.figs[0].w;
    assert_true(ratio > 1.5 * 6 / 7 && ratio < 1.5 * 8 / 7); /* about its shape */
    assert_true(bh.col_top[2] < bh.col_top[0]);              /* text beside it */
    cmp_block_head_free(&bh);
    a.images = &wide;
    cmp_measure_block_head(&c, &a, &o, &bh);
    assert_true(bh.figs[0].w > cmp_span_w(&c, 3) - 1); /* a wide photo spans the block */
    cmp_block_head_free(&bh);
    cmp_done(&c);
    for (size_t i = 0; i < out.n_runs; i++)
        rt_run_free(out.runs[i]);
    free(out.runs);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_and_placement),      cmocka_unit_test(test_measure_then_draw),
        cmocka_unit_test(test_portrait_photo),           cmocka_unit_test(test_marks_variant),
        cmocka_unit_test(test_missing_font_is_an_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
