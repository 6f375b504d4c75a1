/* finish: private declarations shared by the files of this stage. */
#ifndef RT_FINISH_INTERNAL_H
#define RT_FINISH_INTERNAL_H

#include "finish.h"

#include <qpdf/qpdf-c.h>

/* Walks a content stream: calls `op` for every operator with its operands
 * (as text: numbers, names with their slash, other tokens verbatim). */
typedef void (*fin_op_fn)(const char *op, char **args, int n_args, void *user);
void fin_walk_content(const unsigned char *s, size_t n, fin_op_fn op, void *user);

/* Images converted at a time: enough for the threads, few enough that the
 * decoded pixels of a whole edition are never in memory at once. */
#define FIN_IMAGE_BATCH 4

/* One RGB image of the PDF to convert (images.c). */
typedef struct {
    int id, gen;        /* the image XObject */
    unsigned char *rgb; /* 8-bit interleaved RGB, owned by the job */
    size_t pixels;
    const char *source;           /* a placeholder: the file to decode (NULL: the PDF's pixels) */
    const rt_rgb_reader *decoder; /* reads `source` */
    int width, height;            /* of a decoded source */
    bool grey;                    /* to DeviceGray (luminance) rather than CMYK */
    bool dct;                 /* from a JPEG (the PDF's pixels, width and height set; or a source
                                 file): written as one (jpeg.c) */
    bool fault_ink;           /* tests only ("jpeg-ink"): every JPEG counts as past the ink limit */
    bool cmyk_in;             /* the PDF's CMYK JPEG: its inks limited (a JPEG again, dct
                                 set), or left as they are */
    unsigned char *cmyk_jpeg; /* its bytes (owned by the job, read a batch at a time) */
    size_t cmyk_jpeg_len;
    bool unchanged; /* result: the CMYK JPEG is within the limit, its stream stays */
    void *own_x;    /* while converting: the transform from the file's own ICC profile */
    bool neutral;   /* while converting to CMYK: no pixel so far shows a colour */
    bool own_grey;  /* grey_table is the file's own profile's (else the converter's) */
    unsigned char grey_table[256]; /* its grey levels to DeviceGray (images.c grey_table) */
    bool profile_tried;            /* ... looked for */
    int eighths;        /* a source decoded at this many eighths of its size (8: whole) */
    unsigned char *out; /* result: the converted pixels, Flate-compressed (JPEG when dct) */
    size_t out_len;
} fin_image_job;

/* The images of the PDF to convert, from every page (collect.c). */
typedef struct {
    fin_image_job *items;
    size_t n, cap;
} fin_job_list;
/* Adds the images of a page's resources that are not in `jobs` yet: RGB
 * images (placeholders with the file they name) and CMYK JPEGs (given their
 * /Decode when Adobe's). False on an image PDF/X-1a forbids (reported
 * against `path`). */
bool fin_collect_images(qpdf_data q, qpdf_oh resources, const rt_pdfx_opts *o, rt_diag *d,
                        const char *path, fin_job_list *jobs);

/* What converting images needs, made once per file: a colour transform
 * per thread (RGB -> the CMYK output profile), the total ink limit. */
typedef struct fin_converter fin_converter;
/* `cmyk` false: only grey conversions will be asked; `threads` 0: one per
 * processor. NULL on failure (reported). */
fin_converter *fin_converter_new(const char *profile, double tac, bool cmyk, int threads,
                                 rt_diag *d);
void fin_converter_free(fin_converter *cv);
/* Converts every job (but those already holding their stream): decodes a
 * placeholder's file, RGB -> CMYK through the
 * output profile under the ink limit (percent), or -> grey; then
 * compresses. Runs on up to the converter's number of threads.
 * False when one failed (its `out` is NULL; not reported). */
bool fin_convert_images(fin_converter *cv, fin_image_job *jobs, size_t n);

/* One job (on the calling thread): from the cache, else converted and
 * cached; `memo` is the thread's (see fin_colour_memo_fit). */
typedef struct fin_colour_memo fin_colour_memo;
bool fin_convert_one(fin_image_job *j, fin_converter *cv, fin_colour_memo **memo);
/* Its number of threads; whether it was made with these settings. */
size_t fin_converter_threads(const fin_converter *cv);
bool fin_converter_is(const fin_converter *cv, double tac, bool cmyk);
#define FIN_MAX_THREADS 8

