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

#endif
