/* finish: the last step between rendered PDF bytes and the bytes of the
 * file the user gets (PDF/X with libqpdf), the check of a written file
 * (its page count) and preflight. Only this stage includes qpdf. The file
 * itself is written by the driver through rt_output (base.h).
 */
#ifndef RT_FINISH_H
#define RT_FINISH_H

#include "../base/base.h"

/* ------------------------------------------------------------- PDF/X
 * Cairo writes RGB only. Render draws every authored CMYK colour with an
 * 8-bit sRGB stand-in; the finishing pass (libqpdf) rewrites each colour
 * operator back to the exact CMYK (or Gray for neutral greys and black),
 * makes black text and rules overprint, and adds what PDF/X needs. */

typedef enum { RT_PDFX_NONE, RT_PDFX_1A, RT_PDFX_4 } rt_pdfx_standard;

/* The cache of finished image streams (cache.c): converted and compressed
 * images kept on disk between builds, keyed by the image's bytes, the
 * colour settings and rotative's version. The counters are filled in by
 * the builds that use it (watch mode: summed over its builds). */
#define RT_IMAGE_CACHE_MAX (256LL << 20) /* bytes, when max_bytes is 0 */
typedef struct {
    const char *dir;     /* the cache folder (made when missing) */
    long long max_bytes; /* bound on the folder's entries (0: RT_IMAGE_CACHE_MAX) */
    int hits;            /* images read from the cache */
    int misses;          /* images converted (no entry) */
    int rejected;        /* entries found corrupt or foreign, converted again */
    int stored;          /* entries written */
    int evicted;         /* entries removed to keep under max_bytes */
    bool unusable;       /* the folder could not be made or written: no cache */
} rt_image_cache;

/* Whether `load` decoded the file at `path` whole without fault in an
 * earlier build (an entry of the cache keyed by the file's bytes and
 * rotative's version): then it checks only the header. Learned after each
 * such decode. */
bool rt_image_cache_knows(rt_image_cache *c, const char *path);
void rt_image_cache_learn(rt_image_cache *c, const char *path, int w, int h);
/* Whether a file name is one of the cache folder's entries (or their
 * temporaries): what the cache writes and touches. */
bool rt_image_cache_file(const char *name);

/* Images converted ahead (images.c): the PNG files an edition places,
 * converted as rt_pdfx_finish would, on one thread that runs while the
 * pages are composed and drawn. rt_pdfx_finish (o->prefetch) takes what it
 * has, waits for an image being converted and converts the others itself.
 * Its failures are not reported: the image is converted again by
 * rt_pdfx_finish, which says what is wrong. */
typedef struct rt_image_prefetch rt_image_prefetch;

typedef struct {
    rt_pdfx_standard standard;
    double trim_w, trim_h; /* points */
    double bleed;          /* points; the BleedBox extends the TrimBox by this */
    double offset;         /* distance from the MediaBox edge to the TrimBox edge */
    const char *title;
    const char *date;             /* "YYYY-MM-DD": CreationDate/ModDate (reproducible) */
    const char *output_condition; /* e.g. "IFRA26"; NULL: a default newsprint condition */
    const char *icc_profile;      /* CMYK ICC profile: image conversion, and embedded as the
                                     output profile (X-4 always; X-1a when given); NULL:
                                     Ghostscript's default_cmyk.icc */
    double tac;                   /* total ink limit for images, percent (0: RT_INK_LIMIT) */
    bool grey_images;             /* RGB images become DeviceGray instead of CMYK */
    /* images drawn as 2 x 2 placeholders by render (see rt_image_table):
     * the file of each index, and how to decode one to 8-bit RGB (called
     * from several threads at once) */
    const char *const *placeholders;
    const double *placeholder_ppi; /* each one's lowest resolution on the pages; NULL: unknown */
    size_t n_placeholders;
    const rt_rgb_reader *decoder; /* reads a placeholder's file (threads use it at once) */
    const char *decoder_version;  /* the decoder's libraries and versions: part of the
                                    image cache's key */
    rt_image_cache *cache;        /* finished image streams reused across builds; NULL: none */
    int threads;                  /* converting images at once (0: one per processor) */
    /* says what is wrong with an image file that cannot be decoded, where
     * the edition names it; false: it cannot tell (a generic error is
     * reported). NULL: none. */
    bool (*bad_image)(void *arg, const char *path, rt_diag *d);
    void *bad_image_arg;
    rt_image_prefetch *prefetch; /* images converted ahead; NULL: none (used only when it
                                    was started with the same settings) */
    const char *fault;           /* tests only: "short-memory-file" cuts the finished file
                                    short; "jpeg-ink" takes every JPEG made as past the ink
                                    limit */
} rt_pdfx_opts;

/* Starts converting the files paths[0..n) (the placeholders' PNG files)
 * with the colour settings, decoder and cache of `o` (the rest of `o` is
 * not used). NULL when n is 0 or no converter can be made. The strings
 * are copied. `once`: the images go into one PDF, each handed to it (not
 * copied: a photograph's stream is not held twice); else each PDF that
 * asks (a split build's pages) gets a copy. */
rt_image_prefetch *rt_image_prefetch_start(const char *const *paths, size_t n,
                                           const rt_pdfx_opts *o, bool once);
/* Stops the thread (after the image it converts) and frees everything. */
void rt_image_prefetch_free(rt_image_prefetch *p);
/* Whether rt_pdfx_finish has seen every image of `p` converted, or
 * reported it (an image no page shows included). */
bool rt_image_prefetch_settled(const rt_image_prefetch *p);
/* Whether its thread still has an image to convert (or is converting one):
 * the processor it uses is taken. Safe from any thread. */
bool rt_image_prefetch_busy(rt_image_prefetch *p);

/* Rewrites the PDF in memory at in[0..in_len) as the standard asks and
 * writes the result into `out` (whose write errors are reported when it is
 * closed). A colour with no entry in the table is an error, never a guess.
 * Returns 0 when written, 1 on an error of the input (an image that cannot
 * be printed, a colour or profile that cannot be used), 2 when the finished
 * file could not be made whole (reported). */
int rt_pdfx_finish(const unsigned char *in, size_t in_len, rt_output *out, const rt_pdfx_opts *o,
                   rt_diag *d);

/* The number of pages of the PDF file at `path` as a reader sees it, -1 if
 * it cannot be read (then *why, if not NULL, says why: a new string). */
int rt_pdf_count_pages(const char *path, char **why);
/* Reads back the temporary of `o` (written and closed) and checks that it
 * is a PDF of `pages` pages: if not, an internal error (reported against
 * the destination) and false; the caller aborts the output. */
bool rt_pdf_verify(const rt_output *o, int pages, rt_diag *d);

/* Checks any PDF against PDF/X-1a or PDF/X-4 and writes a readable report to
 * `report`. `tac` is the total ink limit in percent (e.g. 240). Returns 0 if
 * it passes, 1 if it fails, 2 if the file cannot be read. */
int rt_preflight(const char *pdf, rt_pdfx_standard standard, double tac, FILE *report);

#endif
