/* parse: GitHub Flavored Markdown via cmark-gfm -> flat rt_doc.
 *
 * Longer than 600 lines: one walk of cmark-gfm's tree, whose state (the
 * block being filled, its source lines, the positions cmark-gfm leaves out)
 * every kind of node reads and writes; split, that state would be a header
 * shared by all the parts. */
#include "parse.h"
#include "source.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLE_COLS 64 /* a wider "table" is a mistake, not a table */

/* The spans being filled: a block's or a table cell's. */
typedef struct {
    rt_span **spans;
    size_t *n, *cap;
} span_list;

typedef struct {
    rt_doc *doc;
    size_t cap;
    const char *path;
    const char *src; /* the Markdown source, for the escape checks */
    size_t src_len;
    int line0;    /* added to cmark's 1-based lines */
    int col0;     /* added to every column (the text's indentation in its file) */
    md_source at; /* the same source, to locate characters in the current block */
    rt_md_profile profile;
    rt_diag *d;
    /* the block being filled */
    rt_block *cur;
    size_t span_cap;
    span_list out;                     /* where inline text goes */
    int blk_l0, blk_l1;                /* source lines (cmark's) of the block being read */
    int notes;                         /* footnote definitions seen */
    unsigned reported;                 /* literal-markup sequences already reported in this block */
    size_t blk_start, blk_end, cursor; /* the block's bytes; where characters were found */
} walker;

static bool is_type(cmark_node *n, const char *name) {
    const char *t = cmark_node_get_type_string(n);
    return t && strcmp(t, name) == 0;
}

static bool is_table_row(cmark_node *n) {
    return is_type(n, "table_row") || is_type(n, "table_header");
}

static const char *node_what(cmark_node *n) {
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_BLOCK_QUOTE:
        return "a block quote";
    case CMARK_NODE_LIST:
        return "a list";
    case CMARK_NODE_CODE_BLOCK:
        return "a code block";
    case CMARK_NODE_HTML_BLOCK:
        return "raw HTML";
    case CMARK_NODE_HEADING:
        return "a heading";
    case CMARK_NODE_THEMATIC_BREAK:
        return "a horizontal rule";
    case CMARK_NODE_CODE:
        return "inline code";
    case CMARK_NODE_HTML_INLINE:
        return "raw HTML";
    case CMARK_NODE_LINK:
        return "a link";
    case CMARK_NODE_IMAGE:
        return "an image";
    case CMARK_NODE_STRONG:
        return "strong emphasis";
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        return "a footnote reference";
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        return "a footnote";
    default:
        if (is_type(n, "table"))
            return "a table";
        if (is_type(n, "strikethrough"))
            return "strikethrough";
        return "this construct";
    }
}

/* The line (cmark's numbering) of a table's header row. A table that
 * interrupts a paragraph gets the paragraph's first line from cmark-gfm, and
 * the paragraph none: the header is then the line before the delimiter row,
 * which is the line before the first body row (or the table's last line). */
static int table_line(cmark_node *n) {
    int line = cmark_node_get_start_line(n);
    cmark_node *prev = cmark_node_previous(n);
    if (!prev || cmark_node_get_type(prev) != CMARK_NODE_PARAGRAPH ||
        cmark_node_get_start_line(prev) > 0)
        return line;
    cmark_node *head = cmark_node_first_child(n);
    while (head && !is_table_row(head))
        head = cmark_node_next(head);
    cmark_node *body = head ? cmark_node_next(head) : NULL;
    while (body && !is_table_row(body))
        body = cmark_node_next(body);
    int at = body ? cmark_node_get_start_line(body) - 2 : cmark_node_get_end_line(n) - 1;
    return at > line ? at : line;
}

static int node_line(walker *w, cmark_node *n) {
    int line = is_type(n, "table") ? table_line(n) : cmark_node_get_start_line(n);
    if (line > 0)
        return line + w->line0;
    return w->cur ? w->cur->line : w->blk_l0 > 0 ? w->blk_l0 + w->line0 : 0;
}

static int node_col(walker *w, cmark_node *n) {
    int line = cmark_node_get_start_line(n);
    if (line > 0)
        return cmark_node_get_start_column(n) + w->col0;
    return w->cur ? w->cur->col : 0;
}

