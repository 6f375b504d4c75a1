/* driver: the PDF output of a build (pdf.c), used by build.c. The caller
 * owns what it passes; the returned strings and objects are the caller's to
 * free (free, rt_image_prefetch_free).
 */
#ifndef RT_DRIVER_PDF_H
#define RT_DRIVER_PDF_H

#include "../compose/compose.h"
#include "../finish/finish.h"
#include "../load/load.h"
#include "../render/render.h"

/* What a build asks of its PDF output (from rt_build_opts). */
typedef struct {
    const char *output;            /* one PDF at this path; or (NULL) */
    const char *split_dir;         /* one PDF per page in this folder */
    bool keep_draws;               /* the pages are drawn again afterwards (PNG previews) */
    int pdfx;                      /* rt_pdfx_standard */
    int jobs;                      /* see rt_build_opts */
    const char *source_date_epoch; /* the PDF's dates, or NULL: the edition's */
    const char *fault;             /* tests only: see rt_build_opts */
    rt_image_cache *image_cache;   /* NULL: none */
    rt_render_memo *render_memo;   /* watch: what the PDF made, kept between builds; NULL: none */
    double draw_ms, pdf_ms; /* out: the time spent drawing the pages (on this thread), and in all */
} rt_pdf_target;

/* The date a PDF carries: the edition's, or SOURCE_DATE_EPOCH's when `sde`
 * is set; as "YYYY-MM-DDT00:00:00Z" and "YYYY-MM-DD". */
void rt_driver_pdf_dates(const rt_edition *e, const char *sde, char iso[32], char ymd[16]);
/* Starts converting the edition's PNG images (articles' and logos) for the
 * finishing pass while the pages are composed; NULL when no PDF is asked
 * for or there is nothing to convert. */
rt_image_prefetch *rt_driver_start_prefetch(const rt_edition *e, const rt_pdf_target *o);
/* Writes the PDF (o->output) or one per page (o->split_dir), with the
 * images of `pf` (may be NULL). Returns the exit status part. */
int rt_driver_write_pdf(const rt_edition *e, rt_composition *comp, rt_pdf_target *o,
                        rt_image_prefetch *pf, rt_diag *d);
/* The name of page `i`'s file in `dir`: <paper>-<number>-p01.<ext>. */
char *rt_driver_page_file(const rt_edition *e, const char *dir, size_t i, const char *ext);
/* Makes the folder `dir` if missing (reported on failure). */
bool rt_driver_make_dir(const char *dir, rt_diag *d);

#endif
