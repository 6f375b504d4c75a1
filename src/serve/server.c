/* serve: the HTTP server. One libmicrohttpd polling thread answers every
 * request in turn (typesetting is not thread-safe, and one request takes a
 * few milliseconds); slow clients cost nothing while their bytes trickle
 * in. The routes and their responses are here; checking and filing a
 * submission is submit.c's, clients and tokens guard.c's.
 *
 * Longer than 600 lines: one handler per route (the form, a submission, the
 * live proof, a filed message and its proof, the admin's list and its
 * button) with the responses they share, and the start-up. */
#include "serve.h"

#include <errno.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                          "frame-ancestors 'none'; base-uri 'none'";

typedef enum {
    R_NONE,
    R_FORM,
    R_SUBMIT,
    R_PREVIEW,
    R_CSS,
    R_JS,
    R_MESSAGE,
    R_PROOF,
    R_ADMIN,
    R_ADMIN_PAID,
    R_NOT_FOUND,
    R_METHOD,
} route;

typedef struct {
    route route;
    char client[64];
    rt_form *form;
    rt_form_status form_status;
    size_t received;
    bool too_large;
    bool done; /* a response was queued at the first call */
    unsigned status;
    char id[40]; /* /message/<id> */
} request;

static const char *const form_names[] = {"csrf", "from", "text", "format", "contact", "logo", NULL};
static const char *const form_files[] = {"logo", NULL};
static const rt_form_limits form_limits = {form_names, form_files, MAX_VALUE, MAX_LOGO};
static const char *const admin_names[] = {"csrf", "file", NULL};
static const rt_form_limits admin_limits = {admin_names, NULL, 1024, 0};

/* ------------------------------------------------------------ responses */

static enum MHD_Result send_buf(struct MHD_Connection *c, request *r, unsigned status,
                                const char *type, char *data, size_t len, const char *cache) {
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(len, data, free);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache ? cache : "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"rotative\"");
    if (status == MHD_HTTP_TOO_MANY_REQUESTS)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "60");
    if (status == MHD_HTTP_CONTENT_TOO_LARGE)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    r->status = status;
    enum MHD_Result ok = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result send_html(struct MHD_Connection *c, request *r, unsigned status, rt_buf *b) {
    size_t len = b->len;
    return send_buf(c, r, status, "text/html; charset=utf-8", rt_buf_steal(b), len, NULL);
}

static enum MHD_Result send_error(sv_server *s, struct MHD_Connection *c, request *r,
                                  unsigned status, rt_ui title) {
    rt_buf b = {0};
    rt_page_error(&b, &s->site, title, NULL);
    return send_html(c, r, status, &b);
}

static enum MHD_Result redirect(struct MHD_Connection *c, request *r, const char *to) {
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, to);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    r->status = MHD_HTTP_SEE_OTHER;
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_SEE_OTHER, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* ------------------------------------------------------------ handlers */

static const char *cookie_or_new(struct MHD_Connection *c, char fresh[33]) {
    const char *cookie = sv_form_cookie(c);
    if (cookie)
        return cookie;
    uint8_t rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        for (size_t i = 0; i < sizeof rnd; i++)
            rnd[i] = (uint8_t)rand();
    sv_hex(fresh, rnd, sizeof rnd);
    return fresh;
}

