/* serve: `rotative serve EDITION.yaml`, the supporters' web form. An HTTP
 * server (libmicrohttpd) meant to run behind the paper's web server: the
 * public form in the edition's language with the rate card, a live proof,
 * submissions checked exactly as `intake check` does and filed as pending
 * message files, and an admin page for the editor.
 *
 * Only this folder includes <microhttpd.h> (and nettle, for the CSRF
 * tokens' HMAC). It calls load (the edition), intake (checks, proofs, the
 * list of messages) and nothing calls it but main.c.
 *
 * Ownership: every rt_buf filled here belongs to the caller; an rt_form owns
 * its fields (valid until rt_form_free); rt_serve() frees everything it
 * made before it returns.
 */
#ifndef RT_SERVE_H
#define RT_SERVE_H

#include "../base/base.h"
#include "../intake/intake.h"

#include <stdint.h>

/* ------------------------------------------------------------ the server */

typedef struct {
    const char *edition;          /* the issue.yaml */
    const char *data_dir;         /* holds layouts/ and fonts/ */
    const char *hyphen_dir;       /* NULL: Debian's */
    const char *listen;           /* "ADDR:PORT" or "[V6]:PORT" (NULL: 127.0.0.1:8080); port 0:
                                     any free port (printed) */
    const char *admin_token_file; /* NULL: /admin always answers 401 */
    const char *tmp_dir;          /* live proofs are staged here (NULL: /tmp) */
    int rate;                     /* requests per minute per client (0: 60) */
    FILE *log;                    /* "listening on ...", one line per request, problems */
} rt_serve_opts;

/* Runs until SIGTERM or SIGINT. Returns the exit status: 0 after a clean
 * stop, 1 if the edition cannot be used, 2 on a usage or I/O error. */
int rt_serve(const rt_serve_opts *o);

/* ---------------------------------------------------- forms (form.c)
 * Request bodies decoded with libmicrohttpd's post processor
 * (application/x-www-form-urlencoded and multipart/form-data), with limits:
 * only the names the caller lists, each once, text values and files capped.
 * Exposed for the tests and the fuzz harness. */

struct MHD_Connection;

typedef enum {
    RT_FORM_OK,
    RT_FORM_BAD_TYPE,  /* not one of the two form encodings: 415 */
    RT_FORM_MALFORMED, /* undecodable, an unknown or repeated field: 400 */
    RT_FORM_TOO_LARGE, /* a file over its limit: 413 */
} rt_form_status;

typedef struct {
    char *name;
    char *value; /* the bytes received (NUL-terminated; a file may hold NULs) */
    size_t len;  /* bytes kept */
    size_t size; /* bytes received (> len when cut at the limit) */
    bool file;   /* sent as a file (multipart, with a file name) */
    char *type;  /* the part's declared content type, or NULL */
} rt_form_field;

typedef struct {
    const char *const *names; /* the accepted field names, NULL-terminated */
    const char *const *files; /* those that may carry a file, NULL-terminated */
    size_t max_value;         /* bytes kept of a text value (more are counted, not kept) */
    size_t max_file;          /* bytes of a file; more is RT_FORM_TOO_LARGE */
} rt_form_limits;

typedef struct rt_form rt_form;

/* Starts decoding the body of a request on connection c, whose
 * Content-Type must be one of the two form encodings (checked strictly:
 * media type, and for urlencoded no charset but UTF-8). NULL with *st set
 * if not. `lim` must outlive the form. */
rt_form *rt_form_new(struct MHD_Connection *c, const rt_form_limits *lim, rt_form_status *st);
/* Feeds a piece of the body; returns the first problem met (then stays). */
rt_form_status rt_form_feed(rt_form *f, const char *data, size_t n);
/* The body is complete. */
rt_form_status rt_form_end(rt_form *f);
/* The field named `name`, or NULL if it was not sent. */
const rt_form_field *rt_form_get(const rt_form *f, const char *name);
size_t rt_form_count(const rt_form *f);
/* What went wrong, in English, for the log (never shown to the public). */
const char *rt_form_problem(const rt_form *f);
void rt_form_free(rt_form *f);

/* ------------------------------------------------- escaping (form.c)
 * Each appends to `b`. Invalid UTF-8 becomes U+FFFD, so the output is
 * always valid UTF-8 whatever the input. */

/* Text for HTML content and double-quoted attribute values: & < > " ' as
 * entities, control characters other than tab and newline as U+FFFD. */
