/* Unit tests: break (Knuth-Plass total fit). Synthetic paragraphs of boxes
 * and glue, so the expected breaks can be worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "compose/break/break.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    rt_item items[512];
    size_t n;
} builder;

static void box(builder *b, double w) {
    b->items[b->n++] =
        (rt_item){RT_ITEM_BOX, w, 0, 0, 0, false, NULL, 0, 0, NULL, NULL, 0, 0, false, false};
}
static void glue(builder *b) {
    b->items[b->n++] =
        (rt_item){RT_ITEM_GLUE, 3, 1.5, 1, 0, false, NULL, 0, 0, NULL, NULL, 0, 0, false, false};
}
static void finish(builder *b) {
    b->items[b->n++] =
        (rt_item){RT_ITEM_PENALTY, 0,    0, 0, RT_INF_PENALTY, false, NULL, 0, 0, NULL, NULL, 0, 0,
                  false,           false};
    b->items[b->n++] =
        (rt_item){RT_ITEM_GLUE, 0, 1e6, 0, 0, false, NULL, 0, 0, NULL, NULL, 0, 0, false, false};
    b->items[b->n++] =
        (rt_item){RT_ITEM_PENALTY, 0,    0, 0, -RT_INF_PENALTY, false, NULL, 0, 0, NULL, NULL, 0, 0,
                  false,           false};
}

static rt_para para_of(builder *b) {
    return (rt_para){b->items, b->n, RT_PALIGN_JUSTIFY, 0};
}

static void test_every_line_fits(void **state) {
    (void)state;
    builder b = {0};
    srand(7);
    for (int i = 0; i < 80; i++) {
        if (i)
            glue(&b);
        box(&b, 8 + rand() % 25);
    }
    finish(&b);
    rt_para p = para_of(&b);
    double w = 140;
    rt_lines ls;
    assert_true(rt_break_para(&p, &w, 1, NULL, &ls));
    assert_true(ls.n > 5);
    for (size_t i = 0; i < ls.n; i++) {
        assert_false(ls.lines[i].overfull);
        assert_true(ls.lines[i].natural <= w + ls.lines[i].width); /* sanity */
        if (!ls.lines[i].last) {
            assert_true(ls.lines[i].ratio >= -1.0);
            assert_true(ls.lines[i].ratio <= 4.0);
        }
    }
    assert_true(ls.lines[ls.n - 1].last);
    /* lines cover every box exactly once, in order */
    size_t boxes = 0;
    for (size_t i = 0; i < ls.n; i++)
        for (size_t k = ls.lines[i].start; k < ls.lines[i].end; k++)
            boxes += p.items[k].kind == RT_ITEM_BOX;
    assert_int_equal(boxes, 80);
    rt_lines_free(&ls);
}

/* Total fit beats first fit: greedy would fill line 1 and leave line 2 very
 * loose; the optimum spreads the words evenly. */
static void test_total_fit_balances(void **state) {
    (void)state;
    builder b = {0};
    double words[] = {20, 20, 20, 20, 20, 20, 20};
    for (size_t i = 0; i < 7; i++) {
        if (i)
            glue(&b);
        box(&b, words[i]);
    }
    finish(&b);
    rt_para p = para_of(&b);
    double w = 70; /* 3 words = 66 natural; 2 words = 43 */
    rt_lines ls;
    assert_true(rt_break_para(&p, &w, 1, NULL, &ls));
    assert_int_equal(ls.n, 3);
    for (size_t i = 0; i + 1 < ls.n; i++)
        assert_true(fabs(ls.lines[i].ratio) <= 1.5);
    rt_lines_free(&ls);
}

static void test_emergency_overfull(void **state) {
    (void)state;
    builder b = {0};
    box(&b, 20);
    glue(&b);
    box(&b, 300); /* wider than the measure: nothing else can be done */
    glue(&b);
    box(&b, 20);
    finish(&b);
    rt_para p = para_of(&b);
    double w = 100;
    rt_lines ls;
    assert_true(rt_break_para(&p, &w, 1, NULL, &ls));
    assert_int_equal(ls.pass, 3);
    int over = 0;
    for (size_t i = 0; i < ls.n; i++)
        over += ls.lines[i].overfull;
    assert_int_equal(over, 1);
    rt_lines_free(&ls);
}