/* Uses the cache `c` (NULL: none) for the converter's images; the key's
 * settings part is made from the profile's bytes, the ink limit, grey or
 * CMYK, `standard` and the versions of the decoder (`decoder`), lcms2 and
 * zlib. The converter closes it. */
void fin_converter_use_cache(fin_converter *cv, rt_image_cache *c, const char *profile,
                             int standard, const char *decoder);

/* The prefetch's converter when `p` was started with these settings
 * (else NULL); from then on its thread starts no other image. The
 * prefetch keeps it. */
fin_converter *fin_prefetch_converter(rt_image_prefetch *p, const char *profile, double tac,
                                      bool cmyk, int standard, const rt_image_cache *cache,
                                      const char *decoder);
/* Fills j->out (a copy), width and height from the prefetch when it
 * converted j->source, waiting if it is converting it; false otherwise
 * (the image is then left to the caller). */
bool fin_prefetch_take(rt_image_prefetch *p, fin_image_job *j);
/* Converts the images the prefetch's thread has not started, beside it,
 * on this thread and as many more as its converter has threads (less the
 * prefetch's), until none is left (NULL, or its thread not running:
 * nothing): the finishing pass helps rather than waits. */
void fin_prefetch_help(rt_image_prefetch *p);
/* Waits for the prefetch's thread to convert the images left (NULL:
 * nothing). */
void fin_prefetch_settle(rt_image_prefetch *p);
/* Once settled: the file of an image the prefetch could not convert and
 * rt_pdfx_finish did not ask for (an image no page shows), each once;
 * NULL when none is left. */
const char *fin_prefetch_failure(rt_image_prefetch *p);

/* RGB pixels to CMYK (colour.c): through an lcms2 transform (sRGB to the
 * output profile), then the total-ink limit `tac` (per cent). A memo of
 * the colours converted is kept per thread (see colour.c): made or grown
 * for slices of `band` pixels by fin_colour_memo_fit (NULL when memory is
 * short: the pixels are then converted directly), told by
 * fin_colour_memo_restart that a new picture begins, freed by
 * fin_colour_memo_free. The output does not depend on the memo. */
fin_colour_memo *fin_colour_memo_fit(fin_colour_memo **slot, size_t band);
void fin_colour_memo_restart(fin_colour_memo *m);
void fin_colour_memo_free(fin_colour_memo *m);
/* Grey pictures (colour.c): the press's black ink, lk[k] the L* of black
 * alone at level k (made to fall with k), from the output profile (false:
 * it cannot be read); and the grey levels of `in` (an lcms2 profile;
 * `format` TYPE_RGB_8 or TYPE_GRAY_8) to the DeviceGray values whose black
 * ink prints each as light on that press (lk NULL: the level itself). */
bool fin_black_ink(const char *profile, double lk[256]);
void fin_grey_table(const double *lk, void *in, unsigned format, unsigned char out[256]);
/* The total-ink limit alone, on CMYK pixels in place. */
void fin_limit_ink(unsigned char *cmyk, size_t pixels, double tac);
/* n pixels (at most the memo's band; any number without a memo). */
void fin_to_cmyk(fin_colour_memo *m, void *transform, double tac, const unsigned char *rgb,
                 unsigned char *cmyk, size_t n);

/* Converted photographs written as JPEG (jpeg.c): `comps` 4 (CMYK) or 1
 * (grey), rows given in order, top to bottom. fin_jpeg_begin returns NULL
 * when it cannot start; after a false return the encoder is only dropped.
 * fin_jpeg_end hands over the JPEG (malloc'd); fin_jpeg_drop frees the
 * encoder (and what it had not handed over). */
#define FIN_JPEG_QUALITY 95
/* A picture file (JPEG or PNG) placed at more than RT_DOWNSAMPLE_ABOVE ppi
 * is read smaller, keeping at least RT_DOWNSAMPLE_TO (collect.c
 * decode_eighths). */
