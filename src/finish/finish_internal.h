/* finish: private declarations shared by the files of this stage. */
#ifndef RT_FINISH_INTERNAL_H
#define RT_FINISH_INTERNAL_H

#include "finish.h"

typedef struct {
    int colors_rewritten;
    int unknown_colors;
    int bad_rgb[3];        /* the first colour not in the table */
    int other_color_ops;   /* cs/sc/scn... left as they are */
    int inline_images;
    unsigned gs_used;      /* bit i: ExtGState /RtOP<i> is referenced */
} fin_report;

/* Rewrites one content stream's colours into `out` (see content.c).
 * Returns false if a colour is not in the table (rep says which). */
bool fin_rewrite_content(const unsigned char *s, size_t n, const rt_pdfx_opts *o, rt_buf *out,
                         fin_report *rep);
const rt_color_map *fin_lookup(const rt_pdfx_opts *o, int r, int g, int b);

/* Walks a content stream: calls `op` for every operator with its operands
 * (as text: numbers, names with their slash, other tokens verbatim). */
typedef void (*fin_op_fn)(const char *op, char **args, int n_args, void *user);
void fin_walk_content(const unsigned char *s, size_t n, fin_op_fn op, void *user);

/* RGB (8-bit, interleaved) -> CMYK under a total ink limit, through lcms2
 * and the CMYK output profile (images.c). Returns NULL on failure. */
unsigned char *fin_rgb_to_cmyk(const unsigned char *rgb, size_t pixels, const char *profile,
                               double tac, rt_diag *d);

#define RT_DEFAULT_CMYK_PROFILE "/usr/share/color/icc/ghostscript/default_cmyk.icc"

#endif