static void reject(walker *w, cmark_node *n, const char *why) {
    rt_error(w->d, w->path, node_line(w, n), node_col(w, n), "%s %s", node_what(n), why);
}

/* Character references (&#27;) can make characters the loaders refuse in
 * the file itself (rt_char_problem: controls, bidirectional overrides,
 * noncharacters): each is reported where it is written. `where` says what
 * the text is ("the text", "a link's address").
 *
 * cmark-gfm writes &#65534; and &#65535; as the single bytes 0xFE and 0xFF
 * (its encoder's special case), not as UTF-8: those are the noncharacters
 * U+FFFE and U+FFFF here, reported like the others, so that no invalid
 * UTF-8 reaches the composition (whose decoder would read past the text). */
static void check_chars(walker *w, cmark_node *n, const char *t, const char *where) {
    for (const char *p = t; *p;) {
        unsigned cp;
        unsigned char b = (unsigned char)*p;
        int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        int have = 1;
        while (have < need && ((unsigned char)p[have] & 0xC0) == 0x80)
            have++;
        if (b == 0xFE || b == 0xFF) {
            cp = b == 0xFE ? 0xFFFEu : 0xFFFFu;
            p++;
        } else if (have < need || (b >= 0x80 && b < 0xC0) || b > 0xF4) {
            /* any other invalid byte (callers check the file's UTF-8
             * before, cmark writes none): refused, never read past */
            rt_error(w->d, w->path, node_line(w, n), node_col(w, n),
                     "invalid UTF-8 (byte 0x%02X) in %s", b, where);
            p++;
            continue;
        } else {
            p += rt_utf8_decode(p, &cp);
        }
        const char *why = NULL, *what = rt_char_problem(cp, &why);
        if (!what)
            continue;
        int line = 0, col = 0;
        bool as_ref = false;
        if (!md_locate(&w->at, cp, &line, &col, &as_ref)) {
            line = node_line(w, n);
            col = node_col(w, n);
        }
        rt_buf note = {0};
        if (as_ref)
            rt_buf_adds(&note, "written as a character reference");
        if (why)
            rt_buf_addf(&note, "%s%s", note.len ? "; " : "", why);
        rt_error(w->d, w->path, line, col, "%s U+%04X in %s%s%s%s", what, cp, where,
                 note.len ? " (" : "", note.len ? note.data : "", note.len ? ")" : "");
        rt_buf_free(&note);
    }
}

/* ------------------------------------------------ markup printed as text */

/* The source of line `line` (cmark's numbering, 1-based): start and length. */
static bool source_line(const walker *w, int line, const char **s, size_t *len) {
    const char *p = w->src, *end = w->src + w->src_len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return false;
        p = nl + 1;
    }
    if (p >= end && line > 1)
        return false;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *s = p;
    *len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    return true;
}

/* The first occurrence of `seq` in the block's source lines that is not
 * escaped (no backslash before it): its line and column. False if every
 * occurrence is escaped (the writer wants the characters printed). */
static bool unescaped_in_block(const walker *w, const char *seq, int *line, int *col) {
    size_t sl = strlen(seq);
    for (int l = w->blk_l0; l <= w->blk_l1; l++) {
        const char *s;
        size_t len;
        if (!source_line(w, l, &s, &len))
            break;
        for (size_t i = 0; i + sl <= len; i++) {
            if (memcmp(s + i, seq, sl) != 0)
                continue;
            size_t bs = 0; /* backslashes right before it: an odd count escapes it */
            while (bs < i && s[i - 1 - bs] == '\\')
                bs++;
            if (bs % 2 == 0) {
                *line = l + w->line0;
                *col = (int)i + 1 + w->col0;
                return true;
            }
        }
    }
    return false;
}

/* Markup that cmark-gfm left as text because it does not close or has no
 * target (`**` never closed, `[^x]` with no definition...) would print as
 * literal markup characters: an error at its place in the source, unless
 * the writer escaped it there. */
