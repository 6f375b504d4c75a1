/* build: the supporter-message intake (rotative intake check | proof |
 * report). Each message file is loaded with every limit of the loader,
 * its text parsed with the message profile, then typeset in its format's
 * box exactly as the edition will print it.
 *
 * Longer than 600 lines: the desk a server keeps open (rotative serve)
 * shares the checks and the report's rules with the three commands, here
 * rather than behind a header that would expose them. */
#include "intake.h"

#include "../compose/compose.h"
#include "../finish/finish.h"
#include "../load/load.h"
#include "../parse/parse.h"
#include "../render/render.h"
#include "../compose/shape/shape.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    rt_layout *layout;
    rt_edition *edition; /* the messages' edition (its file only), owned; NULL if none */
    char *used;          /* which layout, and why: "layout 'a4' (the edition's: ...)" */
    rt_fonts *fonts;
    rt_shaper *shaper;
    rt_edition ed; /* a stand-in edition: the layout and the language */
    rt_compose_ctx ctx;
} intake_env;

static void env_done(intake_env *v) {
    rt_shaper_free(v->shaper);
    rt_fonts_free(v->fonts);
    if (v->edition)
        rt_edition_free(v->edition); /* and its layout */
    else
        rt_layout_free(v->layout);
    free(v->used);
    memset(v, 0, sizeof *v);
}

static int env_make(intake_env *v, const rt_intake_opts *o, const char *first, rt_diag *d);
static int env_finish(intake_env *v, const rt_intake_opts *o, rt_diag *d);

/* `path` as the user would write it: relative to the working folder when
 * under it. */
static char *shown_path(const char *abs) {
    char *cwd = realpath(".", NULL);
    size_t n = cwd ? strlen(cwd) : 0;
    char *s = cwd && strncmp(abs, cwd, n) == 0 && abs[n] == '/' ? rt_xstrdup(abs + n + 1)
                                                                : rt_xstrdup(abs);
    free(cwd);
    return s;
}

/* The edition a message file or folder belongs to: the first issue.yaml in
 * its folder or above whose messages folder holds it. NULL if none. */
static char *find_edition(const char *path, const char *layouts_dir) {
    char *real = realpath(path, NULL);
    if (!real)
        return NULL;
    char *dir = rt_dir_exists(real) ? rt_xstrdup(real) : rt_path_dir(real);
    char *found = NULL;
    FILE *null = fopen("/dev/null", "w");
    for (int up = 0; up < 32 && !found; up++) {
        char *cand = rt_path_join(dir, "issue.yaml");
        if (rt_file_exists(cand)) {
            rt_diag q;
            rt_diag_init(&q, null ? null : stderr);
            q.silent = true;
            rt_edition *e = rt_edition_load_head(cand, layouts_dir, &q);
            char *md = e && e->messages_dir ? realpath(e->messages_dir, NULL) : NULL;
            size_t n = md ? strlen(md) : 0;
            if (md && strncmp(real, md, n) == 0 && (real[n] == '/' || !real[n]))
                found = shown_path(cand);
            free(md);
            rt_edition_free(e);
            rt_diag_clear(&q);
        }
        free(cand);
        if (strcmp(dir, "/") == 0)
            break;
        char *parent = rt_path_dir(dir);
        free(dir);
        dir = parent;
    }
    free(dir);
    free(real);
    if (null)
        fclose(null);
    return found;
}

/* Returns 0, or the exit status (1 bad layout, 2 I/O) with nothing left to
 * free. */
static int env_init(intake_env *v, const rt_intake_opts *o, const char *first, rt_diag *d) {
    int status = env_make(v, o, first, d);
    if (status)
        env_done(v);
    return status;
}

/* The layout: --layout, else the edition's (--edition, or the one the
 * first path belongs to), else the tabloid. */
