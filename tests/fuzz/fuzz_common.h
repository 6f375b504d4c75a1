/* Helpers shared by the fuzz harnesses (tests/fuzz/fuzz_*.c): where the
 * repository is, a private temporary folder, writing files, removing the
 * folder at exit, and a FILE* on /dev/null for diagnostics.
 *
 * Each harness binary includes this once; the functions are static and
 * marked unused so -Wall -Werror builds stay quiet for those a harness does
 * not call. Any failure of the harness's own set-up aborts: it is never the
 * code under test. */
#ifndef RT_FUZZ_COMMON_H
#define RT_FUZZ_COMMON_H

#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FZ_UNUSED __attribute__((unused))

/* Implemented by every harness; replay.c and libFuzzer call them. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FZ_UNUSED void fz_die(const char *what, const char *arg) {
    fprintf(stderr, "fuzz harness: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "",
            strerror(errno));
    abort();
}

/* The repository root (layouts/ lives there): $ROTATIVE_FUZZ_ROOT, else the
 * path compiled in with -DRT_FUZZ_ROOT, else the current directory. */
static FZ_UNUSED const char *fz_root(void) {
    const char *r = getenv("ROTATIVE_FUZZ_ROOT");
    if (r && *r)
        return r;
#ifdef RT_FUZZ_ROOT
    return RT_FUZZ_ROOT;
#else
    return ".";
#endif
}

/* A new heap string "a/b". */
static FZ_UNUSED char *fz_join(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (!s)
        fz_die("out of memory", NULL);
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

/* A fresh private folder under $TMPDIR (or /tmp); the caller frees the name. */
static FZ_UNUSED char *fz_tmpdir(void) {
    const char *t = getenv("TMPDIR");
    char *tmpl = fz_join(t && *t ? t : "/tmp", "rotative-fuzz-XXXXXX");
    if (!mkdtemp(tmpl))
        fz_die("cannot create a temporary folder", tmpl);
    return tmpl;
}

static FZ_UNUSED void fz_mkdir(const char *dir, const char *name) {
    char *p = fz_join(dir, name);
    if (mkdir(p, 0700) != 0 && errno != EEXIST)
        fz_die("cannot create", p);
    free(p);
}

/* Writes exactly n bytes to path (truncating). */
static FZ_UNUSED void fz_write(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f)
        fz_die("cannot write", path);
    if ((n && fwrite(data, 1, n, f) != n) || fclose(f) != 0)
        fz_die("cannot write", path);
}

/* Writes a NUL-terminated text to dir/name. */
static FZ_UNUSED void fz_write_text(const char *dir, const char *name, const char *text) {
    char *p = fz_join(dir, name);
    fz_write(p, text, strlen(text));
    free(p);
}

