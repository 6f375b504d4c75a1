/* load: YAML -> node tree (libyaml events), typed accessors. */
#include "tree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

void yn_error(yctx *c, const ynode *n, const char *fmt, ...) {
    int cap = c->max_errors > 0 ? c->max_errors : 25;
    if (c->errors++ >= cap) {
        if (c->errors == cap + 1) /* itself an error: the file stays unusable */
            rt_error(c->d, c->path, 0, 0,
                     "too many errors in this file; the rest are not reported");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    rt_diag_vreport(c->d, RT_ERROR, c->path, n ? n->mark.line : 0, n ? n->mark.col : 0, fmt, ap);
    va_end(ap);
}

static ynode *new_node(yctx *c, yn_kind k, yaml_mark_t m) {
    ynode *n = rt_xcalloc(1, sizeof *n);
    n->kind = k;
    n->mark.line = (int)m.line + 1 + c->line_offset;
    n->mark.col = (int)m.column + 1;
    return n;
}

static void add_child(ynode *p, ynode *ch) {
    p->items = rt_xrealloc(p->items, (p->n + 1) * sizeof *p->items);
    p->items[p->n++] = ch;
}

void yn_free(ynode *n) {
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        yn_free(n->items[i]);
    free(n->items);
    free(n->value);
    free(n);
}

/* How many double quotes line `line` (1-based) of text has, not counting
 * escaped ones (\"). */
static int quotes_on_line(const char *text, size_t len, int line) {
    size_t i = 0;
    for (int l = 1; l < line && i < len; i++)
        if (text[i] == '\n')
            l++;
    int n = 0;
    for (; i < len && text[i] != '\n'; i++)
        if (text[i] == '"' && !(i > 0 && text[i - 1] == '\\'))
            n++;
    return n;
}

ynode *yn_parse(yctx *c, const char *text, size_t len) {
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        rt_error(c->d, c->path, 0, 0, "cannot initialise the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    c->src = text;
    c->src_len = len;
    ynode *stack[80];
    size_t depth = 0;
    size_t max_depth = c->max_depth ? c->max_depth : 64;
    ynode *root = NULL;
    bool done = false, failed = false;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            int line = (int)p.problem_mark.line + 1, col = (int)p.problem_mark.column + 1;
            if (p.error == YAML_READER_ERROR) {
                /* the reader gives a byte offset, not a mark */
                line = 1;
                col = 1;
                for (size_t i = 0; i < p.problem_offset && i < len; i++) {
                    if (text[i] == '\n') {
                        line++;
                        col = 1;
                    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                        col++;
                    }
                }
            }
            /* a tab in the indentation of a line up to the error (a file
             * edited in a word processor or Notepad): that is the cause */
            int tl = 0, tc = 0;
            for (size_t i = 0, l = 1; i < len && (int)l <= line && !tl;) {
                size_t k = i;
                while (k < len && (text[k] == ' ' || text[k] == '\t')) {
                    if (text[k] == '\t') {
                        tl = (int)l;
                        tc = (int)(k - i) + 1;
                        break;
                    }
                    k++;
                }
                while (i < len && text[i] != '\n')
                    i++;
                i++;
                l++;
            }
            if (tl) {
                rt_error(c->d, c->path, tl + c->line_offset, tc,
                         "tabs are not allowed for indentation, use spaces");
                failed = true;
                break;
            }
            bool at_end = p.problem && strstr(p.problem, "end of stream");
            if (p.context && at_end) {
                /* the file ended inside something (a quote): point where it started */
                line = (int)p.context_mark.line + 1;
                col = (int)p.context_mark.column + 1;
            }
            /* a straight " inside a double-quoted text ends it early: the
             * same hint wherever it happens (a title, a flow list, ...) */
            const char *hint = "";
            if (quotes_on_line(text, len, line) > 2 ||
                (p.context && quotes_on_line(text, len, (int)p.context_mark.line + 1) > 2))
                hint = " (a straight \" inside a quoted text ends it: write \u201c \u201d or "
                       "\u00ab \u00bb instead, or \\\")";
            else if (p.context && strstr(p.context, "block"))
                hint = " (check the indentation, and that quotes are closed)";
            if (p.context && !at_end)
                rt_error(c->d, c->path, line + c->line_offset, col,
                         "YAML syntax: %s %s that starts at line %d%s",
                         p.problem ? p.problem : "error", p.context,
                         (int)p.context_mark.line + 1 + c->line_offset, hint);
            else
                rt_error(c->d, c->path, line + c->line_offset, col, "YAML syntax: %s%s%s%s",
                         p.problem ? p.problem : "error", p.context ? " " : "",
                         p.context ? p.context : "", hint);
            failed = true;
            break;
        }
        ynode *n = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (root) {
                rt_error(c->d, c->path, (int)ev.start_mark.line + 1 + c->line_offset,
                         (int)ev.start_mark.column + 1, "only one YAML document is allowed");
                failed = true;
                done = true;
            }
            break;
        case YAML_ALIAS_EVENT:
            rt_error(c->d, c->path, (int)ev.start_mark.line + 1 + c->line_offset,
                     (int)ev.start_mark.column + 1, "YAML aliases are not allowed");
            failed = true;
            done = true;
            break;
        case YAML_SCALAR_EVENT:
            n = new_node(c, YN_SCALAR, ev.start_mark);
            n->value = rt_xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
            n->end.line = (int)ev.end_mark.line + 1 + c->line_offset;
            n->end.col = (int)ev.end_mark.column + 1;
            n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            n->block = ev.data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
                       ev.data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
            n->dquoted = ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
            if (memchr(ev.data.scalar.value, 0, ev.data.scalar.length)) {
                /* an escape (\0, \x00, \u0000): the value would be cut there */
                char how[16];
                ynode at = *n;
                at.mark = yn_locate(c, n, 0, how, sizeof how);
                yn_error(c, &at, "control character U+0000 in text%s%s%s",
                         *how ? " (written '" : "", how, *how ? "')" : "");
            }
            if (ev.data.scalar.anchor) {
                /* anchors alone are harmless, but only aliases use them */
            }
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            n = new_node(c, ev.type == YAML_SEQUENCE_START_EVENT ? YN_SEQ : YN_MAP, ev.start_mark);
            break;
        default:
            break;
        }
        /* explicit tags (!!binary, !!python/object...) change what a value
         * means; nothing here needs them */
        {
            const yaml_char_t *tag =
                ev.type == YAML_SCALAR_EVENT           ? ev.data.scalar.tag
                : ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.tag
                : ev.type == YAML_MAPPING_START_EVENT  ? ev.data.mapping_start.tag
                                                       : NULL;
            if (tag && n)
                yn_error(c, n, "YAML tags are not allowed ('%s')", (const char *)tag);
        }
        switch (ev.type) {
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth)
                depth--;
            break;
        default:
            break;
        }
        if (n) {
            if (depth == 0) {
                if (root)
                    yn_free(root);
                root = n;
            } else {
                add_child(stack[depth - 1], n);
            }
            if (n->kind != YN_SCALAR) {
                if (depth >= max_depth) {
                    rt_error(c->d, c->path, n->mark.line, n->mark.col,
                             "YAML nested too deeply (more than %zu levels)", max_depth);
                    failed = true;
                    done = true;
                } else {
                    stack[depth++] = n;
                }
            }
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (failed) {
        yn_free(root);
        return NULL;
    }
    return root;
}

