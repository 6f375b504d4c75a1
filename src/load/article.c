/* load: articles (Markdown with YAML front matter). */
#include "tree.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ARTICLE (4u << 20)
#define MAX_IMAGE_SIDE 20000
#define MAX_IMAGE_PIXELS 100000000.0
#define MAX_IMAGE_BYTES (200 << 20)

static const rt_image_limits article_image = {MAX_IMAGE_SIDE, MAX_IMAGE_PIXELS, MAX_IMAGE_BYTES,
                                              "an article image"};

bool rt_load_image_file(yctx *c, const ynode *n, const char *path, const rt_image_limits *lim,
                        int *w, int *h) {
    struct stat st;
    if (stat(path, &st) != 0) {
        yn_error(c, n, "file not found: '%s'", n->value);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        yn_error(c, n, "'%s' is a folder, not an image file", n->value);
        return false;
    }
    char *why = rt_image_check(path, lim, w, h);
    if (why) {
        yn_error(c, n, "'%s' %s", n->value, why);
        free(why);
        return false;
    }
    rt_image_defer_place(path, c->path, n->mark, n->value, lim, *w, *h);
    char *note = rt_image_profile_problem(path);
    if (note)
        rt_warning(c->d, c->path, n->mark.line, n->mark.col, "'%s' %s", n->value, note);
    free(note);
    return true;
}

static void load_images(yctx *c, rt_article *a, const ynode *n, const char *dir) {
    if (!yn_expect(c, n, YN_SEQ, "'images'"))
        return;
    a->images = rt_xcalloc(n->n + 1, sizeof *a->images);
    for (size_t i = 0; i < n->n; i++) {
        const ynode *m = n->items[i];
        static const char *const keys[] = {"file", "caption", "credit", "focus", NULL};
        if (!yn_expect(c, m, YN_MAP, "an image"))
            continue;
        yn_check_keys(c, m, keys, "an image");
        rt_image im = {0};
        im.mark = m->mark;
        ynode *v;
        bool ok = false;
        char *rel = NULL;
        if ((v = yn_require(c, m, "file", "an image")) && yn_string(c, v, "file", &rel)) {
            im.file = rt_path_join(dir, rel);
            ok = rt_load_image_file(c, v, im.file, &article_image, &im.width_px, &im.height_px);
        }
        free(rel);
        if ((v = yn_get(m, "caption")))
            yn_string(c, v, "caption", &im.caption);
        if ((v = yn_get(m, "credit")))
            yn_string(c, v, "credit", &im.credit);
        im.focus_x = im.focus_y = 0.5;
        if ((v = yn_get(m, "focus"))) {
            if (v->kind != YN_SEQ || v->n != 2)
                yn_error(c, v,
                         "focus must be [x, y]: where the crop centres, as shares of the "
                         "image's width and height (e.g. [0.5, 0.3])");
            else if (yn_number(c, v->items[0], "focus x", 0, 1, &im.focus_x))
                yn_number(c, v->items[1], "focus y", 0, 1, &im.focus_y);
        }
        if (ok) {
            a->images[a->n_images++] = im;
        } else {
            free(im.file);
            free(im.caption);
            free(im.credit);
        }
    }
}

static void load_related(yctx *c, rt_article *a, const ynode *n) {
    if (!yn_expect(c, n, YN_SEQ, "'related'"))
        return;
    a->related = rt_xcalloc(n->n + 1, sizeof *a->related);
    for (size_t i = 0; i < n->n; i++) {
        const ynode *m = n->items[i];
        static const char *const keys[] = {"title", "url", NULL};
        if (!yn_expect(c, m, YN_MAP, "a related entry"))
            continue;
        yn_check_keys(c, m, keys, "a related entry");
        rt_related r = {0};
        ynode *v;
        if ((v = yn_require(c, m, "title", "a related entry")))
            yn_string(c, v, "title", &r.title);
        if ((v = yn_get(m, "url")))
            yn_string(c, v, "url", &r.url);
        if (r.title)
            a->related[a->n_related++] = r;
        else
            free(r.url);
    }
}