static int env_make(intake_env *v, const rt_intake_opts *o, const char *first, rt_diag *d) {
    memset(v, 0, sizeof *v);
    if (!o->layout) {
        char *layouts = rt_path_join(o->data_dir, "layouts");
        char *ed = o->edition ? rt_xstrdup(o->edition)
                   : first    ? find_edition(first, layouts)
                              : NULL;
        if (ed) {
            int errors0 = d->errors;
            v->edition = rt_edition_load_head(ed, layouts, d);
            if (!v->edition || d->errors > errors0 || !v->edition->layout) {
                int status = v->edition || rt_file_exists(ed) ? 1 : 2;
                if (d->errors == errors0)
                    rt_error(d, ed, 0, 0, "cannot use this edition file");
                free(ed);
                free(layouts);
                return status;
            }
            v->layout = v->edition->layout;
            v->used = rt_xasprintf("layout '%s' of the edition %s",
                                   v->layout->name ? v->layout->name : "", ed);
            free(ed);
        }
        free(layouts);
    }
    if (v->edition)
        return env_finish(v, o, d);
    const char *name = o->layout ? o->layout : "tabloid";
    char *path;
    if (strchr(name, '/') || (strlen(name) > 5 && strcmp(name + strlen(name) - 5, ".yaml") == 0))
        path = rt_xstrdup(name);
    else {
        char *file = rt_xasprintf("layouts/%s.yaml", name);
        path = rt_path_join(o->data_dir, file);
        free(file);
    }
    if (!rt_file_exists(path)) {
        char *why = rt_read_problem(path, errno, 0);
        rt_error(d, path, 0, 0, "layout not found: %s", why);
        free(why);
        free(path);
        return 2;
    }
    int errors0 = d->errors;
    v->layout = rt_layout_load(path, d);
    if (!v->layout || d->errors > errors0) { /* never fit messages with a broken layout */
        free(path);
        return 1;
    }
    v->used = rt_xasprintf("layout '%s'%s", v->layout->name ? v->layout->name : "",
                           o->layout ? " from --layout"
                                     : ", the default: no edition above names this messages "
                                       "folder (--edition FILE or --layout NAME)");
    free(path);
    return env_finish(v, o, d);
}

/* Rate card, language, fonts, shaper. */
static int env_finish(intake_env *v, const rt_intake_opts *o, rt_diag *d) {
    if (!v->layout->n_rates) {
        rt_error(d, v->layout->path, 0, 0, "this layout has no message rate card ('messages')");
        return 1;
    }
    int lang = o->lang ? rt_lang_from_name(o->lang) : v->edition ? v->edition->lang : RT_LANG_FR;
    if (lang < 0) {
        rt_error(d, NULL, 0, 0, "unknown language '%s' (fr, nl or en)", o->lang);
        return 2;
    }
    char *fonts_dir = rt_path_join(o->data_dir, "fonts");
    v->fonts = rt_fonts_new(fonts_dir, d);
    free(fonts_dir);
    if (!v->fonts || !rt_compose_check_fonts(v->layout, v->fonts, d))
        return v->fonts ? 1 : 2;
    v->shaper = rt_shaper_new(v->fonts, o->hyphen_dir, d);
    v->ed.layout = v->layout;
    v->ed.lang = lang;
    v->ed.paper = v->edition && v->edition->paper ? v->edition->paper : "";
    char *used = rt_xasprintf("%s, language %s", v->used, rt_lang_names[lang]);
    free(v->used);
    v->used = used;
    v->ctx = (rt_compose_ctx){.shaper = v->shaper, .fonts = v->fonts};
    return 0;
}

/* One message file, checked completely. */
typedef struct {
    char *path;
    rt_message m;
    bool loaded;
    bool valid;
    char *reason; /* first error, for the report */
    rt_message_fit fit;
} intake_item;

/* The files of a folder that are not messages (the loader's warnings), as
 * items that must not be forgotten. */
static void add_non_messages(const rt_diag *d, intake_item **items_, size_t *n_, size_t *cap_) {
    intake_item *items = *items_;
    size_t n = *n_, cap = *cap_;
    for (size_t i = 0; i < d->n_items; i++) {
        const rt_diag_item *w = &d->items[i];
        if (w->severity == RT_WARNING && w->path && strstr(w->message, "not a message file")) {
            intake_item it = {.path = rt_xstrdup(w->path),
                              .m = {.rate = -1},
                              .reason = rt_xstrdup("not a message file (.yaml or .yml)")};
            RT_PUSH(items, n, cap, it);
        }
    }
    *items_ = items;
    *n_ = n;
    *cap_ = cap;
}

/* Formats from the smallest box to the largest (then by price). */
static const rt_layout *sort_layout;
static int cmp_rate(const void *pa, const void *pb) {
    const rt_rate *a = &sort_layout->rates[*(const int *)pa],
                  *b = &sort_layout->rates[*(const int *)pb];
    int aa = a->columns * a->rows, ab = b->columns * b->rows;
    if (aa != ab)
        return aa - ab;
    return a->price < b->price ? -1 : a->price > b->price;
}

