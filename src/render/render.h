/* render: pages of drawing instructions -> PDF, with Cairo.
 *
 * Only this stage includes cairo (and libjpeg, to decode JPEG images; the
 * JPEG data itself is embedded as is). Colours are the layout's CMYK values;
 * Cairo 1.16 only writes RGB, so each CMYK colour is drawn as an sRGB
 * stand-in here (see rt_cmyk_to_rgb8) and the finish stage maps them back.
 *
 * Ownership: nothing allocated here outlives a call.
 */
#ifndef RT_RENDER_H
#define RT_RENDER_H

#include "../compose/compose.h"

typedef struct {
    const char *title;       /* PDF Info /Title */
    const char *create_date; /* ISO 8601, for reproducible output */
    int first, last;         /* 1-based page range; 0, 0 = every page */
} rt_render_opts;

/* Writes the composition as PDF to `out` (an open file). Returns false on
 * an error (reported to d). */
bool rt_render_pdf(const rt_composition *c, const rt_layout *l, FILE *out,
                   const rt_render_opts *o, rt_diag *d);

/* Writes page `page` (1-based) as a PNG image at `dpi` to `out`: a preview
 * in the RGB stand-in colours, trim size, no marks. */
bool rt_render_png(const rt_composition *c, const rt_layout *l, int page, double dpi, FILE *out,
                   rt_diag *d);

/* The 8-bit sRGB stand-in of a CMYK colour. */
void rt_cmyk_to_rgb8(rt_cmyk c, unsigned char rgb[3]);

#endif
