/* finish: image colour conversion with lcms2 (sRGB -> the CMYK output
 * profile), then a total-ink limit: where C+M+Y+K exceeds it, the chromatic
 * inks are reduced (grey component replacement already put the neutral part
 * in K through the profile). */
#include "finish_internal.h"

#include <lcms2.h>
#include <stdlib.h>

unsigned char *fin_rgb_to_cmyk(const unsigned char *rgb, size_t pixels, const char *profile,
                               double tac, rt_diag *d) {
    cmsHPROFILE in = cmsCreate_sRGBProfile();
    cmsHPROFILE out = cmsOpenProfileFromFile(profile, "r");
    if (!in || !out) {
        rt_error(d, profile, 0, 0, "cannot open the CMYK output profile");
        if (in)
            cmsCloseProfile(in);
        if (out)
            cmsCloseProfile(out);
        return NULL;
    }
    cmsHTRANSFORM x = cmsCreateTransform(in, TYPE_RGB_8, out, TYPE_CMYK_8,
                                         INTENT_RELATIVE_COLORIMETRIC,
                                         cmsFLAGS_BLACKPOINTCOMPENSATION);
    cmsCloseProfile(in);
    cmsCloseProfile(out);
    if (!x) {
        rt_error(d, profile, 0, 0, "cannot make an sRGB to CMYK transform with this profile");
        return NULL;
    }
    unsigned char *cmyk = rt_xmalloc(pixels * 4 + 1);
    cmsDoTransform(x, rgb, cmyk, (cmsUInt32Number)pixels);
    cmsDeleteTransform(x);
    double limit = tac / 100.0 * 255.0;
    for (size_t i = 0; i < pixels; i++) {
        unsigned char *p = cmyk + 4 * i;
        double sum = (double)p[0] + p[1] + p[2] + p[3];
        if (sum > limit) {
            double cmy = (double)p[0] + p[1] + p[2];
            double keep = limit - p[3];
            double f = cmy > 0 && keep > 0 ? keep / cmy : 0;
            for (int k = 0; k < 3; k++)
                p[k] = (unsigned char)(p[k] * f);
        }
    }
    return cmyk;
}