static void check_one(intake_env *v, intake_item *it, rt_diag *d) {
    int errors0 = d->errors;
    size_t items0 = d->n_items;
    char *dir = rt_path_dir(it->path);
    it->loaded = rt_message_load_partial(it->path, dir, v->layout, &it->m, d);
    free(dir);
    if (it->loaded && it->m.text) {
        rt_doc *doc =
            rt_markdown_parse_at(it->m.text, strlen(it->m.text), it->m.path, it->m.text_mark.line,
                                 it->m.text_indent, RT_MD_MESSAGE, d);
        if (d->errors == errors0 && it->m.rate >= 0) {
            rt_fit_message(&v->ed, &it->m, doc, it->m.rate, &v->ctx, &it->fit);
            if (!it->fit.fits)
                rt_report_message_fit(&v->ed, &it->m, doc, it->m.rate, &v->ctx, &it->fit, d);
        }
        rt_doc_free(doc);
    }
    /* a character no font has would print as an empty box */
    const char *files[2] = {it->path, v->layout->path};
    rt_compose_report_missing(&v->ctx, files, 2, d);
    it->valid = it->loaded && d->errors == errors0;
    for (size_t k = items0; k < d->n_items && !it->reason; k++)
        if (d->items[k].severity == RT_ERROR)
            it->reason = rt_xstrdup(d->items[k].message);
    if (!it->valid && !it->reason)
        it->reason = rt_xstrdup("invalid");
}

/* Expands the command line into message files; reports what is not one. */
static intake_item *collect(char **paths, int n_paths, size_t *n_out, int *status, rt_diag *d) {
    intake_item *items = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < n_paths; i++) {
        if (rt_dir_exists(paths[i])) {
            size_t k;
            char **files = rt_message_files(paths[i], &k, d);
            for (size_t j = 0; j < k; j++) {
                intake_item it = {files[j], {0}, false, false, NULL, {0}};
                RT_PUSH(items, n, cap, it);
            }
            free(files);
        } else if (!rt_file_exists(paths[i])) {
            char *why = rt_read_problem(paths[i], errno, 0);
            rt_error(d, paths[i], 0, 0, "cannot read: %s", why);
            free(why);
            *status = 2;
        } else if (!rt_is_message_file(strrchr(paths[i], '/') ? strrchr(paths[i], '/') + 1
                                                              : paths[i])) {
            rt_error(d, paths[i], 0, 0, "not a message file (.yaml or .yml)");
            if (*status == 0)
                *status = 1;
        } else {
            intake_item it = {rt_xstrdup(paths[i]), {0}, false, false, NULL, {0}};
            RT_PUSH(items, n, cap, it);
        }
    }
    *n_out = n;
    return items;
}

/* Two files with the same payment reference: one payment, two messages. */
static void check_references(intake_item *items, size_t n, rt_diag *d) {
    for (size_t i = 0; i < n; i++) {
        if (!items[i].loaded || !items[i].m.reference)
            continue;
        for (size_t j = 0; j < i; j++)
            if (items[j].loaded && items[j].m.reference &&
                strcmp(items[i].m.reference, items[j].m.reference) == 0) {
                rt_error(d, items[i].path, 0, 0,
                         "payment reference '%s' is also the reference of %s (a message sent "
                         "twice?)",
                         items[i].m.reference, items[j].path);
                items[i].valid = false;
                if (!items[i].reason)
                    items[i].reason = rt_xstrdup("duplicate payment reference");
                break;
            }
    }
}

static void free_items(intake_item *items, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(items[i].path);
        free(items[i].reason);
        rt_message_clear(&items[i].m);
    }
    free(items);
}

static const char *const status_names[] = {"paid", "pending", "offered"};

