/* serve: a submission, from the decoded form to the file. The public's
 * own-language checks first, then the message written with every value
 * escaped into a staging folder, checked there by the intake desk exactly
 * as `intake check` would, its problems placed next to their fields, and
 * renamed into the messages folder only when valid. Also the live proof. */
#include "serve.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- files */

static FILE *g_null; /* diagnostics nobody reads (the desk's, for pages) */

FILE *sv_quiet(void) {
    if (!g_null)
        g_null = fopen("/dev/null", "w");
    return g_null;
}

void sv_quiet_close(void) {
    if (g_null)
        fclose(g_null);
    g_null = NULL;
}

static bool write_new(const char *path, const void *data, size_t n) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return false;
    const char *p = data;
    size_t left = n;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(path);
            return false;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        unlink(path);
        return false;
    }
    return true;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

static void rmtree(const char *dir) {
    if (dir)
        nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

void sv_sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Staging folders a crash left behind (.serve-* in the messages folder). */
void sv_remove_stale(const char *dir) {
    DIR *dp = opendir(dir);
    struct dirent *de;
    while (dp && (de = readdir(dp)))
        if (strncmp(de->d_name, ".serve-", 7) == 0) {
            char *p = rt_path_join(dir, de->d_name);
            rmtree(p);
            free(p);
        }
    if (dp)
        closedir(dp);
}

/* ----------------------------------------------------------- the message */

/* A random id: web-YYYYMMDD-<12 hex digits>. */
static void new_id(char *out, size_t cap) {
    uint8_t rnd[6];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        for (size_t i = 0; i < sizeof rnd; i++)
            rnd[i] = (uint8_t)rand();
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, cap, "web-%Y%m%d-", &tm);
    if (n + 2 * sizeof rnd < cap)
        sv_hex(out + n, rnd, sizeof rnd);
}

bool sv_valid_id(const char *id) {
    /* web- 8 digits - 12 hex */
    if (strlen(id) != 25 || strncmp(id, "web-", 4) != 0 || id[12] != '-')
        return false;
    return strspn(id + 4, "0123456789") == 8 && strspn(id + 13, "0123456789abcdef") == 12;
}

/* True if some file of the folder mentions `ref`. */
static bool reference_used(const char *dir, const char *digits) {
    DIR *dp = opendir(dir);
    struct dirent *de;
    bool used = false;
    while (dp && !used && (de = readdir(dp))) {
        if (!rt_is_message_file(de->d_name))
            continue;
        char *p = rt_path_join(dir, de->d_name);
        size_t n;
        char *text = rt_read_file(p, 64u << 10, &n);
        used = text && strstr(text, digits);
        free(text);
        free(p);
    }
    if (dp)
        closedir(dp);
    return used;
}

/* A Belgian structured reference (+++123/4567/89012+++: ten digits and
 * their remainder modulo 97), unused in the folder. */
static void new_reference(const sv_server *s, char *out, size_t cap) {
    for (int attempt = 0; attempt < 100; attempt++) {
        uint64_t v;
        if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
            v = (uint64_t)rand() * 2654435761u;
        unsigned long long base = v % 10000000000ull;
        unsigned check = (unsigned)(base % 97);
        if (check == 0)
            check = 97;
        char d[13];
        snprintf(d, sizeof d, "%010llu%02u", base, check);
        snprintf(out, cap, "+++%.3s/%.4s/%.5s+++", d, d + 3, d + 7);
        char slashed[16];
        snprintf(slashed, sizeof slashed, "%.3s/%.4s/%.5s", d, d + 3, d + 7);
        if (!reference_used(s->messages, slashed))
            return;
    }
}

