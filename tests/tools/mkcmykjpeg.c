/* mkcmykjpeg OUT.jpg WIDTH HEIGHT C M Y K [PROFILE.icc]
 *
 * Test tool: writes a flat CMYK JPEG the way Photoshop does (an Adobe APP14
 * marker and the inks stored inverted: 255 = no ink), carrying the ICC
 * profile of file PROFILE.icc when given (APP2 markers). Inks in percent.
 * With MKCMYKJPEG_SHORT_ADOBE set: the inks stored plainly and an APP14
 * "Adobe" marker too short for libjpeg to take (8 bytes), which a reader
 * that walks the markers itself might. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h> /* after stdio.h: it uses size_t and FILE */

int main(int argc, char **argv) {
    if (argc != 8 && argc != 9) {
        fputs("usage: mkcmykjpeg OUT.jpg WIDTH HEIGHT C M Y K [PROFILE.icc]\n", stderr);
        return 2;
    }
    int w = atoi(argv[2]), h = atoi(argv[3]);
    unsigned char ink[4];
    for (int i = 0; i < 4; i++)
        ink[i] = (unsigned char)(255 - atoi(argv[4 + i]) * 255 / 100);
    FILE *f = fopen(argv[1], "wb");
    if (!f || w <= 0 || h <= 0)
        return 2;
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 4;
    c.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&c); /* CMYK: writes the Adobe marker */
    bool short_adobe = getenv("MKCMYKJPEG_SHORT_ADOBE") != NULL;
    if (short_adobe)
        c.write_Adobe_marker = FALSE;
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    if (short_adobe) {
        static const unsigned char app14[8] = {'A', 'd', 'o', 'b', 'e', 0, 0, 0};
        jpeg_write_marker(&c, JPEG_APP0 + 14, app14, sizeof app14);
        for (int i = 0; i < 4; i++)
            ink[i] = (unsigned char)(255 - ink[i]); /* stored plainly */
    }
    if (argc == 9) {
        FILE *p = fopen(argv[8], "rb");
        static unsigned char icc[1 << 20];
        size_t n = p ? fread(icc, 1, sizeof icc, p) : 0;
        if (!p || n == 0)
            return 2;
        fclose(p);
        jpeg_write_icc_profile(&c, icc, (unsigned int)n);
    }
    unsigned char *row = malloc((size_t)w * 4);
    for (int x = 0; x < w; x++)
        for (int k = 0; k < 4; k++)
            row[4 * x + k] = ink[k];
    while (c.next_scanline < c.image_height) {
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(f);
    free(row);
    return 0;
}