static enum MHD_Result send_form(sv_server *s, struct MHD_Connection *c, request *r,
                                 unsigned status, const rt_form_view *v) {
    char fresh[33] = "";
    const char *cookie = cookie_or_new(c, fresh);
    char token[96];
    sv_csrf_make(s, "form", cookie, (long long)time(NULL), token);
    rt_buf b = {0};
    rt_page_form(&b, &s->site, v, token);
    size_t len = b.len;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(len, rt_buf_steal(&b), free);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (fresh[0]) {
        const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
        char set[160];
        snprintf(set, sizeof set,
                 "rotative_form=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", fresh,
                 CSRF_LIFETIME, proto && strcasecmp(proto, "https") == 0 ? "; Secure" : "");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, set);
    }
    r->status = status;
    enum MHD_Result ok = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result do_submit(sv_server *s, struct MHD_Connection *c, request *r) {
    rt_form_view v = {0};
    sv_submission m;
    int L = s->site.lang;
    enum MHD_Result res;
    const rt_form_field *csrf = rt_form_get(r->form, "csrf");
    if (!sv_same_origin(c) || !csrf || csrf->file ||
        !sv_csrf_ok(s, "form", sv_form_cookie(c), csrf->value)) {
        sv_read_submission(s, r->form, &m, &v, false);
        rt_form_view_free(&v);
        rt_form_view v2 = {0};
        memcpy(v2.value, v.value, sizeof v.value);
        rt_problem(&v2, RT_F_GENERAL, "%s", rt_ui_word(L, UI_EXPIRED));
        res = send_form(s, c, r, MHD_HTTP_FORBIDDEN, &v2);
        rt_form_view_free(&v2);
        return res;
    }
    if (!sv_read_submission(s, r->form, &m, &v, false)) {
        res = send_form(s, c, r, MHD_HTTP_UNPROCESSABLE_CONTENT, &v);
        rt_form_view_free(&v);
        return res;
    }
    rt_diag d;
    rt_diag_init(&d, sv_quiet());
    d.keep = true;
    sv_staged st;
    bool ok = sv_stage(s, &m, s->messages, ".serve-", &st, &d);
    if (!ok) {
        sv_unstage(&st);
        for (size_t i = 0; i < d.n_items; i++)
            fprintf(s->log, "serve: %s\n", d.items[i].message);
        rt_diag_clear(&d);
        rt_form_view_free(&v);
        return send_error(s, c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, UI_BAD_REQUEST);
    }
    if (!st.v.valid) {
        sv_place_problems(s, &st, &d, &v);
        sv_unstage(&st);
        rt_diag_clear(&d);
        if (!v.problem[0].len && !v.problem[1].len && !v.problem[2].len && !v.problem[3].len &&
            !v.problem[4].len && !v.problem[5].len)
            rt_problem(&v, RT_F_GENERAL, "%s", rt_ui_word(L, UI_BAD_REQUEST));
        res = send_form(s, c, r, MHD_HTTP_UNPROCESSABLE_CONTENT, &v);
        rt_form_view_free(&v);
        return res;
    }
    rt_diag_clear(&d);
    bool moved = sv_file(s, &st);
    sv_unstage(&st);
    rt_form_view_free(&v);
    if (!moved)
        return send_error(s, c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, UI_BAD_REQUEST);
    char to[64];
    snprintf(to, sizeof to, "/message/%s", st.id);
    return redirect(c, r, to);
}

static enum MHD_Result do_preview(sv_server *s, struct MHD_Connection *c, request *r) {
    int L = s->site.lang;
    const rt_form_field *csrf = rt_form_get(r->form, "csrf");
    if (!sv_same_origin(c) || !csrf || csrf->file ||
        !sv_csrf_ok(s, "form", sv_form_cookie(c), csrf->value)) {
        rt_buf b = {0};
        rt_buf_adds(&b, "{\"ok\":false,\"summary\":");
        const char *w = rt_ui_word(L, UI_EXPIRED);
        rt_json_string(&b, w, strlen(w));
        rt_buf_adds(&b, "}");
        size_t len = b.len;
        return send_buf(c, r, MHD_HTTP_FORBIDDEN, "application/json", rt_buf_steal(&b), len, NULL);
    }
    rt_buf b = {0};
    sv_preview(s, r->form, &b);
    size_t len = b.len;
    return send_buf(c, r, MHD_HTTP_OK, "application/json", rt_buf_steal(&b), len, NULL);
}

/* The message file of a filed submission, or NULL if there is none. */
static char *message_path(const sv_server *s, const char *id) {
    if (!sv_valid_id(id))
        return NULL;
    char *p = rt_xasprintf("%s/%s.yaml", s->messages, id);
    struct stat st;
    if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(p);
        return NULL;
    }
    return p;
}

