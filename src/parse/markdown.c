/* parse: CommonMark via cmark -> flat rt_doc. */
#include "parse.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    rt_doc *doc;
    size_t cap;
    const char *path;
    int line0; /* added to cmark's 1-based lines */
    int col0;  /* added to every column (the text's indentation in its file) */
    rt_md_profile profile;
    rt_diag *d;
    /* the block being filled */
    rt_block *cur;
    size_t span_cap;
    /* the source, to locate characters: the current block's bytes and how
     * far errors have been found in it */
    const char *src;
    size_t src_len;
    size_t blk_start, blk_end, cursor;
} walker;

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
    default:
        return "this construct";
    }
}

static void reject(walker *w, cmark_node *n, const char *why) {
    int line = cmark_node_get_start_line(n);
    int col = cmark_node_get_start_column(n);
    rt_error(w->d, w->path, line > 0 ? line + w->line0 : 0, col > 0 ? col + w->col0 : 0, "%s %s",
             node_what(n), why);
}

/* Byte offset of cmark's (line, column), both 1-based (columns in bytes),
 * in the source. */
static size_t src_offset(const walker *w, int line, int col) {
    size_t i = 0;
    for (int l = 1; l < line && i < w->src_len; i++)
        if (w->src[i] == '\n' ||
            (w->src[i] == '\r' && (i + 1 >= w->src_len || w->src[i + 1] != '\n')))
            l++;
    i += col > 1 ? (size_t)(col - 1) : 0;
    return i < w->src_len ? i : w->src_len;
}