static void check_literal_markup(walker *w, const char *t) {
    static const struct {
        const char *seq, *what;
    } marks[] = {
        {"**", "'**' that opens no strong emphasis (is it closed?)"},
        {"__", "'__' that opens no strong emphasis (is it closed?)"},
        {"~~", "'~~' that opens no strikethrough (is it closed?)"},
        {"`", "a backtick that opens no inline code (is it closed?)"},
    };
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++) {
        if (!strstr(t, marks[k].seq) || (w->reported & (1u << k)))
            continue;
        int line, col;
        if (unescaped_in_block(w, marks[k].seq, &line, &col)) {
            w->reported |= 1u << k;
            char esc[16] = {0};
            for (size_t i = 0, j = 0; marks[k].seq[i] && j + 2 < sizeof esc; i++) {
                esc[j++] = '\\';
                esc[j++] = marks[k].seq[i];
            }
            rt_error(w->d, w->path, line, col,
                     "%s would be printed as is; write %s to print the characters", marks[k].what,
                     esc);
        }
    }
    /* footnote references with no definition: [^label] */
    for (const char *p = strstr(t, "[^"); p; p = strstr(p + 2, "[^")) {
        const char *e = p + 2;
        while (*e && *e != ']' && *e != ' ' && *e != '[')
            e++;
        if (*e != ']' || e == p + 2)
            continue;
        char *ref = rt_xstrndup(p, (size_t)(e - p + 1));
        int line, col;
        if (unescaped_in_block(w, ref, &line, &col))
            rt_error(w->d, w->path, line, col,
                     "footnote %s has no definition: add a line '%.*s: text of the note' "
                     "(or write \\%s to print it as is)",
                     ref, (int)(e - p + 1), p, ref);
        free(ref);
    }
}

/* ------------------------------------------------------------ inline text */

static void add_text(walker *w, const char *text, size_t len, unsigned flags, const char *url) {
    if (!w->out.spans || len == 0)
        return;
    rt_span **spans = w->out.spans;
    size_t *n = w->out.n;
    if (*n) {
        rt_span *last = &(*spans)[*n - 1];
        bool same_url = (!last->url && !url) || (last->url && url && strcmp(last->url, url) == 0);
        if (last->flags == flags && same_url) {
            size_t old = strlen(last->text);
            bool notes = flags & RT_SPAN_NOTE; /* two references in a row: "1,2" */
            last->text = rt_xrealloc(last->text, old + len + 2);
            if (notes)
                last->text[old++] = ',';
            memcpy(last->text + old, text, len);
            last->text[old + len] = '\0';
            return;
        }
    }
    rt_span s = {rt_xstrndup(text, len), flags, url ? rt_xstrdup(url) : NULL};
    RT_PUSH(*spans, *n, *w->out.cap, s);
}

static void walk_inlines(walker *w, cmark_node *parent, unsigned flags, const char *url) {
    const char *not_in_message =
        "is not allowed in a supporter message (paragraphs and emphasis only)";
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT: {
            const char *t = cmark_node_get_literal(n);
            check_chars(w, n, t, "the text");
            if (w->profile == RT_MD_ARTICLE)
                check_literal_markup(w, t);
            add_text(w, t, strlen(t), flags, url);
            break;
        }
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            add_text(w, " ", 1, flags, url);
            break;
        case CMARK_NODE_EMPH:
            walk_inlines(w, n, flags | RT_SPAN_EM, url);
            break;
        case CMARK_NODE_STRONG:
            walk_inlines(w, n, flags | RT_SPAN_STRONG, url);
            break;
        case CMARK_NODE_CODE:
            if (w->profile == RT_MD_MESSAGE) {
                reject(w, n, not_in_message);
                break;
            }
            {
                const char *t = cmark_node_get_literal(n);
                check_chars(w, n, t, "the text");
                add_text(w, t, strlen(t), flags | RT_SPAN_CODE, url);
            }
            break;
        case CMARK_NODE_LINK:
            if (w->profile == RT_MD_MESSAGE) {
                reject(w, n, not_in_message);
                break;
            }
            /* the address is printed too (the layout's `links: inline`) */
            check_chars(w, n, cmark_node_get_url(n), "a link's address");
            walk_inlines(w, n, flags | RT_SPAN_LINK, cmark_node_get_url(n));
            break;
        case CMARK_NODE_FOOTNOTE_REFERENCE:
            if (w->profile == RT_MD_MESSAGE) {
                reject(w, n, not_in_message);
                break;
            }
            { /* cmark-gfm numbers the notes in the order of their first reference */
                const char *num = cmark_node_get_literal(n);
                if (num && *num)
                    add_text(w, num, strlen(num), (flags & ~RT_SPAN_LINK) | RT_SPAN_NOTE, NULL);
            }
            break;
        case CMARK_NODE_HTML_INLINE:
            if (w->profile == RT_MD_MESSAGE) {
                /* a supporter's text prints as written: "<b>" stays "<b>" */
                const char *t = cmark_node_get_literal(n);
                check_chars(w, n, t, "the text");
                add_text(w, t, strlen(t), flags, url);
                break;
            }
            reject(w, n, "is not supported (write plain text)");
            break;
        case CMARK_NODE_IMAGE:
            reject(w, n,
                   w->profile == RT_MD_MESSAGE
                       ? "is not allowed in a supporter message (paragraphs and emphasis "
                         "only; a logo goes in 'logo')"
                       : "in the text is not supported (list images in the front matter)");
            break;
        default:
            if (is_type(n, "strikethrough")) {
                if (w->profile == RT_MD_MESSAGE)
                    reject(w, n, not_in_message);
                else
                    walk_inlines(w, n, flags | RT_SPAN_STRIKE, url);
                break;
            }
            reject(w, n, "is not supported here");
            break;
        }
    }
}