int rt_intake_check(char **paths, int n_paths, const rt_intake_opts *o, FILE *out, rt_diag *d) {
    intake_env v;
    int status = env_init(&v, o, n_paths ? paths[0] : NULL, d);
    if (status)
        return status;
    fprintf(out, "checked on the %s\n", v.used);
    size_t n;
    intake_item *items = collect(paths, n_paths, &n, &status, d);
    size_t valid = 0;
    for (size_t i = 0; i < n; i++)
        check_one(&v, &items[i], d);
    check_references(items, n, d);
    for (size_t i = 0; i < n; i++) {
        if (!items[i].valid)
            continue;
        valid++;
        const rt_message *m = &items[i].m;
        char extra[160] = "";
        if (m->short_paid)
            snprintf(extra, sizeof extra, " (under the price %.2f: held, not printed)",
                     v.layout->rates[m->rate].price);
        else if (m->donation > 0)
            snprintf(extra, sizeof extra, " (a donation of %.2f over the price)", m->donation);
        fprintf(out, "%s: ok: '%s', %s, %s %.2f%s, reference %s\n", items[i].path, m->from,
                m->format, status_names[m->status % 3], m->amount, extra, m->reference);
    }
    fprintf(stderr, "%zu message file%s: %zu valid, %zu invalid\n", n, n == 1 ? "" : "s", valid,
            n - valid);
    if (status == 0 && valid < n)
        status = 1;
    if (status == 0 && n == 0) {
        rt_error(d, NULL, 0, 0, "no message files given");
        status = 1;
    }
    free_items(items, n);
    env_done(&v);
    return status;
}

/* Characters (code points) in a UTF-8 string. */
static size_t utf8_width(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* s cut to `width` characters, then spaces to `width`. */
static void pad(FILE *f, const char *s, int width) {
    int n = 0;
    const char *p = s;
    while (*p && n <= width) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++n > width)
            break;
        p++;
    }
    fwrite(s, 1, (size_t)(p - s), f);
    for (int k = n > width ? width : n; k < width; k++)
        fputc(' ', f);
}

static void csv_field(FILE *f, const char *s) {
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
    fputc('"', f);
}

