/* load: pixel size from a PNG or JPEG header, without decoding. */
#include "load.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static unsigned be16(const unsigned char *p) {
    return (unsigned)p[0] << 8 | p[1];
}
static unsigned long be32(const unsigned char *p) {
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

bool rt_image_probe(const char *path, int *w, int *h) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    unsigned char b[32];
    bool ok = false;
    size_t n = fread(b, 1, 24, f);
    if (n >= 24 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(b + 12, "IHDR", 4) == 0) {
        unsigned long ww = be32(b + 16), hh = be32(b + 20);
        if (ww < 1u << 30 && hh < 1u << 30) {
            *w = (int)ww;
            *h = (int)hh;
            ok = true;
        }
    } else if (n >= 4 && b[0] == 0xFF && b[1] == 0xD8) {
        /* walk the JPEG markers to the first SOFn */
        long pos = 2;
        for (int guard = 0; guard < 1000; guard++) {
            if (fseek(f, pos, SEEK_SET) != 0 || fread(b, 1, 4, f) != 4)
                break;
            if (b[0] != 0xFF)
                break;
            unsigned marker = b[1];
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            unsigned len = be16(b + 2);
            if (len < 2)
                break;
            bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
                       marker != 0xCC;
            if (sof) {
                if (fread(b, 1, 5, f) != 5)
                    break;
                *h = (int)be16(b + 1);
                *w = (int)be16(b + 3);
                ok = *w > 0 && *h > 0;
                break;
            }
            pos += 2 + (long)len;
        }
    }
    fclose(f);
    return ok;
}

/* PNG: every chunk whole with a correct CRC, IHDR first, IDAT present, IEND
 * last. JPEG: starts with SOI, ends with EOI (trailing zero padding
 * allowed). */
bool rt_image_complete(const char *path, size_t max_bytes) {
    size_t len;
    char *data = rt_read_file(path, max_bytes, &len);
    if (!data)
        return false;
    const unsigned char *b = (const unsigned char *)data;
    bool ok = false;
    if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
        size_t pos = 8;
        bool ihdr = false, idat = false, iend = false;
        while (pos + 12 <= len && !iend) {
            unsigned long n = be32(b + pos);
            if (n > len - pos - 12)
                break;
            const unsigned char *type = b + pos + 4;
            unsigned long crc = crc32(0L, type, (uInt)(n + 4));
            if (crc != be32(b + pos + 8 + n))
                break;
            if (pos == 8)
                ihdr = memcmp(type, "IHDR", 4) == 0;
            idat |= memcmp(type, "IDAT", 4) == 0;
            iend = memcmp(type, "IEND", 4) == 0;
            pos += 12 + n;
        }
        ok = ihdr && idat && iend;
    } else if (len >= 4 && b[0] == 0xFF && b[1] == 0xD8) {
        size_t end = len;
        while (end > 2 && b[end - 1] == 0)
            end--;
        ok = end >= 4 && b[end - 2] == 0xFF && b[end - 1] == 0xD9;
    }
    free(data);
    return ok;
}
