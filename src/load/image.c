/* load: image files (PNG and JPEG), checked the way the build reads them.
 *
 * The build decodes a file whose name ends in .png with libpng (through
 * Cairo, in render and again in the finishing pass) and any other with
 * libjpeg (render; the JPEG bytes then go into the PDF unchanged). So that
 * `check` promises what `build` does, an image is decoded here completely
 * with the same libraries: every PNG row (zlib stream, filters, every
 * chunk's CRC, to IEND) and every JPEG scan to EOI, with the same output
 * colour space as render. Anything libjpeg would only warn about (a
 * truncated file it pads with grey, corrupt entropy data) is refused:
 * printed, it would be a damaged picture. Pixel counts are checked on the
 * header before anything is decoded, and rows are decoded into one row
 * buffer, so memory stays small whatever the file claims. */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h> /* after stdio.h: it uses FILE and size_t */
#include <png.h>
#include <zlib.h>

/* A progressive JPEG can make libjpeg decode the whole image once per
 * scan; libjpeg-turbo advises a limit (its tools use 500). */
#define MAX_JPEG_SCANS 500

static unsigned be16(const unsigned char *p) {
    return (unsigned)p[0] << 8 | p[1];
}
static unsigned long be32(const unsigned char *p) {
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

typedef enum { IMG_NONE, IMG_PNG, IMG_JPEG } img_kind;

/* What a JPEG's markers up to its frame (the first SOFn) say: the size in
 * pixels as stored, the EXIF orientation (1: as stored), the components,
 * and the start of its ICC profile (the first APP2 ICC_PROFILE piece). */
typedef struct {
    long w, h;
    int orient, comps;
    bool icc;
    unsigned char icc_head[128];
    size_t icc_got;
} jpeg_head;

static void jpeg_markers(FILE *f, jpeg_head *jh) {
    unsigned char b[16];
    memset(jh, 0, sizeof *jh);
    jh->w = jh->h = -1;
    jh->orient = 1;
    long pos = 2;
    for (int guard = 0; guard < 10000; guard++) {
        if (fseek(f, pos, SEEK_SET) != 0 || fread(b, 1, 4, f) != 4 || b[0] != 0xFF)
            break;
        unsigned marker = b[1];
        if (marker == 0xFF) {
            pos++;
            continue;
        }
        unsigned len = be16(b + 2);
        if (len < 2)
            break;
        if (marker == 0xE1 && len > 2 && jh->orient == 1) { /* APP1: EXIF, perhaps */
            unsigned char *app = malloc(len - 2);
            if (app && fread(app, 1, len - 2, f) == len - 2)
                jh->orient = rt_exif_orientation(app, len - 2);
            free(app);
        }
        if (marker == 0xE2 && !jh->icc && len >= 16 && fread(b, 1, 14, f) == 14 &&
            memcmp(b, "ICC_PROFILE", 12) == 0 && b[12] == 1) {
            jh->icc = true;
            size_t want = len - 16 < sizeof jh->icc_head ? len - 16 : sizeof jh->icc_head;
            jh->icc_got = fread(jh->icc_head, 1, want, f);
        }
        bool sof =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (sof) {
            if (fseek(f, pos + 4, SEEK_SET) == 0 && fread(b, 1, 6, f) == 6) {
                jh->h = (long)be16(b + 1);
                jh->w = (long)be16(b + 3);
                jh->comps = b[5];
            }
            break;
        }
        pos += 2 + (long)len;
    }
}

/* The kind, and the size in pixels as stored (IHDR; a JPEG's frame),
 * without decoding; a JPEG's EXIF orientation in *orient (1: as stored). */
static img_kind probe(FILE *f, long *w, long *h, int *orient) {
    unsigned char b[32];
    *w = *h = -1;
    *orient = 1;
    size_t n = fread(b, 1, 24, f);
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0) {
        if (n >= 24 && memcmp(b + 12, "IHDR", 4) == 0) {
            *w = (long)(be32(b + 16) & 0x7FFFFFFF);
            *h = (long)(be32(b + 20) & 0x7FFFFFFF);
        }
        return IMG_PNG;
    }
    if (n < 3 || b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF)
        return IMG_NONE;
    jpeg_head jh;
    jpeg_markers(f, &jh);
    *w = jh.w;
    *h = jh.h;
    *orient = jh.orient;
    return IMG_JPEG;
}