int rt_intake_report(const char *dir, bool csv, const rt_intake_opts *o, FILE *out, rt_diag *d) {
    intake_env v;
    int status = env_init(&v, o, dir, d);
    if (status)
        return status;
    if (!rt_dir_exists(dir)) {
        rt_error(d, dir, 0, 0, "not a folder of messages");
        env_done(&v);
        return 2;
    }
    size_t n;
    char *dirs[1] = {(char *)dir};
    FILE *quiet = fopen("/dev/null", "w");
    FILE *saved = d->out;
    d->out = quiet ? quiet : saved; /* problems go in the report, not on stderr */
    bool keep = d->keep;
    d->keep = true;
    int errors0 = d->errors;
    intake_item *items = collect(dirs, 1, &n, &status, d);
    for (size_t i = 0; i < n; i++)
        check_one(&v, &items[i], d);
    /* files that are not messages are listed too: a message saved as .txt
     * must not be forgotten */
    size_t cap = n;
    add_non_messages(d, &items, &n, &cap);
    check_references(items, n, d);
    d->errors = errors0; /* rejected files are the report's content, not a failure */
    d->out = saved;
    d->keep = keep;
    if (quiet)
        fclose(quiet);
    const rt_layout *l = v.layout;
    double received = 0, pending = 0, offered = 0, donations = 0, short_paid = 0;
    int n_print = 0, n_held = 0, n_rejected = 0;
    int *per_format = rt_xcalloc(l->n_rates + 1, sizeof *per_format);
    if (csv)
        fputs("file,from,format,columns,rows,price,amount,status,state,reason,reference,contact,"
              "layout\n",
              out);
    else
        fprintf(out, "report on the %s\n\n", v.used);
    int fw = 4; /* file names in full: the report is how a file is found again */
    for (size_t i = 0; i < n; i++) {
        const char *name =
            strrchr(items[i].path, '/') ? strrchr(items[i].path, '/') + 1 : items[i].path;
        if ((int)utf8_width(name) > fw)
            fw = (int)utf8_width(name);
    }
    if (!csv)
        fprintf(out, "%-*s %-30s %-6s %8s %8s %-8s %s\n", fw, "file", "from", "format", "price",
                "amount", "status", "state");
    for (size_t i = 0; i < n; i++) {
        intake_item *it = &items[i];
        const rt_message *m = &it->m;
        const rt_rate *r = m->rate >= 0 ? &l->rates[m->rate] : NULL;
        bool has_pay = m->reference != NULL || m->amount > 0;
        const char *state, *reason = "";
        char gift[64];
        if (!it->valid) {
            state = "rejected";
            reason = it->reason;
            n_rejected++;
        } else if (m->status == RT_PAY_PENDING) {
            state = "held";
            reason = "payment pending";
            n_held++;
            pending += r->price;
        } else if (m->short_paid) {
            state = "held";
            reason = m->short_paid;
            n_held++;
            short_paid += m->amount;
        } else {
            state = "to print";
            n_print++;
            per_format[m->rate]++;
            if (m->donation > 0) {
                snprintf(gift, sizeof gift, "a donation of %.2f", m->donation);
                reason = gift;
                donations += m->donation;
            }
            if (m->status == RT_PAY_PAID)
                received += m->amount;
            else
                offered += r->price;
        }
        const char *name = strrchr(it->path, '/') ? strrchr(it->path, '/') + 1 : it->path;
        if (csv) {
            csv_field(out, it->path);
            fputc(',', out);
            csv_field(out, m->from);
            fputc(',', out);
            csv_field(out, m->format);
            if (r)
                fprintf(out, ",%d,%d,%.2f", r->columns, r->rows, r->price);
            else
                fputs(",,,", out);
            if (has_pay)
                fprintf(out, ",%.2f,%s,", m->amount, status_names[m->status % 3]);
            else
                fputs(",,,", out);
            csv_field(out, state);
            fputc(',', out);
            csv_field(out, reason);
            fputc(',', out);
            csv_field(out, m->reference);
            fputc(',', out);
            csv_field(out, m->contact);
            fputc(',', out);
            csv_field(out, l->name);
            fputc('\n', out);
        } else {
            char price[32] = "", amount[32] = "";
            if (r)
                snprintf(price, sizeof price, "%.2f", r->price);
            if (has_pay)
                snprintf(amount, sizeof amount, "%.2f", m->amount);
            /* padded by characters, not bytes: accented names keep the columns */
            pad(out, name, fw);
            fputc(' ', out);
            pad(out, m->from ? m->from : "", 30);
            fputc(' ', out);
            pad(out, m->format ? m->format : "", 6);
            fprintf(out, " %8s %8s %-8s %s%s%s\n", price, amount,
                    has_pay ? status_names[m->status % 3] : "", state, *reason ? ": " : "", reason);
        }
    }
    if (!csv) {
        fprintf(out,
                "\n%zu messages: %d to print, %d held (payment pending or short), %d rejected\n", n,
                n_print, n_held, n_rejected);
        for (size_t k = 0; k < l->n_rates; k++)
            if (per_format[k])
                fprintf(out, "  %-6s x %-3d (%d x %d modules)\n", l->rates[k].name, per_format[k],
                        l->rates[k].columns, l->rates[k].rows);
        fprintf(out, "received (paid, to print): %.2f\n", received);
        if (donations > 0)
            fprintf(out, "  of which donations (paid over the price): %.2f\n", donations);
        if (short_paid > 0)
            fprintf(out, "received for held messages (paid under the price): %.2f\n", short_paid);
        fprintf(out, "offered (printed free, at the rate card): %.2f\n", offered);
        fprintf(out, "expected (held, payment pending): %.2f\n", pending);
    }
    free(per_format);
    free_items(items, n);
    env_done(&v);
    return status;
}

typedef struct {
    rt_composition *comp;
    const rt_layout *l;
    double dpi;
    bool png;
} proof_job;

int rt_intake_proof(const char *file, const char *output, double dpi, const rt_intake_opts *o,
                    rt_diag *d) {
    intake_env v;
    int status = env_init(&v, o, file, d);
    if (status)
        return status;
    size_t n;
    fprintf(stderr, "proof on the %s\n", v.used);
    char *paths[1] = {(char *)file};
    intake_item *items = collect(paths, 1, &n, &status, d);
    if (n != 1) {
        free_items(items, n);
        env_done(&v);
        return status ? status : 1;
    }
    check_one(&v, &items[0], d);
    if (!items[0].valid) {
        free_items(items, n);
        env_done(&v);
        return 1;
    }
    const rt_message *m = &items[0].m;
    rt_doc *doc = rt_markdown_parse_at(m->text, strlen(m->text), m->path, m->text_mark.line,
                                       m->text_indent, RT_MD_MESSAGE, d);
    if (rt_same_file(output, m->path) || rt_same_file(output, m->logo)) {
        rt_error(d, output, 0, 0,
                 "the proof would overwrite the %s: nothing was written; choose another name",
                 rt_same_file(output, m->path) ? "message file" : "message's logo");
        rt_doc_free(doc);
        free_items(items, n);
        env_done(&v);
        return 2;
    }
    rt_composition *comp = rt_message_proof(&v.ed, m, doc, &v.ctx, d);
    rt_output *out = comp ? rt_output_begin(output, d) : NULL;
    status = comp ? 2 : 1;
    if (out) {
        size_t len = strlen(output);
        bool png = len > 4 && strcasecmp(output + len - 4, ".png") == 0;
        bool ok =
            png ? rt_render_png(comp, v.layout, 1, dpi > 0 ? dpi : 150, rt_output_file(out), d)
                : rt_render_pdf(comp, v.layout, rt_output_file(out), NULL, d);
        /* a PDF proof is read back before it is put in place */
        if (ok && !png && (!rt_output_close(out, d) || !rt_pdf_verify(out, (int)comp->n_pages, d)))
            ok = false;
        if (ok && rt_output_commit(out, d))
            status = 0;
        else if (!ok)
            rt_output_abort(out);
    }
    rt_composition_free(comp);
    rt_doc_free(doc);
    free_items(items, n);
    env_done(&v);
    return status;
}

