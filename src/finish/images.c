/* finish: the conversion of images, each decoded and converted in slices
 * (to CMYK by colour.c, from the file's own profile or sRGB; or to grey)
 * and deflated or written as JPEG (jpeg.c); on threads, by the prefetch
 * while the pages are made (prefetch.c), then by the finishing pass for
 * what is left; through the cache of finished streams (cache.c). */
#include "finish_internal.h"

#include <lcms2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include <string.h>

struct fin_converter {
    cmsHTRANSFORM x;     /* made when an image is first converted (none when the cache has
                            all), then shared by every thread: cmsDoTransform works on its
                            own copy of the one-pixel cache (lcms2 >= 2.3) and writes nothing
                            to the transform; making one costs as much as converting a photo
                            (without that cache, cmsFLAGS_NOCACHE, conversion is a third
                            slower on flat pictures) */
    cmsHPROFILE in, out; /* sRGB and the output profile, for making it */
    char *out_icc;       /* the output profile's bytes (a CMYK JPEG made for it stays) */
    size_t out_icc_len;
    cmsUInt8Number out_id[16]; /* its profile ID (MD5), when it has one */
    bool has_out_id;
    double lk[256]; /* L* of the press's black ink alone at each level (grey_curve) */
    bool has_lk;
    unsigned char grey[256]; /* a grey level (sRGB) to the DeviceGray value whose black ink
                                prints it as light on this press (grey_curve) */
    pthread_mutex_t make;    /* lcms2 profiles are not to be read by two threads at once */
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

static bool convert(fin_image_job *j, fin_converter *cv, cmsHTRANSFORM x, double tac,
                    fin_colour_memo **memo);

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
bool fin_convert_one(fin_image_job *j, fin_converter *cv, fin_colour_memo **memo) {
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
    bool hit = keyed && fin_cache_get(cache, key, &j->grey, &j->out, &j->out_len, &w, &h);
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
    if (!convert(j, cv, j->grey || j->cmyk_jpeg ? NULL : transform(cv), tac, memo))
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
/* A picture whose channels all differ by at most this is grey (a
 * black-and-white JPEG decodes to equal channels; a scan may be a level
 * off). */
#define FIN_NEUTRAL 2
/* Whether an RGB profile is sRGB under another name: a few colours through
 * it and through lcms2's own sRGB land within a ΔE of 1.5 of each other
 * (Lab, relative colorimetric). Then the shared transform and the colour
 * memo convert the picture, as an untagged one. Under cv->make. */
static bool is_srgb(fin_converter *cv, cmsHPROFILE in) {
    static const unsigned char probe[][3] = {
        {255, 0, 0},     {0, 255, 0},     {0, 0, 255},    {255, 255, 0}, {0, 255, 255},
        {255, 0, 255},   {255, 255, 255}, {0, 0, 0},      {64, 64, 64},  {128, 128, 128},
        {192, 192, 192}, {200, 100, 50},  {30, 160, 220}, {90, 40, 140}};
    enum { N = sizeof probe / sizeof *probe };
    cmsHPROFILE lab = cmsCreateLab4Profile(NULL);
    cmsHTRANSFORM a = lab ? cmsCreateTransform(in, TYPE_RGB_8, lab, TYPE_Lab_DBL,
                                               INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_NOOPTIMIZE)
                          : NULL;
    cmsHTRANSFORM b = lab && cv->in
                          ? cmsCreateTransform(cv->in, TYPE_RGB_8, lab, TYPE_Lab_DBL,
                                               INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_NOOPTIMIZE)
                          : NULL;
    bool same = a && b;
    for (int i = 0; same && i < N; i++) {
        cmsCIELab x, y;
        cmsDoTransform(a, probe[i], &x, 1);
        cmsDoTransform(b, probe[i], &y, 1);
        same = cmsDeltaE(&x, &y) < 1.5;
    }
    if (a)
        cmsDeleteTransform(a);
    if (b)
        cmsDeleteTransform(b);
    if (lab)
        cmsCloseProfile(lab);
    return same;
}

/* The profile a picture carries (NULL, or not one lcms2 reads: the
 * picture is taken as sRGB, as an untagged one is): an RGB profile gives
 * the transform to the output profile (j->own_x; not for an sRGB profile
 * under another name, nor in a grey edition) and the grey table of its
 * levels (j->own_grey: a grey picture stored as RGB); a grey profile on a
 * grey file, its grey table. */
#define FIN_MAX_ICC (4u << 20)
static void own_profile(fin_converter *cv, fin_image_job *j, bool grey_file,
                        const unsigned char *icc, size_t n) {
    if (!icc || n < 128 || n > FIN_MAX_ICC)
        return;
    cmsHPROFILE in = cmsOpenProfileFromMem(icc, (cmsUInt32Number)n);
    if (!in)
        return;
    cmsColorSpaceSignature space = cmsGetColorSpace(in);
    if (space == cmsSigRgbData) {
        pthread_mutex_lock(&cv->make);
        bool srgb = is_srgb(cv, in); /* what most cameras and phones embed */
        if (!srgb && cv->out && !j->grey && !grey_file)
            j->own_x =
                cmsCreateTransform(in, TYPE_RGB_8, cv->out, TYPE_CMYK_8,
                                   INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_BLACKPOINTCOMPENSATION);
        pthread_mutex_unlock(&cv->make);
        if (!srgb) {
            fin_grey_table(cv->has_lk ? cv->lk : NULL, in, TYPE_RGB_8, j->grey_table);
            j->own_grey = true;
        }
    } else if (space == cmsSigGrayData && grey_file) {
        fin_grey_table(cv->has_lk ? cv->lk : NULL, in, TYPE_GRAY_8, j->grey_table);
        j->own_grey = true;
    }
    cmsCloseProfile(in);
}

/* A CMYK JPEG's own profile to the output profile (NULL: it has none, it
 * is the output profile, or lcms2 cannot read it as CMYK: its inks are
 * then taken as made for this press). Black-only colours stay on the black
 * plate (text and rules in a picture). */
static cmsHTRANSFORM cmyk_transform(fin_converter *cv, const fin_image_job *j) {
    size_t n = 0;
    unsigned char *icc = fin_jpeg_profile(j->cmyk_jpeg, j->cmyk_jpeg_len, &n);
    cmsHTRANSFORM x = NULL;
    bool same = icc && cv->out_icc && n == cv->out_icc_len && memcmp(icc, cv->out_icc, n) == 0;
    cmsHPROFILE in = icc && !same && n >= 128 && n <= FIN_MAX_ICC
                         ? cmsOpenProfileFromMem(icc, (cmsUInt32Number)n)
                         : NULL;
    if (in && cv->has_out_id && cmsMD5computeID(in)) { /* the same profile, its header
                                                           written otherwise */
        cmsUInt8Number id[16];
        cmsGetHeaderProfileID(in, id);
        same = memcmp(id, cv->out_id, 16) == 0;
    }
    if (in && !same && cmsGetColorSpace(in) == cmsSigCmykData) {
        pthread_mutex_lock(&cv->make);
        x = cmsCreateTransform(in, TYPE_CMYK_8, cv->out, TYPE_CMYK_8,
                               INTENT_PRESERVE_K_ONLY_RELATIVE_COLORIMETRIC,
                               cmsFLAGS_BLACKPOINTCOMPENSATION);
        pthread_mutex_unlock(&cv->make);
    }
    if (in)
        cmsCloseProfile(in);
    free(icc);
    return x;
}

static bool convert_as(fin_image_job *j, fin_converter *cv, cmsHTRANSFORM x, double tac,
                       fin_colour_memo **memo_slot) {
    void *reader = NULL;
    fin_cmyk_rows *inks = NULL; /* a CMYK JPEG's */
    size_t band = FIN_SLICE;    /* pixels per slice */
    if (j->source) {
        if (!j->decoder ||
            !(reader = j->decoder->open(j->source, j->eighths, &j->width, &j->height)))
            return false;
        j->pixels = (size_t)j->width * (size_t)j->height;
        /* the colours' own profile (a camera's Adobe RGB, a phone's Display
         * P3, a grey photograph's dot gain) rather than sRGB: read once per
         * job (the JPEG tries open the file again) */
        bool grey_file = j->decoder->grey && j->decoder->grey(reader);
        if (cv && !j->profile_tried && j->decoder->profile) {
            size_t n = 0;
            const unsigned char *icc = j->decoder->profile(reader, &n);
            own_profile(cv, j, grey_file, icc, n);
            j->profile_tried = true;
        }
        if (grey_file) /* the file says its pixels are grey */
            j->grey = true;
        if (j->own_x && !j->grey)
            x = j->own_x;
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
    j->neutral = !j->grey && !inks; /* until a pixel shows a colour */
    size_t np = j->pixels, per = j->grey ? 1 : 4;
    fin_colour_memo *memo = /* (its colours are the shared transform's) */
        j->grey || inks || j->own_x || !memo_slot ? NULL : fin_colour_memo_fit(memo_slot, band);
    fin_colour_memo_restart(memo); /* each picture tries the memo afresh */
    unsigned char *px = malloc(band * per);
    /* decoded rows, when they are not converted in place */
    bool inks_apart = inks && (j->grey || j->own_x); /* read, then converted into px */
    unsigned char *rows = reader ? malloc(band * 3) : inks_apart ? malloc(band * 4) : NULL;
    z_stream z = {0};
    fin_jpeg *jpg = j->dct && px ? fin_jpeg_begin(j->width, j->height, (int)per) : NULL;
    if (!px || ((reader || inks_apart) && !rows) || (j->dct && !jpg) ||
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
        if (inks && n &&
            !fin_cmyk_read(inks, inks_apart ? rows : px, (int)(n / (size_t)j->width))) {
            ok = false;
            break;
        }
        if (inks && j->grey) { /* the inks' luminance, printed with black ink alone */
            for (size_t k = 0; k < n; k++) {
                const unsigned char *c = rows + 4 * k;
                int r = (255 - c[0]) * (255 - c[3]), g = (255 - c[1]) * (255 - c[3]),
                    b = (255 - c[2]) * (255 - c[3]);
                px[k] = cv->grey[(2126 * r + 7152 * g + 722 * b + 1275000) / 2550000];
            }
        } else if (inks) {
            if (j->own_x) /* from the profile it was separated for */
                cmsDoTransform(j->own_x, rows, px, (cmsUInt32Number)n);
            fin_limit_ink(px, n, tac);
        } else if (j->grey) { /* luminance (Rec. 709), printed with black ink alone */
            const unsigned char *curve = j->own_grey ? j->grey_table : cv->grey;
            for (size_t k = 0; k < n; k++) {
                const unsigned char *c = rgb + 3 * k;
                px[k] = curve[(2126 * c[0] + 7152 * c[1] + 722 * c[2] + 5000) / 10000];
            }
        } else if (n) {
            fin_to_cmyk(memo, x, tac, rgb, px, n);
            for (size_t k = 0; k < n && j->neutral; k++) { /* grey, stored as RGB? */
                const unsigned char *c = rgb + 3 * k;
                j->neutral = abs(c[0] - c[1]) <= FIN_NEUTRAL && abs(c[1] - c[2]) <= FIN_NEUTRAL;
            }
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
static bool convert(fin_image_job *j, fin_converter *cv, cmsHTRANSFORM x, double tac,
                    fin_colour_memo **memo_slot) {
    bool ok = false, dct = j->dct;
    if (j->cmyk_jpeg && !j->grey && cv && cv->out)
        j->own_x = cmyk_transform(cv, j);
    if (j->cmyk_jpeg && !j->grey && !j->own_x) { /* a CMYK JPEG within the limit stays */
        int most = fin_jpeg_max_ink(j->cmyk_jpeg, j->cmyk_jpeg_len);
        if (most < 0)
            return false;
        if (most <= (int)(tac / 100.0 * 255.0))
            return j->unchanged = true;
    }
    for (int t = 1; j->dct && !j->grey && t <= FIN_JPEG_TRIES; t++) {
        /* no memo: it holds colours under the full limit */
        if (!(ok = convert_as(j, cv, x, tac - t * FIN_JPEG_INK_MARGIN, NULL)))
            break;
        /* a grey file (a grey JPEG), or a grey picture stored as RGB (made
         * grey below, whatever its inks here): nothing to measure */
        if (j->grey || j->neutral)
            break;
        int most = j->fault_ink ? -1 : fin_jpeg_max_ink(j->out, j->out_len);
        if (most >= 0 && most <= (int)(tac / 100.0 * 255.0)) /* (-1: not measured) */
            break;
        free(j->out);
        j->out = NULL;
        j->out_len = 0;
        ok = false;
        if (t == FIN_JPEG_TRIES)
            j->dct = false; /* deflated after all */
    }
    if (!ok && (!j->dct || j->grey))
        ok = convert_as(j, cv, x, tac, memo_slot);
    if (ok && j->neutral && !j->grey) {
        /* a grey picture stored as RGB (a black-and-white photograph, a
         * chart in greys): on the black plate alone, as a grey picture is */
        free(j->out);
        j->out = NULL;
        j->out_len = 0;
        j->grey = true;
        j->dct = dct;
        ok = convert_as(j, cv, NULL, tac, NULL);
    }
    free(j->rgb); /* the source pixels are no longer needed */
    j->rgb = NULL;
    if (j->own_x)
        cmsDeleteTransform(j->own_x);
    j->own_x = NULL;
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
        if (!fin_convert_one(&p->jobs[i], p->cv, &memo)) {
            pthread_mutex_lock(&p->lock);
            p->failed = true;
            pthread_mutex_unlock(&p->lock);
        }
    }
    fin_colour_memo_free(memo);
    return NULL;
}

/* The press's black ink and the grey table of sRGB levels (colour.c), for
 * pictures without a profile of their own. */
static void grey_curve(fin_converter *cv, const char *profile) {
    cv->has_lk = fin_black_ink(profile, cv->lk);
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    fin_grey_table(cv->has_lk ? cv->lk : NULL, srgb, TYPE_RGB_8, cv->grey);
    if (srgb)
        cmsCloseProfile(srgb);
}

fin_converter *fin_converter_new(const char *profile, double tac, bool cmyk, int threads,
                                 rt_diag *d) {
    fin_converter *cv = rt_xcalloc(1, sizeof *cv);
    long cpus = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);
    cv->nt = cpus < 1 ? 1 : cpus > FIN_MAX_THREADS ? FIN_MAX_THREADS : (size_t)cpus;
    cv->tac = tac;
    cv->cmyk = cmyk;
    pthread_mutex_init(&cv->make, NULL);
    grey_curve(cv, profile);
    if (!cmyk)
        return cv;
    cv->in = cmsCreate_sRGBProfile();
    cv->out = cmsOpenProfileFromFile(profile, "r");
    cv->out_icc = rt_read_file(profile, 64u << 20, &cv->out_icc_len);
    /* its MD5 (the ID a profile's header may carry, computed: not taken on trust) */
    if (cv->out && cmsMD5computeID(cv->out)) {
        cmsGetHeaderProfileID(cv->out, cv->out_id);
        cv->has_out_id = true;
    }
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

size_t fin_converter_threads(const fin_converter *cv) {
    return cv->nt;
}

bool fin_converter_is(const fin_converter *cv, double tac, bool cmyk) {
    return cv->tac == tac && cv->cmyk == cmyk;
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
    free(cv->out_icc);
    pthread_mutex_destroy(&cv->make);
    free(cv);
}

bool fin_convert_images(fin_converter *cv, fin_image_job *jobs, size_t n) {
    pool p = {cv, jobs, n, PTHREAD_MUTEX_INITIALIZER, 0, false};
    size_t todo = 0; /* those not taken from the prefetch */
    for (size_t i = 0; i < n; i++)
        todo += jobs[i].out == NULL;
    size_t nt = cv->nt < todo ? cv->nt : todo;
    pthread_t th[FIN_MAX_THREADS];
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
