/* compose: a GFM table in an article's body (table.c). A table is
 * measured (column widths, typeset cells, rows on the grid) without being
 * drawn, then drawn from that geometry. One that fits a column flows like
 * text, a row never split, its header row repeated at the top of each
 * column it continues in; one that needs more lies across the whole block
 * (rt_flow_el.span_all), measured again for each block width (cached).
 * block.c puts its rows in the article's flow.
 *
 * Ownership: cmp_table_free() frees the table and every geometry measured;
 * the table points to the parsed block (the doc must outlive it).
 */
#ifndef RT_COMPOSE_TABLE_H
#define RT_COMPOSE_TABLE_H

#include "text.h"
#include "fill/fill.h"

typedef struct cmp_table cmp_table;

/* Measures the table of block b; NULL (reported at its line) when it is too
 * wide for the widest block. */
cmp_table *cmp_table_measure(composer *c, const rt_article *a, const rt_block *b);
size_t cmp_table_rows(const cmp_table *t);
/* The columns a block needs for it (1: it fits a column). */
int cmp_table_min_span(const cmp_table *t);
/* The flow element of row r (0: the header) in a block of `span` columns:
 * its rows, the header's rows repeated above it, across the block or not
 * (a block too narrow: rows no column can hold). */
rt_flow_el cmp_table_el(composer *c, cmp_table *t, size_t r, int span);
/* Draws row r placed at pos (its header repeated above it when pos->head)
 * in a block of `span` columns whose left edge (or column's) is x. */
void cmp_table_draw_row(composer *c, rt_page *pg, cmp_table *t, size_t r, int span,
                        const rt_flow_pos *pos, double x);
void cmp_table_free(cmp_table *t);

#endif