/* Line and column (in characters) of a byte offset in the source. */
static void src_position(const walker *w, size_t at, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < at && i < w->src_len; i++) {
        unsigned char b = (unsigned char)w->src[i];
        if (b == '\n' || (b == '\r' && (i + 1 >= w->src_len || w->src[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((b & 0xC0) != 0x80 && b != '\r') {
            c++;
        }
    }
    *line = l + w->line0;
    *col = c + w->col0;
}

/* A numeric character reference at s[i] ('&'): its code point as cmark
 * decodes it, and its length. */
static bool char_ref(const char *s, size_t i, size_t end, unsigned *cp, size_t *len) {
    if (i + 3 >= end || s[i] != '&' || s[i + 1] != '#')
        return false;
    size_t k = i + 2;
    bool hex = s[k] == 'x' || s[k] == 'X';
    k += hex;
    unsigned long v = 0;
    size_t digits = 0;
    for (; k < end && digits < (hex ? 6u : 7u); k++, digits++) {
        char ch = s[k];
        int dv = ch >= '0' && ch <= '9'          ? ch - '0'
                 : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                 : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                 : -1;
        if (dv < 0)
            break;
        v = v * (hex ? 16 : 10) + (unsigned long)dv;
    }
    if (!digits || k >= end || s[k] != ';')
        return false;
    /* cmark: 0, surrogates and beyond U+10FFFF become U+FFFD */
    if (v == 0 || (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
        v = 0xFFFD;
    *cp = (unsigned)v;
    *len = k + 1 - i;
    return true;
}

/* Where code point cp is in the current block's source, from the cursor:
 * written as a character reference or raw. */
static bool locate(walker *w, unsigned cp, int *line, int *col, bool *as_ref) {
    const char *s = w->src;
    for (size_t i = w->cursor; s && i < w->blk_end;) {
        unsigned v;
        size_t len;
        if (s[i] == '&' && char_ref(s, i, w->blk_end, &v, &len)) {
            if (v == cp) {
                src_position(w, i, line, col);
                *as_ref = true;
                w->cursor = i + len;
                return true;
            }
            i += len;
            continue;
        }
        unsigned char b = (unsigned char)s[i];
        size_t k = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (i + k > w->blk_end)
            break;
        int got = rt_utf8_decode(s + i, &v);
        if ((size_t)got == k && v == cp) {
            src_position(w, i, line, col);
            *as_ref = false;
            w->cursor = i + k;
            return true;
        }
        i += k;
    }
    return false;
}

/* Character references (&#27;) can make characters the loaders refuse in
 * the file itself (rt_char_problem: controls, bidirectional overrides,
 * noncharacters): each is reported where it is written. `where` says what
 * the text is ("the text", "a link's address"). */
static void check_chars(walker *w, cmark_node *n, const char *t, const char *where) {
    for (const char *p = t; *p;) {
        unsigned cp;
        /* a sequence cut short (invalid UTF-8, which callers reject before)
         * is skipped a byte at a time: never read past the text */
        int need = ((unsigned char)*p >= 0xF0)   ? 4
                   : ((unsigned char)*p >= 0xE0) ? 3
                   : ((unsigned char)*p >= 0xC0) ? 2
                                                 : 1;
        int have = 1;
        while (have < need && ((unsigned char)p[have] & 0xC0) == 0x80)
            have++;
        if (have < need) {
            p++;
            continue;
        }
        p += rt_utf8_decode(p, &cp);
        const char *why = NULL, *what = rt_char_problem(cp, &why);
        if (!what)
            continue;
        int line = 0, col = 0;
        bool as_ref = false;
        if (!locate(w, cp, &line, &col, &as_ref)) {
            int nl = cmark_node_get_start_line(n);
            line = nl > 0 ? nl + w->line0 : w->cur ? w->cur->line : 0;
            col = nl > 0 ? cmark_node_get_start_column(n) + w->col0 : w->cur ? w->cur->col : 0;
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

static void add_text(walker *w, const char *text, size_t len, unsigned flags, const char *url) {
    rt_block *b = w->cur;
    if (!b || len == 0)
        return;
    if (b->n_spans) {
        rt_span *last = &b->spans[b->n_spans - 1];
        bool same_url = (!last->url && !url) || (last->url && url && strcmp(last->url, url) == 0);
        if (last->flags == flags && same_url) {
            size_t old = strlen(last->text);
            last->text = rt_xrealloc(last->text, old + len + 1);
            memcpy(last->text + old, text, len);
            last->text[old + len] = '\0';
            return;
        }
    }
    rt_span s = {rt_xstrndup(text, len), flags, url ? rt_xstrdup(url) : NULL};
    RT_PUSH(b->spans, b->n_spans, w->span_cap, s);
}

static void walk_inlines(walker *w, cmark_node *parent, unsigned flags, const char *url) {
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_TEXT: {
            const char *t = cmark_node_get_literal(n);
            check_chars(w, n, t, "the text");
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
                reject(w, n,
                       "is not allowed in a supporter message (paragraphs and emphasis only)");
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
                reject(w, n,
                       "is not allowed in a supporter message (paragraphs and emphasis only)");
                break;
            }
            /* the address is printed too (the layout's `links: inline`) */
            check_chars(w, n, cmark_node_get_url(n), "a link's address");
            walk_inlines(w, n, flags | RT_SPAN_LINK, cmark_node_get_url(n));
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
            reject(w, n, "is not supported here");
            break;
        }
    }
}

static rt_block *new_block(walker *w, rt_block_kind kind, cmark_node *n) {
    rt_block b = {0};
    b.kind = kind;
    b.line = cmark_node_get_start_line(n) + w->line0;
    b.col = cmark_node_get_start_column(n) + w->col0;
    w->blk_start = w->cursor =
        src_offset(w, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
    w->blk_end = src_offset(w, cmark_node_get_end_line(n), cmark_node_get_end_column(n) + 1);
    if (w->blk_end < w->blk_start)
        w->blk_end = w->src_len;
    RT_PUSH(w->doc->blocks, w->doc->n_blocks, w->cap, b);
    w->span_cap = 0;
    return &w->doc->blocks[w->doc->n_blocks - 1];
}

/* Drops a block that ended up with no visible text. */
static void finish_block(walker *w) {
    rt_block *b = w->cur;
    w->cur = NULL;
    if (!b)
        return;
    bool empty = true;
    for (size_t i = 0; i < b->n_spans && empty; i++)
        for (const char *p = b->spans[i].text; *p; p++)
            if (*p != ' ') {
                empty = false;
                break;
            }
    if (empty && !b->marker) {
        for (size_t i = 0; i < b->n_spans; i++) {
            free(b->spans[i].text);
            free(b->spans[i].url);
        }
        free(b->spans);
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

static void walk_blocks(walker *w, cmark_node *parent, rt_block_kind para_kind, int depth) {
    for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_PARAGRAPH) {
            w->cur = new_block(w, para_kind, n);
            walk_inlines(w, n, 0, NULL);
            finish_block(w);
        } else if (w->profile == RT_MD_MESSAGE) {
            reject(w, n, "is not allowed in a supporter message (paragraphs and emphasis only)");
        } else if (t == CMARK_NODE_HEADING && para_kind == RT_BLOCK_PARA) {
            w->cur = new_block(w, RT_BLOCK_SUBHEAD, n);
            walk_inlines(w, n, 0, NULL);
            finish_block(w);
        } else if (t == CMARK_NODE_BLOCK_QUOTE && para_kind == RT_BLOCK_PARA) {
            walk_blocks(w, n, RT_BLOCK_QUOTE, depth);
        } else if (t == CMARK_NODE_LIST && para_kind == RT_BLOCK_PARA) {
            walk_list(w, n, depth + 1);
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
    cmark_node *root = cmark_parse_document(text, len, CMARK_OPT_DEFAULT);
    if (!root)
        return doc;
    walker w = {.doc = doc,
                .path = path,
                .line0 = first_line > 0 ? first_line - 1 : 0,
                .col0 = indent > 0 ? indent : 0,
                .profile = profile,
                .d = d,
                .src = text,
                .src_len = len};
    walk_blocks(&w, root, RT_BLOCK_PARA, 0);
    cmark_node_free(root);
    return doc;
}

rt_doc *rt_markdown_parse(const char *text, size_t len, const char *path, int first_line,
                          rt_md_profile profile, rt_diag *d) {
    return rt_markdown_parse_at(text, len, path, first_line, 0, profile, d);
}

void rt_doc_free(rt_doc *doc) {
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        rt_block *b = &doc->blocks[i];
        for (size_t k = 0; k < b->n_spans; k++) {
            free(b->spans[k].text);
            free(b->spans[k].url);
        }
        free(b->spans);
        free(b->marker);
    }
    free(doc->blocks);
    free(doc);
}