/* ----------------------------------------------------------------- blocks */

static void read_block_lines(walker *w, cmark_node *n) {
    w->blk_l0 = cmark_node_get_start_line(n);
    w->blk_l1 = cmark_node_get_end_line(n);
    if (w->blk_l1 < w->blk_l0)
        w->blk_l1 = w->blk_l0;
    w->reported = 0;
    md_block(&w->at, cmark_node_get_start_line(n), cmark_node_get_start_column(n),
             cmark_node_get_end_line(n), cmark_node_get_end_column(n));
}

/* The file position of a node, if cmark-gfm gave it one. */
static bool node_start(const walker *w, cmark_node *m, int *line, int *col) {
    if (cmark_node_get_start_line(m) <= 0 || cmark_node_get_start_column(m) <= 0)
        return false;
    *line = cmark_node_get_start_line(m) + w->line0;
    *col = cmark_node_get_start_column(m) + w->col0;
    return true;
}

/* Where a block starts in the file. cmark-gfm's table extension leaves the
 * paragraph it splits off before a table without a source position (line 0):
 * such a block takes the position of the next positioned node after it, or of
 * its parent, or the first line. */
static void block_start(const walker *w, cmark_node *n, int *line, int *col) {
    for (cmark_node *m = n; m; m = cmark_node_next(m))
        if (node_start(w, m, line, col))
            return;
    for (cmark_node *m = cmark_node_parent(n); m; m = cmark_node_parent(m))
        if (node_start(w, m, line, col))
            return;
    *line = w->line0 + 1;
    *col = w->col0 + 1;
}

static rt_block *new_block(walker *w, rt_block_kind kind, cmark_node *n) {
    rt_block b = {0};
    b.kind = kind;
    block_start(w, n, &b.line, &b.col);
    RT_PUSH(w->doc->blocks, w->doc->n_blocks, w->cap, b);
    w->span_cap = 0;
    rt_block *nb = &w->doc->blocks[w->doc->n_blocks - 1];
    w->out = (span_list){&nb->spans, &nb->n_spans, &w->span_cap};
    read_block_lines(w, n);
    return nb;
}

static void free_spans(rt_span *spans, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(spans[i].text);
        free(spans[i].url);
    }
    free(spans);
}

/* Drops a block that ended up with no visible text. */
static void finish_block(walker *w) {
    rt_block *b = w->cur;
    w->cur = NULL;
    w->out = (span_list){0};
    if (!b)
        return;
    bool empty = true;
    for (size_t i = 0; i < b->n_spans && empty; i++)
        for (const char *p = b->spans[i].text; *p; p++)
            if (*p != ' ') {
                empty = false;
                break;
            }
    if (empty && !b->marker && !b->table) {
        free_spans(b->spans, b->n_spans);
        w->doc->n_blocks--;
    }
}