/* ------------------------------------------------------------------ desk */

/* Shaped words and font sizes are cached by the shaper and the font
 * registry for the life of a build; a server that runs for weeks starts
 * them afresh after this many messages, so memory stays bounded whatever
 * the public sends. */
#define DESK_RECYCLE 64

struct rt_intake_desk {
    intake_env v; /* v.layout is the edition's (not owned) */
    const rt_edition *e;
    rt_intake_opts o;
    int uses;
};

static bool desk_fonts(rt_intake_desk *k, rt_diag *d) {
    intake_env *v = &k->v;
    char *fonts_dir = rt_path_join(k->o.data_dir, "fonts");
    v->fonts = rt_fonts_new(fonts_dir, d);
    free(fonts_dir);
    if (!v->fonts || !rt_compose_check_fonts(v->layout, v->fonts, d))
        return false;
    v->shaper = rt_shaper_new(v->fonts, k->o.hyphen_dir, d);
    v->ctx = (rt_compose_ctx){.shaper = v->shaper, .fonts = v->fonts};
    return true;
}

static void desk_unfont(rt_intake_desk *k) {
    rt_shaper_free(k->v.shaper);
    rt_fonts_free(k->v.fonts);
    k->v.shaper = NULL;
    k->v.fonts = NULL;
}

rt_intake_desk *rt_intake_desk_open(const rt_edition *e, const rt_intake_opts *o, rt_diag *d) {
    if (!e->layout || !e->layout->n_rates) {
        rt_error(d, e->layout ? e->layout->path : e->path, 0, 0,
                 "this layout has no message rate card ('messages')");
        return NULL;
    }
    rt_intake_desk *k = rt_xcalloc(1, sizeof *k);
    k->e = e;
    k->o = *o;
    k->v.layout = e->layout;
    k->v.ed.layout = e->layout;
    k->v.ed.lang = e->lang;
    k->v.ed.paper = e->paper ? e->paper : "";
    if (!desk_fonts(k, d)) {
        rt_intake_desk_close(k);
        return NULL;
    }
    return k;
}

void rt_intake_desk_close(rt_intake_desk *k) {
    if (!k)
        return;
    desk_unfont(k);
    free(k);
}

/* Called before each typesetting job. */
static bool desk_use(rt_intake_desk *k, rt_diag *d) {
    if (++k->uses <= DESK_RECYCLE && k->v.shaper)
        return true;
    k->uses = 1;
    desk_unfont(k);
    return desk_fonts(k, d);
}

void rt_intake_desk_box(const rt_intake_desk *k, int rate, double *w, double *h) {
    rt_message_box(&k->v.ed, rate, w, h);
}

/* The smallest format (by area, then price) message m fits, -1 if none. */
static int desk_smallest(rt_intake_desk *k, const rt_message *m) {
    const rt_layout *l = k->v.layout;
    FILE *null = fopen("/dev/null", "w");
    rt_diag q;
    rt_diag_init(&q, null);
    rt_doc *doc =
        rt_markdown_parse(m->text, strlen(m->text), m->path, m->text_mark.line, RT_MD_MESSAGE, &q);
    int order[64], n = 0;
    for (size_t i = 0; i < l->n_rates && n < 64; i++)
        order[n++] = (int)i;
    sort_layout = l;
    qsort(order, (size_t)n, sizeof *order, cmp_rate);
    int best = -1;
    for (int i = 0; i < n && best < 0; i++) {
        rt_message_fit f;
        rt_fit_message(&k->v.ed, m, doc, order[i], &k->v.ctx, &f);
        if (f.fits)
            best = order[i];
    }
    rt_doc_free(doc);
    rt_diag_clear(&q);
    if (null)
        fclose(null);
    return best;
}

