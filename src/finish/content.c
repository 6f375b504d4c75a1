/* finish: a content stream's operators walked (for preflight). The
 * renderer writes them as the press gets them (the layout's CMYK, grey on
 * the black plate alone, black overprinting through the ExtGStates
 * /RtOP<n>), compressed: the finishing pass leaves them as they are.
 */
#include "finish_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_ws(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0;
}

static bool is_delim(unsigned char c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

typedef enum { TK_NUMBER, TK_OPERATOR, TK_OTHER, TK_END } tk_kind;

typedef struct {
    tk_kind kind;
    size_t start, end;
} token;

/* Next token from pos; skips white space and comments. */
static token next_token(const unsigned char *s, size_t n, size_t *pos) {
    size_t i = *pos;
    for (;;) {
        while (i < n && is_ws(s[i]))
            i++;
        if (i < n && s[i] == '%') {
            while (i < n && s[i] != '\n' && s[i] != '\r')
                i++;
            continue;
        }
        break;
    }
    token t = {TK_END, i, i};
    if (i >= n) {
        *pos = i;
        return t;
    }
    unsigned char c = s[i];
    if (c == '(') { /* literal string, balanced parentheses, backslash escapes */
        int depth = 0;
        for (; i < n; i++) {
            if (s[i] == '\\') {
                i++;
                continue;
            }
            if (s[i] == '(')
                depth++;
            else if (s[i] == ')' && --depth == 0) {
                i++;
                break;
            }
        }
        t.kind = TK_OTHER;
    } else if (c == '<' && i + 1 < n && s[i + 1] == '<') {
        i += 2;
        t.kind = TK_OTHER; /* '<<' alone: dictionaries are walked token by token */
    } else if (c == '>' && i + 1 < n && s[i + 1] == '>') {
        i += 2;
        t.kind = TK_OTHER;
    } else if (c == '<') { /* hex string */
        while (i < n && s[i] != '>')
            i++;
        i++;
        t.kind = TK_OTHER;
    } else if (c == '[' || c == ']' || c == '{' || c == '}') {
        i++;
        t.kind = TK_OTHER;
    } else if (c == '/') { /* name */
        i++;
        while (i < n && !is_ws(s[i]) && !is_delim(s[i]))
            i++;
        t.kind = TK_OTHER;
    } else if (isdigit(c) || c == '-' || c == '+' || c == '.') {
        while (i < n && !is_ws(s[i]) && !is_delim(s[i]))
            i++;
        t.kind = TK_NUMBER;
    } else {
        while (i < n && !is_ws(s[i]) && !is_delim(s[i]))
            i++;
        if (i == t.start)
            i++; /* a stray delimiter: pass it through */
        t.kind = TK_OPERATOR;
    }
    t.end = i > n ? n : i;
    *pos = t.end;
    return t;
}

void fin_walk_content(const unsigned char *s, size_t n, fin_op_fn fn, void *user) {
    size_t pos = 0;
    char *args[16];
    int na = 0;
    for (;;) {
        token t = next_token(s, n, &pos);
        if (t.kind == TK_END)
            break;
        if (t.kind != TK_OPERATOR) {
            if (na < 16)
                args[na++] = rt_xstrndup((const char *)s + t.start, t.end - t.start);
            continue;
        }
        char *op = rt_xstrndup((const char *)s + t.start, t.end - t.start);
        if (strcmp(op, "BI") == 0) { /* inline image: skip to EI */
            size_t j = pos;
            while (j + 2 < n && !(is_ws(s[j - 1]) && s[j] == 'E' && s[j + 1] == 'I' &&
                                  (j + 2 >= n || is_ws(s[j + 2]))))
                j++;
            pos = j + 2 < n ? j + 2 : n;
        }
        fn(op, args, na, user);
        free(op);
        for (int i = 0; i < na; i++)
            free(args[i]);
        na = 0;
    }
    for (int i = 0; i < na; i++)
        free(args[i]);
}