static void walk_blocks(walker *w, cmark_node *parent, rt_block_kind para_kind, int depth);

static void walk_list(walker *w, cmark_node *list, int depth) {
    bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
    int num = cmark_node_get_list_start(list);
    for (cmark_node *item = cmark_node_first_child(list); item; item = cmark_node_next(item)) {
        bool first = true;
        for (cmark_node *c = cmark_node_first_child(item); c; c = cmark_node_next(c)) {
            cmark_node_type t = cmark_node_get_type(c);
            if (t == CMARK_NODE_PARAGRAPH) {
                w->cur = new_block(w, first ? RT_BLOCK_ITEM : RT_BLOCK_ITEM_CONT, c);
                if (first)
                    w->cur->marker = ordered ? rt_xasprintf("%d.", num) : rt_xstrdup("•");
                w->cur->depth = depth;
                walk_inlines(w, c, 0, NULL);
                finish_block(w);
                first = false;
            } else if (t == CMARK_NODE_LIST) {
                walk_list(w, c, depth + 1);
            } else {
                reject(w, c, "inside a list item is not supported");
            }
        }
        num++;
    }
}

/* A GFM table: one block with its cells. */
static void walk_table(walker *w, cmark_node *n) {
    int n_cols = cmark_gfm_extensions_get_table_columns(n);
    if (n_cols < 1 || n_cols > MAX_TABLE_COLS) {
        rt_error(w->d, w->path, node_line(w, n), node_col(w, n),
                 "a table of %d columns: at most %d are supported", n_cols, MAX_TABLE_COLS);
        return;
    }
    w->cur = new_block(w, RT_BLOCK_TABLE, n);
    rt_table *tb = rt_xcalloc(1, sizeof *tb);
    w->cur->table = tb;
    tb->n_cols = n_cols;
    tb->align = rt_xcalloc((size_t)n_cols, sizeof *tb->align);
    const uint8_t *al = cmark_gfm_extensions_get_table_alignments(n);
    for (int i = 0; al && i < n_cols; i++)
        tb->align[i] = al[i] == 'l'   ? RT_TALIGN_LEFT
                       : al[i] == 'c' ? RT_TALIGN_CENTER
                       : al[i] == 'r' ? RT_TALIGN_RIGHT
                                      : RT_TALIGN_NONE;
    size_t rows = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r))
        rows += is_table_row(r);
    tb->cells = rt_xcalloc(rows * (size_t)n_cols + 1, sizeof *tb->cells);
    tb->row_line = rt_xcalloc(rows + 1, sizeof *tb->row_line);
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r)) {
        if (!is_table_row(r))
            continue;
        size_t ri = tb->n_rows++;
        tb->row_line[ri] = cmark_node_get_start_line(r) + w->line0;
        int ci = 0;
        for (cmark_node *c = cmark_node_first_child(r); c && ci < n_cols; c = cmark_node_next(c)) {
            rt_cell *cell = &tb->cells[ri * (size_t)n_cols + (size_t)ci++];
            size_t cap = 0;
            w->out = (span_list){&cell->spans, &cell->n_spans, &cap};
            w->blk_l0 = w->blk_l1 = cmark_node_get_start_line(r);
            w->reported = 0;
            walk_inlines(w, c, 0, NULL);
        }
    }
    int head = table_line(n) + w->line0;
    if (tb->n_rows && head > w->cur->line) {
        w->cur->line = tb->row_line[0] = head;
        w->cur->col = w->col0 + 1;
    }
    finish_block(w);
}

/* A footnote definition: its paragraphs as notes, numbered in order. */
static void walk_note(walker *w, cmark_node *n) {
    int num = ++w->notes;
    bool first = true;
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) != CMARK_NODE_PARAGRAPH) {
            reject(w, c, "inside a footnote is not supported (paragraphs only)");
            continue;
        }
        w->cur = new_block(w, RT_BLOCK_NOTE, c);
        if (first)
            w->cur->marker = rt_xasprintf("%d", num);
        walk_inlines(w, c, 0, NULL);
        finish_block(w);
        first = false;
    }
}

