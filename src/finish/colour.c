/* finish: RGB pixels to CMYK through lcms2, the total-ink limit applied,
 * with a memo of the colours converted; and the black-ink curve of grey
 * pictures (below).
 *
 * The memo sits in front of lcms2, one per conversion thread (every picture
 * it converts goes through the same transform and ink limit). Pictures
 * repeat colours (flat areas, skies, backgrounds, drawings); a colour met
 * again costs a look-up instead of the transform and the ink limit. A slot
 * per hash of the RGB value holds its CMYK, ink limit applied. A slice's
 * new colours are converted in one call; a slot that a pixel of the slice
 * refers to is not given to another colour until the slice is done (that
 * colour is converted on its own), so every pixel gets its own colour's
 * value. The output is the transform's, pixel for pixel: lcms2 maps each
 * colour alone. Where most colours of a slice are new (a photograph's
 * grain), the picture's next slices skip the memo and are converted
 * directly. */
#include "finish_internal.h"

#include <lcms2.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where C+M+Y+K exceeds the limit, the chromatic inks are reduced (grey
 * component replacement already put the neutral part in K). */
void fin_limit_ink(unsigned char *cmyk, size_t pixels, double tac) {
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

#define MEMO_BITS 16
#define MEMO_SLOTS (1u << MEMO_BITS)
#define MEMO_SKIP 8 /* slices converted directly after one where the memo did not pay */
struct fin_colour_memo {
    uint32_t key[MEMO_SLOTS];  /* RGB + 1; 0: empty */
    uint32_t cmyk[MEMO_SLOTS]; /* the four ink bytes, in memory order */
    uint32_t used[MEMO_SLOTS]; /* the last slice that referred to the slot */
    uint32_t slice;
    unsigned skip;
    size_t band;  /* the largest slice the buffers below hold */
    int32_t *ref; /* per pixel of a slice: its slot, or -(new colour + 1) */
    unsigned char *new_rgb, *new_cmyk;
    uint32_t *new_slot; /* the slot a new colour fills; MEMO_SLOTS: none */
};

void fin_colour_memo_free(fin_colour_memo *m) {
    if (!m)
        return;
    free(m->ref);
    free(m->new_rgb);
    free(m->new_cmyk);
    free(m->new_slot);
    free(m);
}

fin_colour_memo *fin_colour_memo_fit(fin_colour_memo **slot, size_t band) {
    fin_colour_memo *m = *slot;
    if (m && m->band >= band)
        return m;
    if (!m && !(m = *slot = calloc(1, sizeof *m)))
        return NULL;
    free(m->ref);
    free(m->new_rgb);
    free(m->new_cmyk);
    free(m->new_slot);
    m->band = band;
    m->ref = malloc(band * sizeof *m->ref);
    m->new_rgb = malloc(band * 3);
    m->new_cmyk = malloc(band * 4);
    m->new_slot = malloc(band * sizeof *m->new_slot);
    if (!m->ref || !m->new_rgb || !m->new_cmyk || !m->new_slot) {
        fin_colour_memo_free(m);
        *slot = NULL;
        return NULL;
    }
    return m;
}

void fin_colour_memo_restart(fin_colour_memo *m) {
    if (m)
        m->skip = 0;
}

void fin_to_cmyk(fin_colour_memo *m, void *transform, double tac, const unsigned char *rgb,
                 unsigned char *cmyk, size_t n) {
    cmsHTRANSFORM x = transform;
    if (!m || m->skip) {
        if (m)
            m->skip--;
        cmsDoTransform(x, rgb, cmyk, (cmsUInt32Number)n);
        fin_limit_ink(cmyk, n, tac);
        return;
    }
    uint32_t s = ++m->slice;
    size_t fresh = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *c = rgb + 3 * i;
        uint32_t k = ((uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | c[2]) + 1;
        uint32_t h = (k * 2654435761u) >> (32 - MEMO_BITS);
        if (m->key[h] == k) {
            m->used[h] = s;
            m->ref[i] = (int32_t)h;
            continue;
        }
        memcpy(m->new_rgb + 3 * fresh, c, 3);
        if (m->used[h] != s) { /* no pixel of this slice refers to the slot: take it */
            m->key[h] = k;
            m->used[h] = s;
            m->new_slot[fresh] = h;
            m->ref[i] = (int32_t)h;
        } else {
            m->new_slot[fresh] = MEMO_SLOTS;
            m->ref[i] = -(int32_t)fresh - 1;
        }
        fresh++;
    }
    if (fresh > n - n / 4)
        m->skip = MEMO_SKIP;
    if (fresh) {
        cmsDoTransform(x, m->new_rgb, m->new_cmyk, (cmsUInt32Number)fresh);
        fin_limit_ink(m->new_cmyk, fresh, tac);
        for (size_t f = 0; f < fresh; f++)
            if (m->new_slot[f] < MEMO_SLOTS)
                memcpy(&m->cmyk[m->new_slot[f]], m->new_cmyk + 4 * f, 4);
    }
    for (size_t i = 0; i < n; i++) {
        int32_t r = m->ref[i];
        memcpy(cmyk + 4 * i,
               r >= 0 ? (const unsigned char *)&m->cmyk[r] : m->new_cmyk + 4 * (size_t)(-r - 1), 4);
    }
}

/* ---------------------------------------------------------------- grey
 *
 * Grey pictures print with black ink alone; the value of each grey level is
 * the black ink that prints it as light as a CMYK conversion would on this
 * press (the output profile: newsprint gains dots), white to paper and
 * black to full black, as relative colorimetric with black-point
 * compensation maps them (in luminance, as lcms2 does). */

static double lum(double L) { /* CIE L* to relative luminance Y */
    return L > 8 ? pow((L + 16) / 116, 3) : L / 903.3;
}
static double lstar(double y) {
    return y > 0.008856 ? 116 * cbrt(y) - 16 : 903.3 * y;
}

bool fin_black_ink(const char *profile, double lk[256]) {
    cmsHPROFILE out = cmsOpenProfileFromFile(profile, "r"), lab = cmsCreateLab4Profile(NULL);
    cmsHTRANSFORM ink = out && lab && cmsGetColorSpace(out) == cmsSigCmykData
                            ? cmsCreateTransform(out, TYPE_CMYK_8, lab, TYPE_Lab_DBL,
                                                 INTENT_RELATIVE_COLORIMETRIC, 0)
                            : NULL;
    for (int k = 0; ink && k < 256; k++) {
        unsigned char c[4] = {0, 0, 0, (unsigned char)k};
        cmsCIELab L;
        cmsDoTransform(ink, c, &L, 1);
        lk[k] = k > 0 && L.L > lk[k - 1] ? lk[k - 1] : L.L;
    }
    bool ok = ink && lk[255] < lk[0];
    if (ink)
        cmsDeleteTransform(ink);
    if (out)
        cmsCloseProfile(out);
    if (lab)
        cmsCloseProfile(lab);
    return ok;
}

void fin_grey_table(const double *lk, void *in, unsigned format, unsigned char out[256]) {
    for (int v = 0; v < 256; v++)
        out[v] = (unsigned char)v;
    cmsHPROFILE lab = cmsCreateLab4Profile(NULL);
    cmsHTRANSFORM level = in && lab && lk ? cmsCreateTransform(in, format, lab, TYPE_Lab_DBL,
                                                               INTENT_RELATIVE_COLORIMETRIC, 0)
                                          : NULL;
    double yb = lk ? lum(lk[255]) : 0, yw = lk ? lum(lk[0]) : 1;
    for (int v = 0; level && v < 256; v++) {
        unsigned char c[3] = {(unsigned char)v, (unsigned char)v, (unsigned char)v};
        cmsCIELab L;
        cmsDoTransform(level, c, &L, 1);
        double want = lstar(yb + lum(L.L) * (yw - yb));
        int k = 0;
        while (k < 255 && lk[k + 1] > want)
            k++;
        /* between k and k + 1 */
        double f = k < 255 && lk[k] > lk[k + 1] ? (lk[k] - want) / (lk[k] - lk[k + 1]) : 0;
        double ink_k = k + (f < 0 ? 0 : f > 1 ? 1 : f);
        out[v] = (unsigned char)lrint(255.0 - ink_k);
    }
    if (level)
        cmsDeleteTransform(level);
    if (lab)
        cmsCloseProfile(lab);
}
