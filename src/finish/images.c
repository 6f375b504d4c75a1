/* finish: the conversion of images, each decoded and converted in slices
 * (to CMYK by colour.c, or to grey) and deflated; on threads, by the
 * prefetch while the pages are made, then by the finishing pass for what
 * is left; through the cache of finished streams (cache.c). */
#include "finish_internal.h"

#include <lcms2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <string.h>

#define MAX_THREADS 8

struct fin_converter {
    cmsHTRANSFORM x;      /* made when an image is first converted (none when the cache has
                             all), then shared by every thread: cmsDoTransform works on its
                             own copy of the one-pixel cache (lcms2 >= 2.3) and writes nothing
                             to the transform; making one costs as much as converting a photo
                             (without that cache, cmsFLAGS_NOCACHE, conversion is a third
                             slower on flat pictures) */
    cmsHPROFILE in, out;  /* sRGB and the output profile, for making it */
    pthread_mutex_t make; /* lcms2 profiles are not to be read by two threads at once */
    size_t nt;
    double tac;
    bool cmyk;
    fin_cache *cache; /* NULL: none */
};

typedef struct {
    fin_converter *cv;
    fin_image_job *jobs;
    size_t n;
    pthread_mutex_t lock;
    size_t next;
    bool failed;
} pool;

/* zlib level of converted images: 3 is about twice as fast as the default
 * (6) for a few per cent more bytes on photographs. */
#define FIN_IMAGE_ZLEVEL 3

static bool convert(fin_image_job *j, cmsHTRANSFORM x, double tac, fin_colour_memo **memo);

/* The converter's transform, made by the first thread that needs it. */
static cmsHTRANSFORM transform(fin_converter *cv) {
    pthread_mutex_lock(&cv->make);
    if (!cv->x)
        cv->x = cmsCreateTransform(cv->in, TYPE_RGB_8, cv->out, TYPE_CMYK_8,
                                   INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_BLACKPOINTCOMPENSATION);
    cmsHTRANSFORM x = cv->x;
    pthread_mutex_unlock(&cv->make);
    return x;
}

/* A finished stream from the cache, or converted and then cached. */
/* memo: the calling thread's (made on first use; freed by fin_colour_memo_free). */
static bool convert_one(fin_image_job *j, fin_converter *cv, fin_colour_memo **memo) {
    if (j->out)
        return true; /* taken from the prefetch */
    fin_cache *cache = cv->cache;
    double tac = cv->tac;
    unsigned char key[32];
    bool keyed = false, jpeg = j->dct; /* convert may deflate it after all */
    if (cache && j->source)
        keyed = fin_cache_key_file(cache, j->source, jpeg, j->eighths, key);
    else if (cache && j->rgb) {
        fin_cache_key_pixels(cache, j->rgb, j->pixels, j->dct, key);
        keyed = true;
    } else if (cache && j->cmyk_jpeg) {
        fin_cache_key_cmyk_jpeg(cache, j->cmyk_jpeg, j->cmyk_jpeg_len, key);
        keyed = true;
    }
    int w = 0, h = 0;
    bool hit = keyed && fin_cache_get(cache, key, j->grey, &j->out, &j->out_len, &w, &h);
    if (hit && !j->out_len) { /* empty: a CMYK JPEG within the limit (no other entry is) */
        free(j->out);
        j->out = NULL;
        hit = false;
        if (j->cmyk_jpeg) {
            free(j->cmyk_jpeg);
            j->cmyk_jpeg = NULL;
            return j->unchanged = true;
        }
    }
    if (hit) {
        /* a JPEG's entry holds a JPEG, or Flate where it could not keep the
         * ink limit (convert); a zlib stream never starts with 0xFF */
        if (j->dct)
            j->dct = j->out_len > 2 && j->out[0] == 0xFF && j->out[1] == 0xD8;
        if (j->source) {
            j->width = w;
            j->height = h;
            j->pixels = (size_t)w * (size_t)h;
        }
        free(j->rgb);
        j->rgb = NULL;
        free(j->cmyk_jpeg);
        j->cmyk_jpeg = NULL;
        return true;
    }
    if (!convert(j, j->grey || j->cmyk_jpeg ? NULL : transform(cv), tac, memo))
        return false;
    if (keyed && j->source) { /* the file changed while it was decoded: not under the old key */
        unsigned char again[32];
        keyed = fin_cache_key_file(cache, j->source, jpeg, j->eighths, again) &&
                memcmp(again, key, 32) == 0;
    }
    if (keyed) /* an unchanged CMYK JPEG: an empty entry */
        fin_cache_put(cache, key, j->grey, j->unchanged ? key : j->out,
                      j->unchanged ? 0 : j->out_len, j->source ? j->width : 1,
                      j->source ? j->height : 1);
    free(j->cmyk_jpeg); /* the PDF holds it (unchanged) or its conversion */
    j->cmyk_jpeg = NULL;
    return true;
}

