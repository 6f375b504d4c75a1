/* parse: Markdown (GitHub Flavored Markdown, via cmark-gfm) -> a flat list
 * of text blocks.
 *
 * Only this stage includes <cmark-gfm.h>. The output is deliberately flat:
 * the composer needs paragraphs with a kind, not a tree. A GFM table is one
 * block holding its cells; footnotes become numbered note blocks at the end
 * of the document, their references spans marked RT_SPAN_NOTE.
 *
 * Ownership: rt_doc_free() frees the doc, its blocks, tables, spans and
 * strings.
 */
#ifndef RT_PARSE_H
#define RT_PARSE_H

#include "../base/base.h"

enum {
    RT_SPAN_EM = 1,      /* *emphasis* -> italic */
    RT_SPAN_STRONG = 2,  /* **strong** -> bold */
    RT_SPAN_CODE = 4,    /* `code` (printed as plain text) */
    RT_SPAN_LINK = 8,    /* link text; `url` is set */
    RT_SPAN_STRIKE = 16, /* ~~strikethrough~~ -> struck through */
    RT_SPAN_NOTE = 32,   /* a footnote reference: the text is the note's number */
};

typedef struct {
    char *text;     /* UTF-8, never NULL; soft breaks are already spaces */
    unsigned flags; /* RT_SPAN_* */
    char *url;      /* for RT_SPAN_LINK, else NULL */
} rt_span;

typedef enum {
    RT_BLOCK_PARA,      /* ordinary paragraph */
    RT_BLOCK_SUBHEAD,   /* heading (any level; `##` in articles) */
    RT_BLOCK_QUOTE,     /* paragraph inside a block quote */
    RT_BLOCK_ITEM,      /* first paragraph of a list item (`marker` set) */
    RT_BLOCK_ITEM_CONT, /* further paragraph of a list item */
    RT_BLOCK_TABLE,     /* a GFM table: `table` is set, `spans` is empty */
    RT_BLOCK_NOTE,      /* a paragraph of a footnote (the notes come last, in the order of
                           their numbers); the first paragraph of a note has `marker` "1", "2"... */
} rt_block_kind;

/* Column alignment from the delimiter row: `---` none, `:--` left, `:-:`
 * center, `--:` right. */
typedef enum { RT_TALIGN_NONE, RT_TALIGN_LEFT, RT_TALIGN_CENTER, RT_TALIGN_RIGHT } rt_talign;

typedef struct {
    rt_span *spans; /* like a block's; a cell may be empty (n_spans 0) */
    size_t n_spans;
} rt_cell;

typedef struct {
    int n_cols;
    rt_talign *align; /* per column */
    size_t n_rows;    /* row 0 is the header row */
    rt_cell *cells;   /* n_rows * n_cols, row by row (missing cells are empty) */
    int *row_line;    /* source line of each row */
} rt_table;

typedef struct {
    rt_block_kind kind;
    rt_span *spans;
    size_t n_spans;
    char *marker;    /* list items: "•" or "3." ; else NULL */
    int depth;       /* list nesting depth, 1 for a top-level item; 0 otherwise */
    int line, col;   /* position in the source file (1-based) */
    rt_table *table; /* RT_BLOCK_TABLE */
} rt_block;

typedef struct {
    rt_block *blocks;
    size_t n_blocks;
} rt_doc;

/* What a caller allows. Supporter messages allow paragraphs and emphasis
 * only; anything else is reported as an error at its position. */
typedef enum { RT_MD_ARTICLE, RT_MD_MESSAGE } rt_md_profile;

/* Parses `text` (UTF-8) that starts at line `first_line` of `path`.
 * Articles get the GFM extensions table, strikethrough, autolink and
 * footnotes; messages are parsed with the same parser (tables and
 * strikethrough recognised, to be refused) but without autolinks, so that an
 * address in a supporter's text stays text.
 * Constructs the profile does not allow (and raw HTML, images, code blocks,
 * thematic breaks, which no profile prints; a footnote reference with no
 * definition) are reported to `d` with their position. Always returns a doc
 * (possibly empty). */
rt_doc *rt_markdown_parse(const char *text, size_t len, const char *path, int first_line,
                          rt_md_profile profile, rt_diag *d);
/* The same for text whose every line is indented by `indent` columns in
 * its file (a supporter message's `text: |` block): added to columns.
 * A character that rt_char_problem() refuses, written raw or as a
 * character reference (&#27;), is reported at its own line and column. */
rt_doc *rt_markdown_parse_at(const char *text, size_t len, const char *path, int first_line,
                             int indent, rt_md_profile profile, rt_diag *d);
void rt_doc_free(rt_doc *doc);

/* Calls fn on every span of a block, the cells of a table row by row.
 * Word counts and tests read the text through it. */
void rt_block_each_span(const rt_block *b, void (*fn)(const rt_span *sp, void *arg), void *arg);

#endif
