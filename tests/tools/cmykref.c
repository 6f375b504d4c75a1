/* cmykref IMAGE PROFILE TAC OUT [CANDIDATE]
 *
 * Test tool: the CMYK pixels rotative's finishing pass should embed for an
 * RGB PNG or JPEG (decoded with libjpeg, as qpdf does), made the plain way:
 * every pixel through lcms2 (sRGB, or the profile in file $CMYKREF_INPUT, to PROFILE,
 * relative colorimetric with black-point compensation, as src/finish does),
 * then the total-ink limit TAC (per cent: where C+M+Y+K exceeds it, the
 * chromatic inks are scaled down to what K leaves). Writes the raw CMYK
 * bytes, row after row, for comparing with the PDF's image stream; or,
 * given CANDIDATE (raw CMYK of the same size), prints how far it is from
 * them: "mean=M max=X" (per ink byte; OUT is written too). */
#include <lcms2.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h> /* after stdio.h */

/* An RGB JPEG's pixels (libjpeg's defaults, as qpdf decodes); NULL if not. */
static unsigned char *read_jpeg(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct jpeg_decompress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_decompress(&c);
    jpeg_stdio_src(&c, f);
    jpeg_read_header(&c, TRUE);
    c.out_color_space = JCS_RGB;
    jpeg_start_decompress(&c);
    *n = (size_t)c.output_width * c.output_height;
    unsigned char *rgb = malloc(*n * 3);
    while (rgb && c.output_scanline < c.output_height) {
        JSAMPROW row = rgb + (size_t)c.output_scanline * c.output_width * 3;
        jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_finish_decompress(&c);
    jpeg_destroy_decompress(&c);
    fclose(f);
    return rgb;
}

int main(int argc, char **argv) {
    if (argc != 5 && argc != 6) {
        fputs("usage: cmykref IMAGE PROFILE TAC OUT [CANDIDATE]\n", stderr);
        return 2;
    }
    size_t n = 0;
    unsigned char *rgb = NULL;
    size_t len = strlen(argv[1]);
    if (len > 4 && strcmp(argv[1] + len - 4, ".jpg") == 0) {
        rgb = read_jpeg(argv[1], &n);
    } else {
        png_image im = {.version = PNG_IMAGE_VERSION};
        if (!png_image_begin_read_from_file(&im, argv[1]))
            return 2;
        im.format = PNG_FORMAT_RGB;
        n = (size_t)im.width * im.height;
        rgb = malloc(PNG_IMAGE_SIZE(im));
        if (rgb && !png_image_finish_read(&im, NULL, rgb, 0, NULL))
            return 2;
    }
    unsigned char *cmyk = malloc(n * 4 + 1);
    if (!rgb || !cmyk)
        return 2;
    const char *input = getenv("CMYKREF_INPUT");
    cmsHPROFILE in = input ? cmsOpenProfileFromFile(input, "r") : cmsCreate_sRGBProfile(),
                out = cmsOpenProfileFromFile(argv[2], "r");
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
    if (argc == 6) {
        unsigned char *other = malloc(n * 4 + 1);
        FILE *g = fopen(argv[5], "rb");
        if (!other || !g || fread(other, 4, n, g) != n || fgetc(g) != EOF) {
            puts("mean=- max=- (not the same size)");
            return 1;
        }
        fclose(g);
        double sum = 0;
        int most = 0;
        for (size_t i = 0; i < n * 4; i++) {
            int e = abs((int)cmyk[i] - (int)other[i]);
            sum += e;
            most = e > most ? e : most;
        }
        printf("mean=%.2f max=%d\n", sum / (double)(n * 4), most);
        free(other);
    }
    cmsDeleteTransform(x);
    cmsCloseProfile(in);
    cmsCloseProfile(out);
    free(rgb);
    free(cmyk);
    return 0;
}
