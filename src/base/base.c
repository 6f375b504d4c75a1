/* base: memory, strings, files, UTF-8 and diagnostics. */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void) {
    fputs("rotative: out of memory\n", stderr);
    abort();
}

void *rt_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *rt_xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *rt_xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *rt_xstrdup(const char *s) {
    return rt_xstrndup(s, strlen(s));
}

char *rt_xstrndup(const char *s, size_t n) {
    char *p = rt_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *rt_xasprintf(const char *fmt, ...) {
    rt_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = rt_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    (void)b;
    return s;
}

void rt_buf_add(rt_buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = rt_xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rt_buf_adds(rt_buf *b, const char *s) {
    rt_buf_add(b, s, strlen(s));
}

void rt_buf_addf(rt_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *tmp = rt_xmalloc((size_t)n + 1);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    rt_buf_add(b, tmp, (size_t)n);
    free(tmp);
}

char *rt_buf_steal(rt_buf *b) {
    char *s = b->data ? b->data : rt_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void rt_buf_free(rt_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *rt_read_file(const char *path, size_t max, size_t *len_out) {
    /* non-blocking: opening a FIFO for reading would otherwise wait for a
     * writer; anything but a regular file is refused before reading */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return NULL;
    }
    if (max && (unsigned long long)st.st_size > max) {
        close(fd);
        errno = EFBIG;
        return NULL;
    }
    rt_buf b = {0};
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            rt_buf_free(&b);
            close(fd);
            errno = e;
            return NULL;
        }
        if (n == 0)
            break;
        if (max && b.len + (size_t)n > max) { /* grew while being read */
            rt_buf_free(&b);
            close(fd);
            errno = EFBIG;
            return NULL;
        }
        rt_buf_add(&b, chunk, (size_t)n);
    }
    close(fd);
    if (len_out)
        *len_out = b.len;
    return rt_buf_steal(&b);
}

/* "4 MB", "64 KiB", "1.5 MB": a size for a message. */
static char *size_text(unsigned long long n) {
    if (n >= (1ull << 20))
        return n % (1ull << 20) == 0 ? rt_xasprintf("%llu MB", n >> 20)
                                     : rt_xasprintf("%.1f MB", (double)n / (1 << 20));
    if (n >= 1024)
        return n % 1024 == 0 ? rt_xasprintf("%llu KiB", n >> 10)
                             : rt_xasprintf("%.1f KiB", (double)n / 1024);
    return rt_xasprintf("%llu bytes", n);
}

char *rt_read_problem(const char *path, int err, size_t max) {
    struct stat st;
    bool have = stat(path, &st) == 0;
    if (err == EFBIG && have) {
        char *size = size_text((unsigned long long)st.st_size), *lim = size_text(max);
        char *s = rt_xasprintf("too large (%s; at most %s)", size, lim);
        free(size);
        free(lim);
        return s;
    }
    if (have && !S_ISREG(st.st_mode)) {
        const char *kind = S_ISDIR(st.st_mode)    ? "a folder"
                           : S_ISFIFO(st.st_mode) ? "a named pipe (FIFO)"
                           : S_ISCHR(st.st_mode)  ? "a character device"
                           : S_ISBLK(st.st_mode)  ? "a block device"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                                                  : "not a regular file";
        return rt_xasprintf("it is %s, not a regular file", kind);
    }
    if (err == ENOENT || err == ENOTDIR || (!have && errno == ENOENT))
        return rt_xstrdup("no such file");
    if (err == EACCES)
        return rt_xstrdup("permission denied");
    return rt_xstrdup(strerror(err ? err : EIO));
}

char *rt_path_dir(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        return rt_xstrdup(".");
    if (slash == path)
        return rt_xstrdup("/");
    return rt_xstrndup(path, (size_t)(slash - path));
}

char *rt_path_join(const char *dir, const char *rel) {
    if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
        return rt_xstrdup(rel);
    size_t n = strlen(dir);
    return rt_xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", rel);
}

long long rt_file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
}

double rt_clock_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000 + t.tv_nsec / 1e6;
}

double rt_cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1000 + t.tv_nsec / 1e6;
}

bool rt_file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool rt_same_file(const char *a, const char *b) {
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

bool rt_dir_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool rt_utf8_valid(const char *s, size_t n, size_t *bad) {
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len;
        unsigned cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            goto fail;
        }
        if (i + len > n)
            goto fail;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto fail;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto fail;
        i += len;
    }
    return true;
fail:
    if (bad)
        *bad = i;
    return false;
}

int rt_utf8_decode(const char *s, unsigned *cp) {
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if ((p[0] & 0xE0) == 0xC0) {
        *cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
        return 2;
    }
    if ((p[0] & 0xF0) == 0xE0) {
        *cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        return 3;
    }
    *cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    return 4;
}