bool rt_intake_desk_check(rt_intake_desk *k, const char *file, rt_intake_verdict *v, rt_diag *d) {
    memset(v, 0, sizeof *v);
    v->rate = v->smallest = -1;
    if (!desk_use(k, d))
        return false;
    intake_item it = {rt_xstrdup(file), {.rate = -1}, false, false, NULL, {0}};
    check_one(&k->v, &it, d);
    v->loaded = it.loaded;
    v->valid = it.valid;
    v->rate = it.m.rate;
    if (v->rate >= 0) {
        rt_intake_desk_box(k, v->rate, &v->box_w, &v->box_h);
        v->measured = it.fit.scale > 0; /* set by rt_fit_message only */
        v->fits = v->measured && it.fit.fits;
        v->too_wide = it.fit.too_wide;
        v->lines_over = it.fit.lines_over;
        if (v->measured && !it.fit.fits)
            v->smallest = desk_smallest(k, &it.m);
    }
    free(it.path);
    free(it.reason);
    rt_message_clear(&it.m);
    return v->valid;
}

bool rt_intake_desk_proof(rt_intake_desk *k, const char *file, double dpi, FILE *png, double *w,
                          double *h, rt_diag *d) {
    if (!desk_use(k, d))
        return false;
    rt_message m;
    char *dir = rt_path_dir(file);
    bool loaded = rt_message_load_partial(file, dir, k->v.layout, &m, d);
    free(dir);
    bool ok = false;
    if (m.text && m.from && m.rate >= 0) {
        (void)loaded;
        rt_doc *doc =
            rt_markdown_parse(m.text, strlen(m.text), m.path, m.text_mark.line, RT_MD_MESSAGE, d);
        rt_composition *comp = rt_message_proof(&k->v.ed, &m, doc, &k->v.ctx, d);
        if (comp) {
            *w = comp->width;
            *h = comp->height;
            ok = !png || rt_render_png(comp, k->v.layout, 1, dpi, png, d);
        }
        rt_composition_free(comp);
        rt_doc_free(doc);
    }
    rt_message_clear(&m);
    return ok;
}

bool rt_intake_desk_list(rt_intake_desk *k, const char *dir, rt_intake_list *out, rt_diag *d) {
    memset(out, 0, sizeof *out);
    if (!rt_dir_exists(dir)) {
        rt_error(d, dir, 0, 0, "not a folder of messages");
        return false;
    }
    if (!desk_use(k, d))
        return false;
    /* as in the report: problems are the list's content, not failures */
    rt_diag q;
    rt_diag_init(&q, NULL);
    FILE *null = fopen("/dev/null", "w");
    q.out = null;
    q.keep = true;
    size_t n;
    char *dirs[1] = {(char *)dir};
    int status = 0;
    intake_item *items = collect(dirs, 1, &n, &status, &q);
    for (size_t i = 0; i < n; i++)
        check_one(&k->v, &items[i], &q);
    size_t cap = n;
    add_non_messages(&q, &items, &n, &cap);
    check_references(items, n, &q);
    rt_diag_clear(&q);
    if (null)
        fclose(null);
    const rt_layout *l = k->v.layout;
    out->entries = rt_xcalloc(n ? n : 1, sizeof *out->entries);
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        intake_item *it = &items[i];
        const rt_message *m = &it->m;
        rt_intake_entry *x = &out->entries[i];
        x->path = rt_xstrdup(it->path);
        x->from = m->from ? rt_xstrdup(m->from) : NULL;
        x->format = m->format ? rt_xstrdup(m->format) : NULL;
        x->reference = m->reference ? rt_xstrdup(m->reference) : NULL;
        x->contact = m->contact ? rt_xstrdup(m->contact) : NULL;
        x->price = m->rate >= 0 ? l->rates[m->rate].price : -1;
        x->amount = m->amount;
        if (!it->valid) {
            x->state = RT_INTAKE_REJECTED;
            x->reason = rt_xstrdup(it->reason ? it->reason : "invalid");
            out->n_rejected++;
        } else if (m->status == RT_PAY_PENDING || m->short_paid) {
            x->state = RT_INTAKE_PENDING;
            if (m->short_paid)
                x->reason = rt_xstrdup(m->short_paid);
            out->n_held++;
            out->pending += m->short_paid ? x->price - m->amount : x->price;
        } else {
            out->n_print++;
            if (m->status == RT_PAY_PAID) {
                x->state = RT_INTAKE_PAID;
                out->received += m->amount;
            } else {
                x->state = RT_INTAKE_OFFERED;
                out->offered += x->price;
            }
        }
    }
    free_items(items, n);
    return true;
}