static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The message file for a sv_submission, every value escaped. */
static char *message_yaml(const sv_server *s, const sv_submission *m, int rate,
                          const char *reference, const char *logo_rel, sv_line_map *lines) {
    rt_buf b = {0};
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    rt_buf_addf(&b,
                "# Sent with the web form (rotative serve) on %04d-%02d-%02d at %02d:%02d UTC.\n",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
    lines->from = 2;
    rt_buf_adds(&b, "from: ");
    rt_yaml_string(&b, m->value[RT_F_FROM], m->len[RT_F_FROM], 2);
    rt_buf_adds(&b, "\n");
    lines->text0 = count_lines(b.data) + 1;
    rt_buf_adds(&b, "text: ");
    rt_yaml_string(&b, m->value[RT_F_TEXT], m->len[RT_F_TEXT], 2);
    rt_buf_adds(&b, "\n");
    lines->text1 = count_lines(b.data);
    lines->format = lines->text1 + 1;
    const rt_rate *r = &s->e->layout->rates[rate];
    rt_buf_adds(&b, "format: ");
    rt_yaml_string(&b, r->name, strlen(r->name), 2);
    rt_buf_adds(&b, "\ncontact: ");
    lines->contact = lines->format + 1;
    rt_yaml_string(&b, m->value[RT_F_CONTACT], m->len[RT_F_CONTACT], 2);
    rt_buf_addf(&b, "\npayment:\n  amount: %.2f\n  reference: \"%s\"\n  status: pending\n",
                r->price, reference);
    lines->logo = 0;
    if (logo_rel) {
        lines->logo = count_lines(b.data) + 1;
        rt_buf_addf(&b, "logo: %s\n", logo_rel);
    }
    return rt_buf_steal(&b);
}

/* Writes the message (and its logo) in a fresh staging folder under `root`
 * and checks it with the desk. With rate -1, the smallest format that
 * fits is chosen (by setting the text). */
bool sv_stage(sv_server *s, const sv_submission *m, const char *root, const char *prefix,
              sv_staged *st, rt_diag *d) {
    memset(st, 0, sizeof *st);
    snprintf(st->dir, sizeof st->dir, "%s/%sXXXXXX", root, prefix);
    if (!mkdtemp(st->dir)) {
        rt_error(d, NULL, 0, 0, "cannot create a staging folder in %s: %s", root, strerror(errno));
        st->dir[0] = '\0';
        return false;
    }
    new_id(st->id, sizeof st->id);
    new_reference(s, st->reference, sizeof st->reference);
    snprintf(st->yaml, sizeof st->yaml, "%s/%s.yaml", st->dir, st->id);
    if (m->logo) {
        snprintf(st->logo_rel, sizeof st->logo_rel, "logos/%s.%s", st->id,
                 m->logo_png ? "png" : "jpg");
        char sub[600];
        snprintf(sub, sizeof sub, "%s/logos", st->dir);
        snprintf(st->logo, sizeof st->logo, "%s/%s", st->dir, st->logo_rel);
        if (mkdir(sub, 0755) != 0 || !write_new(st->logo, m->logo->value, m->logo->len)) {
            rt_error(d, NULL, 0, 0, "cannot write %s: %s", st->logo, strerror(errno));
            return false;
        }
    }
    /* the smallest format first when asked for it */
    int rate = m->rate;
    if (rate < 0) {
        const rt_layout *l = s->e->layout;
        rate = 0;
        for (size_t i = 1; i < l->n_rates; i++) {
            const rt_rate *a = &l->rates[i], *b = &l->rates[rate];
            if (a->columns * a->rows < b->columns * b->rows ||
                (a->columns * a->rows == b->columns * b->rows && a->price < b->price))
                rate = (int)i;
        }
    }
    for (int pass = 0; pass < 2; pass++) {
        char *yaml =
            message_yaml(s, m, rate, st->reference, m->logo ? st->logo_rel : NULL, &st->lines);
        unlink(st->yaml);
        bool ok = write_new(st->yaml, yaml, strlen(yaml));
        free(yaml);
        if (!ok) {
            rt_error(d, NULL, 0, 0, "cannot write %s: %s", st->yaml, strerror(errno));
            return false;
        }
        st->rate = rate;
        rt_diag q;
        rt_diag_init(&q, d->out);
        q.keep = true;
        rt_intake_desk_check(s->desk, st->yaml, &st->v, &q);
        bool retry = pass == 0 && m->rate < 0 && st->v.measured && !st->v.fits &&
                     st->v.smallest >= 0 && st->v.smallest != rate;
        if (!retry) {
            /* hand the problems over */
            for (size_t i = 0; i < q.n_items; i++) {
                const rt_diag_item *it = &q.items[i];
                rt_diag_report(d, it->severity, it->path, it->line, it->col, "%s", it->message);
            }
            rt_diag_clear(&q);
            return true;
        }
        rt_diag_clear(&q);
        rate = st->v.smallest;
    }
    return true;
}

void sv_unstage(sv_staged *st) {
    if (st->dir[0])
        rmtree(st->dir);
    st->dir[0] = '\0';
}

/* ------------------------------------------------------ checking a form */

static bool bad_char(unsigned cp, bool multiline) {
    if (cp == '\n' || cp == '\t')
        return !multiline && cp == '\n';
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0xFDD0 && cp <= 0xFDEF) ||
           (cp & 0xFFFE) == 0xFFFE || cp == 0xFEFF || (cp >= 0xD800 && cp <= 0xDFFF);
}

