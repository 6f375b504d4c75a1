/* load: a small YAML node tree with source marks, built from libyaml
 * events, and typed accessors that report errors with positions.
 * Private to the load stage. */
#ifndef RT_LOAD_TREE_H
#define RT_LOAD_TREE_H

#include "load.h"

typedef enum { YN_SCALAR, YN_MAP, YN_SEQ } yn_kind;

typedef struct ynode {
    yn_kind kind;
    char *value; /* scalar */
    bool plain;  /* scalar written without quotes */
    bool block;  /* scalar written as a block (| or >): its text starts a line below */
    rt_mark mark;
    struct ynode **items; /* seq: items; map: key, value, key, value... */
    size_t n;
} ynode;

typedef struct {
    const char *path;
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
/* Text check: valid UTF-8, no control characters but \n and \t. */
bool yn_text_ok(yctx *c, const ynode *n, const char *s);

/* Checks an image file named at n (exists, PNG/JPEG, within the pixel
 * limits); fills its size. */
bool rt_load_image_file(yctx *c, const ynode *n, const char *path, int *w, int *h);

void yn_error(yctx *c, const ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* composition.c: the layout's `composition:` section */
extern const rt_compose_params rt_compose_defaults;
void rt_load_composition(yctx *c, rt_layout *l, const ynode *n);

#endif
