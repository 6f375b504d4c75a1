/* Unit tests: fill (column filling on the grid). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "compose/fill/fill.h"

static rt_flow_el line(int para, int i, int n) {
    return (rt_flow_el){1, false, false, para, i, n, 0, false};
}

static void test_all_fit_in_order(void **state) {
    (void)state;
    rt_flow_el els[6];
    for (int i = 0; i < 6; i++)
        els[i] = line(0, i, 6);
    rt_col cols[2] = {{0, 10}, {0, 10}};
    rt_flow_pos pos[6];
    rt_fill_opts o = {2};
    assert_int_equal(rt_fill(els, 6, 0, cols, 2, &o, pos, NULL), 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(pos[i].col, 0);
        assert_int_equal(pos[i].row, i);
    }
}

static void test_widow_moves_a_line_over(void **state) {
    (void)state;
    /* 5 lines, column of 4: 4+1 would leave a widow; 3+2 it must be */
    rt_flow_el els[5];
    for (int i = 0; i < 5; i++)
        els[i] = line(0, i, 5);
    rt_col cols[2] = {{0, 4}, {0, 10}};
    rt_flow_pos pos[5];
    rt_fill_opts o = {2};
    assert_int_equal(rt_fill(els, 5, 0, cols, 2, &o, pos, NULL), 5);
    assert_int_equal(pos[2].col, 0);
    assert_int_equal(pos[3].col, 1);
    assert_int_equal(pos[3].row, 0);
}

static void test_orphan_moves_paragraph_start(void **state) {
    (void)state;
    /* para A: 3 lines, para B: 4 lines; column of 4 rows: B's first line
     * alone at the foot would be an orphan */
    rt_flow_el els[7];
    for (int i = 0; i < 3; i++)
        els[i] = line(0, i, 3);
    for (int i = 0; i < 4; i++)
        els[3 + i] = line(1, i, 4);
    rt_col cols[2] = {{0, 4}, {0, 10}};
    rt_flow_pos pos[7];
    rt_fill_opts o = {2};
    assert_int_equal(rt_fill(els, 7, 0, cols, 2, &o, pos, NULL), 7);
    assert_int_equal(pos[3].col, 1);
    assert_int_equal(pos[3].row, 0);
}

static void test_short_paragraph_moves_whole(void **state) {
    (void)state;
    /* para A: 2 lines, para B: 3 lines; a column of 4 rows would split B 2/1
     * (a widow) and 3 lines cannot split 2/2: B moves whole */
    rt_flow_el els[5] = {line(0, 0, 2), line(0, 1, 2), line(1, 0, 3), line(1, 1, 3), line(1, 2, 3)};
    rt_col cols[2] = {{0, 4}, {0, 10}};
    rt_flow_pos pos[5];
    rt_fill_opts o = {2};
    assert_int_equal(rt_fill(els, 5, 0, cols, 2, &o, pos, NULL), 5);
    assert_int_equal(pos[2].col, 1);
    assert_int_equal(pos[2].row, 0);
}

static void test_sliver_left_empty(void **state) {
    (void)state;
    /* one row left under an image: a lone first line would be an orphan */
    rt_flow_el els[4] = {line(0, 0, 4), line(0, 1, 4), line(0, 2, 4), line(0, 3, 4)};
    rt_col cols[2] = {{9, 10}, {0, 10}};
    rt_flow_pos pos[4];
    rt_fill_opts o = {2};
    int used[2];
    assert_int_equal(rt_fill(els, 4, 0, cols, 2, &o, pos, used), 4);
    assert_int_equal(pos[0].col, 1);
    assert_int_equal(used[0], 9);
}

