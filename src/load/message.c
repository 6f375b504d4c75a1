/* load: supporter messages (one YAML file each). These files come from the
 * public: every limit is checked and reported, nothing is trusted. */
#include "tree.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#define MAX_MESSAGE_FILE (64u << 10)
#define MAX_FROM 200
#define MAX_TEXT 2000
#define MAX_CONTACT 200
#define MAX_REFERENCE 64
/* a logo prints a few centimetres wide: anything bigger is a mistake or an
 * attack on the decoder */
#define MAX_LOGO_SIDE 4000
#define MAX_LOGO_PIXELS 8000000.0
#define MAX_LOGO_BYTES (5u << 20)

static size_t utf8_chars(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Non-empty (not only spaces) and at most `max` characters. */
static void check_length(yctx *c, const ynode *n, const char *what, const char *s, size_t max) {
    size_t chars = utf8_chars(s);
    if (strspn(s, " \t\n") == strlen(s))
        yn_error(c, n, "%s is empty", what);
    else if (chars > max)
        yn_error(c, n, "%s is too long (%zu characters; at most %zu)", what, chars, max);
}

/* A logo path must stay inside the messages folder. */
static char *confined_path(yctx *c, const ynode *n, const char *dir, const char *rel) {
    if (!*rel) {
        yn_error(c, n, "'logo' is empty");
        return NULL;
    }
    if (rel[0] == '/') {
        yn_error(c, n, "logo must be a path inside the messages folder, not an absolute path");
        return NULL;
    }
    for (const char *p = rel; *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            yn_error(c, n, "logo must not leave the messages folder ('..')");
            return NULL;
        }
        p += len + (slash ? 1 : 0);
    }
    char *full = rt_path_join(dir, rel);
    char real_dir[PATH_MAX], real_file[PATH_MAX];
    if (!realpath(dir, real_dir) || !realpath(full, real_file)) {
        yn_error(c, n, "file not found: '%s'", rel);
        free(full);
        return NULL;
    }
    size_t dl = strlen(real_dir);
    if (strncmp(real_file, real_dir, dl) != 0 || real_file[dl] != '/') {
        yn_error(c, n, "logo '%s' resolves outside the messages folder (symbolic link?)", rel);
        free(full);
        return NULL;
    }
    return full;
}

/* An amount as people write it: "30", "30.00", "30,00", "30,00 €", "€ 30",
 * "30 EUR", "30,-". False for anything else. */
static bool parse_amount(const char *in, double *out) {
    char buf[64];
    size_t n = strlen(in);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, in, n + 1);
    char *s = buf, *e = buf + n;
    static const char *const units[] = {"\xe2\x82\xac", "EUR", "eur", "euros", "euro", NULL};
    for (int pass = 0; pass < 2; pass++) {
        while (*s == ' ' || *s == '\t' || (s[0] == '\xc2' && s[1] == '\xa0'))
            s += *s == '\xc2' ? 2 : 1;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' ||
                         (e - s >= 2 && e[-2] == '\xc2' && e[-1] == '\xa0')))
            e -= e[-1] == '\xa0' ? 2 : 1;
        if (pass)
            break;
        for (int u = 0; units[u]; u++) {
            size_t l = strlen(units[u]);
            if ((size_t)(e - s) > l && strncmp(s, units[u], l) == 0) {
                s += l;
                break;
            }
            if ((size_t)(e - s) > l && strncmp(e - l, units[u], l) == 0) {
                e -= l;
                break;
            }
        }
    }
    if (e - s >= 2 && e[-1] == '-' && (e[-2] == ',' || e[-2] == '.'))
        e -= 2; /* "30,-" */
    *e = 0;
    double v = 0;
    const char *p = s;
    if (!(*p >= '0' && *p <= '9'))
        return false;
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (*p++ - '0');
    if (*p == '.' || *p == ',') {
        p++;
        double f = 0.1;
        int digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 2) {
            v += (*p++ - '0') * f;
            f /= 10;
            digits++;
        }
        if (!digits)
            return false;
    }
    if (*p)
        return false;
    *out = v;
    return true;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool rt_is_message_file(const char *name) {
    size_t l = strlen(name);
    return name[0] != '.' && ((l > 5 && strcmp(name + l - 5, ".yaml") == 0) ||
                              (l > 4 && strcmp(name + l - 4, ".yml") == 0));
}