static void test_consecutive_hyphens_avoided(void **state) {
    (void)state;
    /* words that could each be hyphenated; check no more than 2 hyphenated
     * lines in a row */
    builder b = {0};
    for (int i = 0; i < 60; i++) {
        if (i)
            glue(&b);
        box(&b, 14);
        b.items[b.n++] = (rt_item){
            RT_ITEM_PENALTY, 3, 0, 0, 50, true, NULL, 0, 0, NULL, NULL, 0, 0, false, false};
        box(&b, 12);
    }
    finish(&b);
    rt_para p = para_of(&b);
    double w = 95;
    rt_lines ls;
    assert_true(rt_break_para(&p, &w, 1, NULL, &ls));
    int run = 0, worst = 0;
    for (size_t i = 0; i < ls.n; i++) {
        const rt_item *e = &p.items[ls.lines[i].end];
        run = (e->kind == RT_ITEM_PENALTY && e->flagged) ? run + 1 : 0;
        if (run > worst)
            worst = run;
    }
    assert_true(worst <= 2);
    rt_lines_free(&ls);
}

static void test_widths_per_line(void **state) {
    (void)state;
    builder b = {0};
    for (int i = 0; i < 30; i++) {
        if (i)
            glue(&b);
        box(&b, 15);
    }
    finish(&b);
    rt_para p = para_of(&b);
    double ws[2] = {60, 120};
    rt_lines ls;
    assert_true(rt_break_para(&p, ws, 2, NULL, &ls));
    assert_true(ls.lines[0].width == 60);
    assert_true(ls.lines[1].width == 120);
    assert_true(ls.lines[0].natural <= 66);
    rt_lines_free(&ls);
}

/* Under rules: as many lines as asked, none of the listed ones ending at a
 * hyphen (a column's foot), or false when that cannot be done. */
static void test_rules_no_hyphen_at_listed_lines(void **state) {
    (void)state;
    builder b = {0};
    srand(11);
    for (int i = 0; i < 60; i++) {
        if (i)
            glue(&b);
        box(&b, 8 + rand() % 10);
        b.items[b.n++] = (rt_item){
            RT_ITEM_PENALTY, 3, 0, 0, 50, true, NULL, 0, 0, NULL, NULL, 0, 0, false, false};
        box(&b, 6 + rand() % 8);
    }
    finish(&b);
    rt_para p = para_of(&b);
    double w = 130;
    rt_lines free_ls, ls;
    assert_true(rt_break_para(&p, &w, 1, NULL, &free_ls));
    size_t listed[8], n_listed = 0;
    for (size_t i = 0; i + 1 < free_ls.n && n_listed < 2; i++) {
        const rt_item *e = &p.items[free_ls.lines[i].end];
        if (e->kind == RT_ITEM_PENALTY && e->flagged)
            listed[n_listed++] = i;
    }
    assert_true(n_listed > 0); /* the free breaking hyphenates somewhere */
    rt_break_rules rules = {.n_lines = free_ls.n, .no_hyphen = listed, .n_no_hyphen = n_listed};
    assert_true(rt_break_para_ruled(&p, &w, 1, NULL, &rules, &ls));
    assert_int_equal(ls.n, free_ls.n);
    for (size_t k = 0; k < n_listed; k++) {
        const rt_item *e = &p.items[ls.lines[listed[k]].end];
        assert_false(e->kind == RT_ITEM_PENALTY && e->flagged);
    }
    for (size_t i = 0; i + 1 < ls.n; i++)
        assert_true(ls.lines[i].ratio >= -1.0 && ls.lines[i].ratio <= 2.0);
    rt_lines_free(&ls);
    /* one line fewer than the text needs: refused, nothing returned */
    rules.n_lines = 2;
    assert_false(rt_break_para_ruled(&p, &w, 1, NULL, &rules, &ls));
    assert_int_equal(ls.n, 0);
    rt_lines_free(&free_ls);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_line_fits),
        cmocka_unit_test(test_total_fit_balances),
        cmocka_unit_test(test_emergency_overfull),
        cmocka_unit_test(test_consecutive_hyphens_avoided),
        cmocka_unit_test(test_widths_per_line),
        cmocka_unit_test(test_rules_no_hyphen_at_listed_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
