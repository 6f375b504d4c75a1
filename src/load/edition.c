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

/* Index of the file among `ids` that is the same file as `id`, or -1. */
static int file_of(const file_id *ids, size_t n, file_id id) {
    for (size_t i = 0; id.known && i < n; i++)
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
    int k = ids ? file_of(ids, e->n_entries, id) : -1;
    if (k < 0 && ids && file_of(ids + e->n_entries, e->n_reserve, id) >= 0)
        yn_error(c, x,
                 "%s '%s' is a story of the reserve: the front page's stories are the "
                 "edition's articles",
                 what, x->value);
    else if (k < 0)
        yn_error(c, x, "%s '%s' is not one of the edition's articles%s", what, x->value,
                 id.known ? "" : " (no such file)");
    return k;
}

/* One entry of 'articles' or 'reserve': a file name, or a mapping with
 * 'file' and how the story is placed. `ids` holds the `n_ids` files listed
 * before it; its own goes to `id`. */
static rt_entry load_entry(yctx *c, rt_edition *e, const file_id *ids, size_t n_ids, const ynode *a,
                           file_id *id_out, rt_diag *d) {
    rt_entry en = {0};
    en.mark = a->mark;
    const ynode *file = a;
    if (a->kind == YN_MAP) {
        static const char *const ak[] = {"file",    "page", "span", "position",
                                         "no_jump", "role", NULL};
        yn_check_keys(c, a, ak, "an article entry");
        file = yn_require(c, a, "file", "an article entry");
        const ynode *x;
        if ((x = yn_get(a, "page")))
            yn_int(c, x, "page", 1, 256, &en.page);
        if ((x = yn_get(a, "span")) && yn_int(c, x, "span", 1, 12, &en.span) && e->layout &&
            en.span > e->layout->columns) {
            yn_error(c, x, "span %d is wider than the layout's %d columns", en.span,
                     e->layout->columns);
        }
        if ((x = yn_get(a, "position")) && yn_expect(c, x, YN_SCALAR, "position")) {
            if (strcmp(x->value, "top") == 0)
                en.position = RT_POS_TOP;
            else if (strcmp(x->value, "bottom") == 0)
                en.position = RT_POS_BOTTOM;
            else
                yn_error(c, x, "position must be top or bottom, not '%s'", x->value);
        }
        if ((x = yn_get(a, "no_jump")))
            yn_bool(c, x, "no_jump", &en.no_jump);
        if ((x = yn_get(a, "role")) && yn_expect(c, x, YN_SCALAR, "role")) {
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
                yn_error(c, x,
                         "role must be lead, main, secondary, brief or a weight from 1 "
                         "(brief) to 4 (lead), not '%s'",
                         x->value);
        }
    } else if (a->kind != YN_SCALAR) {
        yn_error(c, a, "an article entry must be a file name or a mapping with 'file'");
        file = NULL;
    }
    char *name = NULL;
    file_id id = {false, 0, 0, 0, NULL};
    if (file && yn_string(c, file, "file", &name)) {
        char *ap = rt_path_join(e->dir, name);
        id = identify(ap, file->mark.line);
        int k = file_of(ids, n_ids, id);
        if (k >= 0) {
            if (strcmp(ids[k].name, name) == 0)
                yn_error(c, file, "article '%s' is already listed at line %d", name, ids[k].line);
            else
                yn_error(c, file,
                         "article '%s' is already listed at line %d (as '%s': the same "
                         "file)",
                         name, ids[k].line, ids[k].name);
            id.known = false; /* the entry stays empty */
        } else if (!entry_file_problem(c, file, name, ap)) {
            en.article = rt_article_load(ap, e->lang, d);
        }
        free(ap);
    }
    id.name = name;
    *id_out = id;
    return en;
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
    static const char *const keys[] = {"paper",    "number", "date",  "price",    "language",
                                       "layout",   "pages",  "front", "articles", "reserve",
                                       "messages", "words",  NULL};
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
    /* articles, then the reserve: stories printed only where the copy
     * falls short (one list of files, so that none is listed twice) */
    ynode *arts = head ? NULL : yn_require(&c, root, "articles", "the edition");
    ynode *res = head ? NULL : yn_get(root, "reserve");
    size_t n_ids =
        (arts && arts->kind == YN_SEQ ? arts->n : 0) + (res && res->kind == YN_SEQ ? res->n : 0);
    file_id *ids = head ? NULL : rt_xcalloc(n_ids + 1, sizeof *ids);
    size_t n_known = 0;
    if (arts && yn_expect(&c, arts, YN_SEQ, "'articles'")) {
        if (arts->n == 0)
            yn_error(&c, arts, "'articles' is empty");
        e->entries = rt_xcalloc(arts->n + 1, sizeof *e->entries);
        for (size_t i = 0; i < arts->n; i++) {
            e->entries[e->n_entries++] =
                load_entry(&c, e, ids, n_known, arts->items[i], &ids[n_known], d);
            n_known++;
        }
    }
    if (res && yn_expect(&c, res, YN_SEQ, "'reserve'")) {
        e->reserve = rt_xcalloc(res->n + 1, sizeof *e->reserve);
        for (size_t i = 0; i < res->n; i++) {
            rt_entry en = load_entry(&c, e, ids, n_known, res->items[i], &ids[n_known], d);
            n_known++;
            en.reserve = true;
            if (en.page && en.article)
                yn_error(&c, res->items[i],
                         "a story of the reserve has no 'page': it prints only where the "
                         "copy falls short");
            e->reserve[e->n_reserve++] = en;
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
    for (size_t i = 0; ids && i < n_known; i++)
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
    for (size_t i = 0; i < e->n_reserve; i++)
        rt_article_free(e->reserve[i].article);
    free(e->reserve);
    free(e->messages_dir);
    for (size_t i = 0; i < e->n_messages; i++)
        rt_message_clear(&e->messages[i]);
    free(e->messages);
    free(e);
}

bool rt_same_section(const rt_article *a, const rt_article *b) {
    const char *x = a ? a->section : NULL, *y = b ? b->section : NULL;
    return (x && y && strcmp(x, y) == 0) || (!x && !y);
}

rt_edition *rt_edition_with_reserve(const rt_edition *e, const bool *take, int *from) {
    rt_edition *v = rt_xmalloc(sizeof *v);
    *v = *e;
    size_t n = e->n_entries;
    for (size_t r = 0; r < e->n_reserve; r++)
        n += take[r];
    v->entries = rt_xcalloc(n + 1, sizeof *v->entries);
    v->n_entries = 0;
    v->reserve = rt_xcalloc(e->n_reserve + 1, sizeof *v->reserve); /* what stays in it */
    v->n_reserve = 0;
    for (size_t r = 0; r < e->n_reserve; r++)
        if (!take[r])
            v->reserve[v->n_reserve++] = e->reserve[r];
    for (size_t i = 0; i < e->n_entries; i++) {
        from[v->n_entries] = (int)i;
        v->entries[v->n_entries++] = e->entries[i];
    }
    for (size_t r = 0; r < e->n_reserve; r++) {
        if (!take[r])
            continue;
        const rt_article *a = e->reserve[r].article;
        size_t at = v->n_entries; /* after the last story of its section */
        for (size_t i = v->n_entries; i-- > 0;)
            if (rt_same_section(v->entries[i].article, a)) {
                at = i + 1;
                break;
            }
        memmove(v->entries + at + 1, v->entries + at, (v->n_entries - at) * sizeof *v->entries);
        memmove(from + at + 1, from + at, (v->n_entries - at) * sizeof *from);
        v->entries[at] = e->reserve[r];
        from[at] = -1 - (int)r;
        v->n_entries++;
    }
    /* the front page's stories, where they went */
    int *to = rt_xcalloc(e->n_entries + 1, sizeof *to);
    for (size_t i = 0; i < v->n_entries; i++)
        if (from[i] >= 0)
            to[from[i]] = (int)i;
    if (e->lead >= 0 && (size_t)e->lead < e->n_entries)
        v->lead = to[e->lead];
    v->teasers = rt_xcalloc(e->n_teasers + 1, sizeof *v->teasers);
    for (size_t i = 0; i < e->n_teasers; i++)
        v->teasers[i] = to[e->teasers[i]];
    free(to);
    return v;
}

void rt_edition_view_free(rt_edition *v) {
    if (!v)
        return;
    free(v->entries);
    free(v->teasers);
    free(v->reserve);
    free(v);
}