/* ------------------------------------------------------------------ PNG */

typedef struct {
    jmp_buf jmp;
    char msg[200];
} png_state;

static void png_fail(png_structp png, png_const_charp msg) {
    png_state *s = png_get_error_ptr(png);
    snprintf(s->msg, sizeof s->msg, "%s", msg && *msg ? msg : "decoding error");
    longjmp(s->jmp, 1);
}

/* Warnings (an unusual colour profile...) do not stop Cairo either; damage
 * is caught as errors: CRCs are checked on every chunk (below). */
static void png_warn(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

static void png_read_fn(png_structp png, png_bytep data, size_t len) {
    FILE *f = png_get_io_ptr(png);
    if (fread(data, 1, len, f) != len)
        png_error(png, "the file ends too early (truncated)");
}

static bool decode_png(FILE *f, char *msg, size_t msglen) {
    png_state st;
    st.msg[0] = '\0';
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &st, png_fail, png_warn);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *volatile row = NULL;
    if (!png || !info) {
        png_destroy_read_struct(&png, &info, NULL);
        snprintf(msg, msglen, "out of memory");
        return false;
    }
    if (setjmp(st.jmp)) {
        png_destroy_read_struct(&png, &info, NULL);
        free(row);
        snprintf(msg, msglen, "PNG: %s", st.msg);
        return false;
    }
    png_set_read_fn(png, f, png_read_fn);
    /* the pixel limits were checked on IHDR; these only keep libpng's own
     * from refusing first (its default is 1,000,000 a side) */
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    /* a bad CRC in any chunk, ancillary ones too, is damage; the zlib
     * stream's Adler-32 is left unchecked, as the build's reader does
     * (render/png.c): the IDAT chunks' CRCs cover the same bytes */
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
    png_read_info(png, info);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    png_uint_32 height = png_get_image_height(png, info);
    row = malloc(rowbytes ? rowbytes : 1);
    if (!row)
        png_error(png, "out of memory");
    for (int p = 0; p < passes; p++)
        for (png_uint_32 y = 0; y < height; y++)
            png_read_row(png, row, NULL);
    png_read_end(png, NULL); /* the chunks after the pixels, to IEND */
    png_destroy_read_struct(&png, &info, NULL);
    free(row);
    return true;
}

/* ----------------------------------------------------------------- JPEG */

typedef struct {
    struct jpeg_error_mgr mgr;
    jmp_buf jmp;
    char msg[JMSG_LENGTH_MAX];
} jpeg_state;

static void jpeg_fail(j_common_ptr ci) {
    jpeg_state *s = (jpeg_state *)ci->err;
    (*ci->err->format_message)(ci, s->msg);
    longjmp(s->jmp, 1);
}

/* libjpeg goes on after corrupt data (it pads a truncated file with grey):
 * here a warning is an error. */
static void jpeg_emit(j_common_ptr ci, int level) {
    if (level < 0)
        jpeg_fail(ci);
}

static void jpeg_progress(j_common_ptr ci) {
    j_decompress_ptr d = (j_decompress_ptr)ci;
    if (d->input_scan_number > MAX_JPEG_SCANS) {
        jpeg_state *s = (jpeg_state *)ci->err;
        snprintf(s->msg, sizeof s->msg, "more than %d scans", MAX_JPEG_SCANS);
        longjmp(s->jmp, 1);
    }
}

static bool decode_jpeg(FILE *f, char *msg, size_t msglen) {
    struct jpeg_decompress_struct ci;
    jpeg_state st;
    struct jpeg_progress_mgr prog = {.progress_monitor = jpeg_progress};
    ci.err = jpeg_std_error(&st.mgr);
    st.mgr.error_exit = jpeg_fail;
    st.mgr.emit_message = jpeg_emit;
    st.msg[0] = '\0';
    unsigned char *volatile row = NULL;
    if (setjmp(st.jmp)) {
        jpeg_destroy_decompress(&ci);
        free(row);
        snprintf(msg, msglen, "JPEG: %s", st.msg);
        return false;
    }
    jpeg_create_decompress(&ci);
    ci.progress = &prog;
    jpeg_stdio_src(&ci, f);
    if (jpeg_read_header(&ci, TRUE) != JPEG_HEADER_OK) {
        snprintf(st.msg, sizeof st.msg, "no image in the file");
        longjmp(st.jmp, 1);
    }
    /* as render decodes it */
    bool cmyk = ci.jpeg_color_space == JCS_CMYK || ci.jpeg_color_space == JCS_YCCK;
    ci.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&ci);
    row = malloc((size_t)ci.output_width * (size_t)ci.output_components + 1);
    if (!row) {
        snprintf(st.msg, sizeof st.msg, "out of memory");
        longjmp(st.jmp, 1);
    }
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW rp = row;
        jpeg_read_scanlines(&ci, &rp, 1);
    }
    jpeg_finish_decompress(&ci); /* to EOI */
    jpeg_destroy_decompress(&ci);
    free(row);
    return true;
}

