/* finish: image colour conversion with lcms2 (sRGB -> the CMYK output
 * profile), then a total-ink limit: where C+M+Y+K exceeds it, the chromatic
 * inks are reduced (grey component replacement already put the neutral part
 * in K through the profile). */
#include "finish_internal.h"

#include <lcms2.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

typedef struct {
    fin_image_job *jobs;
    size_t n;
    cmsHPROFILE in, out; /* sRGB and the CMYK output profile (NULL: grey only) */
    double tac;
    pthread_mutex_t lock;
    size_t next;
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

static bool convert_one(fin_image_job *j, cmsHTRANSFORM x, double tac) {
    if (j->source) {
        if (!j->decode_rgb || !j->decode_rgb(j->source, &j->rgb, &j->width, &j->height))
            return false;
        j->pixels = (size_t)j->width * (size_t)j->height;
    }
    size_t np = j->pixels, bytes = np * (j->grey ? 1 : 4);
    unsigned char *px = malloc(bytes + 1);
    if (!px)
        return false;
    if (j->grey) { /* luminance (Rec. 709), printed with black ink alone */
        const unsigned char *rgb = j->rgb;
        for (size_t k = 0; k < np; k++)
            px[k] = (unsigned char)((2126 * rgb[3 * k] + 7152 * rgb[3 * k + 1] +
                                     722 * rgb[3 * k + 2] + 5000) / 10000);
    } else {
        /* in slices: lcms2 takes a 32-bit pixel count */
        for (size_t done = 0; done < np;) {
            size_t n = np - done > (1u << 24) ? (1u << 24) : np - done;
            cmsDoTransform(x, j->rgb + 3 * done, px + 4 * done, (cmsUInt32Number)n);
            done += n;
        }
        limit_ink(px, np, tac);
    }
    uLongf len = compressBound((uLong)bytes);
    j->out = malloc(len);
    bool ok = j->out && compress2(j->out, &len, px, (uLong)bytes, FIN_IMAGE_ZLEVEL) == Z_OK;
    free(px);
    j->out_len = len;
    free(j->rgb); /* the source pixels are no longer needed */
    j->rgb = NULL;
    return ok;
}

static void *worker(void *arg) {
    pool *p = arg;
    /* a transform per thread keeps lcms2's cache of the last colour, which
     * makes flat areas cheap (a shared transform must run without it) */
    cmsHTRANSFORM x = NULL;
    if (p->out) {
        pthread_mutex_lock(&p->lock);
        x = cmsCreateTransform(p->in, TYPE_RGB_8, p->out, TYPE_CMYK_8,
                               INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_BLACKPOINTCOMPENSATION);
        pthread_mutex_unlock(&p->lock);
    }
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            break;
        if ((!x && !p->jobs[i].grey) || !convert_one(&p->jobs[i], x, p->tac)) {
            pthread_mutex_lock(&p->lock);
            p->failed = true;
            pthread_mutex_unlock(&p->lock);
        }
    }
    if (x)
        cmsDeleteTransform(x);
    return NULL;
}

bool fin_convert_images(fin_image_job *jobs, size_t n, const char *profile, double tac,
                        rt_diag *d) {
    cmsHPROFILE in = NULL, out = NULL;
    bool any_cmyk = false;
    for (size_t i = 0; i < n; i++)
        any_cmyk |= !jobs[i].grey;
    if (any_cmyk) {
        in = cmsCreate_sRGBProfile();
        out = cmsOpenProfileFromFile(profile, "r");
        cmsHTRANSFORM probe = in && out ? cmsCreateTransform(in, TYPE_RGB_8, out, TYPE_CMYK_8,
                                                             INTENT_RELATIVE_COLORIMETRIC, 0)
                                        : NULL;
        if (!probe) {
            rt_error(d, profile, 0, 0,
                     in && out ? "cannot make an sRGB to CMYK transform with this profile"
                               : "cannot open the CMYK output profile");
            if (in)
                cmsCloseProfile(in);
            if (out)
                cmsCloseProfile(out);
            return false;
        }
        cmsDeleteTransform(probe);
    }
    pool p = {jobs, n, in, out, tac, PTHREAD_MUTEX_INITIALIZER, 0, false};
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cpus < 1 ? 1 : cpus > 8 ? 8 : (size_t)cpus;
    if (nt > n)
        nt = n;
    pthread_t th[8];
    size_t started = 0;
    for (size_t i = 1; i < nt; i++)
        if (pthread_create(&th[started], NULL, worker, &p) == 0)
            started++;
    worker(&p); /* this thread works too */
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (in)
        cmsCloseProfile(in);
    if (out)
        cmsCloseProfile(out);
    if (p.failed)
        for (size_t i = 0; i < n; i++)
            if (!jobs[i].out)
                rt_error(d, jobs[i].source, 0, 0, "%s",
                         jobs[i].source ? "cannot decode this image"
                                        : "out of memory converting an image");
    return !p.failed;
}
