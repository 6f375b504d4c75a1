/* finish: the cache of finished image streams.
 *
 * Converting an image (decode, sRGB -> CMYK through the output profile, ink
 * limit, Flate) is most of the time of a build with photos, and the images
 * rarely change between builds. Each finished stream is kept on disk, one
 * file per image, named by its key: SHA-256 over the cache format, rotative's
 * version and those of the libraries that made the stream (the decoder,
 * lcms2, zlib), the colour settings (profile bytes, ink limit, grey or CMYK,
 * PDF/X level, zlib level) and the image's own bytes (the SHA-256 of the
 * file's content, or the pixels when they come from the PDF). An entry is
 *
 *     "RTIMGC1\n" | key (32) | width, height (u32 LE) | grey (u32) |
 *     length (u64 LE) | SHA-256 of the data (32) | data
 *
 * and is used only when all of it checks out (magic, the key asked for, the
 * file's length, the data's checksum); anything else is a corrupt or foreign
 * entry: ignored, and rewritten once the image is converted again. Entries
 * are written to a temporary file in the same folder and renamed into place,
 * so a reader never sees half an entry and two builds at once at worst both
 * write the same bytes. A hit refreshes the entry's time; when the folder
 * grows over its bound the least recently used entries go first.
 *
 * A cache is an optimisation: when the folder cannot be made or written,
 * the build goes on without it (the --stats line says so). */
#include "finish_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lcms2.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <stdio.h>
#include <jpeglib.h> /* after stdio.h; for the libjpeg version in the settings */

#define MAGIC "RTIMGC1\n"
#define HEADER (8 + 32 + 4 + 4 + 4 + 8 + 32)
#define SUFFIX ".img"
#define CHECKED_SUFFIX ".chk" /* rt_image_cache_learn's entries */
/* a temporary file left by a killed build is removed after this long */
#define STALE_TMP_SECONDS 3600

struct fin_cache {
    rt_image_cache *c;          /* the settings and the counters (caller's) */
    unsigned char settings[32]; /* the colour settings' part of every key */
    pthread_mutex_t lock;
    unsigned long serial; /* temporary file names */
};

static void put32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static void put64(unsigned char *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* mkdir -p; true if the folder exists afterwards */
static bool make_dirs(const char *path) {
    char *p = rt_xstrdup(path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0777);
            *s = '/';
        }
    bool ok = mkdir(p, 0777) == 0 || errno == EEXIST;
    free(p);
    return ok && rt_dir_exists(path);
}

fin_cache *fin_cache_open(rt_image_cache *c, const char *profile, double tac, bool grey,
                          int standard, int zlevel, const char *decoder) {
    if (!c || !c->dir || !*c->dir)
        return NULL;
    if (!make_dirs(c->dir) || access(c->dir, W_OK | X_OK) != 0) {
        c->unusable = true;
        return NULL;
    }
    struct sha256_ctx h;
    sha256_init(&h);
    /* the libraries whose output the entry is: another version may decode,
     * convert or compress to other bytes */
    char s[320];
    int n = snprintf(s, sizeof s,
                     "rotative-image-cache/2 %s grey=%d tac=%.6f pdfx=%d zlevel=%d zlib=%s "
                     "lcms2=%d decoder=%s jpeg=%d/%d",
                     RT_VERSION, grey ? 1 : 0, tac, standard, zlevel, zlibVersion(),
                     cmsGetEncodedCMMversion(), decoder ? decoder : "",
                     LIBJPEG_TURBO_VERSION_NUMBER, FIN_JPEG_QUALITY);
    if (n < 0 || (size_t)n >= sizeof s)
        n = (int)strlen(s);
    sha256_update(&h, (size_t)n + 1, (const uint8_t *)s);
    { /* the profile's bytes (the same path may hold another profile): CMYK
       * conversions and the grey curve are made from it */
        size_t len = 0;
        char *icc = rt_read_file(profile, 64u << 20, &len);
        if (!icc)
            return NULL; /* the converter reports the unreadable profile */
        sha256_update(&h, len, (const uint8_t *)icc);
        free(icc);
    }
    fin_cache *k = rt_xcalloc(1, sizeof *k);
    k->c = c;
    sha256_digest(&h, 32, k->settings);
    pthread_mutex_init(&k->lock, NULL);
    return k;
}

