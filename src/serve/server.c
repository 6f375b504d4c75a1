/* serve: the HTTP server. One libmicrohttpd polling thread answers every
 * request in turn (typesetting is not thread-safe, and one request takes a
 * few milliseconds); slow clients cost nothing while their bytes trickle
 * in. Submissions are checked by the intake desk on a staged copy and
 * renamed into the messages folder only when valid. */
#include "serve.h"

#include "../load/load.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <nettle/base64.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (2u << 20) /* request bodies: larger is 413 */
#define MAX_LOGO (2u << 20)
#define MAX_VALUE (64u << 10)    /* bytes kept of a text field (more is "too long") */
#define CSRF_LIFETIME (6 * 3600) /* seconds a form stays valid */
#define CLIENT_SLOTS 4096
#define PROOF_DPI 150
#define PREVIEW_DPI 96

/* The loader's limits (src/load/message.c), checked here first so the
 * public gets them in its own language; the loader checks them again. */
#define MAX_FROM 200
#define MAX_TEXT 2000
#define MAX_CONTACT 200

static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                          "frame-ancestors 'none'; base-uri 'none'";

typedef struct {
    char key[64];
    double tokens, last;
} client_slot;

typedef struct {
    rt_serve_opts o;
    rt_edition *e;
    rt_intake_desk *desk;
    rt_site site;
    rt_rate_view *rates;
    const char *messages; /* the edition's messages folder */
    uint8_t secret[32];   /* HMAC key of the CSRF tokens, new at each start */
    char *admin_token;
    double rate; /* requests per minute per client */
    client_slot *clients;
    size_t n_clients;
    FILE *log;
} server;

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

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

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

static enum MHD_Result send_error(server *s, struct MHD_Connection *c, request *r, unsigned status,
                                  rt_ui title) {
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

/* --------------------------------------------------------------- clients */

/* The client a request comes from: its address, or behind a proxy on this
 * machine, the address the proxy appended to X-Forwarded-For. */
static void client_of(struct MHD_Connection *c, char *out, size_t cap) {
    snprintf(out, cap, "unknown");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    bool loopback = false;
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET) {
            const struct sockaddr_in *in = (const void *)sa;
            inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)cap);
            loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
        } else if (sa->sa_family == AF_INET6) {
            const struct sockaddr_in6 *in6 = (const void *)sa;
            inet_ntop(AF_INET6, &in6->sin6_addr, out, (socklen_t)cap);
            loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        }
    }
    const char *xff =
        loopback ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") : NULL;
    if (!xff)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t')
        last++;
    char addr[48];
    size_t n = strcspn(last, " \t");
    if (n == 0 || n >= sizeof addr)
        return;
    memcpy(addr, last, n);
    addr[n] = '\0';
    unsigned char bin[16];
    if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1)
        snprintf(out, cap, "%s", addr);
}