static enum MHD_Result do_message(sv_server *s, struct MHD_Connection *c, request *r) {
    char *path = message_path(s, r->id);
    if (!path)
        return send_error(s, c, r, MHD_HTTP_NOT_FOUND, UI_NOT_FOUND);
    rt_diag d;
    rt_diag_init(&d, sv_quiet());
    rt_message m;
    bool ok = rt_message_load(path, s->messages, s->e->layout, &m, &d);
    rt_intake_verdict v;
    ok = ok && rt_intake_desk_check(s->desk, path, &v, &d);
    double w = 0, h = 0;
    ok = ok && rt_intake_desk_proof(s->desk, path, PROOF_DPI, NULL, &w, &h, &d);
    enum MHD_Result res;
    if (!ok) {
        res = send_error(s, c, r, MHD_HTTP_NOT_FOUND, UI_NOT_FOUND);
    } else {
        rt_filed_view fv = {r->id,
                            m.from,
                            m.format,
                            m.reference,
                            m.amount,
                            m.status == RT_PAY_PENDING ? RT_INTAKE_PENDING
                            : m.status == RT_PAY_PAID  ? RT_INTAKE_PAID
                                                       : RT_INTAKE_OFFERED,
                            w,
                            h};
        rt_buf b = {0};
        rt_page_filed(&b, &s->site, &fv);
        res = send_html(c, r, MHD_HTTP_OK, &b);
    }
    rt_message_clear(&m);
    rt_diag_clear(&d);
    free(path);
    return res;
}

static enum MHD_Result do_proof(sv_server *s, struct MHD_Connection *c, request *r) {
    char *path = message_path(s, r->id);
    if (!path)
        return send_error(s, c, r, MHD_HTTP_NOT_FOUND, UI_NOT_FOUND);
    char *png = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&png, &len);
    rt_diag d;
    rt_diag_init(&d, sv_quiet());
    double w, h;
    bool ok = f && rt_intake_desk_proof(s->desk, path, PROOF_DPI, f, &w, &h, &d);
    if (f)
        fclose(f);
    rt_diag_clear(&d);
    free(path);
    if (!ok) {
        free(png);
        return send_error(s, c, r, MHD_HTTP_NOT_FOUND, UI_NOT_FOUND);
    }
    return send_buf(c, r, MHD_HTTP_OK, "image/png", png, len, NULL);
}

static enum MHD_Result send_admin(sv_server *s, struct MHD_Connection *c, request *r,
                                  unsigned status, const char *notice) {
    rt_intake_list l;
    rt_diag d;
    rt_diag_init(&d, sv_quiet());
    rt_intake_desk_list(s->desk, s->messages, &l, &d);
    rt_diag_clear(&d);
    char token[96];
    sv_csrf_make(s, "admin", s->admin_token, (long long)time(NULL), token);
    rt_buf b = {0};
    rt_page_admin(&b, &s->site, &l, token, notice);
    rt_intake_list_free(&l);
    return send_html(c, r, status, &b);
}

static enum MHD_Result do_admin(sv_server *s, struct MHD_Connection *c, request *r) {
    const char *paid = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "paid");
    char *notice = NULL;
    if (paid && rt_is_message_file(paid) && !strchr(paid, '/'))
        notice = rt_xasprintf("%s: %s", paid, rt_ui_word(s->site.lang, UI_STATE_PAID));
    enum MHD_Result res = send_admin(s, c, r, MHD_HTTP_OK, notice);
    free(notice);
    return res;
}