/* ------------------------------------------------------------------ API */

static bool named_png(const char *path) {
    size_t n = strlen(path);
    return n >= 4 && strcasecmp(path + n - 4, ".png") == 0;
}

/* rt_image_check_remember: the files decoded whole, as they were then */
typedef struct {
    char *path;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
} seen_file;

static struct {
    bool on;
    seen_file *files;
    size_t n, cap;
} seen;

static rt_image_known known_hook;

/* rt_image_defer: where each PNG checked only by its header was named */
typedef struct {
    char *path, *src, *as_written;
    rt_mark mark;
    rt_image_limits lim;
    int w, h; /* from the header */
} deferred_place;

static struct {
    bool on;
    deferred_place *places;
    size_t n, cap;
} deferred;

void rt_image_defer(bool on) {
    for (size_t i = 0; i < deferred.n; i++) {
        free(deferred.places[i].path);
        free(deferred.places[i].src);
        free(deferred.places[i].as_written);
    }
    free(deferred.places);
    memset(&deferred, 0, sizeof deferred);
    deferred.on = on;
}

bool rt_image_deferred(const char *path) {
    return deferred.on && named_png(path);
}

void rt_image_defer_place(const char *path, const char *src, rt_mark mark, const char *as_written,
                          const rt_image_limits *lim, int w, int h) {
    if (!rt_image_deferred(path))
        return;
    deferred_place p = {rt_xstrdup(path),
                        rt_xstrdup(src ? src : ""),
                        rt_xstrdup(as_written ? as_written : path),
                        mark,
                        lim ? *lim : (rt_image_limits){0},
                        w,
                        h};
    RT_PUSH(deferred.places, deferred.n, deferred.cap, p);
}

void rt_image_deferred_each(void (*fn)(void *arg, const char *path, int w, int h), void *arg) {
    for (size_t i = 0; i < deferred.n; i++) {
        bool dup = false;
        for (size_t k = 0; k < i && !dup; k++)
            dup = strcmp(deferred.places[k].path, deferred.places[i].path) == 0;
        if (!dup)
            fn(arg, deferred.places[i].path, deferred.places[i].w, deferred.places[i].h);
    }
}

bool rt_image_report_deferred(const char *path, rt_diag *d) {
    bool on = deferred.on, found = false;
    deferred.on = false; /* decoded whole this time */
    for (size_t i = 0; i < deferred.n; i++) {
        const deferred_place *p = &deferred.places[i];
        if (path && strcmp(p->path, path) != 0)
            continue;
        int w, h;
        char *why = rt_image_check(p->path, &p->lim, &w, &h);
        if (why) {
            rt_error(d, p->src, p->mark.line, p->mark.col, "'%s' %s", p->as_written, why);
            free(why);
            found = true;
        }
    }
    deferred.on = on;
    return found;
}

void rt_image_check_known(const rt_image_known *k) {
    known_hook = k ? *k : (rt_image_known){0};
}

void rt_image_check_remember(bool on) {
    seen.on = on;
    if (on)
        return;
    for (size_t i = 0; i < seen.n; i++)
        free(seen.files[i].path);
    free(seen.files);
    memset(&seen, 0, sizeof seen);
}

