/* parse: positions in the Markdown source (see source.h). */
#include "source.h"

/* Byte offset of cmark's (line, column), both 1-based (columns in bytes),
 * in the source. */
static size_t src_offset(const md_source *ms, int line, int col) {
    size_t i = 0;
    for (int l = 1; l < line && i < ms->len; i++)
        if (ms->src[i] == '\n' ||
            (ms->src[i] == '\r' && (i + 1 >= ms->len || ms->src[i + 1] != '\n')))
            l++;
    i += col > 1 ? (size_t)(col - 1) : 0;
    return i < ms->len ? i : ms->len;
}

/* Line and column (in characters) of a byte offset in the source. */
static void src_position(const md_source *ms, size_t at, int *line, int *col) {
    int l = 1, c = 1;
    for (size_t i = 0; i < at && i < ms->len; i++) {
        unsigned char b = (unsigned char)ms->src[i];
        if (b == '\n' || (b == '\r' && (i + 1 >= ms->len || ms->src[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((b & 0xC0) != 0x80 && b != '\r') {
            c++;
        }
    }
    *line = l + ms->line0;
    *col = c + ms->col0;
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

bool md_locate(md_source *ms, unsigned cp, int *line, int *col, bool *as_ref) {
    const char *s = ms->src;
    for (size_t i = ms->cursor; s && i < ms->end;) {
        unsigned v;
        size_t len;
        if (s[i] == '&' && char_ref(s, i, ms->end, &v, &len)) {
            if (v == cp) {
                src_position(ms, i, line, col);
                *as_ref = true;
                ms->cursor = i + len;
                return true;
            }
            i += len;
            continue;
        }
        unsigned char b = (unsigned char)s[i];
        size_t k = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (i + k > ms->end)
            break;
        int got = rt_utf8_decode(s + i, &v);
        if ((size_t)got == k && v == cp) {
            src_position(ms, i, line, col);
            *as_ref = false;
            ms->cursor = i + k;
            return true;
        }
        i += k;
    }
    return false;
}

void md_block(md_source *s, int line0, int col0, int line1, int col1) {
    s->start = s->cursor = src_offset(s, line0, col0);
    s->end = src_offset(s, line1, col1 + 1);
    if (s->end < s->start)
        s->end = s->len;
}
