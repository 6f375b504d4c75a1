/* driver: reports about a build, for people (stderr) and for programs
 * (--report FILE.json). Both read the edition, its parsed articles, the
 * composition and the diagnostics; nothing here is owned. */
#ifndef RT_DRIVER_REPORT_H
#define RT_DRIVER_REPORT_H

#include "../compose/compose.h"

typedef struct {
    const char *edition_path;
    const char *output;         /* PDF written, or NULL */
    int status;                 /* the build's exit status */
    const rt_edition *edition;  /* NULL if it could not be loaded */
    rt_doc *const *docs;        /* parsed article bodies, one per entry (or NULL) */
    const rt_composition *comp; /* NULL if composition did not happen */
    const rt_diag *diag;        /* with keep = true, every diagnostic */
} rt_report_input;

/* Writes the JSON report (schema "rotative-report/1", see README.md). */
void rt_report_json(FILE *f, const rt_report_input *in);

/* The short human summary: what to look at first. */
void rt_report_summary(FILE *f, const rt_report_input *in);

/* --stats: the typography of every article and of the whole edition. */
void rt_report_stats(FILE *f, const rt_composition *c);

/* Words in a parsed document (whitespace-separated). */
size_t rt_doc_words(const rt_doc *doc);

#endif