static bool same_time(struct timespec a, struct timespec b) {
    return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static seen_file *seen_find(const char *path) {
    for (size_t i = 0; i < seen.n; i++)
        if (strcmp(seen.files[i].path, path) == 0)
            return &seen.files[i];
    return NULL;
}

static bool seen_unchanged(const char *path, const struct stat *sb) {
    const seen_file *f = seen.on ? seen_find(path) : NULL;
    return f && f->dev == sb->st_dev && f->ino == sb->st_ino && f->size == sb->st_size &&
           same_time(f->mtime, sb->st_mtim) && same_time(f->ctime, sb->st_ctim);
}

static void seen_add(const char *path, const struct stat *sb) {
    if (!seen.on)
        return;
    seen_file *f = seen_find(path);
    if (!f) {
        RT_PUSH(seen.files, seen.n, seen.cap, (seen_file){.path = rt_xstrdup(path)});
        f = &seen.files[seen.n - 1];
    }
    f->dev = sb->st_dev;
    f->ino = sb->st_ino;
    f->size = sb->st_size;
    f->mtime = sb->st_mtim;
    f->ctime = sb->st_ctim;
}

char *rt_image_check(const char *path, const rt_image_limits *lim, int *w_out, int *h_out) {
    const char *what = lim && lim->what ? lim->what : "an image";
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        char *why = rt_read_problem(path, errno, 0);
        char *s = rt_xasprintf("cannot be read: %s", why);
        free(why);
        return s;
    }
    if (lim && lim->max_bytes > 0 && (long long)sb.st_size > lim->max_bytes)
        return rt_xasprintf("is too large a file for %s (%.1f MB; at most %lld MB)", what,
                            (double)sb.st_size / (1 << 20), lim->max_bytes >> 20);
    /* non-blocking, and checked again on the descriptor: the file may have
     * been swapped for a FIFO since stat */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    FILE *f = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? fdopen(fd, "rb") : NULL;
    if (!f) {
        int e = fd >= 0 ? EINVAL : errno;
        if (fd >= 0)
            close(fd);
        char *why = rt_read_problem(path, e, 0);
        char *s = rt_xasprintf("cannot be read: %s", why);
        free(why);
        return s;
    }
    long w, h;
    int orient;
    img_kind kind = probe(f, &w, &h, &orient);
    char *err = NULL;
    if (kind == IMG_NONE) {
        err = rt_xstrdup("is not a PNG or JPEG image");
    } else if (kind == IMG_JPEG && named_png(path)) {
        err = rt_xstrdup("is a JPEG image, but its name ends in .png and the build reads it as "
                         "PNG: rename it to .jpg");
    } else if (kind == IMG_PNG && !named_png(path)) {
        err = rt_xstrdup("is a PNG image, but its name does not end in .png and the build reads "
                         "it as JPEG: rename it to .png");
    } else if (w < 0 || h < 0) {
        err = rt_xasprintf("is truncated or damaged (%s: no image size in the header)",
                           kind == IMG_PNG ? "PNG" : "JPEG");
    } else if (w == 0 || h == 0) {
        err = rt_xasprintf("is %ld x %ld pixels: empty", w, h);
    } else if (lim && (w > lim->max_side || h > lim->max_side ||
                       (double)w * (double)h > lim->max_pixels)) {
        err = rt_xasprintf("is %ld x %ld pixels: too large for %s (at most %d pixels a side and "
                           "%.0f million pixels)",
                           w, h, what, lim->max_side, lim->max_pixels / 1e6);
    } else if (kind == IMG_PNG && deferred.on) {
        /* decoded whole by the finishing pass, which converts it */
    } else if (seen_unchanged(path, &sb)) {
        /* decoded whole earlier in this process, unchanged since */
    } else if (known_hook.known && known_hook.known(known_hook.arg, path)) {
        seen_add(path, &sb); /* these very bytes decoded whole before */
    } else {
        char msg[JMSG_LENGTH_MAX + 32];
        rewind(f);
        bool ok =
            kind == IMG_PNG ? decode_png(f, msg, sizeof msg) : decode_jpeg(f, msg, sizeof msg);
        if (!ok) {
            err = rt_xasprintf("is truncated or damaged (%s)", msg);
        } else {
            seen_add(path, &sb);
            if (known_hook.decoded)
                known_hook.decoded(known_hook.arg, path, (int)w, (int)h);
        }
    }
    fclose(f);
    if (!err) { /* as it shows: turned a quarter, its sides swap */
        *w_out = (int)(orient >= 5 ? h : w);
        *h_out = (int)(orient >= 5 ? w : h);
    }
    return err;
}

/* ------------------------------------------------------ colour profiles */

/* What a colour profile's header says, against the pixels it describes
 * (`want`: "RGB ", "GRAY" or "CMYK"): NULL when it fits (or when grey
 * pixels carry any profile: they print through the grey curve); else a
 * new message. Only the header is read (lcms2 is the finishing pass's):
 * its signature ("acsp" at 36) and its colour space (at 16). */