/* Converts and compresses in slices of pixels, so that only one slice of
 * the source, its conversion and the compressed stream are in memory at
 * once (a whole decoded picture, a CMYK copy and a deflate buffer of its
 * size were half the peak of a large edition's build). A placeholder's
 * file is read a band of rows at a time. zlib's output does not depend on
 * how its input is cut. */
#define FIN_SLICE (1u << 16)
static bool convert_as(fin_image_job *j, cmsHTRANSFORM x, double tac, fin_colour_memo **memo_slot) {
    void *reader = NULL;
    fin_cmyk_rows *inks = NULL; /* a CMYK JPEG's */
    size_t band = FIN_SLICE;    /* pixels per slice */
    if (j->source) {
        if (!j->decoder ||
            !(reader = j->decoder->open(j->source, j->eighths, &j->width, &j->height)))
            return false;
        j->pixels = (size_t)j->width * (size_t)j->height;
    } else if (j->cmyk_jpeg) {
        if (!(inks = fin_cmyk_open(j->cmyk_jpeg, j->cmyk_jpeg_len, &j->width, &j->height)))
            return false;
        j->pixels = (size_t)j->width * (size_t)j->height;
    }
    bool failed = false;
    if (j->source || j->dct || inks) { /* whole rows */
        failed = j->width <= 0 || j->pixels != (size_t)j->width * (size_t)j->height;
        band = failed ? 0 : FIN_SLICE / (size_t)j->width * (size_t)j->width;
        if (band == 0)
            band = (size_t)j->width; /* one row */
    }
    if (failed || (!j->grey && !x && !inks)) {
        if (reader)
            j->decoder->close(reader);
        fin_cmyk_close(inks);
        return false;
    }
    size_t np = j->pixels, per = j->grey ? 1 : 4;
    fin_colour_memo *memo =
        j->grey || inks || !memo_slot ? NULL : fin_colour_memo_fit(memo_slot, band);
    fin_colour_memo_restart(memo); /* each picture tries the memo afresh */
    unsigned char *px = malloc(band * per);
    /* decoded rows, when they are not converted in place */
    unsigned char *rows = reader ? malloc(band * 3) : inks && j->grey ? malloc(band * 4) : NULL;
    z_stream z = {0};
    fin_jpeg *jpg = j->dct && px ? fin_jpeg_begin(j->width, j->height, (int)per) : NULL;
    if (!px || ((reader || (inks && j->grey)) && !rows) || (j->dct && !jpg) ||
        (!j->dct && deflateInit(&z, FIN_IMAGE_ZLEVEL) != Z_OK)) {
        fin_jpeg_drop(jpg);
        free(px);
        free(rows);
        if (reader)
            j->decoder->close(reader);
        fin_cmyk_close(inks);
        return false;
    }
    size_t cap = jpg ? 0 : np * per / 4 + 1024, len = 0;
    unsigned char *out = jpg ? NULL : malloc(cap);
    bool ok = jpg || out != NULL;
    for (size_t done = 0; ok;) {
        size_t n = np - done > band ? band : np - done;
        const unsigned char *rgb = j->rgb ? j->rgb + 3 * done : rows;
        if (reader && n && !j->decoder->rows(reader, rows, (int)(n / (size_t)j->width))) {
            ok = false;
            break;
        }
        if (inks && n && !fin_cmyk_read(inks, j->grey ? rows : px, (int)(n / (size_t)j->width))) {
            ok = false;
            break;
        }
        if (inks && j->grey) { /* the inks' luminance, printed with black ink alone */
            for (size_t k = 0; k < n; k++) {
                const unsigned char *c = rows + 4 * k;
                int r = (255 - c[0]) * (255 - c[3]), g = (255 - c[1]) * (255 - c[3]),
                    b = (255 - c[2]) * (255 - c[3]);
                px[k] = (unsigned char)((2126 * r + 7152 * g + 722 * b + 1275000) / 2550000);
            }
        } else if (inks) {
            fin_limit_ink(px, n, tac);
        } else if (j->grey) { /* luminance (Rec. 709), printed with black ink alone */
            for (size_t k = 0; k < n; k++) {
                const unsigned char *c = rgb + 3 * k;
                px[k] = (unsigned char)((2126 * c[0] + 7152 * c[1] + 722 * c[2] + 5000) / 10000);
            }
        } else if (n) {
            fin_to_cmyk(memo, x, tac, rgb, px, n);
        }
        done += n;
        if (jpg) {
            ok = fin_jpeg_rows(jpg, px, (int)(n / (size_t)j->width));
            if (ok && done == np)
                ok = fin_jpeg_end(jpg, &out, &len);
            if (!ok || done == np)
                break;
            continue;
        }
        int flush = done == np ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = px;
        z.avail_in = (uInt)(n * per);
        int r = Z_OK;
        do {
            if (cap - len < 65536) {
                size_t ncap = cap * 2;
                unsigned char *grown = realloc(out, ncap);
                if (!grown) {
                    ok = false;
                    break;
                }
                out = grown;
                cap = ncap;
            }
            z.next_out = out + len;
            z.avail_out = (uInt)(cap - len > UINT32_MAX ? UINT32_MAX : cap - len);
            size_t before = z.avail_out;
            r = deflate(&z, flush);
            len += before - z.avail_out;
        } while (ok && r == Z_OK && (z.avail_in > 0 || (flush == Z_FINISH && r != Z_STREAM_END)));
        if (r == Z_STREAM_ERROR)
            ok = false;
        if (flush == Z_FINISH) {
            ok = ok && r == Z_STREAM_END;
            break;
        }
    }
    if (jpg)
        fin_jpeg_drop(jpg);
    else
        deflateEnd(&z);
    free(px);
    free(rows);
    if (reader)
        j->decoder->close(reader);
    fin_cmyk_close(inks);
    if (ok) { /* kept until the PDF is written: only what the stream needs */
        unsigned char *fit = realloc(out, len ? len : 1);
        if (fit)
            out = fit;
    } else {
        free(out);
        out = NULL;
    }
    j->out = out;
    j->out_len = len;
    return ok;
}