void rt_html_escape(rt_buf *b, const char *s, size_t n);
/* A JSON string with its quotes; < > & as \u escapes too (safe inside
 * HTML). */
void rt_json_string(rt_buf *b, const char *s, size_t n);
/* A YAML double-quoted scalar with its quotes: backslash and quote
 * escaped, every character YAML does not print (C0, DEL, C1, U+2028,
 * U+2029, U+FEFF, U+FFFE, U+FFFF) as an escape, tabs as \t, and each
 * newline as \n followed by an escaped line break and `indent` spaces, so
 * that a text keeps its lines readable in the file. Nothing in `s` can end
 * the scalar or start another key. */
void rt_yaml_string(rt_buf *b, const char *s, size_t n, int indent);

/* Replaces CR LF and lone CR by LF (browsers send text areas with CR LF);
 * returns the new length. */
size_t rt_text_newlines(char *s, size_t n);

/* ------------------------------------------- pages (pages.c, for server.c)
 * Every page in the edition's language; every value from a request or a
 * file escaped. */

typedef enum {
    RT_F_FROM,
    RT_F_TEXT,
    RT_F_FORMAT,
    RT_F_CONTACT,
    RT_F_LOGO,
    RT_F_GENERAL,
    RT_F_COUNT
} rt_field;
extern const char *const rt_field_names[RT_F_COUNT]; /* "from", ..., "general" */

/* The user interface's words (UI_*), per language. */
typedef enum {
    UI_TITLE,
    UI_RATES,
    UI_FORMAT,
    UI_SIZE,
    UI_PRICE,
    UI_MODULES,
    UI_FROM,
    UI_FROM_HINT,
    UI_TEXT,
    UI_TEXT_HINT,
    UI_FORMAT_AUTO,
    UI_CONTACT,
    UI_CONTACT_HINT,
    UI_LOGO,
    UI_LOGO_HINT,
    UI_SEND,
    UI_LIVE,
    UI_LIVE_HINT,
    UI_PROBLEMS,
    UI_EMPTY,
    UI_TOO_LONG,
    UI_BAD_UTF8,
    UI_BAD_CHAR,
    UI_ONE_LINE,
    UI_UNKNOWN_FORMAT,
    UI_LOGO_TYPE,
    UI_LOGO_BAD,
    UI_NOT_FIT,
    UI_NOT_FIT_ANY,
    UI_TOO_WIDE,
    UI_EXPIRED,
    UI_THANKS,
    UI_THANKS_TEXT,
    UI_AMOUNT,
    UI_REFERENCE,
    UI_PAY_TEXT,
    UI_PROOF,
    UI_PROOF_ALT,
    UI_STATE,
    UI_STATE_PENDING,
    UI_STATE_PAID,
    UI_STATE_OFFERED,
    UI_STATE_REJECTED,
    UI_FITS,
    UI_NOT_FOUND,
    UI_TOO_LARGE,
    UI_TOO_MANY,
    UI_BAD_REQUEST,
    UI_ADMIN,
    UI_FILE,
    UI_MARK_PAID,
    UI_TOTALS,
    UI_RECEIVED,
    UI_OFFERED,
    UI_EXPECTED,
    UI_COUNTS,
    UI_NEW_MESSAGE,
    UI_AMOUNT_SHORT,
    UI_COUNT
} rt_ui;
const char *rt_ui_word(int lang, rt_ui w);
/* An amount as the language writes it ("55,00 €", "€55.00"). */
void rt_money(rt_buf *b, int lang, double amount);

/* What the form shows: values and problems per field. */
typedef struct {
    const char *value[RT_F_COUNT]; /* as sent (NULL: empty) */
    rt_buf problem[RT_F_COUNT];    /* plain text, one problem per line */
} rt_form_view;
void rt_form_view_free(rt_form_view *v);
void rt_problem(rt_form_view *v, rt_field f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The rate card as the form shows it. */
typedef struct {
    const char *name;
    int columns, rows;
    double w_mm, h_mm, price;
} rt_rate_view;
typedef struct {
    int lang;
    const char *paper, *call;
    const rt_rate_view *rates;
    size_t n_rates;
} rt_site;

/* The public form (with the values and problems of a failed submission). */
void rt_page_form(rt_buf *b, const rt_site *s, const rt_form_view *v, const char *csrf);
/* After a submission: the proof, the amount and the reference. */
typedef struct {
    const char *id, *from, *format, *reference;
    double amount;
    int state;         /* rt_intake_state */
    double w_pt, h_pt; /* the proof's size */
} rt_filed_view;
void rt_page_filed(rt_buf *b, const rt_site *s, const rt_filed_view *m);
/* A short page for an error status (404, 413, 429...). */
void rt_page_error(rt_buf *b, const rt_site *s, rt_ui title, const char *detail);
/* The editor's page: every message with its state, the totals, a button
 * to mark a pending one paid. `notice`: a line on top (NULL: none). */
void rt_page_admin(rt_buf *b, const rt_site *s, const rt_intake_list *l, const char *csrf,
                   const char *notice);
extern const char rt_style_css[], rt_form_js[];

/* --------------------------------------- the server's own (server.c, guard.c, submit.c) */

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

typedef struct {
    char key[64];
    double tokens, last;
} sv_client_slot;

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
    sv_client_slot *clients;
    size_t n_clients;
    FILE *log;
} sv_server;