#define RT_DOWNSAMPLE_ABOVE 450.0
#define RT_DOWNSAMPLE_TO 300.0
typedef struct fin_jpeg fin_jpeg;
fin_jpeg *fin_jpeg_begin(int width, int height, int comps);
bool fin_jpeg_rows(fin_jpeg *e, const unsigned char *px, int rows);
bool fin_jpeg_end(fin_jpeg *e, unsigned char **out, size_t *len);
void fin_jpeg_drop(fin_jpeg *e);
/* The largest C+M+Y+K of a CMYK JPEG's pixels as a reader decodes them
 * (0..1020; Adobe's inverted inks turned back), -1 if it does not decode. */
int fin_jpeg_max_ink(const unsigned char *jpeg, size_t len);
/* A CMYK (or YCCK) JPEG in memory read a band of rows at a time, as inks
 * (Adobe's inverted inks turned back): NULL if it does not start to decode.
 * The bytes stay the caller's and must outlive the reader. */
typedef struct fin_cmyk_rows fin_cmyk_rows;
/* Whether a JPEG stores its inks inverted (Adobe's APP14 marker, as
 * libjpeg reads it: 1), plainly (0), or its header does not read (-1). */
int fin_jpeg_inverted(const unsigned char *jpeg, size_t len);
/* The ICC profile in a JPEG's header (APP2 markers; malloc'd), NULL: none. */
unsigned char *fin_jpeg_profile(const unsigned char *jpeg, size_t len, size_t *n);
fin_cmyk_rows *fin_cmyk_open(const unsigned char *jpeg, size_t len, int *width, int *height);
bool fin_cmyk_read(fin_cmyk_rows *r, unsigned char *cmyk, int rows);
void fin_cmyk_close(fin_cmyk_rows *r);

/* The finished file between qpdf and the output (memfile.c). A memory file
 * for qpdf to write into, its name for qpdf_init_write in `name`; -1 if
 * none can be made (the file is then written in memory by qpdf). */
int fin_memory_file(char name[static 40]);
/* Copies the memory file into `out` if it is whole (it ends with qpdf's
 * last line, "%%EOF"); else reports against `path` and returns false. A
 * write error is `out`'s, reported when it is closed. */
bool fin_copy_memory_file(int fd, rt_output *out, const char *path, rt_diag *d);
/* Tests only: cuts the last `bytes` bytes off. */
void fin_cut_memory_file(int fd, long bytes);
void fin_close_memory_file(int fd);

/* The on-disk cache of finished image streams (cache.c). Safe to call from
 * the conversion threads. */
typedef struct fin_cache fin_cache;
/* NULL when `c` is NULL or its folder cannot be used (c->unusable set). */
fin_cache *fin_cache_open(rt_image_cache *c, const char *profile, double tac, bool grey,
                          int standard, int zlevel, const char *decoder);
/* Prunes the folder to its bound when something was written, and frees. */
void fin_cache_close(fin_cache *k);
/* The key of an image file (its bytes) or of pixels taken from the PDF. */
/* (jpeg, eighths: the job's; a PNG's key is the file's alone) */
bool fin_cache_key_file(const fin_cache *k, const char *path, bool jpeg, int eighths,
                        unsigned char key[32]);
void fin_cache_key_pixels(const fin_cache *k, const unsigned char *rgb, size_t pixels, bool jpeg,
                          unsigned char key[32]);
/* The key of a CMYK JPEG of the PDF (its bytes); its entry is empty when
 * the JPEG was within the ink limit. */
void fin_cache_key_cmyk_jpeg(const fin_cache *k, const unsigned char *jpeg, size_t len,
                             unsigned char key[32]);
/* A verified entry: the stream (malloc'd), the pixel size and whether it
 * is grey (*grey true on the call: it must be; false: a CMYK converter's
 * entry may be grey too, a grey picture stored as RGB). */
bool fin_cache_get(fin_cache *k, const unsigned char key[32], bool *grey, unsigned char **data,
                   size_t *len, int *w, int *h);
void fin_cache_put(fin_cache *k, const unsigned char key[32], bool grey, const unsigned char *data,
                   size_t len, int w, int h);

/* Objects walked by number (up to the trailer's /Size) at most. */
#define RT_MAX_PDF_OBJECTS (1 << 22)

#define RT_DEFAULT_CMYK_PROFILE "/usr/share/color/icc/ghostscript/default_cmyk.icc"

#endif