static enum MHD_Result do_admin_paid(sv_server *s, struct MHD_Connection *c, request *r) {
    const rt_form_field *csrf = rt_form_get(r->form, "csrf");
    const rt_form_field *file = rt_form_get(r->form, "file");
    if (!sv_same_origin(c) || !csrf || !sv_csrf_ok(s, "admin", s->admin_token, csrf->value))
        return send_admin(s, c, r, MHD_HTTP_FORBIDDEN, rt_ui_word(s->site.lang, UI_EXPIRED));
    /* a bare file name of the messages folder, nothing else */
    const char *name = file ? file->value : "";
    struct stat stt;
    char *path = NULL;
    bool found = file && file->len == strlen(name) && name[0] != '.' && !strchr(name, '/') &&
                 rt_is_message_file(name) &&
                 strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "._-") == strlen(name);
    if (found) {
        path = rt_path_join(s->messages, name);
        found = lstat(path, &stt) == 0 && S_ISREG(stt.st_mode);
    }
    if (!found) {
        free(path);
        return send_admin(s, c, r, MHD_HTTP_BAD_REQUEST, rt_ui_word(s->site.lang, UI_NOT_FOUND));
    }
    rt_diag d;
    rt_diag_init(&d, sv_quiet());
    d.keep = true;
    bool ok = rt_intake_desk_mark_paid(s->desk, path, &d);
    enum MHD_Result res;
    if (ok) {
        fprintf(s->log, "serve: marked paid: %s\n", path);
        char *to = rt_xasprintf("/admin?paid=%s", name);
        res = redirect(c, r, to);
        free(to);
    } else {
        rt_buf why = {0};
        rt_buf_addf(&why, "%s:", name);
        for (size_t i = 0; i < d.n_items; i++)
            if (d.items[i].severity == RT_ERROR)
                rt_buf_addf(&why, " %s", d.items[i].message);
        res = send_admin(s, c, r, MHD_HTTP_CONFLICT, why.data);
        rt_buf_free(&why);
    }
    rt_diag_clear(&d);
    free(path);
    return res;
}

/* ---------------------------------------------------------- dispatching */