/* The checks the public gets in its language, before the desk's. */
static void check_text(const sv_server *s, rt_form_view *v, rt_field f, const char *val, size_t n,
                       size_t max, bool multiline) {
    int L = s->site.lang;
    size_t blank = 0;
    while (blank < n && strchr(" \t\n", val[blank]))
        blank++;
    if (!val || blank == n) {
        rt_problem(v, f, "%s", rt_ui_word(L, UI_EMPTY));
        return;
    }
    size_t bad;
    if (!rt_utf8_valid(val, n, &bad) || memchr(val, '\0', n)) {
        rt_problem(v, f, "%s", rt_ui_word(L, UI_BAD_UTF8));
        return;
    }
    size_t chars = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += (size_t)rt_utf8_decode(val + i, &cp);
        chars++;
        if (cp == '\n' && !multiline) {
            rt_problem(v, f, "%s", rt_ui_word(L, UI_ONE_LINE));
            return;
        }
        if (bad_char(cp, multiline)) {
            rt_problem(v, f, rt_ui_word(L, UI_BAD_CHAR), cp, chars);
            return;
        }
    }
    if (chars > max)
        rt_problem(v, f, rt_ui_word(L, UI_TOO_LONG), chars, max);
}

static bool is_png(const char *p, size_t n) {
    return n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static bool is_jpeg(const char *p, size_t n) {
    return n >= 3 && (unsigned char)p[0] == 0xFF && (unsigned char)p[1] == 0xD8 &&
           (unsigned char)p[2] == 0xFF;
}

/* Reads the form into `m` and `v`; returns false if a field has a problem
 * (in v). `preview`: empty fields are not problems yet. */
bool sv_read_submission(const sv_server *s, rt_form *f, sv_submission *m, rt_form_view *v,
                        bool preview) {
    memset(m, 0, sizeof *m);
    int L = s->site.lang;
    static const char *const names[] = {"from", "text", "format", "contact"};
    bool cut[4] = {false};
    for (int i = 0; i < 4; i++) {
        rt_form_field *x = (rt_form_field *)rt_form_get(f, names[i]);
        if (x && x->file)
            x = NULL;
        cut[i] = x && x->size > x->len;
        if (x && i == RT_F_TEXT)
            x->len = rt_text_newlines(x->value, x->len);
        m->value[i] = x ? x->value : "";
        m->len[i] = x ? x->len : 0;
        v->value[i] = x ? x->value : NULL;
    }
    static const size_t max[] = {MAX_FROM, MAX_TEXT, 0, MAX_CONTACT};
    for (int i = 0; i < 4; i++) {
        if (i == RT_F_FORMAT)
            continue;
        const rt_form_field *x = rt_form_get(f, names[i]);
        if (preview && m->len[i] == 0)
            continue;
        if (x && cut[i]) {
            rt_problem(v, (rt_field)i, rt_ui_word(L, UI_TOO_LONG), x->size, max[i]);
            continue;
        }
        check_text(s, v, (rt_field)i, m->value[i], m->len[i], max[i], i == RT_F_TEXT);
    }
    m->rate = -2;
    const char *fmt = m->value[RT_F_FORMAT];
    if (!*fmt || strcmp(fmt, "auto") == 0)
        m->rate = -1;
    for (size_t i = 0; i < s->e->layout->n_rates; i++)
        if (strcmp(fmt, s->e->layout->rates[i].name) == 0)
            m->rate = (int)i;
    if (m->rate == -2)
        rt_problem(v, RT_F_FORMAT, "%s", rt_ui_word(L, UI_UNKNOWN_FORMAT));
    const rt_form_field *logo = rt_form_get(f, "logo");
    if (logo && logo->size > 0) {
        bool png = is_png(logo->value, logo->len), jpeg = is_jpeg(logo->value, logo->len);
        const char *t = logo->type ? logo->type : "";
        bool declared = strcasecmp(t, "image/png") == 0 || strcasecmp(t, "image/jpeg") == 0 ||
                        strcasecmp(t, "image/jpg") == 0 || strcasecmp(t, "image/pjpeg") == 0;
        if (!logo->file || !declared || (!png && !jpeg))
            rt_problem(v, RT_F_LOGO, "%s", rt_ui_word(L, UI_LOGO_TYPE));
        else {
            m->logo = logo;
            m->logo_png = png;
        }
    }
    for (int i = 0; i < RT_F_COUNT; i++)
        if (v->problem[i].len)
            return false;
    return true;
}

/* The desk's problems, each next to the field its line belongs to. */
void sv_place_problems(const sv_server *s, const sv_staged *st, const rt_diag *d, rt_form_view *v) {
    int L = s->site.lang;
    const rt_intake_verdict *x = &st->v;
    bool fit_reported = false;
    if (x->measured && !x->fits) {
        const rt_rate *r = &s->e->layout->rates[x->rate];
        if (x->too_wide)
            rt_problem(v, RT_F_TEXT, rt_ui_word(L, UI_TOO_WIDE), r->name);
        else if (x->smallest >= 0) {
            rt_buf price = {0};
            rt_money(&price, L, s->e->layout->rates[x->smallest].price);
            rt_problem(v, RT_F_TEXT, rt_ui_word(L, UI_NOT_FIT), r->name, x->lines_over,
                       s->e->layout->rates[x->smallest].name, price.data);
            rt_buf_free(&price);
        } else
            rt_problem(v, RT_F_TEXT, "%s", rt_ui_word(L, UI_NOT_FIT_ANY));
        fit_reported = true;
    }
    for (size_t i = 0; i < d->n_items; i++) {
        const rt_diag_item *it = &d->items[i];
        if (it->severity != RT_ERROR)
            continue;
        rt_field f = RT_F_GENERAL;
        int ln = it->line;
        if (it->path && st->logo[0] && strcmp(it->path, st->logo) == 0)
            f = RT_F_LOGO;
        else if (ln == st->lines.from)
            f = RT_F_FROM;
        else if (ln >= st->lines.text0 && ln <= st->lines.text1 + 1)
            f = RT_F_TEXT; /* the loader counts a quoted text from the line after `text:`
                              (the format itself was checked before the desk) */
        else if (ln == st->lines.contact)
            f = RT_F_CONTACT;
        else if (st->lines.logo && ln == st->lines.logo)
            f = RT_F_LOGO;
        if (fit_reported && (strncmp(it->message, "text does not fit", 17) == 0 ||
                             strncmp(it->message, "a word is too wide", 18) == 0))
            continue;
        if (f == RT_F_LOGO)
            rt_problem(v, f, rt_ui_word(L, UI_LOGO_BAD), it->message);
        else
            rt_problem(v, f, "%s", it->message);
    }
}

/* ------------------------------------------------------------- filing */

bool sv_file(sv_server *s, sv_staged *st) {
    /* into place: the logo first, so a build never sees a message without
     * its logo; never over an existing file */
    char final_yaml[600], final_logo[600] = "";
    snprintf(final_yaml, sizeof final_yaml, "%s/%s.yaml", s->messages, st->id);
    bool moved = true;
    if (st->logo[0]) {
        char logos[600];
        snprintf(logos, sizeof logos, "%s/logos", s->messages);
        if (mkdir(logos, 0755) != 0 && errno != EEXIST)
            moved = false;
        snprintf(final_logo, sizeof final_logo, "%s/%s", s->messages, st->logo_rel);
        moved = moved && renameat2(AT_FDCWD, st->logo, AT_FDCWD, final_logo, RENAME_NOREPLACE) == 0;
        if (moved)
            sv_sync_dir(logos);
    }
    if (moved && renameat2(AT_FDCWD, st->yaml, AT_FDCWD, final_yaml, RENAME_NOREPLACE) != 0) {
        moved = false;
        if (final_logo[0])
            unlink(final_logo);
    }
    if (!moved) {
        fprintf(s->log, "serve: cannot file %s: %s\n", final_yaml, strerror(errno));
        return false;
    }
    sv_sync_dir(s->messages);
    fprintf(s->log, "serve: filed %s (%s, %.2f, %s)\n", final_yaml,
            s->e->layout->rates[st->rate].name, s->e->layout->rates[st->rate].price, st->reference);
    return true;
}

/* ---------------------------------------------------------- live proof */

void sv_preview(sv_server *s, rt_form *f, rt_buf *out) {
    rt_form_view v = {0};
    sv_submission m;
    int L = s->site.lang;
    bool fields_ok = sv_read_submission(s, f, &m, &v, true);
    bool complete = m.len[RT_F_FROM] && m.len[RT_F_TEXT] && m.len[RT_F_CONTACT];
    sv_staged st = {0};
    char *png = NULL;
    size_t png_len = 0;
    double w = 0, h = 0;
    if (fields_ok && m.len[RT_F_TEXT]) {
        /* what the supporter has not typed yet is drawn as nothing */
        sv_submission full = m;
        if (!m.len[RT_F_FROM])
            full.value[RT_F_FROM] = "\xe2\x80\xa6", full.len[RT_F_FROM] = 3;
        if (!m.len[RT_F_CONTACT])
            full.value[RT_F_CONTACT] = "-", full.len[RT_F_CONTACT] = 1;
        const char *tmp = s->o.tmp_dir;
        rt_diag d;
        rt_diag_init(&d, sv_quiet());
        d.keep = true;
        if (sv_stage(s, &full, tmp && *tmp ? tmp : "/tmp", "rotative-serve-", &st, &d)) {
            sv_place_problems(s, &st, &d, &v);
            if (st.v.rate >= 0) {
                FILE *f = open_memstream(&png, &png_len);
                rt_diag q;
                rt_diag_init(&q, sv_quiet());
                bool drawn =
                    f && rt_intake_desk_proof(s->desk, st.yaml, PREVIEW_DPI, f, &w, &h, &q);
                if (f)
                    fclose(f);
                rt_diag_clear(&q);
                if (!drawn) {
                    free(png);
                    png = NULL;
                }
            }
        }
        rt_diag_clear(&d);
    }
    bool any = false;
    rt_buf_adds(out, "{\"problems\":{");
    for (int i = 0; i < RT_F_COUNT; i++)
        if (v.problem[i].len) {
            rt_buf_addf(out, "%s\"%s\":", any ? "," : "", rt_field_names[i]);
            rt_json_string(out, v.problem[i].data, v.problem[i].len);
            any = true;
        }
    rt_buf_addf(out, "},\"ok\":%s", !any && complete ? "true" : "false");
    rt_buf summary = {0};
    if (st.v.rate >= 0) {
        const rt_rate *rt = &s->e->layout->rates[st.v.rate];
        rt_buf_addf(&summary, "%s \xe2\x80\x94 ", rt->name);
        rt_money(&summary, L, rt->price);
        if (st.v.fits)
            rt_buf_addf(&summary, " \xe2\x80\x94 %s", rt_ui_word(L, UI_FITS));
        rt_buf_adds(out, ",\"format\":");
        rt_json_string(out, rt->name, strlen(rt->name));
        char *alt = rt_xasprintf(rt_ui_word(L, UI_PROOF_ALT), rt->name);
        rt_buf_adds(out, ",\"alt\":");
        rt_json_string(out, alt, strlen(alt));
        free(alt);
    }
    rt_buf_adds(out, ",\"summary\":");
    rt_json_string(out, summary.data ? summary.data : "", summary.len);
    rt_buf_free(&summary);
    if (png) {
        char *enc = rt_xmalloc(BASE64_ENCODE_RAW_LENGTH(png_len) + 1);
        base64_encode_raw(enc, png_len, (const uint8_t *)png);
        enc[BASE64_ENCODE_RAW_LENGTH(png_len)] = '\0';
        rt_buf_addf(out, ",\"width\":%.0f,\"height\":%.0f,\"png\":\"", w * 96 / 72, h * 96 / 72);
        rt_buf_adds(out, enc);
        rt_buf_adds(out, "\"");
        free(enc);
        free(png);
    }
    rt_buf_adds(out, "}");
    sv_unstage(&st);
    rt_form_view_free(&v);
}