const char *yn_kind_name(yn_kind k) {
    return k == YN_SCALAR ? "a value" : k == YN_MAP ? "a mapping" : "a list";
}

ynode *yn_get(const ynode *map, const char *key) {
    if (!map || map->kind != YN_MAP)
        return NULL;
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (map->items[i]->kind == YN_SCALAR && strcmp(map->items[i]->value, key) == 0)
            return map->items[i + 1];
    return NULL;
}

/* Levenshtein distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

void yn_check_keys(yctx *c, const ynode *map, const char *const *allowed, const char *what) {
    if (!map || map->kind != YN_MAP)
        return;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const ynode *k = map->items[i];
        if (k->kind != YN_SCALAR) {
            yn_error(c, k, "keys in %s must be plain names", what);
            continue;
        }
        for (size_t j = 0; j < i; j += 2)
            if (map->items[j]->kind == YN_SCALAR && strcmp(map->items[j]->value, k->value) == 0)
                yn_error(c, k, "duplicate key '%s' in %s", k->value, what);
        bool ok = false;
        for (size_t a = 0; allowed[a] && !ok; a++)
            ok = strcmp(allowed[a], k->value) == 0;
        if (!ok) { /* the nearest allowed key, only for an unknown one */
            const char *best = NULL;
            size_t best_d = 3;
            for (size_t a = 0; allowed[a]; a++) {
                size_t dd = edit_distance(allowed[a], k->value);
                if (dd < best_d) {
                    best_d = dd;
                    best = allowed[a];
                }
            }
            if (best)
                yn_error(c, k, "unknown key '%s' in %s (did you mean '%s'?)", k->value, what, best);
            else
                yn_error(c, k, "unknown key '%s' in %s", k->value, what);
        }
    }
}

