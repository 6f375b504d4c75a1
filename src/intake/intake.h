/* intake: the supporter-message desk, a second application next to the
 * edition driver. It checks message files (every limit of the loader, the
 * Markdown profile, the payment against the rate card, the fit of the text
 * typeset in its box), makes proofs and lists the messages of a folder with
 * their payment state. It drives the same stages as a build: load, parse,
 * compose (to fit and proof a message), render and finish (to write a proof).
 *
 * Ownership: nothing returned outlives a call; every output file is written
 * through finish's atomic output.
 */
#ifndef RT_INTAKE_H
#define RT_INTAKE_H

#include "../base/base.h"
#include "../load/load.h"

typedef struct {
    const char *data_dir, *hyphen_dir;
    const char *layout;  /* a name in layouts/ or a .yaml path (NULL: the edition's) */
    const char *edition; /* the messages' issue.yaml (NULL: the one above the files, if any) */
    const char *lang;    /* language of the messages (NULL: the edition's, else "fr") */
} rt_intake_opts;

/* Checks message files and folders of them: every limit of the loader, the
 * text's Markdown, the payment against the rate card, and the fit of the
 * text in its box (typeset; if it does not fit, the smallest format that
 * does is named). Prints one line per valid file to `out`. Returns 0 if all
 * are valid, 1 if one is not, 2 on I/O errors. */
/* Without --layout, the layout and language are the edition's: --edition,
 * else the first issue.yaml in the first path's folder or above whose
 * `messages` folder holds it; else the tabloid, in French. Each command
 * says which layout it used (check and report on `out`, proof on stderr). */
int rt_intake_check(char **paths, int n_paths, const rt_intake_opts *o, FILE *out, rt_diag *d);
/* Writes a proof of one message (PDF, or PNG when `output` ends in .png)
 * as it will print, in its box. Nothing is written for an invalid message. */
int rt_intake_proof(const char *file, const char *output, double dpi, const rt_intake_opts *o,
                    rt_diag *d);
/* Lists every message of a folder with format, price, amount, payment
 * status and state (to print, held, rejected with the reason), then the
 * totals; --csv: one row per message. */
int rt_intake_report(const char *dir, bool csv, const rt_intake_opts *o, FILE *out, rt_diag *d);

/* ------------------------------------------------------------------ desk
 * The same checks for a long-running program (rotative serve): a desk is
 * opened once for an edition (its layout and language; fonts and shaper
 * loaded once) and checks, proofs and lists message files on demand. The
 * edition must outlive the desk. Not thread-safe: one caller at a time. */
typedef struct rt_intake_desk rt_intake_desk;

/* NULL if the edition's layout has no rate card or its fonts are missing
 * (reported). */
rt_intake_desk *rt_intake_desk_open(const rt_edition *e, const rt_intake_opts *o, rt_diag *d);
void rt_intake_desk_close(rt_intake_desk *k);

/* What the check of one message file found. */
typedef struct {
    bool loaded;         /* the file could be read as a message (fields may still be wrong) */
    bool valid;          /* every check of `intake check` passed */
    int rate;            /* its format (index into the layout's rate card), -1 if unknown */
    bool measured;       /* the text was set in the box (not when it has other errors) */
    bool fits;           /* ... and fits it */
    bool too_wide;       /* ... a word is wider than the box */
    int lines_over;      /* ... lines past the box */
    int smallest;        /* when it does not fit: the smallest format it fits, -1 if none */
    double box_w, box_h; /* the format's box, points */
} rt_intake_verdict;

/* Checks one message file exactly as `intake check` does for a single file
 * (every limit of the loader, the Markdown profile, the payment, the logo,
 * the fit). Problems go to d. Returns v->valid. */
bool rt_intake_desk_check(rt_intake_desk *k, const char *file, rt_intake_verdict *v, rt_diag *d);

/* The proof of a message file (as `intake proof`), as a PNG at `dpi` written
 * to `png` (NULL: composed only). Drawn whenever the message has a known
 * format, even if its text does not fit (the proof shows it overflowing);
 * *w, *h get the proof's size in points. False if no proof can be made. */
bool rt_intake_desk_proof(rt_intake_desk *k, const char *file, double dpi, FILE *png, double *w,
                          double *h, rt_diag *d);

/* The box of format `rate`, points. */
void rt_intake_desk_box(const rt_intake_desk *k, int rate, double *w, double *h);

/* Every message file of a folder with its state, and the totals, as
 * `intake report` lists them. */
typedef enum {
    RT_INTAKE_PAID,
    RT_INTAKE_OFFERED,
    RT_INTAKE_PENDING,
    RT_INTAKE_REJECTED
} rt_intake_state;
typedef struct {
    char *path;                                /* the file */
    char *from, *format, *reference, *contact; /* NULL when not readable */
    double price;                              /* of its format, -1 if unknown */
    double amount;                             /* as written */
    rt_intake_state state;
    char *reason; /* rejected: the first problem; NULL otherwise */
} rt_intake_entry;
typedef struct {
    rt_intake_entry *entries;
    size_t n;
    int n_print, n_held, n_rejected;
    double received, offered, pending; /* paid and to print; printed free; held */
} rt_intake_list;
/* Returns false if `dir` is not a folder (reported). Free with
 * rt_intake_list_free(), also after a failure. */
bool rt_intake_desk_list(rt_intake_desk *k, const char *dir, rt_intake_list *out, rt_diag *d);
void rt_intake_list_free(rt_intake_list *l);

/* Marks a pending message paid: the file's one `status: pending` line
 * becomes `status: paid`, the result is checked like any message (the
 * amount must be the price) and replaces the file atomically. Nothing is
 * changed on failure (reported). */
bool rt_intake_desk_mark_paid(rt_intake_desk *k, const char *file, rt_diag *d);

#endif