static FZ_UNUSED int fz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* rm -rf dir (symbolic links are removed, never followed). */
static FZ_UNUSED void fz_rmtree(const char *dir) {
    if (dir)
        nftw(dir, fz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Diagnostics go here so that the fuzzer's own output stays readable. */
static FZ_UNUSED FILE *fz_devnull(void) {
    FILE *f = fopen("/dev/null", "w");
    if (!f)
        fz_die("cannot open", "/dev/null");
    return f;
}

/* A valid 2 x 1 greyscale PNG (rt_image_check decodes it whole). */
static FZ_UNUSED const unsigned char fz_png[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02"
    "\x00\x00\x00\x01\x08\x00\x00\x00\x00\xd1\x49\x20\x56\x00\x00\x00\x0b\x49\x44\x41"
    "\x54\x78\x9c\x63\x60\x60\x00\x00\x00\x03\x00\x01\xb8\xad\x3a\x63\x00\x00\x00\x00"
    "\x49\x45\x4e\x44\xae\x42\x60\x82";

/* A PNG header claiming 30000 x 30000 pixels (over the loader's limits). */
static FZ_UNUSED const unsigned char fz_png_huge[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x75\x30"
    "\x00\x00\x75\x30\x08\x00\x00\x00\x00\x00\x00\x00\x00";

/* A whole 3 x 2 baseline RGB JPEG (tests/tools/mkimage jpeg OUT 3 2): the
 * loader decodes it to EOI. */
static FZ_UNUSED const unsigned char fz_jpeg[] =
    "\xff\xd8\xff\xe0\x00\x10\x4a\x46\x49\x46\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    "\xff\xdb\x00\x43\x00\x03\x02\x02\x03\x02\x02\x03\x03\x03\x03\x04\x03\x03\x04\x05"
    "\x08\x05\x05\x04\x04\x05\x0a\x07\x07\x06\x08\x0c\x0a\x0c\x0c\x0b\x0a\x0b\x0b\x0d"
    "\x0e\x12\x10\x0d\x0e\x11\x0e\x0b\x0b\x10\x16\x10\x11\x13\x14\x15\x15\x15\x0c\x0f"
    "\x17\x18\x16\x14\x18\x12\x14\x15\x14\xff\xdb\x00\x43\x01\x03\x04\x04\x05\x04\x05"
    "\x09\x05\x05\x09\x14\x0d\x0b\x0d\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14"
    "\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14"
    "\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\x14\xff\xc0"
    "\x00\x11\x08\x00\x02\x00\x03\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xc4\x00"
    "\x1f\x00\x00\x01\x05\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01"
    "\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\xff\xc4\x00\xb5\x10\x00\x02\x01\x03\x03"
    "\x02\x04\x03\x05\x05\x04\x04\x00\x00\x01\x7d\x01\x02\x03\x00\x04\x11\x05\x12\x21"
    "\x31\x41\x06\x13\x51\x61\x07\x22\x71\x14\x32\x81\x91\xa1\x08\x23\x42\xb1\xc1\x15"
    "\x52\xd1\xf0\x24\x33\x62\x72\x82\x09\x0a\x16\x17\x18\x19\x1a\x25\x26\x27\x28\x29"
    "\x2a\x34\x35\x36\x37\x38\x39\x3a\x43\x44\x45\x46\x47\x48\x49\x4a\x53\x54\x55\x56"
    "\x57\x58\x59\x5a\x63\x64\x65\x66\x67\x68\x69\x6a\x73\x74\x75\x76\x77\x78\x79\x7a"
    "\x83\x84\x85\x86\x87\x88\x89\x8a\x92\x93\x94\x95\x96\x97\x98\x99\x9a\xa2\xa3\xa4"
    "\xa5\xa6\xa7\xa8\xa9\xaa\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xc2\xc3\xc4\xc5\xc6"
    "\xc7\xc8\xc9\xca\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xe1\xe2\xe3\xe4\xe5\xe6\xe7"
    "\xe8\xe9\xea\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xff\xc4\x00\x1f\x01\x00\x03"
    "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x05"
    "\x06\x07\x08\x09\x0a\x0b\xff\xc4\x00\xb5\x11\x00\x02\x01\x02\x04\x04\x03\x04\x07"
    "\x05\x04\x04\x00\x01\x02\x77\x00\x01\x02\x03\x11\x04\x05\x21\x31\x06\x12\x41\x51"
    "\x07\x61\x71\x13\x22\x32\x81\x08\x14\x42\x91\xa1\xb1\xc1\x09\x23\x33\x52\xf0\x15"
    "\x62\x72\xd1\x0a\x16\x24\x34\xe1\x25\xf1\x17\x18\x19\x1a\x26\x27\x28\x29\x2a\x35"
    "\x36\x37\x38\x39\x3a\x43\x44\x45\x46\x47\x48\x49\x4a\x53\x54\x55\x56\x57\x58\x59"
    "\x5a\x63\x64\x65\x66\x67\x68\x69\x6a\x73\x74\x75\x76\x77\x78\x79\x7a\x82\x83\x84"
    "\x85\x86\x87\x88\x89\x8a\x92\x93\x94\x95\x96\x97\x98\x99\x9a\xa2\xa3\xa4\xa5\xa6"
    "\xa7\xa8\xa9\xaa\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xc2\xc3\xc4\xc5\xc6\xc7\xc8"
    "\xc9\xca\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea"
    "\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11"
    "\x00\x3f\x00\xd1\xf8\x69\xe0\xbf\x0f\xff\x00\xc2\x07\xa2\xff\x00\xc4\x8b\x4c\xff"
    "\x00\x8f\x71\xff\x00\x2e\x71\xfa\x9f\x6a\x28\xa2\xbf\x34\xc5\xff\x00\xbc\x54\xff"
    "\x00\x13\xfc\xcf\xed\xfe\x1e\xff\x00\x91\x36\x0b\xfe\xbd\x53\xff\x00\xd2\x11\xff"
    "\xd9";

/* A JPEG header alone, whose first SOF0 says 3 x 2 (an APP0 segment before
 * it): no tables, no scan, so the loader refuses it as damaged. */
static FZ_UNUSED const unsigned char fz_jpeg_stub[] =
    "\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xff\xc0\x00\x0b\x08\x00\x02\x00\x03\x01\x01"
    "\x11\x00\xff\xd9";

static FZ_UNUSED void fz_write_images(const char *dir) {
    char *p = fz_join(dir, "logo.png");
    fz_write(p, fz_png, sizeof fz_png - 1);
    free(p);
    p = fz_join(dir, "huge.png");
    fz_write(p, fz_png_huge, sizeof fz_png_huge - 1);
    free(p);
    p = fz_join(dir, "photo.jpg");
    fz_write(p, fz_jpeg, sizeof fz_jpeg - 1);
    free(p);
    p = fz_join(dir, "stub.jpg");
    fz_write(p, fz_jpeg_stub, sizeof fz_jpeg_stub - 1);
    free(p);
    p = fz_join(dir, "photo.png"); /* a JPEG named .png */
    fz_write(p, fz_jpeg, sizeof fz_jpeg - 1);
    free(p);
    fz_write_text(dir, "fake.png", "not an image\n");
}

#endif