static unsigned long hash_str(const char *s) {
    unsigned long h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* A token bucket per client: `rate` requests a minute, as a burst too.
 * The table forgets clients whose bucket is full again when it fills up. */
static bool allow(server *s, const char *client) {
    double t = now_s(), per_s = s->rate / 60.0;
    if (s->n_clients > CLIENT_SLOTS * 3 / 4) {
        size_t kept = 0;
        for (size_t i = 0; i < CLIENT_SLOTS; i++) {
            client_slot *x = &s->clients[i];
            if (!x->key[0])
                continue;
            if (x->tokens + (t - x->last) * per_s >= s->rate)
                x->key[0] = '\0';
            else
                kept++;
        }
        if (kept > CLIENT_SLOTS / 2) /* a flood of addresses: start afresh */
            memset(s->clients, 0, CLIENT_SLOTS * sizeof *s->clients);
        /* rehash what is left */
        client_slot *old = s->clients;
        s->clients = rt_xcalloc(CLIENT_SLOTS, sizeof *s->clients);
        s->n_clients = 0;
        for (size_t i = 0; i < CLIENT_SLOTS; i++)
            if (old[i].key[0]) {
                size_t k = hash_str(old[i].key) % CLIENT_SLOTS;
                while (s->clients[k].key[0])
                    k = (k + 1) % CLIENT_SLOTS;
                s->clients[k] = old[i];
                s->n_clients++;
            }
        free(old);
    }
    size_t k = hash_str(client) % CLIENT_SLOTS;
    while (s->clients[k].key[0] && strcmp(s->clients[k].key, client) != 0)
        k = (k + 1) % CLIENT_SLOTS;
    client_slot *x = &s->clients[k];
    if (!x->key[0]) {
        snprintf(x->key, sizeof x->key, "%s", client);
        x->tokens = s->rate;
        x->last = t;
        s->n_clients++;
    }
    x->tokens += (t - x->last) * per_s;
    if (x->tokens > s->rate)
        x->tokens = s->rate;
    x->last = t;
    if (x->tokens < 1)
        return false;
    x->tokens -= 1;
    return true;
}

/* ----------------------------------------------------------------- CSRF
 * A form carries "<time>-<HMAC(secret, purpose, cookie, time)>": the
 * cookie binds it to the browser that fetched the form (SameSite=Strict
 * keeps other sites from sending it); the admin's is bound to its bearer
 * token instead. */

static void hex(char *out, const uint8_t *in, size_t n) {
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", in[i]);
}

static void csrf_make(const server *s, const char *purpose, const char *bind, long long t,
                      char out[96]) {
    struct hmac_sha256_ctx h;
    hmac_sha256_set_key(&h, sizeof s->secret, s->secret);
    char msg[256];
    int n = snprintf(msg, sizeof msg, "%s\n%s\n%lld", purpose, bind, t);
    hmac_sha256_update(&h, (size_t)n, (const uint8_t *)msg);
    uint8_t mac[SHA256_DIGEST_SIZE];
    hmac_sha256_digest(&h, sizeof mac, mac);
    int k = snprintf(out, 96, "%lld-", t);
    hex(out + k, mac, sizeof mac);
}

static bool csrf_ok(const server *s, const char *purpose, const char *bind, const char *token) {
    if (!token || !bind || !*bind)
        return false;
    char *end;
    long long t = strtoll(token, &end, 10);
    long long now = (long long)time(NULL);
    if (end == token || *end != '-' || t > now + 60 || now - t > CSRF_LIFETIME)
        return false;
    char want[96];
    csrf_make(s, purpose, bind, t, want);
    return strlen(token) == strlen(want) && memeql_sec(token, want, strlen(want));
}

/* The browser's cookie (32 hex digits), or NULL. */
static const char *form_cookie(struct MHD_Connection *c) {
    const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "rotative_form");
    if (!v || strlen(v) != 32 || strspn(v, "0123456789abcdef") != 32)
        return NULL;
    return v;
}

/* Requests from a browser say where they come from: another site's page
 * posting here is refused whatever it sends. */
static bool same_origin(struct MHD_Connection *c) {
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return false;
    if (!origin)
        return true;
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    const char *p = strstr(origin, "://");
    return host && p && strcasecmp(p + 3, host) == 0;
}

/* ---------------------------------------------------------------- files */

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

static void sync_dir(const char *dir) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Staging folders a crash left behind (.serve-* in the messages folder). */
static void remove_stale(const char *dir) {
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

typedef struct {
    const char *value[RT_F_COUNT];
    size_t len[RT_F_COUNT];
    const rt_form_field *logo;
    bool logo_png;
    int rate; /* -1: the smallest that fits */
} submission;

typedef struct {
    int from, text0, text1, format, contact, logo; /* lines in the staged file */
} line_map;

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
        hex(out + n, rnd, sizeof rnd);
}