/* Converts and compresses a job. A photograph that came as a JPEG is
 * written as one (jpeg.c), its ink limit lowered by a margin: the JPEG's
 * loss moves each ink a little, and the limit must hold in the pixels a
 * reader decodes, so they are decoded and measured; past the limit, the
 * margin grows, and after the last try the picture is deflated instead. */
#define FIN_JPEG_INK_MARGIN 8 /* per cent of total ink, per try */
#define FIN_JPEG_TRIES 3
static bool convert(fin_image_job *j, cmsHTRANSFORM x, double tac, fin_colour_memo **memo_slot) {
    bool ok = false;
    if (j->cmyk_jpeg && !j->grey) { /* a CMYK JPEG within the limit stays as it is */
        int most = fin_jpeg_max_ink(j->cmyk_jpeg, j->cmyk_jpeg_len);
        if (most < 0)
            return false;
        if (most <= (int)(tac / 100.0 * 255.0))
            return j->unchanged = true;
    }
    for (int t = 1; j->dct && !j->grey && t <= FIN_JPEG_TRIES; t++) {
        /* no memo: it holds colours under the full limit */
        if (!(ok = convert_as(j, x, tac - t * FIN_JPEG_INK_MARGIN, NULL)))
            break;
        if (!j->fault_ink && fin_jpeg_max_ink(j->out, j->out_len) <= (int)(tac / 100.0 * 255.0))
            break;
        free(j->out);
        j->out = NULL;
        j->out_len = 0;
        ok = false;
        if (t == FIN_JPEG_TRIES)
            j->dct = false; /* deflated after all */
    }
    if (!ok && (!j->dct || j->grey))
        ok = convert_as(j, x, tac, memo_slot);
    free(j->rgb); /* the source pixels are no longer needed */
    j->rgb = NULL;
    return ok;
}

static void *worker(void *arg) {
    pool *p = arg;
    fin_colour_memo *memo = NULL;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            break;
        if (!convert_one(&p->jobs[i], p->cv, &memo)) {
            pthread_mutex_lock(&p->lock);
            p->failed = true;
            pthread_mutex_unlock(&p->lock);
        }
    }
    fin_colour_memo_free(memo);
    return NULL;
}