bool yn_expect(yctx *c, const ynode *n, yn_kind kind, const char *what) {
    if (n->kind == kind)
        return true;
    yn_error(c, n, "%s must be %s, not %s", what, yn_kind_name(kind), yn_kind_name(n->kind));
    return false;
}

ynode *yn_require(yctx *c, const ynode *map, const char *key, const char *what) {
    ynode *v = yn_get(map, key);
    if (!v)
        yn_error(c, map, "missing required key '%s' in %s", key, what);
    return v;
}

/* Line breaks as libyaml counts them: LF, CR LF, a lone CR. */
static size_t skip_break(const char *s, size_t i, size_t n) {
    if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
        return i + 2;
    return i + 1;
}

static size_t char_len(const char *s, size_t i, size_t n) {
    unsigned char b = (unsigned char)s[i];
    size_t k = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return i + k <= n ? k : n - i;
}

/* Byte offset in c->src of a (line, column) mark. */
static size_t mark_offset(const yctx *c, rt_mark m) {
    const char *s = c->src;
    size_t n = c->src_len, i = 0;
    for (int line = 1 + c->line_offset; line < m.line && i < n;) {
        if (s[i] == '\n' || s[i] == '\r') {
            i = skip_break(s, i, n);
            line++;
        } else {
            i++;
        }
    }
    for (int col = 1; col < m.col && i < n && s[i] != '\n' && s[i] != '\r'; col++)
        i += char_len(s, i, n);
    return i;
}

static rt_mark offset_mark(const yctx *c, size_t at) {
    rt_mark m = {1 + c->line_offset, 1};
    for (size_t i = 0; i < at && i < c->src_len;) {
        if (c->src[i] == '\n' || c->src[i] == '\r') {
            i = skip_break(c->src, i, c->src_len);
            m.line++;
            m.col = 1;
        } else {
            i += char_len(c->src, i, c->src_len);
            m.col++;
        }
    }
    return m;
}

static int hexval(char ch) {
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* The YAML double-quoted escape at s[i] == '\\': its code point and
 * length, or false (a line continuation, or not an escape we know). */
static bool yaml_escape(const char *s, size_t i, size_t n, unsigned *cp, size_t *len) {
    if (i + 1 >= n)
        return false;
    static const char simple[] = "0abtnvfre N_LP\"\\/\t";
    static const unsigned simple_cp[] = {0,    7,    8,    9,      10,     11,  12,   13,  0x1B,
                                         0x20, 0x85, 0xA0, 0x2028, 0x2029, '"', '\\', '/', 9};
    char e = s[i + 1];
    const char *hit = strchr(simple, e);
    if (hit && e) {
        *cp = simple_cp[hit - simple];
        *len = 2;
        return true;
    }
    int digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
    if (!digits || i + 2 + (size_t)digits > n)
        return false;
    unsigned v = 0;
    for (int k = 0; k < digits; k++) {
        int h = hexval(s[i + 2 + k]);
        if (h < 0)
            return false;
        v = v * 16 + (unsigned)h;
    }
    *cp = v;
    *len = 2 + (size_t)digits;
    return true;
}

rt_mark yn_locate(const yctx *c, const ynode *n, unsigned cp, char *how, size_t howlen) {
    if (how && howlen)
        *how = '\0';
    if (!c->src || n->kind != YN_SCALAR)
        return n->mark;
    size_t i = mark_offset(c, n->mark);
    size_t end = n->end.line ? mark_offset(c, n->end) : c->src_len;
    if (end > c->src_len || end < i)
        end = c->src_len;
    while (i < end) {
        size_t k = char_len(c->src, i, end);
        unsigned v = 0;
        size_t el;
        if (n->dquoted && c->src[i] == '\\' && yaml_escape(c->src, i, end, &v, &el)) {
            if (v == cp) {
                if (how && howlen)
                    snprintf(how, howlen, "%.*s", (int)el, c->src + i);
                return offset_mark(c, i);
            }
            i += el;
            continue;
        }
        if (k == (size_t)rt_utf8_decode(c->src + i, &v) && v == cp && (cp || k == 1))
            return offset_mark(c, i);
        i += k;
    }
    return n->mark;
}

int yn_block_indent(const yctx *c, const ynode *n) {
    if (!n->block || !c->src)
        return 0;
    size_t i = mark_offset(c, n->mark), e = c->src_len;
    /* to the end of the indicator's line, then the first non-blank line */
    while (i < e && c->src[i] != '\n' && c->src[i] != '\r')
        i++;
    while (i < e) {
        i = skip_break(c->src, i, e);
        int ind = 0;
        while (i < e && c->src[i] == ' ') {
            i++;
            ind++;
        }
        if (i < e && c->src[i] != '\n' && c->src[i] != '\r')
            return ind;
    }
    return 0;
}

bool yn_text_ok(yctx *c, const ynode *n, const char *s) {
    size_t bad;
    size_t len = strlen(s);
    if (!rt_utf8_valid(s, len, &bad)) {
        yn_error(c, n, "invalid UTF-8 (byte %zu of the value)", bad + 1);
        return false;
    }
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += (size_t)rt_utf8_decode(s + i, &cp);
        const char *why = NULL, *what = rt_char_problem(cp, &why);
        if (!what)
            continue;
        char how[16];
        ynode at = *n;
        at.mark = yn_locate(c, n, cp, how, sizeof how);
        rt_buf note = {0};
        if (*how)
            rt_buf_addf(&note, "written '%s'", how);
        if (why)
            rt_buf_addf(&note, "%s%s", note.len ? "; " : "", why);
        yn_error(c, &at, "%s U+%04X in text%s%s%s", what, cp, note.len ? " (" : "",
                 note.len ? note.data : "", note.len ? ")" : "");
        rt_buf_free(&note);
        return false;
    }
    return true;
}