static void test_keep_with_next_and_space_at_top(void **state) {
    (void)state;
    rt_flow_el els[6] = {line(0, 0, 2),
                         line(0, 1, 2),
                         {1, true, false, -1, 0, 0, 0, false},
                         {1, false, true, 1, 0, 1, 0, false},
                         line(2, 0, 2),
                         line(2, 1, 2)};
    rt_col cols[2] = {{0, 4}, {0, 10}};
    rt_flow_pos pos[6];
    rt_fill_opts o = {2};
    assert_int_equal(rt_fill(els, 6, 0, cols, 2, &o, pos, NULL), 6);
    /* the subhead (3) may not end column 0 -> goes to column 1 with its text */
    assert_int_equal(pos[3].col, 1);
    assert_int_equal(pos[3].row, 0);
}

static void test_stops_when_full(void **state) {
    (void)state;
    rt_flow_el els[10];
    for (int i = 0; i < 10; i++)
        els[i] = line(i, 0, 1);
    rt_col cols[2] = {{0, 3}, {5, 8}};
    rt_flow_pos pos[10];
    int used[2];
    assert_int_equal(rt_fill(els, 10, 0, cols, 2, NULL, pos, used), 6);
    assert_int_equal(used[0], 3);
    assert_int_equal(used[1], 8);
    assert_int_equal(pos[3].row, 5);
}

static void test_balanced(void **state) {
    (void)state;
    rt_flow_el els[10];
    for (int i = 0; i < 10; i++)
        els[i] = line(i, 0, 1);
    rt_col cols[2] = {{2, 40}, {2, 40}};
    rt_flow_pos pos[10];
    assert_int_equal(rt_fill_balanced(els, 10, 0, cols, 2, NULL, pos), 7);
    assert_int_equal(pos[5].col, 1);
    rt_col tiny[1] = {{0, 3}};
    assert_int_equal(rt_fill_balanced(els, 10, 0, tiny, 1, NULL, pos), -1);
}

/* A table across the columns with a subhead before it: the text above is
 * balanced, then the subhead's space, the subhead and the table; with
 * nothing above, the space is dropped. */
static void test_subhead_over_a_wide_table(void **state) {
    (void)state;
    rt_flow_el els[9];
    for (int i = 0; i < 4; i++)
        els[i] = line(0, i, 4);
    els[4] = (rt_flow_el){1, true, false, -1, 0, 0, 0, false}; /* the space */
    els[5] = (rt_flow_el){1, false, true, -1, 0, 0, 0, false}; /* the subhead */
    els[6] = (rt_flow_el){2, false, true, -1, 0, 0, 0, true};  /* the table's rows */
    els[7] = (rt_flow_el){1, false, false, -1, 0, 0, 0, true};
    els[8] = line(1, 0, 1);
    rt_col cols[2] = {{0, 20}, {0, 20}};
    rt_flow_pos pos[9];
    rt_fill_opts o = {2};
    assert_int_equal(rt_fill(els, 9, 0, cols, 2, &o, pos, NULL), 9);
    assert_int_equal(pos[3].col, 1); /* 2 + 2 lines */
    assert_int_equal(pos[3].row, 1);
    assert_int_equal(pos[4].col, 0); /* the space under the text */
    assert_int_equal(pos[4].row, 2);
    assert_int_equal(pos[5].row, 3); /* the subhead a row below the text */
    assert_int_equal(pos[6].row, 4);
    assert_int_equal(pos[7].row, 6);
    assert_int_equal(pos[8].row, 7); /* the text after, under the table */
    /* the same from the space on: nothing above, no space at the top */
    assert_int_equal(rt_fill(els, 9, 4, cols, 2, &o, pos, NULL), 9);
    assert_int_equal(pos[4].col, -1);
    assert_int_equal(pos[5].row, 0);
    assert_int_equal(pos[6].row, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_fit_in_order),
        cmocka_unit_test(test_widow_moves_a_line_over),
        cmocka_unit_test(test_orphan_moves_paragraph_start),
        cmocka_unit_test(test_short_paragraph_moves_whole),
        cmocka_unit_test(test_sliver_left_empty),
        cmocka_unit_test(test_keep_with_next_and_space_at_top),
        cmocka_unit_test(test_stops_when_full),
        cmocka_unit_test(test_balanced),
        cmocka_unit_test(test_subhead_over_a_wide_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