/* The SHA-256 of files already read, by path and what stat says of them
 * (device, inode, size, modification and change times to the nanosecond):
 * a build reads an image's key up to three times (load's check, the
 * conversion, the check that it did not change meanwhile), and `watch`
 * once per build. A file whose stat is the same as when it was hashed is
 * taken as unchanged, as make takes it; any write changes its times. Shared
 * by the conversion threads; kept for the process. */
#define DIGESTS 256
static struct file_digest {
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
    unsigned char sum[32];
} digests[DIGESTS];
static unsigned next_digest;
static pthread_mutex_t digests_lock = PTHREAD_MUTEX_INITIALIZER;

static struct file_digest digest_of(const struct stat *st) {
    return (struct file_digest){.dev = st->st_dev,
                                .ino = st->st_ino,
                                .size = st->st_size,
                                .mtime = st->st_mtim,
                                .ctime = st->st_ctim};
}

static bool same_stat(const struct file_digest *f, const struct stat *st) {
    return f->dev == st->st_dev && f->ino == st->st_ino && f->size == st->st_size &&
           f->mtime.tv_sec == st->st_mtim.tv_sec && f->mtime.tv_nsec == st->st_mtim.tv_nsec &&
           f->ctime.tv_sec == st->st_ctim.tv_sec && f->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

static bool file_digest(const char *path, unsigned char sum[32]) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return false;
    }
    pthread_mutex_lock(&digests_lock);
    for (size_t i = 0; i < DIGESTS; i++)
        if (digests[i].path && strcmp(digests[i].path, path) == 0 && same_stat(&digests[i], &st)) {
            memcpy(sum, digests[i].sum, 32);
            pthread_mutex_unlock(&digests_lock);
            close(fd);
            return true;
        }
    pthread_mutex_unlock(&digests_lock);
    struct sha256_ctx h;
    sha256_init(&h);
    unsigned char buf[1 << 16];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        sha256_update(&h, (size_t)n, buf);
    struct stat after;
    struct file_digest before = digest_of(&st);
    bool steady = n == 0 && fstat(fd, &after) == 0 && same_stat(&before, &after);
    close(fd);
    if (n < 0)
        return false;
    sha256_digest(&h, 32, sum);
    if (!steady)
        return true; /* written while it was read: not remembered */
    pthread_mutex_lock(&digests_lock);
    struct file_digest *f = &digests[next_digest++ % DIGESTS];
    free(f->path);
    *f = before;
    f->path = rt_xstrdup(path);
    memcpy(f->sum, sum, 32);
    pthread_mutex_unlock(&digests_lock);
    return true;
}

bool fin_cache_key_file(const fin_cache *k, const char *path, bool jpeg, int eighths,
                        unsigned char key[32]) {
    unsigned char sum[32];
    if (!file_digest(path, sum))
        return false;
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, 32, k->settings);
    sha256_update(&h, 5, (const uint8_t *)"file");
    if (jpeg || eighths != 8) { /* written as a JPEG, or decoded smaller */
        uint8_t how[2] = {jpeg ? 1 : 0, (uint8_t)eighths};
        sha256_update(&h, 2, how);
    }
    sha256_update(&h, 32, sum);
    sha256_digest(&h, 32, key);
    return true;
}

/* The key of bytes of the PDF: the settings, what they are (`tag`), a
 * count (`n`) and the bytes. */
static void key_bytes(const fin_cache *k, const char *tag, uint64_t n, const unsigned char *data,
                      size_t len, unsigned char key[32]) {
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, 32, k->settings);
    unsigned char nb[8];
    put64(nb, n);
    sha256_update(&h, strlen(tag), (const uint8_t *)tag);
    sha256_update(&h, 8, nb);
    sha256_update(&h, len, data);
    sha256_digest(&h, 32, key);
}

void fin_cache_key_pixels(const fin_cache *k, const unsigned char *rgb, size_t pixels, bool jpeg,
                          unsigned char key[32]) {
    key_bytes(k, jpeg ? "jpeg95" : "pixels", pixels, rgb, pixels * 3, key);
}

void fin_cache_key_cmyk_jpeg(const fin_cache *k, const unsigned char *jpeg, size_t len,
                             unsigned char key[32]) {
    key_bytes(k, "cmyk-jpeg", len, jpeg, len, key);
}

static char *entry_path_as(const fin_cache *k, const unsigned char key[32], const char *suffix) {
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", key[i]);
    char *name = rt_xasprintf("%s%s", hex, suffix);
    char *p = rt_path_join(k->c->dir, name);
    free(name);
    return p;
}

