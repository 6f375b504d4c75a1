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

typedef struct {
    const char *data_dir, *hyphen_dir;
    const char *layout; /* a name in layouts/ or a .yaml path (NULL: "tabloid") */
    const char *lang;   /* language of the messages (NULL: "fr") */
} rt_intake_opts;

/* Checks message files and folders of them: every limit of the loader, the
 * text's Markdown, the payment against the rate card, and the fit of the
 * text in its box (typeset; if it does not fit, the smallest format that
 * does is named). Prints one line per valid file to `out`. Returns 0 if all
 * are valid, 1 if one is not, 2 on I/O errors. */
int rt_intake_check(char **paths, int n_paths, const rt_intake_opts *o, FILE *out, rt_diag *d);
/* Writes a proof of one message (PDF, or PNG when `output` ends in .png)
 * as it will print, in its box. Nothing is written for an invalid message. */
int rt_intake_proof(const char *file, const char *output, double dpi, const rt_intake_opts *o,
                    rt_diag *d);
/* Lists every message of a folder with format, price, amount, payment
 * status and state (to print, held, rejected with the reason), then the
 * totals; --csv: one row per message. */
int rt_intake_report(const char *dir, bool csv, const rt_intake_opts *o, FILE *out, rt_diag *d);

#endif