char **rt_message_files(const char *dir, size_t *n_out, rt_diag *d) {
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *dp = opendir(dir);
    struct dirent *de;
    while (dp && (de = readdir(dp))) {
        if (de->d_name[0] == '.')
            continue;
        char *p = rt_path_join(dir, de->d_name);
        if (rt_is_message_file(de->d_name)) {
            RT_PUSH(names, n, cap, p);
            continue;
        }
        /* a message saved with another extension would be lost: say so */
        if (!rt_dir_exists(p) && strcmp(de->d_name, "README.md") != 0)
            rt_warning(d, p, 0, 0, "ignored: not a message file (.yaml or .yml)");
        free(p);
    }
    if (dp)
        closedir(dp);
    if (n)
        qsort(names, n, sizeof *names, cmp_str); /* deterministic order */
    *n_out = n;
    return names;
}

static bool message_load(const char *path, const char *dir, const rt_layout *layout, rt_message *m,
                         rt_diag *d) {
    memset(m, 0, sizeof *m);
    m->path = rt_xstrdup(path);
    m->rate = -1;
    int errors0 = d->errors;
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        /* a link may only point to another file of the same folder */
        char real_dir[PATH_MAX], real_file[PATH_MAX];
        size_t dl = realpath(dir, real_dir) ? strlen(real_dir) : 0;
        if (!dl || !realpath(path, real_file) || strncmp(real_file, real_dir, dl) != 0 ||
            real_file[dl] != '/' || strchr(real_file + dl + 1, '/')) {
            rt_error(d, path, 0, 0,
                     "message file is a symbolic link to a file outside the messages folder");
            return false;
        }
    }
    if (stat(path, &st) == 0 && st.st_size > (off_t)MAX_MESSAGE_FILE) {
        rt_error(d, path, 0, 0, "file too large (%lld bytes; a message file may have at most %u)",
                 (long long)st.st_size, MAX_MESSAGE_FILE);
        return false;
    }
    size_t len;
    int bad;
    char *text = ld_read_text(path, MAX_MESSAGE_FILE, "message file", d, &len, &bad);
    if (!text)
        return false;
    yctx c = {.path = path, .line_offset = 0, .d = d, .max_depth = 8};
    ynode *root = yn_parse(&c, text, len);
    if (!root || (root->kind == YN_SCALAR && root->plain && !*root->value)) {
        if (d->errors == errors0)
            rt_error(d, path, 0, 0, "message file is empty");
        yn_free(root);
        free(text);
        return false;
    }
    if (!yn_expect(&c, root, YN_MAP, "a message")) {
        yn_free(root);
        free(text);
        return false;
    }
    static const char *const keys[] = {"from",    "text", "format", "contact",
                                       "payment", "logo", NULL};
    yn_check_keys(&c, root, keys, "a message");
    ynode *v;
    if ((v = yn_require(&c, root, "from", "a message")) && yn_string(&c, v, "from", &m->from))
        check_length(&c, v, "'from'", m->from, MAX_FROM);
    if ((v = yn_require(&c, root, "text", "a message"))) {
        m->text_mark = v->mark;
        if (v->kind == YN_SCALAR && v->block) {
            m->text_mark.line++; /* block scalars start on the next line */
            m->text_indent = yn_block_indent(&c, v);
        }
        if (yn_string(&c, v, "text", &m->text))
            check_length(&c, v, "text", m->text, MAX_TEXT);
    }
    if ((v = yn_require(&c, root, "format", "a message")) &&
        yn_string(&c, v, "format", &m->format) && layout) {
        for (size_t i = 0; i < layout->n_rates; i++)
            if (strcmp(layout->rates[i].name, m->format) == 0)
                m->rate = (int)i;
        if (m->rate < 0) {
            rt_buf names = {0};
            for (size_t i = 0; i < layout->n_rates; i++)
                rt_buf_addf(&names, "%s'%s'", i ? ", " : "", layout->rates[i].name);
            yn_error(&c, v, "unknown format '%s' (the rate card has %s)", m->format,
                     names.data ? names.data : "no formats");
            rt_buf_free(&names);
        }
    }
    if ((v = yn_require(&c, root, "contact", "a message")) &&
        yn_string(&c, v, "contact", &m->contact))
        check_length(&c, v, "'contact'", m->contact, MAX_CONTACT);
    ynode *pay = yn_require(&c, root, "payment", "a message");
    if (pay && yn_expect(&c, pay, YN_MAP, "'payment'")) {
        static const char *const pk[] = {"amount", "reference", "status", NULL};
        yn_check_keys(&c, pay, pk, "'payment'");
        ynode *amount = yn_require(&c, pay, "amount", "'payment'");
        bool have_amount = amount && yn_expect(&c, amount, YN_SCALAR, "amount");
        if (have_amount && !parse_amount(amount->value, &m->amount)) {
            yn_error(&c, amount,
                     "amount '%s' is not an amount of euros: write the number, like 30 or 30.00 "
                     "(a comma, '\xe2\x82\xac' or 'EUR' may go with it: 30,00 \xe2\x82\xac)",
                     amount->value);
            have_amount = false;
        }
        if (have_amount && m->amount > 1e6) {
            yn_error(&c, amount, "amount must be between 0 and 1000000, not %s", amount->value);
            have_amount = false;
        }
        if ((v = yn_require(&c, pay, "reference", "'payment'")) &&
            yn_string(&c, v, "reference", &m->reference))
            check_length(&c, v, "'reference'", m->reference, MAX_REFERENCE);
        if ((v = yn_require(&c, pay, "status", "'payment'")) &&
            yn_expect(&c, v, YN_SCALAR, "status")) {
            if (strcmp(v->value, "paid") == 0)
                m->status = RT_PAY_PAID;
            else if (strcmp(v->value, "pending") == 0)
                m->status = RT_PAY_PENDING;
            else if (strcmp(v->value, "offered") == 0)
                m->status = RT_PAY_OFFERED;
            else
                yn_error(&c, v, "status must be paid, pending or offered, not '%s'", v->value);
            if (have_amount && m->rate >= 0 && m->status == RT_PAY_PAID) {
                double price = layout->rates[m->rate].price;
                if (m->amount > price + 0.005) {
                    m->donation = m->amount - price; /* accepted: a gift on top */
                } else if (m->amount < price - 0.005) {
                    m->short_paid =
                        rt_xasprintf("paid %.2f, under the price of format '%s' (%.2f): held, "
                                     "not printed until the rest (%.2f) is paid",
                                     m->amount, m->format, price, price - m->amount);
                    rt_warning(d, path, amount->mark.line, amount->mark.col, "%s", m->short_paid);
                }
            }
        }
    }
    if ((v = yn_get(root, "logo"))) {
        char *rel = NULL;
        if (yn_string(&c, v, "logo", &rel)) {
            m->logo = confined_path(&c, v, dir, rel);
            static const rt_image_limits logo = {MAX_LOGO_SIDE, MAX_LOGO_PIXELS, MAX_LOGO_BYTES,
                                                 "a logo"};
            int w, h;
            if (m->logo && rt_load_image_file(&c, v, m->logo, &logo, &w, &h)) {
                m->logo_w = w;
                m->logo_h = h;
            } else {
                free(m->logo);
                m->logo = NULL;
            }
        }
        free(rel);
    }
    yn_free(root);
    free(text);
    bool usable = m->from && m->text && m->format && m->contact;
    return usable && d->errors == errors0;
}

bool rt_message_load(const char *path, const char *dir, const rt_layout *layout, rt_message *m,
                     rt_diag *d) {
    if (message_load(path, dir, layout, m, d))
        return true;
    rt_message_clear(m);
    return false;
}

bool rt_message_load_partial(const char *path, const char *dir, const rt_layout *layout,
                             rt_message *m, rt_diag *d) {
    return message_load(path, dir, layout, m, d);
}

void rt_message_clear(rt_message *m) {
    free(m->path);
    free(m->from);
    free(m->text);
    free(m->format);
    free(m->contact);
    free(m->reference);
    free(m->logo);
    free(m->short_paid);
    memset(m, 0, sizeof *m);
}