typedef struct {
    const char *value[RT_F_COUNT];
    size_t len[RT_F_COUNT];
    const rt_form_field *logo;
    bool logo_png;
    int rate; /* -1: the smallest that fits */
} sv_submission;

typedef struct {
    int from, text0, text1, format, contact, logo; /* lines in the staged file */
} sv_line_map;

typedef struct {
    char dir[512];  /* the staging folder */
    char yaml[600]; /* its message file */
    char logo[600]; /* its logo, or "" */
    char id[40];
    char logo_rel[64];
    char reference[32];
    sv_line_map lines;
    int rate;
    rt_intake_verdict v;
} sv_staged;

/* guard.c: the listening socket ("ADDR:PORT", "[V6]:PORT"; its URL in
 * `shown`), -1 for a bad spec, -2 if it cannot listen (reported to log). */
int sv_listen_socket(const char *spec, FILE *log, char *shown, size_t cap);
/* The admin's token from its file (one line, 16+ printable characters),
 * or NULL (reported). The caller frees it. */
char *sv_read_token(const char *path, FILE *log);
/* The client of a request: its address, or behind a proxy on this machine
 * the last address of X-Forwarded-For. */
void sv_client_of(struct MHD_Connection *c, char *out, size_t cap);
/* Takes one request from the client's bucket; false: 429. */
bool sv_allow(sv_server *s, const char *client);
void sv_hex(char *out, const uint8_t *in, size_t n); /* 2n digits and a NUL */
/* A CSRF token "<time>-<HMAC>" for `purpose` bound to `bind`, and its check
 * (false for a missing bind, a forged, expired or future token). */
void sv_csrf_make(const sv_server *s, const char *purpose, const char *bind, long long t,
                  char out[96]);
bool sv_csrf_ok(const sv_server *s, const char *purpose, const char *bind, const char *token);
const char *sv_form_cookie(struct MHD_Connection *c); /* the browser's cookie, or NULL */
bool sv_same_origin(struct MHD_Connection *c);        /* not sent by another site's page */
bool sv_admin_ok(const sv_server *s, struct MHD_Connection *c); /* the bearer token */

/* submit.c */
FILE *sv_quiet(void); /* /dev/null, for diagnostics nobody reads */
void sv_quiet_close(void);
void sv_sync_dir(const char *dir);
void sv_remove_stale(const char *dir); /* staging folders a crash left */
bool sv_valid_id(const char *id);      /* web-YYYYMMDD-<12 hex digits> */
/* Reads the decoded form into m (pointing into f) and v; false if a field
 * has a problem (in v). `preview`: empty fields are not problems yet. */
bool sv_read_submission(const sv_server *s, rt_form *f, sv_submission *m, rt_form_view *v,
                        bool preview);
/* Writes the message (and its logo) into a new staging folder under `root`
 * and checks it with the desk (rate -1: the smallest format that fits is
 * taken); the problems go to d. False if it could not be written. Always
 * followed by sv_unstage(). */
bool sv_stage(sv_server *s, const sv_submission *m, const char *root, const char *prefix,
              sv_staged *st, rt_diag *d);
void sv_unstage(sv_staged *st);
/* The desk's problems, each next to the field its line belongs to. */
void sv_place_problems(const sv_server *s, const sv_staged *st, const rt_diag *d, rt_form_view *v);
/* Renames a valid staged message into the messages folder, its logo first,
 * never over an existing file. False on an I/O error (logged). */
bool sv_file(sv_server *s, sv_staged *st);
/* The live proof of a decoded form as JSON: problems per field, format,
 * price, the proof as a base64 PNG and its size in CSS pixels. */
void sv_preview(sv_server *s, rt_form *f, rt_buf *out);

#endif