static route route_of(const char *method, const char *url, request *r) {
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    bool post = strcmp(method, "POST") == 0;
    route want = R_NOT_FOUND;
    bool post_route = false;
    if (strcmp(url, "/") == 0)
        want = R_FORM;
    else if (strcmp(url, "/preview") == 0)
        want = R_PREVIEW, post_route = true;
    else if (strcmp(url, "/style.css") == 0)
        want = R_CSS;
    else if (strcmp(url, "/form.js") == 0)
        want = R_JS;
    else if (strcmp(url, "/admin") == 0)
        want = R_ADMIN;
    else if (strcmp(url, "/admin/paid") == 0)
        want = R_ADMIN_PAID, post_route = true;
    else if (strncmp(url, "/message/", 9) == 0) {
        const char *id = url + 9;
        size_t n = strcspn(id, "/");
        if (n < sizeof r->id) {
            memcpy(r->id, id, n);
            r->id[n] = '\0';
            if (!id[n])
                want = R_MESSAGE;
            else if (strcmp(id + n, "/proof.png") == 0)
                want = R_PROOF;
        }
    }
    if (want == R_NOT_FOUND)
        return get || post ? R_NOT_FOUND : R_METHOD;
    if (want == R_FORM)
        return get ? R_FORM : post ? R_SUBMIT : R_METHOD;
    if (post_route)
        return post ? want : R_METHOD;
    return get ? want : R_METHOD;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls) {
    sv_server *s = cls;
    request *r = *con_cls;
    (void)version;
    if (!r) {
        r = rt_xcalloc(1, sizeof *r);
        *con_cls = r;
        sv_client_of(c, r->client, sizeof r->client);
        if (!sv_allow(s, r->client)) {
            r->done = true;
            return send_error(s, c, r, MHD_HTTP_TOO_MANY_REQUESTS, UI_TOO_MANY);
        }
        r->route = route_of(method, url, r);
        const char *cl =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > MAX_BODY) {
            r->done = true;
            return send_error(s, c, r, MHD_HTTP_CONTENT_TOO_LARGE, UI_TOO_LARGE);
        }
        bool admin = r->route == R_ADMIN || r->route == R_ADMIN_PAID;
        if (admin && !sv_admin_ok(s, c)) {
            r->done = true;
            return send_error(s, c, r, MHD_HTTP_UNAUTHORIZED, UI_BAD_REQUEST);
        }
        if (r->route == R_SUBMIT || r->route == R_PREVIEW || r->route == R_ADMIN_PAID) {
            r->form = rt_form_new(c, r->route == R_ADMIN_PAID ? &admin_limits : &form_limits,
                                  &r->form_status);
            if (!r->form) {
                r->done = true;
                return send_error(s, c, r, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, UI_BAD_REQUEST);
            }
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->done)
            return MHD_YES;
        r->received += n;
        if (r->received > MAX_BODY) {
            /* a body without a length (chunked) that goes on past the
             * limit: the connection is closed, nothing more is read */
            fprintf(s->log, "%s %s %s: body over %u bytes, connection closed\n", r->client, method,
                    url, MAX_BODY);
            r->too_large = true;
            return MHD_NO;
        }
        if (r->form && r->form_status == RT_FORM_OK)
            r->form_status = rt_form_feed(r->form, upload, n);
        return MHD_YES;
    }
    if (r->done)
        return MHD_YES;
    r->done = true;
    if (r->form) {
        rt_form_status fs = r->form_status == RT_FORM_OK ? rt_form_end(r->form) : r->form_status;
        if (fs != RT_FORM_OK) {
            fprintf(s->log, "%s %s %s: %s\n", r->client, method, url, rt_form_problem(r->form));
            return send_error(s, c, r,
                              fs == RT_FORM_TOO_LARGE ? MHD_HTTP_CONTENT_TOO_LARGE
                                                      : MHD_HTTP_BAD_REQUEST,
                              fs == RT_FORM_TOO_LARGE ? UI_TOO_LARGE : UI_BAD_REQUEST);
        }
    }
    switch (r->route) {
    case R_FORM:
        return send_form(s, c, r, MHD_HTTP_OK, NULL);
    case R_SUBMIT:
        return do_submit(s, c, r);
    case R_PREVIEW:
        return do_preview(s, c, r);
    case R_CSS:
        return send_buf(c, r, MHD_HTTP_OK, "text/css; charset=utf-8", rt_xstrdup(rt_style_css),
                        strlen(rt_style_css), "public, max-age=300");
    case R_JS:
        return send_buf(c, r, MHD_HTTP_OK, "text/javascript; charset=utf-8", rt_xstrdup(rt_form_js),
                        strlen(rt_form_js), "public, max-age=300");
    case R_MESSAGE:
        return do_message(s, c, r);
    case R_PROOF:
        return do_proof(s, c, r);
    case R_ADMIN:
        return do_admin(s, c, r);
    case R_ADMIN_PAID:
        return do_admin_paid(s, c, r);
    case R_METHOD:
        return send_error(s, c, r, MHD_HTTP_METHOD_NOT_ALLOWED, UI_BAD_REQUEST);
    default:
        return send_error(s, c, r, MHD_HTTP_NOT_FOUND, UI_NOT_FOUND);
    }
}

/* One line per request; the path cut and made printable. */
static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why) {
    sv_server *s = cls;
    request *r = *con_cls;
    (void)why;
    if (!r)
        return;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_HTTP_STATUS);
    unsigned status = r->status ? r->status : ci ? ci->http_status : 0;
    static const char *const names[] = {"-",       "form",  "submit", "preview", "css", "js",
                                        "message", "proof", "admin",  "paid",    "404", "405"};
    fprintf(s->log, "%s %s %u%s\n", r->client, names[r->route], status,
            r->too_large ? " (body too large)" : "");
    fflush(s->log);
    rt_form_free(r->form);
    free(r);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
    sv_server *s = cls;
    fputs("serve: libmicrohttpd: ", s->log);
    vfprintf(s->log, fmt, ap);
    fflush(s->log);
}

/* ------------------------------------------------------------ start-up */