static bool valid_id(const char *id) {
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
static void new_reference(const server *s, char *out, size_t cap) {
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

/* The message file for a submission, every value escaped. */
static char *message_yaml(const server *s, const submission *m, int rate, const char *reference,
                          const char *logo_rel, line_map *lines) {
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

typedef struct {
    char dir[512];  /* the staging folder */
    char yaml[600]; /* its message file */
    char logo[600]; /* its logo, or "" */
    char id[40];
    char logo_rel[64];
    char reference[32];
    line_map lines;
    int rate;
    rt_intake_verdict v;
} staged;

/* Writes the message (and its logo) in a fresh staging folder under `root`
 * and checks it with the desk. With rate -1, the smallest format that
 * fits is chosen (by setting the text). */
static bool stage(server *s, const submission *m, const char *root, const char *prefix, staged *st,
                  rt_diag *d) {
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

static void unstage(staged *st) {
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
static void check_text(const server *s, rt_form_view *v, rt_field f, const char *val, size_t n,
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
static bool read_submission(const server *s, rt_form *f, submission *m, rt_form_view *v,
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
static void place_problems(const server *s, const staged *st, const rt_diag *d, rt_form_view *v) {
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

/* ------------------------------------------------------------ handlers */

static const char *cookie_or_new(struct MHD_Connection *c, char fresh[33]) {
    const char *cookie = form_cookie(c);
    if (cookie)
        return cookie;
    uint8_t rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        for (size_t i = 0; i < sizeof rnd; i++)
            rnd[i] = (uint8_t)rand();
    hex(fresh, rnd, sizeof rnd);
    return fresh;
}

static enum MHD_Result send_form(server *s, struct MHD_Connection *c, request *r, unsigned status,
                                 const rt_form_view *v) {
    char fresh[33] = "";
    const char *cookie = cookie_or_new(c, fresh);
    char token[96];
    csrf_make(s, "form", cookie, (long long)time(NULL), token);
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

static FILE *g_null; /* diagnostics nobody reads (the desk's, for pages) */

static FILE *quiet_file(void) {
    if (!g_null)
        g_null = fopen("/dev/null", "w");
    return g_null;
}

static enum MHD_Result do_submit(server *s, struct MHD_Connection *c, request *r) {
    rt_form_view v = {0};
    submission m;
    int L = s->site.lang;
    enum MHD_Result res;
    const rt_form_field *csrf = rt_form_get(r->form, "csrf");
    if (!same_origin(c) || !csrf || csrf->file ||
        !csrf_ok(s, "form", form_cookie(c), csrf->value)) {
        read_submission(s, r->form, &m, &v, false);
        rt_form_view_free(&v);
        rt_form_view v2 = {0};
        memcpy(v2.value, v.value, sizeof v.value);
        rt_problem(&v2, RT_F_GENERAL, "%s", rt_ui_word(L, UI_EXPIRED));
        res = send_form(s, c, r, MHD_HTTP_FORBIDDEN, &v2);
        rt_form_view_free(&v2);
        return res;
    }
    if (!read_submission(s, r->form, &m, &v, false)) {
        res = send_form(s, c, r, MHD_HTTP_UNPROCESSABLE_CONTENT, &v);
        rt_form_view_free(&v);
        return res;
    }
    rt_diag d;
    rt_diag_init(&d, quiet_file());
    d.keep = true;
    staged st;
    bool ok = stage(s, &m, s->messages, ".serve-", &st, &d);
    if (!ok) {
        unstage(&st);
        for (size_t i = 0; i < d.n_items; i++)
            fprintf(s->log, "serve: %s\n", d.items[i].message);
        rt_diag_clear(&d);
        rt_form_view_free(&v);
        return send_error(s, c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, UI_BAD_REQUEST);
    }
    if (!st.v.valid) {
        place_problems(s, &st, &d, &v);
        unstage(&st);
        rt_diag_clear(&d);
        if (!v.problem[0].len && !v.problem[1].len && !v.problem[2].len && !v.problem[3].len &&
            !v.problem[4].len && !v.problem[5].len)
            rt_problem(&v, RT_F_GENERAL, "%s", rt_ui_word(L, UI_BAD_REQUEST));
        res = send_form(s, c, r, MHD_HTTP_UNPROCESSABLE_CONTENT, &v);
        rt_form_view_free(&v);
        return res;
    }
    rt_diag_clear(&d);
    /* into place: the logo first, so a build never sees a message without
     * its logo; never over an existing file */
    char final_yaml[600], final_logo[600] = "";
    snprintf(final_yaml, sizeof final_yaml, "%s/%s.yaml", s->messages, st.id);
    bool moved = true;
    if (st.logo[0]) {
        char logos[600];
        snprintf(logos, sizeof logos, "%s/logos", s->messages);
        if (mkdir(logos, 0755) != 0 && errno != EEXIST)
            moved = false;
        snprintf(final_logo, sizeof final_logo, "%s/%s", s->messages, st.logo_rel);
        moved = moved && renameat2(AT_FDCWD, st.logo, AT_FDCWD, final_logo, RENAME_NOREPLACE) == 0;
        if (moved)
            sync_dir(logos);
    }
    if (moved && renameat2(AT_FDCWD, st.yaml, AT_FDCWD, final_yaml, RENAME_NOREPLACE) != 0) {
        moved = false;
        if (final_logo[0])
            unlink(final_logo);
    }
    if (!moved) {
        fprintf(s->log, "serve: cannot file %s: %s\n", final_yaml, strerror(errno));
        unstage(&st);
        rt_form_view_free(&v);
        return send_error(s, c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, UI_BAD_REQUEST);
    }
    sync_dir(s->messages);
    unstage(&st);
    rt_form_view_free(&v);
    fprintf(s->log, "serve: filed %s (%s, %.2f, %s)\n", final_yaml,
            s->e->layout->rates[st.rate].name, s->e->layout->rates[st.rate].price, st.reference);
    char to[64];
    snprintf(to, sizeof to, "/message/%s", st.id);
    return redirect(c, r, to);
}

static enum MHD_Result do_preview(server *s, struct MHD_Connection *c, request *r) {
    rt_form_view v = {0};
    submission m;
    int L = s->site.lang;
    const rt_form_field *csrf = rt_form_get(r->form, "csrf");
    if (!same_origin(c) || !csrf || csrf->file ||
        !csrf_ok(s, "form", form_cookie(c), csrf->value)) {
        rt_buf b = {0};
        rt_buf_adds(&b, "{\"ok\":false,\"summary\":");
        const char *w = rt_ui_word(L, UI_EXPIRED);
        rt_json_string(&b, w, strlen(w));
        rt_buf_adds(&b, "}");
        size_t len = b.len;
        return send_buf(c, r, MHD_HTTP_FORBIDDEN, "application/json", rt_buf_steal(&b), len, NULL);
    }
    bool fields_ok = read_submission(s, r->form, &m, &v, true);
    bool complete = m.len[RT_F_FROM] && m.len[RT_F_TEXT] && m.len[RT_F_CONTACT];
    staged st = {0};
    char *png = NULL;
    size_t png_len = 0;
    double w = 0, h = 0;
    if (fields_ok && m.len[RT_F_TEXT]) {
        /* what the supporter has not typed yet is drawn as nothing */
        submission full = m;
        if (!m.len[RT_F_FROM])
            full.value[RT_F_FROM] = "\xe2\x80\xa6", full.len[RT_F_FROM] = 3;
        if (!m.len[RT_F_CONTACT])
            full.value[RT_F_CONTACT] = "-", full.len[RT_F_CONTACT] = 1;
        const char *tmp = getenv("TMPDIR");
        rt_diag d;
        rt_diag_init(&d, quiet_file());
        d.keep = true;
        if (stage(s, &full, tmp && *tmp ? tmp : "/tmp", "rotative-serve-", &st, &d)) {
            place_problems(s, &st, &d, &v);
            if (st.v.rate >= 0) {
                FILE *f = open_memstream(&png, &png_len);
                rt_diag q;
                rt_diag_init(&q, quiet_file());
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
    rt_buf b = {0};
    bool any = false;
    rt_buf_adds(&b, "{\"problems\":{");
    for (int i = 0; i < RT_F_COUNT; i++)
        if (v.problem[i].len) {
            rt_buf_addf(&b, "%s\"%s\":", any ? "," : "", rt_field_names[i]);
            rt_json_string(&b, v.problem[i].data, v.problem[i].len);
            any = true;
        }
    rt_buf_addf(&b, "},\"ok\":%s", !any && complete ? "true" : "false");
    rt_buf summary = {0};
    if (st.v.rate >= 0) {
        const rt_rate *rt = &s->e->layout->rates[st.v.rate];
        rt_buf_addf(&summary, "%s \xe2\x80\x94 ", rt->name);
        rt_money(&summary, L, rt->price);
        if (st.v.fits)
            rt_buf_addf(&summary, " \xe2\x80\x94 %s", rt_ui_word(L, UI_FITS));
        rt_buf_adds(&b, ",\"format\":");
        rt_json_string(&b, rt->name, strlen(rt->name));
        char *alt = rt_xasprintf(rt_ui_word(L, UI_PROOF_ALT), rt->name);
        rt_buf_adds(&b, ",\"alt\":");
        rt_json_string(&b, alt, strlen(alt));
        free(alt);
    }
    rt_buf_adds(&b, ",\"summary\":");
    rt_json_string(&b, summary.data ? summary.data : "", summary.len);
    rt_buf_free(&summary);
    if (png) {
        char *enc = rt_xmalloc(BASE64_ENCODE_RAW_LENGTH(png_len) + 1);
        base64_encode_raw(enc, png_len, (const uint8_t *)png);
        enc[BASE64_ENCODE_RAW_LENGTH(png_len)] = '\0';
        rt_buf_addf(&b, ",\"width\":%.0f,\"height\":%.0f,\"png\":\"", w * 96 / 72, h * 96 / 72);
        rt_buf_adds(&b, enc);
        rt_buf_adds(&b, "\"");
        free(enc);
        free(png);
    }
    rt_buf_adds(&b, "}");
    unstage(&st);
    rt_form_view_free(&v);
    size_t len = b.len;
    return send_buf(c, r, MHD_HTTP_OK, "application/json", rt_buf_steal(&b), len, NULL);
}

/* The message file of a filed submission, or NULL if there is none. */
static char *message_path(const server *s, const char *id) {
    if (!valid_id(id))
        return NULL;
    char *p = rt_xasprintf("%s/%s.yaml", s->messages, id);
    struct stat st;
    if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(p);
        return NULL;
    }
    return p;
}

static enum MHD_Result do_message(server *s, struct MHD_Connection *c, request *r) {
    char *path = message_path(s, r->id);
    if (!path)
        return send_error(s, c, r, MHD_HTTP_NOT_FOUND, UI_NOT_FOUND);
    rt_diag d;
    rt_diag_init(&d, quiet_file());
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

static enum MHD_Result do_proof(server *s, struct MHD_Connection *c, request *r) {
    char *path = message_path(s, r->id);
    if (!path)
        return send_error(s, c, r, MHD_HTTP_NOT_FOUND, UI_NOT_FOUND);
    char *png = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&png, &len);
    rt_diag d;
    rt_diag_init(&d, quiet_file());
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

static bool admin_ok(const server *s, struct MHD_Connection *c) {
    if (!s->admin_token)
        return false;
    const char *a = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!a || strncasecmp(a, "Bearer ", 7) != 0)
        return false;
    a += 7;
    while (*a == ' ')
        a++;
    size_t n = strlen(s->admin_token);
    return strlen(a) == n && memeql_sec(a, s->admin_token, n);
}

static enum MHD_Result send_admin(server *s, struct MHD_Connection *c, request *r, unsigned status,
                                  const char *notice) {
    rt_intake_list l;
    rt_diag d;
    rt_diag_init(&d, quiet_file());
    rt_intake_desk_list(s->desk, s->messages, &l, &d);
    rt_diag_clear(&d);
    char token[96];
    csrf_make(s, "admin", s->admin_token, (long long)time(NULL), token);
    rt_buf b = {0};
    rt_page_admin(&b, &s->site, &l, token, notice);
    rt_intake_list_free(&l);
    return send_html(c, r, status, &b);
}

static enum MHD_Result do_admin(server *s, struct MHD_Connection *c, request *r) {
    const char *paid = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "paid");
    char *notice = NULL;
    if (paid && rt_is_message_file(paid) && !strchr(paid, '/'))
        notice = rt_xasprintf("%s: %s", paid, rt_ui_word(s->site.lang, UI_STATE_PAID));
    enum MHD_Result res = send_admin(s, c, r, MHD_HTTP_OK, notice);
    free(notice);
    return res;
}

static enum MHD_Result do_admin_paid(server *s, struct MHD_Connection *c, request *r) {
    const rt_form_field *csrf = rt_form_get(r->form, "csrf");
    const rt_form_field *file = rt_form_get(r->form, "file");
    if (!same_origin(c) || !csrf || !csrf_ok(s, "admin", s->admin_token, csrf->value))
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
    rt_diag_init(&d, quiet_file());
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
    server *s = cls;
    request *r = *con_cls;
    (void)version;
    if (!r) {
        r = rt_xcalloc(1, sizeof *r);
        *con_cls = r;
        client_of(c, r->client, sizeof r->client);
        if (!allow(s, r->client)) {
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
        if (admin && !admin_ok(s, c)) {
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
    server *s = cls;
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
    server *s = cls;
    fputs("serve: libmicrohttpd: ", s->log);
    vfprintf(s->log, fmt, ap);
    fflush(s->log);
}

/* ------------------------------------------------------------ start-up */

static int listen_socket(const char *spec, FILE *log, char *shown, size_t cap) {
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= sizeof host)
            goto bad;
        memcpy(host, spec + 1, (size_t)(close - spec - 1));
        host[close - spec - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (!colon || (size_t)(colon - spec) >= sizeof host)
            goto bad;
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        port = colon + 1;
    }
    if (strcmp(host, "localhost") == 0 || !*host)
        snprintf(host, sizeof host, "127.0.0.1");
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        goto bad;
    struct addrinfo hints = {0}, *ai;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &ai) != 0)
        goto bad;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    }
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 64) != 0) {
        fprintf(log, "rotative: cannot listen on %s: %s\n", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -2;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    int real = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                        : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    snprintf(shown, cap, strchr(host, ':') ? "http://[%s]:%d/" : "http://%s:%d/", host, real);
    return fd;
bad:
    fprintf(log, "rotative: --listen takes ADDRESS:PORT (127.0.0.1:8080, [::1]:8080), not '%s'\n",
            spec);
    return -1;
}

/* The admin's token: one line of at least 16 characters. */
static char *read_token(const char *path, FILE *log) {
    size_t n;
    char *t = rt_read_file(path, 4096, &n);
    if (!t) {
        fprintf(log, "rotative: %s: cannot read the admin token: %s\n", path, strerror(errno));
        return NULL;
    }
    while (n && strchr(" \t\r\n", t[n - 1]))
        t[--n] = '\0';
    size_t start = strspn(t, " \t");
    memmove(t, t + start, n - start + 1);
    n -= start;
    bool printable = true;
    for (size_t i = 0; i < n; i++)
        printable &= t[i] > ' ' && t[i] < 0x7F;
    if (n < 16 || !printable) {
        fprintf(log,
                "rotative: %s: the admin token must be one line of at least 16 printable "
                "characters, no spaces\n",
                path);
        free(t);
        return NULL;
    }
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077))
        fprintf(log, "rotative: warning: %s can be read by other users (chmod 600 it)\n", path);
    return t;
}

int rt_serve(const rt_serve_opts *o) {
    server s = {0};
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
    rt_intake_opts io = {o->data_dir, o->hyphen_dir, NULL, NULL};
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
    if (o->admin_token_file && !(s.admin_token = read_token(o->admin_token_file, s.log)))
        goto done;
    if (getrandom(s.secret, sizeof s.secret, 0) != (ssize_t)sizeof s.secret) {
        fprintf(s.log, "rotative: no random numbers: %s\n", strerror(errno));
        goto done;
    }
    s.clients = rt_xcalloc(CLIENT_SLOTS, sizeof *s.clients);
    remove_stale(s.messages);
    char shown[320];
    fd = listen_socket(o->listen ? o->listen : "127.0.0.1:8080", s.log, shown, sizeof shown);
    if (fd < 0) {
        status = 2;
        goto done;
    }
    /* SIGTERM and SIGINT are waited for below; the server's thread
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
        fprintf(s.log, "rotative: cannot start the server on %s\n", shown);
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
    if (g_null)
        fclose(g_null);
    g_null = NULL;
    return status;
}