static void walk_blocks(walker *w, cmark_node *parent, rt_block_kind para_kind, int depth) {
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_PARAGRAPH) {
            w->cur = new_block(w, para_kind, n);
            walk_inlines(w, n, 0, NULL);
            finish_block(w);
        } else if (w->profile == RT_MD_MESSAGE) {
            reject(w, n, "is not allowed in a supporter message (paragraphs and emphasis only)");
        } else if (t == CMARK_NODE_FOOTNOTE_DEFINITION && para_kind == RT_BLOCK_PARA) {
            walk_note(w, n);
        } else if (t == CMARK_NODE_HEADING && para_kind == RT_BLOCK_PARA) {
            w->cur = new_block(w, RT_BLOCK_SUBHEAD, n);
            walk_inlines(w, n, 0, NULL);
            finish_block(w);
        } else if (t == CMARK_NODE_BLOCK_QUOTE && para_kind == RT_BLOCK_PARA) {
            walk_blocks(w, n, RT_BLOCK_QUOTE, depth);
        } else if (t == CMARK_NODE_LIST && para_kind == RT_BLOCK_PARA) {
            walk_list(w, n, depth + 1);
        } else if (is_type(n, "table") && para_kind == RT_BLOCK_PARA) {
            walk_table(w, n);
        } else if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK ||
                   t == CMARK_NODE_THEMATIC_BREAK) {
            reject(w, n, "is not supported in an article");
        } else {
            reject(w, n, "is not supported inside a block quote");
        }
    }
}

rt_doc *rt_markdown_parse_at(const char *text, size_t len, const char *path, int first_line,
                             int indent, rt_md_profile profile, rt_diag *d) {
    rt_doc *doc = rt_xcalloc(1, sizeof *doc);
    cmark_gfm_core_extensions_ensure_registered();
    /* `~~` only: a single tilde ("~ 30 €") stays text */
    cmark_parser *parser =
        cmark_parser_new(CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE);
    if (!parser)
        return doc;
    static const char *const exts[] = {"table", "strikethrough", "autolink"};
    /* a supporter's "www.example.org" is text, not a link to refuse */
    size_t n_ext = profile == RT_MD_MESSAGE ? 2 : 3;
    for (size_t i = 0; i < n_ext; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(exts[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, text, len);
    cmark_node *root = cmark_parser_finish(parser);
    if (root) {
        walker w = {0};
        w.doc = doc;
        w.path = path;
        w.src = text;
        w.src_len = len;
        w.line0 = first_line > 0 ? first_line - 1 : 0;
        w.col0 = indent > 0 ? indent : 0;
        w.at = (md_source){text, len, w.line0, w.col0, 0, len, 0};
        w.profile = profile;
        w.d = d;
        walk_blocks(&w, root, RT_BLOCK_PARA, 0);
        cmark_node_free(root);
    }
    cmark_parser_free(parser);
    return doc;
}

rt_doc *rt_markdown_parse(const char *text, size_t len, const char *path, int first_line,
                          rt_md_profile profile, rt_diag *d) {
    return rt_markdown_parse_at(text, len, path, first_line, 0, profile, d);
}

void rt_block_each_span(const rt_block *b, void (*fn)(const rt_span *sp, void *arg), void *arg) {
    for (size_t k = 0; k < b->n_spans; k++)
        fn(&b->spans[k], arg);
    if (!b->table)
        return;
    const rt_table *t = b->table;
    for (size_t i = 0; i < t->n_rows * (size_t)t->n_cols; i++)
        for (size_t k = 0; k < t->cells[i].n_spans; k++)
            fn(&t->cells[i].spans[k], arg);
}

void rt_doc_free(rt_doc *doc) {
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        rt_block *b = &doc->blocks[i];
        free_spans(b->spans, b->n_spans);
        free(b->marker);
        if (b->table) {
            for (size_t k = 0; k < b->table->n_rows * (size_t)b->table->n_cols; k++)
                free_spans(b->table->cells[k].spans, b->table->cells[k].n_spans);
            free(b->table->cells);
            free(b->table->align);
            free(b->table->row_line);
            free(b->table);
        }
    }
    free(doc->blocks);
    free(doc);
}
