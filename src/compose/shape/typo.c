/* shape: automatic typography by language.
 *
 * French: « » for straight double quotes with narrow no-break spaces
 * inside, narrow no-break space before ; ! ? and no-break space before :,
 * apostrophe ’, no break between a number and its unit or %, thin-space
 * thousands (12 500), ... -> …
 * Dutch and English: “ ” and ‘ ’ for straight quotes, apostrophe ’, ... -> …,
 * no break between a number and %.
 */
#include "shape.h"
#include "../../load/load.h"

#include <ctype.h>
#include <string.h>

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"

static bool is_space_byte(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n';
}

/* ends with a (possibly no-break) space? then remove it */
static void trim_trailing_space(rt_buf *b) {
    while (b->len > 0 && is_space_byte(b->data[b->len - 1]))
        b->data[--b->len] = '\0';
    if (b->len >= 2 && memcmp(b->data + b->len - 2, NBSP, 2) == 0) {
        b->len -= 2;
        b->data[b->len] = '\0';
    } else if (b->len >= 3 && memcmp(b->data + b->len - 3, NNBSP, 3) == 0) {
        b->len -= 3;
        b->data[b->len] = '\0';
    }
}

static bool last_is_digit(const rt_buf *b) {
    return b->len > 0 && isdigit((unsigned char)b->data[b->len - 1]);
}

static bool opening_context(const rt_buf *b) {
    if (b->len == 0)
        return true;
    char ch = b->data[b->len - 1];
    return is_space_byte(ch) || ch == '(' || ch == '[' || ch == '-' ||
           (b->len >= 2 && memcmp(b->data + b->len - 2, NBSP, 2) == 0) ||
           (b->len >= 3 && (memcmp(b->data + b->len - 3, NNBSP, 3) == 0 ||
                            memcmp(b->data + b->len - 3, "\xE2\x80\x94", 3) == 0));
}

/* A unit after a number, kept on the same line. */
static size_t unit_len(const char *p, size_t rest) {
    static const char *const units[] = {"%", "€", "$",   "km", "kg", "cm", "mm",  "m²", "m",
                                        "g", "h", "min", "ha", "t",  "°C", "ans", NULL};
    for (int i = 0; units[i]; i++) {
        size_t n = strlen(units[i]);
        if (n <= rest && memcmp(p, units[i], n) == 0 &&
            (n == rest || !isalpha((unsigned char)p[n])))
            return n;
    }
    return 0;
}

char *rt_typo_apply(const char *s, size_t len, int lang, size_t *len_out) {
    rt_buf b = {0};
    bool fr = lang == RT_LANG_FR;
    bool dq_open = false, sq_open = false;
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)s[i];
        const char *rest = s + i;
        size_t left = len - i;
        if (left >= 3 && memcmp(rest, "...", 3) == 0) {
            rt_buf_adds(&b, "…");
            i += 3;
            continue;
        }
        if (ch == '"') {
            bool open = opening_context(&b) && !dq_open;
            if (!opening_context(&b) && !dq_open)
                open = false;
            if (dq_open)
                open = false;
            else if (opening_context(&b))
                open = true;
            else if (i + 1 < len && !is_space_byte(s[i + 1]) && b.len &&
                     !isalnum((unsigned char)b.data[b.len - 1]) &&
                     ((unsigned char)b.data[b.len - 1] < 0x80) &&
                     !strchr(".,;:!?)]", b.data[b.len - 1]))
                open = true; /* after a symbol, before a word: name="red" */
            if (fr) {
                if (open) {
                    rt_buf_adds(&b, "«" NNBSP);
                    i++;
                    while (i < len && s[i] == ' ')
                        i++;
                } else {
                    trim_trailing_space(&b);
                    rt_buf_adds(&b, NNBSP "»");
                    i++;
                }
            } else {
                rt_buf_adds(&b, open ? "“" : "”");
                i++;
            }
            dq_open = open;
            continue;
        }
        if (fr && left >= 2 && memcmp(rest, "«", 2) == 0) {
            rt_buf_adds(&b, "«" NNBSP);
            i += 2;
            while (i < len && (s[i] == ' ' || (len - i >= 2 && memcmp(s + i, NBSP, 2) == 0) ||
                               (len - i >= 3 && memcmp(s + i, NNBSP, 3) == 0)))
                i += s[i] == ' ' ? 1 : (memcmp(s + i, NBSP, 2) == 0 ? 2 : 3);
            continue;
        }
        if (fr && left >= 2 && memcmp(rest, "»", 2) == 0) {
            trim_trailing_space(&b);
            rt_buf_adds(&b, NNBSP "»");
            i += 2;
            continue;
        }
        if (ch == '\'') {
            /* apostrophe, or an English/Dutch single quote */
            bool after_letter =
                b.len > 0 && !is_space_byte(b.data[b.len - 1]) && !opening_context(&b);
            if (!fr && !after_letter && !sq_open) {
                rt_buf_adds(&b, "‘");
                sq_open = true;
            } else if (!fr && sq_open && (i + 1 >= len || !isalpha((unsigned char)s[i + 1]))) {
                rt_buf_adds(&b, "’");
                sq_open = false;
            } else {
                rt_buf_adds(&b, "’");
            }
            i++;
            continue;
        }
        if (fr && (ch == ';' || ch == '!' || ch == '?' || ch == ':') && b.len > 0) {
            /* not in URLs or times: only when followed by a space or the end */
            bool at_end = i + 1 >= len || is_space_byte(s[i + 1]) || s[i + 1] == '"' ||
                          s[i + 1] == ')' || (len - i - 1 >= 2 && memcmp(s + i + 1, "»", 2) == 0) ||
                          s[i + 1] == '!' || s[i + 1] == '?';
            char prev = b.data[b.len - 1];
            bool after_word = !(prev == '!' || prev == '?');
            if (at_end && after_word) {
                trim_trailing_space(&b);
                rt_buf_adds(&b, ch == ':' ? NBSP : NNBSP);
            }
            rt_buf_add(&b, (const char *)&s[i], 1);
            i++;
            continue;
        }
        if (ch == ' ' && last_is_digit(&b)) {
            /* 12 500 -> thin no-break space; 5 % / 10 km -> no-break */
            size_t k = i + 1;
            size_t digits = 0;
            while (k < len && isdigit((unsigned char)s[k])) {
                k++;
                digits++;
            }
            if (digits == 3 && (k == len || !isdigit((unsigned char)s[k])) && fr) {
                rt_buf_adds(&b, NNBSP);
                i++;
                continue;
            }
            size_t ul = unit_len(s + i + 1, len - i - 1);
            if (ul) {
                rt_buf_adds(&b, s[i + 1] == '%' && fr ? NNBSP : NBSP);
                i++;
                continue;
            }
        }
        rt_buf_add(&b, rest, 1);
        i++;
    }
    if (len_out)
        *len_out = b.len;
    return rt_buf_steal(&b);
}
