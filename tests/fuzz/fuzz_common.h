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

/* A valid 2 x 1 greyscale PNG (rt_image_probe reads its IHDR). */
static FZ_UNUSED const unsigned char fz_png[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02"
    "\x00\x00\x00\x01\x08\x00\x00\x00\x00\xd1\x49\x20\x56\x00\x00\x00\x0b\x49\x44\x41"
    "\x54\x78\x9c\x63\x60\x60\x00\x00\x00\x03\x00\x01\xb8\xad\x3a\x63\x00\x00\x00\x00"
    "\x49\x45\x4e\x44\xae\x42\x60\x82";

/* A PNG header claiming 30000 x 30000 pixels (over the loader's limits). */
static FZ_UNUSED const unsigned char fz_png_huge[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x75\x30"
    "\x00\x00\x75\x30\x08\x00\x00\x00\x00\x00\x00\x00\x00";

/* A JPEG whose first SOF0 says 3 x 2 (an APP0 segment before it). */
static FZ_UNUSED const unsigned char fz_jpeg[] =
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
    fz_write_text(dir, "fake.png", "not an image\n");
}

#endif
