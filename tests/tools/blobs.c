/* blobs PAGE.png
 *
 * Test tool: where the green and the blue of a picture made by
 * `mkimage jpeg-exif` landed on a rendered page: prints "green X Y blue X Y",
 * the centroids (in pixels) of the clearly green and clearly blue pixels,
 * or "none" for a colour not found. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fputs("usage: blobs PAGE.png\n", stderr);
        return 2;
    }
    png_image im = {.version = PNG_IMAGE_VERSION};
    if (!png_image_begin_read_from_file(&im, argv[1]))
        return 2;
    im.format = PNG_FORMAT_RGB;
    unsigned char *px = malloc(PNG_IMAGE_SIZE(im));
    if (!px || !png_image_finish_read(&im, NULL, px, 0, NULL))
        return 2;
    double sum[2][2] = {{0}}, n[2] = {0};
    for (unsigned y = 0; y < im.height; y++)
        for (unsigned x = 0; x < im.width; x++) {
            const unsigned char *p = px + 3 * ((size_t)y * im.width + x);
            int k = p[1] > p[0] + 60 && p[1] > p[2] + 60   ? 0
                    : p[2] > p[0] + 60 && p[2] > p[1] + 30 ? 1
                                                           : -1;
            if (k >= 0) {
                sum[k][0] += x;
                sum[k][1] += y;
                n[k]++;
            }
        }
    const char *name[2] = {"green", "blue"};
    for (int k = 0; k < 2; k++) {
        if (n[k] > 0)
            printf("%s%s %.0f %.0f", k ? " " : "", name[k], sum[k][0] / n[k], sum[k][1] / n[k]);
        else
            printf("%s%s none", k ? " " : "", name[k]);
    }
    putchar('\n');
    free(px);
    return 0;
}
