/* load: the edition file (issues/<edition>/issue.yaml) and everything it
 * references. */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_EDITION_FILE (8u << 20)

static bool valid_date(int y, int m, int d) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
        return false;
    int max = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= max;
}

static void load_date(yctx *c, rt_edition *e, const ynode *v) {
    if (!yn_expect(c, v, YN_SCALAR, "date"))
        return;
    int y, m, d, n = 0;
    if (strlen(v->value) != 10 || sscanf(v->value, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
        n != 10 || !valid_date(y, m, d)) {
        yn_error(c, v, "date must be a real date written YYYY-MM-DD, not '%s'", v->value);
        return;
    }
    e->year = y;
    e->month = m;
    e->day = d;
    e->date = rt_xstrdup(v->value);
}

static void load_messages(yctx *c, rt_edition *e, const ynode *v, rt_diag *d) {
    char *rel = NULL;
    if (!yn_string(c, v, "messages", &rel))
        return;
    e->messages_dir = rt_path_join(e->dir, rel);
    free(rel);
    if (!rt_dir_exists(e->messages_dir)) {
        struct stat st;
        if (stat(e->messages_dir, &st) == 0)
            yn_error(c, v, "messages folder '%s' is not a folder", v->value);
        else
            yn_error(c, v, "messages folder not found: '%s'", v->value);
        return;
    }
    DIR *dp = opendir(e->messages_dir);
    if (!dp) {
        yn_error(c, v, "cannot read the messages folder '%s': %s", v->value, strerror(errno));
        return;
    }
    closedir(dp);
    size_t n;
    char **names = rt_message_files(e->messages_dir, &n, d);
    e->messages = rt_xcalloc(n + 1, sizeof *e->messages);
    for (size_t i = 0; i < n; i++) {
        if (rt_message_load(names[i], e->messages_dir, e->layout, &e->messages[e->n_messages], d))
            e->n_messages++;
        free(names[i]);
    }
    free(names);
}

/* The file an article entry names, identified by device and inode: the
 * same file listed as "articles/x.md", "./articles/x.md" or through a
 * symbolic link is one article. */
typedef struct {
    bool known; /* the file exists */
    dev_t dev;
    ino_t ino;
    int line;   /* where it is listed */
    char *name; /* as written there */
} file_id;

static file_id identify(const char *path, int line) {
    struct stat st;
    file_id id = {false, 0, 0, line, NULL};
    if (stat(path, &st) == 0) {
        id.known = true;
        id.dev = st.st_dev;
        id.ino = st.st_ino;
    }
    return id;
}

/* Index of the entry that is the same file as `id`, or -1. */
static int entry_of(const rt_edition *e, const file_id *ids, file_id id) {
    for (size_t i = 0; id.known && i < e->n_entries; i++)
        if (ids[i].known && ids[i].dev == id.dev && ids[i].ino == id.ino)
            return (int)i;
    return -1;
}

/* Reports why the file an entry names cannot be an article; false if it
 * can be read. */
static bool entry_file_problem(yctx *c, const ynode *n, const char *name, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        yn_error(c, n, "file not found: '%s'", name);
        return true;
    }
    if (!S_ISREG(st.st_mode)) {
        char *why = rt_read_problem(path, S_ISDIR(st.st_mode) ? EISDIR : EINVAL, 0);
        yn_error(c, n, "article '%s' cannot be read: %s", name, why);
        free(why);
        return true;
    }
    return false;
}

/* The entry a front-page key (lead, a teaser) names, or -1 with an error. */
static int front_entry(yctx *c, const rt_edition *e, const file_id *ids, const ynode *x,
                       const char *what) {
    char *path = rt_path_join(e->dir, x->value);
    file_id id = identify(path, x->mark.line);
    free(path);
    int k = ids ? entry_of(e, ids, id) : -1;
    if (k < 0)
        yn_error(c, x, "%s '%s' is not one of the edition's articles%s", what, x->value,
                 id.known ? "" : " (no such file)");
    return k;
}

/* head: only what the message desk needs (paper, language, layout, words,
 * the messages folder's path), no article or message read. */
