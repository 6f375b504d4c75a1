/* greyref PROFILE GREY.raw
 *
 * Test tool: how light a grey picture prints on the press of PROFILE (a
 * CMYK output profile) against the same greys converted to CMYK. GREY.raw
 * holds 256 bytes: the DeviceGray value rotative wrote for each sRGB grey
 * level 0..255 (a gradient's row). For each level, the lightness (L*) of
 * black ink alone at 255 - value, and of lcms2's CMYK conversion of the
 * level (relative colorimetric, black-point compensation), each scaled
 * from its own black (0) to paper (100), since black ink alone cannot print
 * as dark as the four inks. Prints "max=D at=V": the largest difference
 * over the levels 8..247, in points of that scale. With $GREYREF_INPUT, the
 * levels are those of the ICC profile in that file (RGB or grey) instead of
 * sRGB. */
#include <lcms2.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fputs("usage: greyref PROFILE GREY.raw\n", stderr);
        return 2;
    }
    unsigned char g[256];
    FILE *f = fopen(argv[2], "rb");
    if (!f || fread(g, 1, 256, f) != 256)
        return 2;
    fclose(f);
    const char *input = getenv("GREYREF_INPUT");
    cmsHPROFILE srgb = input ? cmsOpenProfileFromFile(input, "r") : cmsCreate_sRGBProfile(),
                out = cmsOpenProfileFromFile(argv[1], "r"), lab = cmsCreateLab4Profile(NULL);
    if (!srgb || !out || !lab)
        return 2;
    bool grey = cmsGetColorSpace(srgb) == cmsSigGrayData; /* (the first byte is the level) */
    cmsHTRANSFORM to_cmyk =
        cmsCreateTransform(srgb, grey ? TYPE_GRAY_8 : TYPE_RGB_8, out, TYPE_CMYK_8,
                           INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_BLACKPOINTCOMPENSATION);
    cmsHTRANSFORM print =
        cmsCreateTransform(out, TYPE_CMYK_8, lab, TYPE_Lab_DBL, INTENT_RELATIVE_COLORIMETRIC, 0);
    if (!to_cmyk || !print)
        return 2;
    double lk[256], lc[256];
    for (int v = 0; v < 256; v++) {
        unsigned char rgb[3] = {(unsigned char)v, (unsigned char)v, (unsigned char)v}, c[4];
        cmsDoTransform(to_cmyk, rgb, c, 1);
        cmsCIELab L;
        cmsDoTransform(print, c, &L, 1);
        lc[v] = L.L;
        unsigned char k[4] = {0, 0, 0, (unsigned char)(255 - g[v])};
        cmsDoTransform(print, k, &L, 1);
        lk[v] = L.L;
    }
    double worst = 0;
    int at = 0;
    for (int v = 8; v < 248; v++) {
        double a = (lk[v] - lk[0]) / (lk[255] - lk[0]), b = (lc[v] - lc[0]) / (lc[255] - lc[0]);
        if (fabs(a - b) * 100 > worst) {
            worst = fabs(a - b) * 100;
            at = v;
        }
    }
    printf("max=%.1f at=%d\n", worst, at);
    cmsDeleteTransform(to_cmyk);
    cmsDeleteTransform(print);
    cmsCloseProfile(srgb);
    cmsCloseProfile(out);
    cmsCloseProfile(lab);
    return 0;
}
