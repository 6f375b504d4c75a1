/* cmykref PNG PROFILE TAC OUT
 *
 * Test tool: the CMYK pixels rotative's finishing pass should embed for an
 * RGB PNG, made the plain way: every pixel through lcms2 (sRGB to PROFILE,
 * relative colorimetric with black-point compensation, as src/finish does),
 * then the total-ink limit TAC (per cent: where C+M+Y+K exceeds it, the
 * chromatic inks are scaled down to what K leaves). Writes the raw CMYK
 * bytes, row after row, for comparing with the PDF's image stream. */
#include <lcms2.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 5) {
        fputs("usage: cmykref PNG PROFILE TAC OUT\n", stderr);
        return 2;
    }
    png_image im = {.version = PNG_IMAGE_VERSION};
    if (!png_image_begin_read_from_file(&im, argv[1]))
        return 2;
    im.format = PNG_FORMAT_RGB;
    size_t n = (size_t)im.width * im.height;
    unsigned char *rgb = malloc(PNG_IMAGE_SIZE(im)), *cmyk = malloc(n * 4);
    if (!rgb || !cmyk || !png_image_finish_read(&im, NULL, rgb, 0, NULL))
        return 2;
    cmsHPROFILE in = cmsCreate_sRGBProfile(), out = cmsOpenProfileFromFile(argv[2], "r");
    cmsHTRANSFORM x =
        in && out
            ? cmsCreateTransform(in, TYPE_RGB_8, out, TYPE_CMYK_8, INTENT_RELATIVE_COLORIMETRIC,
                                 cmsFLAGS_BLACKPOINTCOMPENSATION | cmsFLAGS_NOCACHE)
            : NULL;
    if (!x)
        return 2;
    cmsDoTransform(x, rgb, cmyk, (cmsUInt32Number)n);
    int limit = (int)(atof(argv[3]) / 100.0 * 255.0);
    for (size_t i = 0; i < n; i++) {
        unsigned char *p = cmyk + 4 * i;
        int cmy = p[0] + p[1] + p[2];
        if (cmy + p[3] > limit) {
            double keep = limit - p[3], f = cmy > 0 && keep > 0 ? keep / cmy : 0;
            for (int k = 0; k < 3; k++)
                p[k] = (unsigned char)(p[k] * f);
        }
    }
    FILE *f = fopen(argv[4], "wb");
    if (!f || fwrite(cmyk, 4, n, f) != n || fclose(f) != 0)
        return 2;
    cmsDeleteTransform(x);
    cmsCloseProfile(in);
    cmsCloseProfile(out);
    free(rgb);
    free(cmyk);
    return 0;
}
