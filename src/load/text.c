/* load: reading a text input file (edition, layout, article, message).
 *
 * Every byte of every file is checked here, before any parser sees it, so
 * that a bad character is reported where it is (its own line and column,
 * counted in characters), whatever part of the file it is in: a NUL byte,
 * invalid UTF-8 (an overlong form, an encoded surrogate, a byte that cannot
 * start a character...) or a character rt_char_problem() refuses. Each one
 * is then replaced by a harmless stand-in of the same byte length, so the
 * parsers can go on and report the file's other problems at their real
 * positions; the caller sees the errors in the diagnostics and never uses
 * such a file. */
#include "tree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Errors about characters reported per file; then one line says how many
 * more there are (a binary file would otherwise print thousands). */
#define MAX_CHAR_ERRORS 10

/* Stand-ins: printable, not YAML or Markdown syntax, one character each. */
static void stand_in(char *p, size_t n) {
    static const char *const by_len[] = {"", "_", "\xC2\xB7", "\xEF\xBF\xBD", "\xF0\x90\x80\x80"};
    if (n >= 1 && n <= 4) {
        memcpy(p, by_len[n], n);
        return;
    }
    memset(p, '_', n);
}

/* Length of the UTF-8 sequence at s[i] (of n), or 0 if it is invalid:
 * `buf` then says what is wrong and *span is how many bytes the broken
 * sequence takes (its lead byte and the continuation bytes after it). */
static size_t utf8_seq(const unsigned char *s, size_t i, size_t n, unsigned *cp, char *buf,
                       size_t bufn, size_t *span) {
    unsigned c = s[i];
    *span = 1;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned v, min;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, v = c & 0x07, min = 0x10000;
    else if (c >= 0x80 && c <= 0xBF) {
        snprintf(buf, bufn, "byte 0x%02X cannot start a character", c);
        return 0;
    } else {
        /* C0, C1 (overlong forms of ASCII), F5..FF: never valid; the
         * continuation bytes after them belong to the same mistake */
        while (*span < 4 && i + *span < n && (s[i + *span] & 0xC0) == 0x80)
            (*span)++;
        if ((c == 0xC0 || c == 0xC1) && *span == 2)
            snprintf(buf, bufn, "overlong encoding of U+%04X",
                     ((c & 1u) << 6) | (s[i + 1] & 0x3Fu));
        else
            snprintf(buf, bufn, "byte 0x%02X is never valid in UTF-8", c);
        return 0;
    }
    for (size_t k = 1; k < len; k++) {
        if (i + k >= n || (s[i + k] & 0xC0) != 0x80) {
            snprintf(buf, bufn, "byte 0x%02X starts a %zu-byte character that is cut short", c,
                     len);
            *span = k;
            return 0;
        }
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    *span = len;
    if (v < min) {
        snprintf(buf, bufn, "overlong encoding of U+%04X", v);
        return 0;
    }
    if (v >= 0xD800 && v <= 0xDFFF) {
        snprintf(buf, bufn, "surrogate U+%04X encoded in UTF-8 (CESU-8 or broken UTF-16)", v);
        return 0;
    }
    if (v > 0x10FFFF) {
        snprintf(buf, bufn, "U+%X is beyond the last Unicode character", v);
        return 0;
    }
    *cp = v;
    return len;
}

/* What byte b (0x80-0xFF) is in Windows-1252 (Notepad's "ANSI"), as UTF-8;
 * NULL for the five bytes it leaves undefined. */
static const char *cp1252(unsigned char b) {
    static const unsigned short high[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    static char buf[4];
    unsigned cp = b < 0xA0 ? high[b - 0x80] : b;
    if (!cp)
        return NULL;
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        buf[2] = 0;
    } else {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        buf[3] = 0;
    }
    return buf;
}

int ld_check_text(char *text, size_t len, const char *path, int line0, rt_diag *d) {
    unsigned char *s = (unsigned char *)text;
    int line = line0 > 0 ? line0 : 1, col = 1, bad = 0;
    int legacy = 0; /* lone bytes: a Windows-1252 file */
    for (size_t i = 0; i < len;) {
        unsigned cp = 0;
        char why[96];
        size_t span;
        size_t n = utf8_seq(s, i, len, &cp, why, sizeof why, &span);
        const char *what = NULL, *reason = NULL;
        if (n == 0) {
            n = span; /* a broken sequence counts as one column */
        } else if (cp == '\r') {
            /* a line ending (CR LF, or a lone CR, which YAML and CommonMark
             * both read as one) */
            if (i + 1 < len && s[i + 1] == '\n') {
                i += 2;
            } else {
                i++;
            }
            line++;
            col = 1;
            continue;
        } else if (cp == 0) {
            what = "NUL byte";
        } else {
            what = rt_char_problem(cp, &reason);
            if (!what) {
                i += n;
                if (cp == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
                continue;
            }
        }
        /* the usual cause: a file saved as Windows-1252 or Latin-1 (a letter
         * such as é alone, not a UTF-8 sequence): said once, with its line;
         * the other such bytes are counted, not each an error */
        if (!what && span == 1 && s[i] >= 0x80 && strstr(why, "overlong") == NULL && cp1252(s[i])) {
            if (!legacy++) {
                bad++;
                rt_error(d, path, line, col,
                         "not UTF-8: byte 0x%02X ('%s' in Windows-1252): the file is saved as "
                         "Windows-1252 or Latin-1 (Notepad's \"ANSI\"); save it as UTF-8 "
                         "(Notepad: Save as, Encoding: UTF-8)",
                         s[i], cp1252(s[i]));
            }
            stand_in(text + i, n);
            i += n;
            col++;
            continue;
        }
        bad++;
        if (bad <= MAX_CHAR_ERRORS) {
            if (!what) {
                rt_error(d, path, line, col, "invalid UTF-8: %s", why);
            } else if (cp == 0) {
                rt_error(d, path, line, col, "NUL byte (U+0000) in the file: is it a text file?");
            } else if (reason) {
                rt_error(d, path, line, col, "%s U+%04X in text (%s)", what, cp, reason);
            } else {
                rt_error(d, path, line, col, "%s U+%04X in text", what, cp);
            }
        }
        stand_in(text + i, n);
        i += n;
        col++;
    }
    if (legacy > 1)
        rt_diag_report(d, RT_NOTE, path, 0, 0,
                       "%d more byte%s in this file %s not UTF-8 either (the same cause)",
                       legacy - 1, legacy == 2 ? "" : "s", legacy == 2 ? "is" : "are");
    if (bad > MAX_CHAR_ERRORS)
        rt_error(d, path, 0, 0, "%d more invalid characters in this file (not reported)",
                 bad - MAX_CHAR_ERRORS);
    return bad;
}

char *ld_read_text(const char *path, size_t max, const char *what, rt_diag *d, size_t *len_out,
                   int *bad) {
    size_t len;
    *bad = 0;
    char *text = rt_read_file(path, max, &len);
    if (!text) {
        char *why = rt_read_problem(path, errno, max);
        rt_error(d, path, 0, 0, "cannot read %s: %s", what, why);
        free(why);
        return NULL;
    }
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        rt_error(d, path, 0, 0, "the %s is in UTF-16: save it as UTF-8", what);
        free(text);
        return NULL;
    }
    /* a UTF-8 byte-order mark, as some editors write: skipped */
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        memmove(text, text + 3, len - 3 + 1);
        len -= 3;
    }
    *bad = ld_check_text(text, len, path, 1, d);
    *len_out = len;
    return text;
}