static rt_edition *edition_load(const char *path, const char *layouts_dir, bool head, rt_diag *d) {
    size_t len;
    int bad;
    char *text = ld_read_text(path, MAX_EDITION_FILE, "edition file", d, &len, &bad);
    if (!text)
        return NULL;
    yctx c = {.path = path, .line_offset = 0, .d = d, .max_depth = 32};
    ynode *root = yn_parse(&c, text, len);
    if (!root || !yn_expect(&c, root, YN_MAP, "an edition")) {
        yn_free(root);
        free(text);
        return NULL;
    }
    rt_edition *e = rt_xcalloc(1, sizeof *e);
    e->path = rt_xstrdup(path);
    e->dir = rt_path_dir(path);
    e->lead = -1;
    static const char *const keys[] = {"paper",    "number",   "date",  "price",
                                       "language", "layout",   "pages", "front",
                                       "articles", "messages", "words", NULL};
    yn_check_keys(&c, root, keys, "the edition");
    ynode *v;
    if ((v = yn_require(&c, root, "paper", "the edition")))
        yn_string(&c, v, "paper", &e->paper);
    if ((v = yn_require(&c, root, "number", "the edition")))
        yn_int(&c, v, "number", 1, 1000000, &e->number);
    if ((v = yn_require(&c, root, "date", "the edition")))
        load_date(&c, e, v);
    if ((v = yn_require(&c, root, "price", "the edition")))
        yn_number(&c, v, "price", 0, 1000, &e->price);
    e->lang = RT_LANG_FR;
    if ((v = yn_require(&c, root, "language", "the edition")) &&
        yn_expect(&c, v, YN_SCALAR, "language")) {
        int l = rt_lang_from_name(v->value);
        if (l < 0)
            yn_error(&c, v, "language must be fr, nl or en, not '%s'", v->value);
        else
            e->lang = l;
    }
    if ((v = yn_require(&c, root, "layout", "the edition")) &&
        yn_expect(&c, v, YN_SCALAR, "layout")) {
        size_t l = strlen(v->value);
        char *lp;
        if (strchr(v->value, '/') || (l > 5 && strcmp(v->value + l - 5, ".yaml") == 0))
            lp = rt_path_join(e->dir, v->value);
        else {
            char *file = rt_xasprintf("%s.yaml", v->value);
            lp = rt_path_join(layouts_dir, file);
            free(file);
        }
        struct stat st;
        if (stat(lp, &st) != 0)
            yn_error(&c, v, "layout not found: '%s' (looked for %s)", v->value, lp);
        else if (!S_ISREG(st.st_mode)) {
            char *why = rt_read_problem(lp, S_ISDIR(st.st_mode) ? EISDIR : EINVAL, 0);
            yn_error(&c, v, "layout '%s' cannot be read: %s", v->value, why);
            free(why);
        } else
            e->layout = rt_layout_load(lp, d);
        free(lp);
    }
    /* the edition's own words (house copy: the call for messages, ...) over
     * the layout's, for the edition's language */
    if ((v = yn_get(root, "words")) && e->layout) {
        char what[64];
        snprintf(what, sizeof what, "the edition's words ('%s')", rt_lang_names[e->lang]);
        ld_load_words(&c, &e->layout->words[e->lang], v, what);
    }
    if ((v = yn_get(root, "pages")) && yn_int(&c, v, "pages", 4, 256, &e->pages) &&
        e->pages % 4 != 0) {
        yn_error(&c, v, "pages must be a multiple of 4 (the press prints sheets of 4 pages)");
        e->pages = 0;
    }
    /* articles */
    file_id *ids = NULL;
    ynode *arts = head ? NULL : yn_require(&c, root, "articles", "the edition");
    if (arts && yn_expect(&c, arts, YN_SEQ, "'articles'")) {
        if (arts->n == 0)
            yn_error(&c, arts, "'articles' is empty");
        e->entries = rt_xcalloc(arts->n + 1, sizeof *e->entries);
        ids = rt_xcalloc(arts->n + 1, sizeof *ids);
        for (size_t i = 0; i < arts->n; i++) {
            const ynode *a = arts->items[i];
            rt_entry en = {0};
            en.mark = a->mark;
            const ynode *file = a;
            if (a->kind == YN_MAP) {
                static const char *const ak[] = {"file",    "page", "span", "position",
                                                 "no_jump", "role", NULL};
                yn_check_keys(&c, a, ak, "an article entry");
                file = yn_require(&c, a, "file", "an article entry");
                const ynode *x;
                if ((x = yn_get(a, "page")))
                    yn_int(&c, x, "page", 1, 256, &en.page);
                if ((x = yn_get(a, "span")) && yn_int(&c, x, "span", 1, 12, &en.span) &&
                    e->layout && en.span > e->layout->columns) {
                    yn_error(&c, x, "span %d is wider than the layout's %d columns", en.span,
                             e->layout->columns);
                }
                if ((x = yn_get(a, "position")) && yn_expect(&c, x, YN_SCALAR, "position")) {
                    if (strcmp(x->value, "top") == 0)
                        en.position = RT_POS_TOP;
                    else if (strcmp(x->value, "bottom") == 0)
                        en.position = RT_POS_BOTTOM;
                    else
                        yn_error(&c, x, "position must be top or bottom, not '%s'", x->value);
                }
                if ((x = yn_get(a, "no_jump")))
                    yn_bool(&c, x, "no_jump", &en.no_jump);
                if ((x = yn_get(a, "role")) && yn_expect(&c, x, YN_SCALAR, "role")) {
                    char *end = NULL;
                    double w = strtod(x->value, &end);
                    bool named = false;
                    for (int r = RT_ROLE_BRIEF; r <= RT_ROLE_LEAD; r++)
                        if (strcmp(x->value, rt_role_names[r]) == 0) {
                            en.role = (rt_role)r;
                            named = true;
                        }
                    if (!named && end && end != x->value && !*end && w >= 1 && w <= 4)
                        en.weight = w;
                    else if (!named)
                        yn_error(&c, x,
                                 "role must be lead, main, secondary, brief or a weight from 1 "
                                 "(brief) to 4 (lead), not '%s'",
                                 x->value);
                }
            } else if (a->kind != YN_SCALAR) {
                yn_error(&c, a, "an article entry must be a file name or a mapping with 'file'");
                file = NULL;
            }
            char *name = NULL;
            file_id id = {false, 0, 0, 0, NULL};
            if (file && yn_string(&c, file, "file", &name)) {
                char *ap = rt_path_join(e->dir, name);
                id = identify(ap, file->mark.line);
                int k = entry_of(e, ids, id);
                if (k >= 0) {
                    if (strcmp(ids[k].name, name) == 0)
                        yn_error(&c, file, "article '%s' is already listed at line %d", name,
                                 ids[k].line);
                    else
                        yn_error(&c, file,
                                 "article '%s' is already listed at line %d (as '%s': the same "
                                 "file)",
                                 name, ids[k].line, ids[k].name);
                    id.known = false; /* the entry stays empty */
                } else if (!entry_file_problem(&c, file, name, ap)) {
                    en.article = rt_article_load(ap, e->lang, d);
                }
                free(ap);
            }
            id.name = name;
            ids[e->n_entries] = id;
            e->entries[e->n_entries++] = en;
        }
    }
    /* front page */
    if (!head && (v = yn_get(root, "front")) && yn_expect(&c, v, YN_MAP, "'front'")) {
        static const char *const fk[] = {"lead", "teasers", NULL};
        yn_check_keys(&c, v, fk, "'front'");
        ynode *x;
        if ((x = yn_get(v, "lead")) && yn_expect(&c, x, YN_SCALAR, "lead"))
            e->lead = front_entry(&c, e, ids, x, "lead");
        if ((x = yn_get(v, "teasers")) && yn_expect(&c, x, YN_SEQ, "teasers")) {
            e->teasers = rt_xcalloc(x->n + 1, sizeof *e->teasers);
            int *lines = rt_xcalloc(x->n + 1, sizeof *lines);
            for (size_t i = 0; i < x->n; i++) {
                const ynode *t = x->items[i];
                if (!yn_expect(&c, t, YN_SCALAR, "a teaser"))
                    continue;
                int k = front_entry(&c, e, ids, t, "teaser");
                if (k < 0)
                    continue;
                size_t j = 0;
                while (j < e->n_teasers && e->teasers[j] != k)
                    j++;
                if (j < e->n_teasers) {
                    yn_error(&c, t, "teaser '%s' is already listed at line %d", t->value, lines[j]);
                    continue;
                }
                lines[e->n_teasers] = t->mark.line;
                e->teasers[e->n_teasers++] = k;
            }
            free(lines);
        }
    }
    if (e->lead < 0 && e->n_entries)
        e->lead = 0;
    if ((v = yn_get(root, "messages")) && head) {
        char *rel = NULL;
        if (yn_string(&c, v, "messages", &rel))
            e->messages_dir = rt_path_join(e->dir, rel);
        free(rel);
    } else if (v)
        load_messages(&c, e, v, d);
    for (size_t i = 0; ids && i < e->n_entries; i++)
        free(ids[i].name);
    free(ids);
    yn_free(root);
    free(text);
    return e;
}

rt_edition *rt_edition_load(const char *path, const char *layouts_dir, rt_diag *d) {
    return edition_load(path, layouts_dir, false, d);
}

rt_edition *rt_edition_load_head(const char *path, const char *layouts_dir, rt_diag *d) {
    return edition_load(path, layouts_dir, true, d);
}

void rt_edition_free(rt_edition *e) {
    if (!e)
        return;
    free(e->path);
    free(e->dir);
    free(e->paper);
    free(e->date);
    rt_layout_free(e->layout);
    free(e->teasers);
    for (size_t i = 0; i < e->n_entries; i++)
        rt_article_free(e->entries[i].article);
    free(e->entries);
    free(e->messages_dir);
    for (size_t i = 0; i < e->n_messages; i++)
        rt_message_clear(&e->messages[i]);
    free(e->messages);
    free(e);
}