fin_converter *fin_converter_new(const char *profile, double tac, bool cmyk, int threads,
                                 rt_diag *d) {
    fin_converter *cv = rt_xcalloc(1, sizeof *cv);
    long cpus = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);
    cv->nt = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (size_t)cpus;
    cv->tac = tac;
    cv->cmyk = cmyk;
    pthread_mutex_init(&cv->make, NULL);
    if (!cmyk)
        return cv;
    cv->in = cmsCreate_sRGBProfile();
    cv->out = cmsOpenProfileFromFile(profile, "r");
    /* a profile that cannot be used is found now, not when a thread needs it */
    bool usable = cv->in && cv->out && cmsGetColorSpace(cv->out) == cmsSigCmykData;
    if (!usable) {
        rt_error(d, profile, 0, 0,
                 cv->in && cv->out ? "cannot make an sRGB to CMYK transform with this profile"
                                   : "cannot open the CMYK output profile");
        fin_converter_free(cv);
        return NULL;
    }
    return cv;
}

void fin_converter_use_cache(fin_converter *cv, rt_image_cache *c, const char *profile,
                             int standard, const char *decoder) {
    cv->cache = fin_cache_open(c, profile, cv->tac, !cv->cmyk, standard, FIN_IMAGE_ZLEVEL, decoder);
}

void fin_converter_free(fin_converter *cv) {
    if (!cv)
        return;
    fin_cache_close(cv->cache);
    if (cv->x)
        cmsDeleteTransform(cv->x);
    if (cv->in)
        cmsCloseProfile(cv->in);
    if (cv->out)
        cmsCloseProfile(cv->out);
    pthread_mutex_destroy(&cv->make);
    free(cv);
}

bool fin_convert_images(fin_converter *cv, fin_image_job *jobs, size_t n) {
    pool p = {cv, jobs, n, PTHREAD_MUTEX_INITIALIZER, 0, false};
    size_t todo = 0; /* those not taken from the prefetch */
    for (size_t i = 0; i < n; i++)
        todo += jobs[i].out == NULL;
    size_t nt = cv->nt < todo ? cv->nt : todo;
    pthread_t th[MAX_THREADS];
    size_t started = 0;
    for (size_t i = 1; i < nt; i++)
        if (pthread_create(&th[started], NULL, worker, &p) == 0)
            started++;
    if (todo)
        worker(&p); /* this thread works too */
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return !p.failed;
}

/* ------------------------------------------------------------- prefetch */

enum { PF_PENDING, PF_RUNNING, PF_DONE, PF_FAILED, PF_CLAIMED };

struct rt_image_prefetch {
    fin_converter *cv;
    char *profile, *decoder; /* the settings it converts with (see fin_prefetch_converter) */
    int standard;
    rt_image_cache *cache;
    fin_image_job *jobs;
    int *state;
    bool *asked; /* by rt_pdfx_finish (which reports its own failures) */
    bool *told;  /* a failure fin_prefetch_failure has returned */
    bool *given; /* its stream handed over (`once`): asked again, the caller converts it */
    bool once;   /* every image goes into one PDF: handed over, not copied */
    size_t n;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool stop;
    bool running; /* the thread was started and not yet joined */
    bool settled; /* joined by rt_pdfx_finish, every image converted or failed */
    pthread_t th;
};

/* Converts the images no thread has started, one after the other, until
 * none is left (or the prefetch is stopped). */
static void prefetch_run(rt_image_prefetch *p) {
    fin_colour_memo *memo = NULL;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = 0;
        while (!p->stop && i < p->n && p->state[i] != PF_PENDING)
            i++;
        if (p->stop || i == p->n) {
            pthread_mutex_unlock(&p->lock);
            break;
        }
        p->state[i] = PF_RUNNING;
        pthread_mutex_unlock(&p->lock);
        bool ok = convert_one(&p->jobs[i], p->cv, &memo);
        pthread_mutex_lock(&p->lock);
        p->state[i] = ok ? PF_DONE : PF_FAILED;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
    }
    fin_colour_memo_free(memo);
}

static void *prefetch_main(void *arg) {
    prefetch_run(arg);
    return NULL;
}