bool yn_string(yctx *c, const ynode *n, const char *what, char **out) {
    if (!yn_expect(c, n, YN_SCALAR, what))
        return false;
    if (!yn_text_ok(c, n, n->value))
        return false;
    free(*out);
    *out = rt_xstrdup(n->value);
    return true;
}

bool yn_number(yctx *c, const ynode *n, const char *what, double min, double max, double *out) {
    if (!yn_expect(c, n, YN_SCALAR, what))
        return false;
    char *end;
    errno = 0;
    double v = strtod(n->value, &end);
    if (!n->value[0] || *end || errno || !isfinite(v)) {
        yn_error(c, n, "%s must be a number, not '%s'", what, n->value);
        return false;
    }
    if (v < min || v > max) {
        yn_error(c, n, "%s must be between %g and %g, not %g", what, min, max, v);
        return false;
    }
    *out = v;
    return true;
}

bool yn_int(yctx *c, const ynode *n, const char *what, long min, long max, int *out) {
    if (!yn_expect(c, n, YN_SCALAR, what))
        return false;
    char *end;
    errno = 0;
    long v = strtol(n->value, &end, 10);
    if (!n->value[0] || *end || errno) {
        yn_error(c, n, "%s must be a whole number, not '%s'", what, n->value);
        return false;
    }
    if (v < min || v > max) {
        yn_error(c, n, "%s must be between %ld and %ld, not %ld", what, min, max, v);
        return false;
    }
    *out = (int)v;
    return true;
}

bool yn_bool(yctx *c, const ynode *n, const char *what, bool *out) {
    if (!yn_expect(c, n, YN_SCALAR, what))
        return false;
    if (strcmp(n->value, "true") == 0 || strcmp(n->value, "yes") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(n->value, "false") == 0 || strcmp(n->value, "no") == 0) {
        *out = false;
        return true;
    }
    yn_error(c, n, "%s must be true or false, not '%s'", what, n->value);
    return false;
}

bool yn_length(yctx *c, const ynode *n, const char *what, double *out) {
    if (!yn_expect(c, n, YN_SCALAR, what))
        return false;
    char *end;
    errno = 0;
    double v = strtod(n->value, &end);
    if (end == n->value || errno || !isfinite(v)) {
        yn_error(c, n, "%s must be a length such as 12mm or 9pt, not '%s'", what, n->value);
        return false;
    }
    while (*end == ' ')
        end++;
    double unit;
    if (strcmp(end, "mm") == 0)
        unit = RT_MM;
    else if (strcmp(end, "cm") == 0)
        unit = 10 * RT_MM;
    else if (strcmp(end, "pt") == 0)
        unit = 1;
    else if (strcmp(end, "in") == 0)
        unit = 72;
    else if (!*end) {
        yn_error(c, n, "%s: length needs a unit (mm, pt, cm, in): '%s'", what, n->value);
        return false;
    } else {
        yn_error(c, n, "%s: unknown unit '%s' (use mm, pt, cm or in)", what, end);
        return false;
    }
    if (v < 0) {
        yn_error(c, n, "%s must not be negative", what);
        return false;
    }
    if (!isfinite(v * unit)) {
        yn_error(c, n, "%s '%s' is too large to be a length", what, n->value);
        return false;
    }
    *out = v * unit;
    return true;
}