void rt_intake_list_free(rt_intake_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        rt_intake_entry *x = &l->entries[i];
        free(x->path);
        free(x->from);
        free(x->format);
        free(x->reference);
        free(x->contact);
        free(x->reason);
    }
    free(l->entries);
    memset(l, 0, sizeof *l);
}

/* The one line `status: pending` of a message file (spaces, quotes and a
 * comment allowed): its byte range of the word `pending`, or false if there
 * is none or more than one. */
static bool find_pending(const char *s, size_t *at) {
    int found = 0;
    for (const char *line = s; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *p = line, *e = line + len;
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        if ((size_t)(e - p) > 7 && strncmp(p, "status:", 7) == 0) {
            const char *q = p + 7;
            while (q < e && (*q == ' ' || *q == '\t'))
                q++;
            bool quoted = q < e && (*q == '"' || *q == '\'');
            const char *word = q + quoted;
            const char *r = word + 7;
            if (r <= e && strncmp(word, "pending", 7) == 0 && (!quoted || (r < e && *r == *q))) {
                r += quoted;
                while (r < e && (*r == ' ' || *r == '\t' || *r == '\r'))
                    r++;
                if (r == e || *r == '#') {
                    found++;
                    *at = (size_t)(word - s);
                }
            }
        }
        line = end ? end + 1 : NULL;
    }
    return found == 1;
}

static bool same_str(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool rt_intake_desk_mark_paid(rt_intake_desk *k, const char *file, rt_diag *d) {
    if (!desk_use(k, d))
        return false;
    intake_item before = {rt_xstrdup(file), {.rate = -1}, false, false, NULL, {0}};
    check_one(&k->v, &before, d);
    bool ok = false;
    size_t len, at;
    char *text = NULL;
    if (!before.valid) {
        /* reported by the check */
    } else if (before.m.status != RT_PAY_PENDING) {
        rt_error(d, file, 0, 0, "payment status is not 'pending'");
    } else if (!(text = rt_read_file(file, 64u << 10, &len))) {
        rt_error(d, file, 0, 0, "cannot read: %s", strerror(errno));
    } else if (!find_pending(text, &at)) {
        rt_error(d, file, 0, 0,
                 "no single 'status: pending' line to change: edit the file by hand");
    } else {
        rt_output *o = rt_output_begin(file, d);
        if (o) {
            /* every write checked, the file synced before it is read back */
            bool written = rt_output_write(o, text, at) && rt_output_write(o, "paid", 4) &&
                           rt_output_write(o, text + at + 7, len - at - 7);
            written = rt_output_close(o, d) && written;
            /* the new file checked before it replaces the old one */
            intake_item after = {
                rt_xstrdup(rt_output_tmp_path(o)), {.rate = -1}, false, false, NULL, {0}};
            if (written)
                check_one(&k->v, &after, d);
            const rt_message *a = &after.m, *b = &before.m;
            bool same = after.valid && a->status == RT_PAY_PAID && same_str(a->from, b->from) &&
                        same_str(a->text, b->text) && same_str(a->format, b->format) &&
                        same_str(a->contact, b->contact) && same_str(a->reference, b->reference) &&
                        a->amount == b->amount &&
                        same_str(a->logo ? strrchr(a->logo, '/') : NULL,
                                 b->logo ? strrchr(b->logo, '/') : NULL);
            if (!same) {
                if (after.valid)
                    rt_error(d, file, 0, 0,
                             "marking it paid would change more than its status: edit the file "
                             "by hand");
                rt_output_abort(o);
            } else
                ok = rt_output_commit(o, d);
            free(after.path);
            free(after.reason);
            rt_message_clear(&after.m);
        }
    }
    free(text);
    free(before.path);
    free(before.reason);
    rt_message_clear(&before.m);
    return ok;
}