static char *profile_fits(const unsigned char *h, size_t n, const char *want) {
    bool cmyk = strcmp(want, "CMYK") == 0;
    const char *then =
        cmyk ? "its inks are taken as made for this press" : "its colours are taken as sRGB";
    if (n < 40 || memcmp(h + 36, "acsp", 4) != 0)
        return rt_xasprintf("carries a damaged ICC profile (no profile header): %s", then);
    if (strcmp(want, "GRAY") == 0 || memcmp(h + 16, want, 4) == 0)
        return NULL;
    char space[5];
    for (int i = 0; i < 4; i++)
        space[i] = h[16 + i] >= 0x20 && h[16 + i] < 0x7F ? (char)h[16 + i] : '?';
    space[4] = 0;
    while (space[0] && space[strlen(space) - 1] == ' ')
        space[strlen(space) - 1] = 0;
    return rt_xasprintf("carries an ICC profile for %s colours, not %.*s: %s", space,
                        want[3] == ' ' ? 3 : 4, want, then);
}

/* A JPEG's: the first APP2 ICC_PROFILE piece (the header is in it), the
 * components of its frame. */
static char *jpeg_profile(FILE *f) {
    jpeg_head jh;
    jpeg_markers(f, &jh);
    if (!jh.icc)
        return NULL;
    return profile_fits(jh.icc_head, jh.icc_got,
                        jh.comps == 4   ? "CMYK"
                        : jh.comps == 1 ? "GRAY"
                                        : "RGB ");
}

/* A PNG's: its iCCP chunk (the profile deflated), unless an sRGB chunk says
 * the colours are sRGB; its colour type. */
static char *png_profile(FILE *f) {
    unsigned char b[8];
    if (fseek(f, 8, SEEK_SET) != 0)
        return NULL;
    int type = -1;
    bool srgb = false;
    unsigned char *iccp = NULL;
    size_t iccp_len = 0;
    for (int guard = 0; guard < 10000 && fread(b, 1, 8, f) == 8; guard++) {
        unsigned long len = be32(b);
        if (len > 0x7FFFFFF0 || memcmp(b + 4, "IDAT", 4) == 0 || memcmp(b + 4, "IEND", 4) == 0)
            break;
        if (memcmp(b + 4, "IHDR", 4) == 0 && len >= 13) {
            unsigned char h[13];
            if (fread(h, 1, 13, f) != 13)
                break;
            type = h[9];
            len -= 13;
        } else if (memcmp(b + 4, "sRGB", 4) == 0) {
            srgb = true;
        } else if (memcmp(b + 4, "iCCP", 4) == 0 && !iccp && len <= (1u << 20)) {
            iccp = malloc(len ? len : 1);
            if (!iccp || fread(iccp, 1, len, f) != len)
                break;
            iccp_len = len;
            len = 0;
        }
        if (fseek(f, (long)len + 4, SEEK_CUR) != 0) /* the rest, and the CRC */
            break;
    }
    char *why = NULL;
    size_t name = 0;
    while (iccp && name < iccp_len && name < 80 && iccp[name])
        name++;
    if (iccp && !srgb && name + 2 <= iccp_len) {
        unsigned char head[128];
        z_stream z = {0};
        z.next_in = iccp + name + 2;
        z.avail_in = (uInt)(iccp_len - name - 2);
        z.next_out = head;
        z.avail_out = sizeof head;
        size_t got = 0;
        if (inflateInit(&z) == Z_OK) {
            int r = inflate(&z, Z_SYNC_FLUSH);
            got = r == Z_OK || r == Z_STREAM_END ? sizeof head - z.avail_out : 0;
            inflateEnd(&z);
        }
        why = profile_fits(head, got, type == 0 || type == 4 ? "GRAY" : "RGB ");
    }
    free(iccp);
    return why;
}

char *rt_image_profile_problem(const char *path) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    FILE *f = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? fdopen(fd, "rb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return NULL; /* rt_image_check says what is wrong with it */
    }
    unsigned char b[8];
    char *why = NULL;
    if (fread(b, 1, 8, f) == 8)
        why = memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0 ? png_profile(f)
              : b[0] == 0xFF && b[1] == 0xD8         ? jpeg_profile(f)
                                                     : NULL;
    fclose(f);
    return why;
}