static char *entry_path(const fin_cache *k, const unsigned char key[32]) {
    return entry_path_as(k, key, SUFFIX);
}

static void count(fin_cache *k, int *field) {
    pthread_mutex_lock(&k->lock);
    (*field)++;
    pthread_mutex_unlock(&k->lock);
}

bool fin_cache_get(fin_cache *k, const unsigned char key[32], bool *grey, unsigned char **data,
                   size_t *len, int *w, int *h) {
    char *path = entry_path(k, key);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0) {
        count(k, &k->c->misses);
        return false;
    }
    struct stat sb;
    unsigned char hd[HEADER];
    unsigned char *buf = NULL;
    bool ok = fstat(fd, &sb) == 0 && sb.st_size >= HEADER && read(fd, hd, HEADER) == HEADER &&
              memcmp(hd, MAGIC, 8) == 0 && memcmp(hd + 8, key, 32) == 0 &&
              (get32(hd + 48) == 1u || (get32(hd + 48) == 0u && !*grey)) &&
              get64(hd + 52) == (uint64_t)sb.st_size - HEADER;
    size_t n = ok ? (size_t)get64(hd + 52) : 0;
    if (ok) {
        buf = malloc(n ? n : 1);
        size_t got = 0;
        while (buf && got < n) {
            ssize_t r = read(fd, buf + got, n - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        ok = buf && got == n;
    }
    if (ok) {
        unsigned char sum[32];
        struct sha256_ctx hc;
        sha256_init(&hc);
        sha256_update(&hc, n, buf);
        sha256_digest(&hc, 32, sum);
        ok = memcmp(sum, hd + 60, 32) == 0 && get32(hd + 40) > 0 && get32(hd + 44) > 0 &&
             get32(hd + 40) <= INT32_MAX && get32(hd + 44) <= INT32_MAX;
    }
    if (ok)
        futimens(fd, NULL); /* recently used: kept longest */
    close(fd);
    if (!ok) {
        free(buf);
        count(k, &k->c->rejected);
        return false;
    }
    *data = buf;
    *len = n;
    *grey = get32(hd + 48) == 1u;
    *w = (int)get32(hd + 40);
    *h = (int)get32(hd + 44);
    count(k, &k->c->hits);
    return true;
}

static bool write_all(int fd, const unsigned char *p, size_t n) {
    while (n) {
        ssize_t r = write(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        n -= (size_t)r;
    }
    return true;
}

static void put_as(fin_cache *k, const unsigned char key[32], bool grey, const unsigned char *data,
                   size_t len, int w, int h, const char *suffix) {
    unsigned char hd[HEADER];
    memcpy(hd, MAGIC, 8);
    memcpy(hd + 8, key, 32);
    put32(hd + 40, (uint32_t)w);
    put32(hd + 44, (uint32_t)h);
    put32(hd + 48, grey ? 1u : 0u);
    put64(hd + 52, len);
    struct sha256_ctx hc;
    sha256_init(&hc);
    sha256_update(&hc, len, data);
    sha256_digest(&hc, 32, hd + 60);
    char *path = entry_path_as(k, key, suffix);
    pthread_mutex_lock(&k->lock);
    unsigned long serial = k->serial++;
    pthread_mutex_unlock(&k->lock);
    char *tmp = rt_xasprintf("%s.tmp-%ld-%lu", path, (long)getpid(), serial);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    bool ok = fd >= 0 && write_all(fd, hd, HEADER) && write_all(fd, data, len);
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (ok && rename(tmp, path) == 0) {
        if (strcmp(suffix, SUFFIX) == 0)
            count(k, &k->c->stored);
    } else if (fd >= 0) {
        unlink(tmp);
    }
    free(tmp);
    free(path);
}

void fin_cache_put(fin_cache *k, const unsigned char key[32], bool grey, const unsigned char *data,
                   size_t len, int w, int h) {
    put_as(k, key, grey, data, len, w, h, SUFFIX);
}

typedef struct {
    char *name;
    long long size;
    struct timespec used;
} entry;

static int older_first(const void *a, const void *b) {
    const entry *x = a, *y = b;
    if (x->used.tv_sec != y->used.tv_sec)
        return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
    if (x->used.tv_nsec != y->used.tv_nsec)
        return x->used.tv_nsec < y->used.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool cache_temp(const char *nm) {
    return strstr(nm, SUFFIX ".tmp-") != NULL || strstr(nm, CHECKED_SUFFIX ".tmp-") != NULL;
}

bool rt_image_cache_file(const char *nm) {
    return cache_temp(nm) || ((ends_with(nm, SUFFIX) || ends_with(nm, CHECKED_SUFFIX)) &&
                              strlen(nm) == 64 + strlen(SUFFIX));
}

/* Keeps the folder under its bound: the least recently used entries go
 * first. Only rotative's own files (64 hex digits + .img or .chk, and its
 * stale temporary files) are touched. */
static void prune(fin_cache *k) {
    long long max = k->c->max_bytes > 0 ? k->c->max_bytes : RT_IMAGE_CACHE_MAX;
    DIR *dir = opendir(k->c->dir);
    if (!dir)
        return;
    entry *es = NULL;
    size_t n = 0, cap = 0;
    long long total = 0;
    time_t now = time(NULL);
    struct dirent *de;
    while ((de = readdir(dir))) {
        const char *nm = de->d_name;
        bool tmp = cache_temp(nm);
        if (!rt_image_cache_file(nm))
            continue;
        struct stat sb;
        if (fstatat(dirfd(dir), nm, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (tmp) {
            if (now - sb.st_mtime > STALE_TMP_SECONDS)
                unlinkat(dirfd(dir), nm, 0);
            continue;
        }
        entry e = {rt_xstrdup(nm), (long long)sb.st_size, sb.st_mtim};
        RT_PUSH(es, n, cap, e);
        total += e.size;
    }
    if (total > max) {
        qsort(es, n, sizeof *es, older_first);
        for (size_t i = 0; i < n && total > max; i++)
            if (unlinkat(dirfd(dir), es[i].name, 0) == 0 || errno == ENOENT) {
                total -= es[i].size;
                k->c->evicted++;
            }
    }
    for (size_t i = 0; i < n; i++)
        free(es[i].name);
    free(es);
    closedir(dir);
}

void fin_cache_close(fin_cache *k) {
    if (!k)
        return;
    if (k->c->stored)
        prune(k);
    pthread_mutex_destroy(&k->lock);
    free(k);
}

/* rt_image_cache_knows, rt_image_cache_learn: an entry with no data, keyed
 * like the others but in its own domain (no colour settings), says that the
 * file with these bytes was decoded whole by `load` without fault. It is
 * not counted in the cache's figures. */
static bool checked_key(rt_image_cache *c, const char *path, unsigned char key[32]) {
    fin_cache k = {.c = c};
    struct sha256_ctx h;
    sha256_init(&h);
    static const char domain[] = "rotative-image-checked/1 " RT_VERSION;
    sha256_update(&h, sizeof domain, (const uint8_t *)domain);
    sha256_digest(&h, 32, k.settings);
    return fin_cache_key_file(&k, path, false, 8, key);
}

bool rt_image_cache_knows(rt_image_cache *c, const char *path) {
    unsigned char key[32];
    if (!c || !c->dir || !*c->dir || c->unusable || !checked_key(c, path, key))
        return false;
    fin_cache k = {.c = c};
    char *ep = entry_path_as(&k, key, CHECKED_SUFFIX);
    int fd = open(ep, O_RDONLY | O_CLOEXEC);
    free(ep);
    if (fd < 0)
        return false;
    struct stat sb;
    unsigned char hd[HEADER], sum[32];
    struct sha256_ctx hc;
    sha256_init(&hc);
    sha256_digest(&hc, 32, sum); /* of no data */
    bool ok = fstat(fd, &sb) == 0 && sb.st_size == HEADER && read(fd, hd, HEADER) == HEADER &&
              memcmp(hd, MAGIC, 8) == 0 && memcmp(hd + 8, key, 32) == 0 && get64(hd + 52) == 0 &&
              memcmp(hd + 60, sum, 32) == 0;
    if (ok)
        futimens(fd, NULL); /* recently used: kept longest */
    close(fd);
    return ok;
}

void rt_image_cache_learn(rt_image_cache *c, const char *path, int w, int h) {
    unsigned char key[32];
    /* known already (each build of a watch learns its images again): the
     * entry is only marked recently used, not written again */
    if (rt_image_cache_knows(c, path))
        return;
    if (!c || !c->dir || !*c->dir || c->unusable || !make_dirs(c->dir) ||
        !checked_key(c, path, key))
        return;
    fin_cache k = {.c = c};
    pthread_mutex_init(&k.lock, NULL);
    put_as(&k, key, false, (const unsigned char *)"", 0, w, h, CHECKED_SUFFIX);
    pthread_mutex_destroy(&k.lock);
}
