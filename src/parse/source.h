/* parse: positions in the Markdown source, to report a character where it is
 * written (private to parse). cmark gives a block's first and last line and
 * column (in bytes); the characters inside are found again in the source.
 *
 * Ownership: an md_source only points into the caller's text. */
#ifndef RT_PARSE_SOURCE_H
#define RT_PARSE_SOURCE_H

#include "../base/base.h"

typedef struct {
    const char *src; /* the Markdown text */
    size_t len;
    int line0, col0;           /* added to lines and columns (where the text is in its file) */
    size_t start, end, cursor; /* the current block's bytes; how far characters were found */
} md_source;

/* Sets the current block from cmark's start and end (1-based, columns in
 * bytes, the end inclusive); the search starts at its first byte. */
void md_block(md_source *s, int line0, int col0, int line1, int col1);
/* Where code point cp is next in the current block, from the cursor:
 * written raw or as a numeric character reference (&#...; decoded as
 * cmark does). Fills the file's line and column (in characters) and
 * whether it was a reference, and moves the cursor past it; false if it is
 * not there. */
bool md_locate(md_source *s, unsigned cp, int *line, int *col, bool *as_ref);

#endif