void fin_prefetch_help(rt_image_prefetch *p) {
    if (!p || !p->running)
        return;
    /* this thread, the prefetch's, and as many more as the converter has */
    pthread_t th[MAX_THREADS];
    size_t started = 0;
    for (size_t i = 2; i < p->cv->nt; i++)
        if (pthread_create(&th[started], NULL, prefetch_main, p) == 0)
            started++;
    prefetch_run(p);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

rt_image_prefetch *rt_image_prefetch_start(const char *const *paths, size_t n,
                                           const rt_pdfx_opts *o, bool once) {
    if (n == 0)
        return NULL;
    const char *profile = o->icc_profile ? o->icc_profile : RT_DEFAULT_CMYK_PROFILE;
    fin_converter *cv = fin_converter_new(profile, o->tac > 0 ? o->tac : RT_INK_LIMIT,
                                          !o->grey_images, o->threads, NULL);
    if (!cv)
        return NULL; /* rt_pdfx_finish makes its own and reports why it cannot */
    fin_converter_use_cache(cv, o->cache, profile, o->standard, o->decoder_version);
    rt_image_prefetch *p = rt_xcalloc(1, sizeof *p);
    p->cv = cv;
    p->profile = rt_xstrdup(profile);
    p->decoder = rt_xstrdup(o->decoder_version ? o->decoder_version : "");
    p->standard = o->standard;
    p->cache = o->cache;
    p->jobs = rt_xcalloc(n, sizeof *p->jobs);
    p->state = rt_xcalloc(n, sizeof *p->state);
    p->asked = rt_xcalloc(n, sizeof *p->asked);
    p->told = rt_xcalloc(n, sizeof *p->told);
    p->given = rt_xcalloc(n, sizeof *p->given);
    p->once = once;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < p->n && !dup; k++)
            dup = strcmp(p->jobs[k].source, paths[i]) == 0;
        if (dup)
            continue;
        p->jobs[p->n].source = rt_xstrdup(paths[i]);
        p->jobs[p->n].decoder = o->decoder;
        p->jobs[p->n].grey = o->grey_images;
        p->jobs[p->n].eighths = 8; /* PNGs: whole */
        p->n++;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    p->running = pthread_create(&p->th, NULL, prefetch_main, p) == 0;
    return p;
}

/* Starts no other image; waits for the one being converted. */
static void prefetch_join(rt_image_prefetch *p) {
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_mutex_unlock(&p->lock);
    if (p->running)
        pthread_join(p->th, NULL);
    p->running = false;
}

void rt_image_prefetch_free(rt_image_prefetch *p) {
    if (!p)
        return;
    prefetch_join(p);
    fin_converter_free(p->cv);
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->jobs[i].source);
        free(p->jobs[i].rgb);
        free(p->jobs[i].out);
    }
    free(p->jobs);
    free(p->state);
    free(p->asked);
    free(p->told);
    free(p->given);
    free(p->profile);
    free(p->decoder);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    free(p);
}

fin_converter *fin_prefetch_converter(rt_image_prefetch *p, const char *profile, double tac,
                                      bool cmyk, int standard, const rt_image_cache *cache,
                                      const char *decoder) {
    if (!p || strcmp(p->profile, profile) != 0 || p->cv->tac != tac || p->cv->cmyk != cmyk ||
        p->standard != standard || p->cache != cache ||
        strcmp(p->decoder, decoder ? decoder : "") != 0)
        return NULL;
    return p->cv;
}

bool fin_prefetch_take(rt_image_prefetch *p, fin_image_job *j) {
    size_t i = 0;
    while (i < p->n && strcmp(p->jobs[i].source, j->source) != 0)
        i++;
    if (i == p->n)
        return false;
    pthread_mutex_lock(&p->lock);
    p->asked[i] = true;
    while (p->state[i] == PF_RUNNING)
        pthread_cond_wait(&p->changed, &p->lock);
    if (p->state[i] == PF_PENDING)
        p->state[i] = PF_CLAIMED; /* the caller converts it */
    bool done = p->state[i] == PF_DONE && !p->given[i];
    p->given[i] |= done && p->once;
    pthread_mutex_unlock(&p->lock);
    if (!done)
        return false;
    fin_image_job *src = &p->jobs[i];
    if (p->once) { /* handed over: a photograph's stream is not held twice */
        j->out = src->out;
        src->out = NULL;
    } else { /* copied: a split build's pages may each need it */
        j->out = rt_xmalloc(src->out_len ? src->out_len : 1);
        memcpy(j->out, src->out, src->out_len);
    }
    j->out_len = src->out_len;
    j->width = src->width;
    j->height = src->height;
    j->pixels = src->pixels;
    free(j->rgb);
    j->rgb = NULL;
    return true;
}

void fin_prefetch_settle(rt_image_prefetch *p) {
    if (!p || !p->running) {
        if (p)
            p->settled = true;
        return;
    }
    pthread_join(p->th, NULL); /* it stops when no image is left */
    p->running = false;
    p->settled = true;
}

const char *fin_prefetch_failure(rt_image_prefetch *p) {
    for (size_t i = 0; p && !p->running && i < p->n; i++)
        if (p->state[i] == PF_FAILED && !p->asked[i] && !p->told[i]) {
            p->told[i] = true;
            return p->jobs[i].source;
        }
    return NULL;
}

bool rt_image_prefetch_settled(const rt_image_prefetch *p) {
    return p && p->settled;
}
