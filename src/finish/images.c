/* finish: image colour conversion with lcms2 (sRGB -> the CMYK output
 * profile), then a total-ink limit: where C+M+Y+K exceeds it, the chromatic
 * inks are reduced (grey component replacement already put the neutral part
 * in K through the profile). */
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
    cmsHTRANSFORM x[MAX_THREADS]; /* one per thread: each keeps lcms2's cache; made when a
                                     thread first converts (none when the cache has all) */
    cmsHPROFILE in, out;          /* sRGB and the output profile, for making them */
    pthread_mutex_t make;         /* lcms2 profiles are not to be read by two threads at once */
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
    size_t next, started;
    bool failed;
} pool;

/* Where C+M+Y+K exceeds the limit, the chromatic inks are reduced (grey
 * component replacement already put the neutral part in K). */
static void limit_ink(unsigned char *cmyk, size_t pixels, double tac) {
    int limit = (int)(tac / 100.0 * 255.0);
    for (size_t i = 0; i < pixels; i++) {
        unsigned char *p = cmyk + 4 * i;
        int sum = p[0] + p[1] + p[2] + p[3];
        if (sum > limit) {
            int cmy = p[0] + p[1] + p[2];
            double keep = limit - p[3];
            double f = cmy > 0 && keep > 0 ? keep / cmy : 0;
            for (int k = 0; k < 3; k++)
                p[k] = (unsigned char)(p[k] * f);
        }
    }
}

/* zlib level of converted images: 3 is about twice as fast as the default
 * (6) for a few per cent more bytes on photographs. */
#define FIN_IMAGE_ZLEVEL 3

static bool convert(fin_image_job *j, cmsHTRANSFORM x, double tac);

static cmsHTRANSFORM make_transform(fin_converter *cv) {
    pthread_mutex_lock(&cv->make);
    cmsHTRANSFORM x =
        cmsCreateTransform(cv->in, TYPE_RGB_8, cv->out, TYPE_CMYK_8, INTENT_RELATIVE_COLORIMETRIC,
                           cmsFLAGS_BLACKPOINTCOMPENSATION);
    pthread_mutex_unlock(&cv->make);
    return x;
}

/* A finished stream from the cache, or converted (with this thread's
 * transform, *x, made on first use) and then cached. */
static bool convert_one(fin_image_job *j, fin_converter *cv, cmsHTRANSFORM *x) {
    fin_cache *cache = cv->cache;
    double tac = cv->tac;
    unsigned char key[32];
    bool keyed = false;
    if (cache && j->source)
        keyed = fin_cache_key_file(cache, j->source, key);
    else if (cache && j->rgb) {
        fin_cache_key_pixels(cache, j->rgb, j->pixels, key);
        keyed = true;
    }
    int w = 0, h = 0;
    if (keyed && fin_cache_get(cache, key, j->grey, &j->out, &j->out_len, &w, &h)) {
        if (j->source) {
            j->width = w;
            j->height = h;
            j->pixels = (size_t)w * (size_t)h;
        }
        free(j->rgb);
        j->rgb = NULL;
        return true;
    }
    if (!j->grey && !*x)
        *x = make_transform(cv);
    if (!convert(j, *x, tac))
        return false;
    if (keyed && j->source) { /* the file changed while it was decoded: not under the old key */
        unsigned char again[32];
        keyed = fin_cache_key_file(cache, j->source, again) && memcmp(again, key, 32) == 0;
    }
    if (keyed)
        fin_cache_put(cache, key, j->grey, j->out, j->out_len, j->source ? j->width : 1,
                      j->source ? j->height : 1);
    return true;
}

/* Converts and compresses in slices of pixels, so that only the source,
 * one slice and the compressed stream are in memory at once (a whole CMYK
 * copy and a deflate buffer of its size were half the peak of a large
 * edition's build). zlib's output does not depend on how its input is cut. */
#define FIN_SLICE (1u << 16)
static bool convert(fin_image_job *j, cmsHTRANSFORM x, double tac) {
    if (j->source) {
        if (!j->decode_rgb || !j->decode_rgb(j->source, &j->rgb, &j->width, &j->height))
            return false;
        j->pixels = (size_t)j->width * (size_t)j->height;
    }
    if (!j->grey && !x)
        return false;
    size_t np = j->pixels, per = j->grey ? 1 : 4;
    unsigned char *px = malloc(FIN_SLICE * per);
    z_stream z = {0};
    if (!px || deflateInit(&z, FIN_IMAGE_ZLEVEL) != Z_OK) {
        free(px);
        return false;
    }
    size_t cap = np * per / 4 + 1024, len = 0;
    unsigned char *out = malloc(cap);
    bool ok = out != NULL;
    const unsigned char *rgb = j->rgb;
    for (size_t done = 0; ok;) {
        size_t n = np - done > FIN_SLICE ? FIN_SLICE : np - done;
        if (j->grey) { /* luminance (Rec. 709), printed with black ink alone */
            for (size_t k = 0; k < n; k++) {
                const unsigned char *c = rgb + 3 * (done + k);
                px[k] = (unsigned char)((2126 * c[0] + 7152 * c[1] + 722 * c[2] + 5000) / 10000);
            }
        } else if (n) {
            cmsDoTransform(x, rgb + 3 * done, px, (cmsUInt32Number)n);
            limit_ink(px, n, tac);
        }
        done += n;
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
    deflateEnd(&z);
    free(px);
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
    free(j->rgb); /* the source pixels are no longer needed */
    j->rgb = NULL;
    return ok;
}

static void *worker(void *arg) {
    pool *p = arg;
    pthread_mutex_lock(&p->lock);
    cmsHTRANSFORM *x = &p->cv->x[p->started++ % p->cv->nt];
    pthread_mutex_unlock(&p->lock);
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            break;
        if (!convert_one(&p->jobs[i], p->cv, x)) {
            pthread_mutex_lock(&p->lock);
            p->failed = true;
            pthread_mutex_unlock(&p->lock);
        }
    }
    return NULL;
}

fin_converter *fin_converter_new(const char *profile, double tac, bool cmyk, rt_diag *d) {
    fin_converter *cv = rt_xcalloc(1, sizeof *cv);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
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
    for (size_t i = 0; i < cv->nt; i++)
        if (cv->x[i])
            cmsDeleteTransform(cv->x[i]);
    if (cv->in)
        cmsCloseProfile(cv->in);
    if (cv->out)
        cmsCloseProfile(cv->out);
    pthread_mutex_destroy(&cv->make);
    free(cv);
}

bool fin_convert_images(fin_converter *cv, fin_image_job *jobs, size_t n, rt_diag *d) {
    pool p = {cv, jobs, n, PTHREAD_MUTEX_INITIALIZER, 0, 0, false};
    size_t nt = cv->nt < n ? cv->nt : n;
    pthread_t th[MAX_THREADS];
    size_t started = 0;
    for (size_t i = 1; i < nt; i++)
        if (pthread_create(&th[started], NULL, worker, &p) == 0)
            started++;
    worker(&p); /* this thread works too */
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (p.failed)
        for (size_t i = 0; i < n; i++)
            if (!jobs[i].out)
                rt_error(d, jobs[i].source, 0, 0, "%s",
                         jobs[i].source ? "cannot decode this image"
                                        : "out of memory converting an image");
    return !p.failed;
}