int rt_serve(const rt_serve_opts *o) {
    sv_server s = {0};
    s.o = *o;
    s.log = o->log ? o->log : stderr;
    s.rate = o->rate > 0 ? o->rate : 60;
    int status = 1;
    struct MHD_Daemon *daemon = NULL;
    int fd = -1;
    rt_diag d;
    rt_diag_init(&d, s.log);
    d.quiet_warnings = true;
    char *layouts = rt_path_join(o->data_dir, "layouts");
    s.e = rt_edition_load(o->edition, layouts, &d);
    free(layouts);
    if (!s.e || !s.e->layout) {
        fprintf(s.log, "rotative: cannot serve %s: the edition cannot be loaded\n", o->edition);
        goto done;
    }
    if (d.errors)
        fprintf(s.log,
                "rotative: note: %d problem%s in the edition (see `rotative check`); the "
                "form only needs its layout and messages folder\n",
                d.errors, d.errors == 1 ? "" : "s");
    if (!s.e->messages_dir || !rt_dir_exists(s.e->messages_dir)) {
        fprintf(s.log,
                "%s: error: the edition has no messages folder ('messages:' in the "
                "edition file)\n",
                o->edition);
        goto done;
    }
    s.messages = s.e->messages_dir;
    rt_intake_opts io = {.data_dir = o->data_dir, .hyphen_dir = o->hyphen_dir};
    s.desk = rt_intake_desk_open(s.e, &io, &d);
    if (!s.desk)
        goto done;
    const rt_layout *l = s.e->layout;
    s.rates = rt_xcalloc(l->n_rates, sizeof *s.rates);
    for (size_t i = 0; i < l->n_rates; i++) {
        double w, h;
        rt_intake_desk_box(s.desk, (int)i, &w, &h);
        s.rates[i] = (rt_rate_view){l->rates[i].name, l->rates[i].columns, l->rates[i].rows,
                                    w / RT_MM,        h / RT_MM,           l->rates[i].price};
    }
    s.site =
        (rt_site){s.e->lang, s.e->paper, l->words[s.e->lang].support_call, s.rates, l->n_rates};
    status = 2;
    if (o->admin_token_file && !(s.admin_token = sv_read_token(o->admin_token_file, s.log)))
        goto done;
    if (getrandom(s.secret, sizeof s.secret, 0) != (ssize_t)sizeof s.secret) {
        fprintf(s.log, "rotative: no random numbers: %s\n", strerror(errno));
        goto done;
    }
    s.clients = rt_xcalloc(CLIENT_SLOTS, sizeof *s.clients);
    sv_remove_stale(s.messages);
    char shown[320];
    fd = sv_listen_socket(o->listen ? o->listen : "127.0.0.1:8080", s.log, shown, sizeof shown);
    if (fd < 0) {
        status = 2;
        goto done;
    }
    /* SIGTERM and SIGINT are waited for below; the sv_server's thread
     * inherits the mask and never sees them */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG, 0,
                              NULL, NULL, handle, &s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &s,
                              MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT,
                              (unsigned)64, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                              MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 << 10),
                              MHD_OPTION_NOTIFY_COMPLETED, completed, &s, MHD_OPTION_END);
    if (!daemon) {
        fprintf(s.log, "rotative: cannot start the sv_server on %s\n", shown);
        goto done;
    }
    fd = -1; /* the daemon's now: closed by MHD_stop_daemon */
    fprintf(s.log, "rotative serve: %s, messages filed in %s\n", o->edition, s.messages);
    fprintf(s.log, "listening on %s\n", shown);
    fflush(s.log);
    int sig = 0;
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(s.log, "rotative serve: %s, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    MHD_stop_daemon(daemon);
    daemon = NULL;
    fprintf(s.log, "rotative serve: stopped\n");
    status = 0;
done:
    if (daemon)
        MHD_stop_daemon(daemon);
    if (fd >= 0)
        close(fd);
    rt_intake_desk_close(s.desk);
    rt_edition_free(s.e);
    free(s.rates);
    free(s.clients);
    free(s.admin_token);
    rt_diag_clear(&d);
    sv_quiet_close();
    return status;
}