int rt_utf8_encode(unsigned cp, char out[4]) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

const char *rt_char_problem(unsigned cp, const char **why) {
    const char *what = NULL, *reason = NULL;
    if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F)) {
        what = "control character";
    } else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
        what = "invisible formatting character";
        reason = "a bidirectional override: text would display otherwise than it is written";
    } else if (cp == 0x2028 || cp == 0x2029) {
        what = "invisible formatting character";
        reason = "a line or paragraph separator: use a line break";
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
        what = "surrogate";
        reason = "half of a UTF-16 pair, not a character";
    } else if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFEu) == 0xFFFEu) {
        what = "noncharacter";
        reason = "reserved by Unicode for internal use: it cannot be printed";
    }
    if (why)
        *why = reason;
    return what;
}

void rt_diag_init(rt_diag *d, FILE *out) {
    memset(d, 0, sizeof *d);
    d->out = out ? out : stderr;
}

void rt_diag_clear(rt_diag *d) {
    for (size_t i = 0; i < d->n_items; i++) {
        free(d->items[i].path);
        free(d->items[i].message);
    }
    free(d->items);
    d->items = NULL;
    d->n_items = d->cap_items = 0;
}

void rt_diag_forward(rt_diag *to, const rt_diag *from) {
    for (size_t i = 0; i < from->n_items; i++) {
        const rt_diag_item *it = &from->items[i];
        rt_diag_report(to, it->severity, it->path, it->line, it->col, "%s", it->message);
    }
}

void rt_diag_vreport(rt_diag *d, rt_severity sev, const char *path, int line, int col,
                     const char *fmt, va_list ap) {
    static const char *const names[] = {"note", "warning", "error"};
    if (sev == RT_ERROR)
        d->errors++;
    else if (sev == RT_WARNING)
        d->warnings++;
    if (d->keep) {
        va_list ap2;
        va_copy(ap2, ap);
        int n = vsnprintf(NULL, 0, fmt, ap2);
        va_end(ap2);
        char *msg = rt_xmalloc((size_t)n + 1);
        va_copy(ap2, ap);
        vsnprintf(msg, (size_t)n + 1, fmt, ap2);
        va_end(ap2);
        rt_diag_item it = {sev, path ? rt_xstrdup(path) : NULL, line, col, msg};
        RT_PUSH(d->items, d->n_items, d->cap_items, it);
    }
    if (d->silent || (sev == RT_WARNING && d->quiet_warnings) ||
        (sev != RT_ERROR && d->errors_only))
        return;
    FILE *o = d->out ? d->out : stderr;
    if (path && line > 0 && col > 0)
        fprintf(o, "%s:%d:%d: ", path, line, col);
    else if (path && line > 0)
        fprintf(o, "%s:%d: ", path, line);
    else if (path)
        fprintf(o, "%s: ", path);
    else
        fputs("rotative: ", o);
    fprintf(o, "%s: ", names[sev]);
    vfprintf(o, fmt, ap);
    fputc('\n', o);
}

void rt_diag_report(rt_diag *d, rt_severity sev, const char *path, int line, int col,
                    const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    rt_diag_vreport(d, sev, path, line, col, fmt, ap);
    va_end(ap);
}

int rt_exif_orientation(const unsigned char *p, size_t len) {
    if (len < 14 || memcmp(p, "Exif\0\0", 6) != 0)
        return 1;
    const unsigned char *t = p + 6; /* the TIFF header */
    size_t n = len - 6;
    bool le = t[0] == 'I' && t[1] == 'I';
    if (!le && !(t[0] == 'M' && t[1] == 'M'))
        return 1;
#define RD16(q) (le ? (unsigned)(q)[0] | (unsigned)(q)[1] << 8 : (unsigned)(q)[0] << 8 | (q)[1])
#define RD32(q)                                                                                    \
    (le ? (uint32_t)(q)[0] | (uint32_t)(q)[1] << 8 | (uint32_t)(q)[2] << 16 |                      \
              (uint32_t)(q)[3] << 24                                                               \
        : (uint32_t)(q)[0] << 24 | (uint32_t)(q)[1] << 16 | (uint32_t)(q)[2] << 8 | (q)[3])
    if (RD16(t + 2) != 42)
        return 1;
    uint32_t ifd = RD32(t + 4);
    if (ifd > n || n - ifd < 2)
        return 1;
    unsigned count = RD16(t + ifd);
    for (unsigned i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + 12 * (size_t)i;
        if (e > n || n - e < 12)
            break;
        if (RD16(t + e) == 0x0112) { /* Orientation: SHORT, one value */
            unsigned v = RD16(t + e + 2) == 3 && RD32(t + e + 4) == 1 ? RD16(t + e + 8) : 1;
            return v >= 1 && v <= 8 ? (int)v : 1;
        }
    }
    return 1;
#undef RD16
#undef RD32
}
