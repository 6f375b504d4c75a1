/* load: a small YAML node tree with source marks, built from libyaml
 * events, and typed accessors that report errors with positions.
 * Private to the load stage. */
#ifndef RT_LOAD_TREE_H
#define RT_LOAD_TREE_H

#include "load.h"

typedef enum { YN_SCALAR, YN_MAP, YN_SEQ } yn_kind;

typedef struct ynode {
    yn_kind kind;
    char *value;  /* scalar */
    bool plain;   /* scalar written without quotes */
    bool block;   /* scalar written as a block (| or >): its text starts a line below */
    bool dquoted; /* scalar written in double quotes (escapes such as \x1b apply) */
    rt_mark mark;
    rt_mark end;          /* just after the node in the source */
    struct ynode **items; /* seq: items; map: key, value, key, value... */
    size_t n;
} ynode;

typedef struct {
    const char *path;
    const char *src; /* the text being parsed (set by yn_parse): errors about a
                      * character inside a value are located in it */
    size_t src_len;
    int line_offset; /* added to every line (front matter inside a .md file) */
    rt_diag *d;
    size_t max_depth;
    int errors;     /* reported through yn_error so far */
    int max_errors; /* stop reporting after this many (0: 25) */
} yctx;

/* Parses YAML text. Returns the document's root or NULL (errors reported).
 * Aliases are refused (no "billion laughs"); nesting is limited. */
ynode *yn_parse(yctx *c, const char *text, size_t len);
void yn_free(ynode *n);

const char *yn_kind_name(yn_kind k);
/* Map lookup; NULL if absent. */
ynode *yn_get(const ynode *map, const char *key);
/* Reports every key of `map` not in the NULL-terminated `allowed` list, and
 * duplicate keys. `what` names the mapping in messages. */
void yn_check_keys(yctx *c, const ynode *map, const char *const *allowed, const char *what);
bool yn_expect(yctx *c, const ynode *n, yn_kind kind, const char *what);
/* Reports a missing required key at the map's position. */
ynode *yn_require(yctx *c, const ynode *map, const char *key, const char *what);

/* Typed values; each reports a located error and returns false on failure. */
bool yn_string(yctx *c, const ynode *n, const char *what, char **out);
bool yn_int(yctx *c, const ynode *n, const char *what, long min, long max, int *out);
bool yn_number(yctx *c, const ynode *n, const char *what, double min, double max, double *out);
bool yn_bool(yctx *c, const ynode *n, const char *what, bool *out);
bool yn_length(yctx *c, const ynode *n, const char *what, double *out); /* "12mm" -> points */
/* Text check: valid UTF-8 and no character rt_char_problem() refuses (the
 * raw file was checked when read: what is found here was written as an
 * escape such as "\x1b" or "\uFFFE", which the error points at). */
bool yn_text_ok(yctx *c, const ynode *n, const char *s);
/* Where the first occurrence of code point cp inside the value of scalar n
 * is in the source (raw, or written as an escape in double quotes): its
 * line and column, and in `how` (when non-NULL, `howlen` bytes) the escape
 * as written, or "" for a raw character. Falls back on n's own mark. */
rt_mark yn_locate(const yctx *c, const ynode *n, unsigned cp, char *how, size_t howlen);
/* Indentation (in characters) of the text of block scalar n: 0 if n is
 * not a block scalar. */
int yn_block_indent(const yctx *c, const ynode *n);

/* Checks an image file named at n with rt_image_check() (a regular file, a
 * whole PNG or JPEG within `lim`); reports what is wrong at n. Fills its
 * size. */
bool rt_load_image_file(yctx *c, const ynode *n, const char *path, const rt_image_limits *lim,
                        int *w, int *h);

/* Reads a text input file (text.c): a regular file of at most `max` bytes
 * (else a located error saying what it is: a folder, a FIFO, too large...),
 * a UTF-16 file refused, a UTF-8 byte-order mark skipped. Every NUL byte,
 * invalid UTF-8 sequence and character rt_char_problem() refuses is
 * reported at its line and column and replaced by a stand-in of the same
 * length (so the text stays parseable and NUL-free); *bad counts them.
 * `what` names the file in messages ("article"). Returns a heap string
 * (the caller frees it), or NULL when nothing could be read. */
char *ld_read_text(const char *path, size_t max, const char *what, rt_diag *d, size_t *len,
                   int *bad);
/* The same check on text already in memory that starts at line `line0` of
 * `path`; returns the count of bad characters. */
int ld_check_text(char *text, size_t len, const char *path, int line0, rt_diag *d);

/* The nodes of the values the geometry checks use, each set only when its
 * value was read: a check runs when all its values are known, so every
 * problem is reported once, and none follows from another. */
typedef struct {
    const ynode *page[3];    /* width, height, bleed */
    const ynode *margins[4]; /* top, bottom, inner, outer */
    const ynode *count, *gutter, *baseline, *masthead, *rule, *ink;
    const ynode *styles[RT_ST_COUNT]; /* the style's node when size and leading were read */
    const ynode *grid;                /* messages.grid, when both numbers were read */
} geo_nodes;

/* The layout's `messages:` section (ratecard.c): the message grid (its node
 * goes to g->grid when both numbers are read) and the rates. */
void ld_load_rate_card(yctx *c, rt_layout *l, const ynode *n, geo_nodes *g);

/* The layout's geometry (geometry.c): every dimension checked against the
 * page and the others, each problem reported once at the value's node. */
void ld_check_geometry(yctx *c, const rt_layout *l, const geo_nodes *g, const ynode *root);

void yn_error(yctx *c, const ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* composition.c: the layout's `composition:` section */
extern const rt_compose_params rt_compose_defaults;
/* words.c: a map of the paper's words (`what` names it in errors) into `w`,
 * each key replacing what was there. */
void ld_load_words(yctx *c, rt_words *w, const ynode *n, const char *what);
void rt_load_composition(yctx *c, rt_layout *l, const ynode *n);

#endif