rt_article *rt_article_load(const char *path, int lang, rt_diag *d) {
    size_t len;
    int bad;
    /* every character of the file checked and located (the body's too):
     * the front matter and the body are still parsed for their other
     * problems, but such an article is never composed */
    char *text = ld_read_text(path, MAX_ARTICLE, "article", d, &len, &bad);
    if (!text)
        return NULL;
    /* front matter: first line "---", until the next line "---" */
    if (strncmp(text, "---", 3) != 0 || (text[3] != '\n' && text[3] != '\r')) {
        rt_error(d, path, 1, 1, "article must start with YAML front matter ('---')");
        free(text);
        return NULL;
    }
    if (text[3] == '\r' && text[4] != '\n') {
        rt_error(d, path, 1, 4,
                 "lines end with a lone carriage return (old Mac format); save the file with "
                 "LF or CRLF line endings");
        free(text);
        return NULL;
    }
    const char *fm = text + (text[3] == '\r' ? 5 : 4);
    const char *end = NULL;
    int line = 2, end_line = 0;
    for (const char *p = fm; *p;) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        if ((ll == 3 || (ll == 4 && p[3] == '\r')) && strncmp(p, "---", 3) == 0) {
            end = p;
            end_line = line;
            break;
        }
        if (!nl)
            break;
        p = nl + 1;
        line++;
    }
    if (!end) {
        rt_error(d, path, 1, 1, "front matter is not closed (no second '---' line)");
        free(text);
        return NULL;
    }
    yctx c = {.path = path, .line_offset = 1, .d = d, .max_depth = 32};
    ynode *root = yn_parse(&c, fm, (size_t)(end - fm));
    rt_article *a = rt_xcalloc(1, sizeof *a);
    a->path = rt_xstrdup(path);
    a->lang = lang;
    const char *body = strchr(end, '\n');
    body = body ? body + 1 : end + 3;
    a->body = rt_xstrdup(body);
    a->body_line = end_line + 1;
    if (!root) {
        if (!d->errors)
            rt_error(d, path, 2, 1, "front matter is empty");
        free(text);
        rt_article_free(a);
        return NULL;
    }
    if (!yn_expect(&c, root, YN_MAP, "the front matter")) {
        yn_free(root);
        free(text);
        rt_article_free(a);
        return NULL;
    }
    static const char *const keys[] = {"title",    "kicker", "standfirst", "byline", "section",
                                       "language", "images", "related",    NULL};
    yn_check_keys(&c, root, keys, "article front matter");
    ynode *v;
    if ((v = yn_require(&c, root, "title", "article front matter")))
        yn_string(&c, v, "title", &a->title);
    if ((v = yn_get(root, "kicker")))
        yn_string(&c, v, "kicker", &a->kicker);
    if ((v = yn_get(root, "standfirst")))
        yn_string(&c, v, "standfirst", &a->standfirst);
    if ((v = yn_get(root, "byline")))
        yn_string(&c, v, "byline", &a->byline);
    if ((v = yn_get(root, "section")))
        yn_string(&c, v, "section", &a->section);
    if ((v = yn_get(root, "language")) && yn_expect(&c, v, YN_SCALAR, "language")) {
        int l = rt_lang_from_name(v->value);
        if (l < 0)
            yn_error(&c, v, "language must be fr, nl or en, not '%s'", v->value);
        else
            a->lang = l;
    }
    char *dir = rt_path_dir(path);
    if ((v = yn_get(root, "images")))
        load_images(&c, a, v, dir);
    if ((v = yn_get(root, "related")))
        load_related(&c, a, v);
    free(dir);
    yn_free(root);
    free(text); /* after the last error that may point into it */
    /* returned even without a title (an error was reported), so that the
     * body's own problems are reported too; nothing is composed after errors */
    return a;
}

void rt_article_free(rt_article *a) {
    if (!a)
        return;
    free(a->path);
    free(a->title);
    free(a->kicker);
    free(a->standfirst);
    free(a->byline);
    free(a->section);
    for (size_t i = 0; i < a->n_images; i++) {
        free(a->images[i].file);
        free(a->images[i].caption);
        free(a->images[i].credit);
    }
    free(a->images);
    for (size_t i = 0; i < a->n_related; i++) {
        free(a->related[i].title);
        free(a->related[i].url);
    }
    free(a->related);
    free(a->body);
    free(a);
}
