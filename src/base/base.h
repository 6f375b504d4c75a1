/* base: shared helpers used by every stage: memory, strings, files, paths,
 * and diagnostics.
 *
 * Ownership: every function returning `char *` returns a new heap string the
 * caller frees with free(). Allocation failure aborts the program (there is
 * no meaningful recovery for a layout tool running out of memory).
 */
#ifndef RT_BASE_H
#define RT_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define RT_VERSION "0.1.0"

/* ---- memory ---- */
void *rt_xmalloc(size_t n);
void *rt_xcalloc(size_t count, size_t size);
void *rt_xrealloc(void *p, size_t n);
char *rt_xstrdup(const char *s);
char *rt_xstrndup(const char *s, size_t n);
char *rt_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow-by-doubling array append: RT_PUSH(arr, n, cap, value). */
#define RT_PUSH(arr, n, cap, value)                                                                \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 8;                                                           \
            (arr) = rt_xrealloc((arr), (cap) * sizeof *(arr));                                     \
        }                                                                                          \
        (arr)[(n)++] = (value);                                                                    \
    } while (0)

/* ---- string buffer ---- */
typedef struct {
    char *data; /* always NUL-terminated once anything was appended */
    size_t len, cap;
} rt_buf;
void rt_buf_add(rt_buf *b, const char *s, size_t n);
void rt_buf_adds(rt_buf *b, const char *s);
void rt_buf_addf(rt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *rt_buf_steal(rt_buf *b); /* returns data ("" if empty), resets b */
void rt_buf_free(rt_buf *b);

/* ---- files and paths ---- */
/* Reads a whole regular file (NUL-terminated; *len_out excludes the NUL).
 * Returns NULL and sets errno on failure. `max` > 0 limits the size: a
 * larger file fails with errno = EFBIG. Anything but a regular file fails
 * without being read: errno = EISDIR for a folder, EINVAL for a FIFO, a
 * device or a socket (opened non-blocking, so a FIFO never blocks). */
char *rt_read_file(const char *path, size_t max, size_t *len_out);
/* Why `path` could not be read, for a message, given the errno of a failed
 * rt_read_file (or of stat): "no such file", "it is a folder", "it is a
 * named pipe (FIFO), not a regular file", "too large (10.0 MB; at most 4
 * MB)", ... A new string the caller frees. */
char *rt_read_problem(const char *path, int err, size_t max);
char *rt_path_dir(const char *path);                  /* "a/b.yaml" -> "a" ; "b" -> "." */
char *rt_path_join(const char *dir, const char *rel); /* rel if absolute */
/* Size in bytes of a regular file, -1 if it cannot be read. */
long long rt_file_size(const char *path);
bool rt_file_exists(const char *path); /* regular file */
/* Milliseconds of the monotonic clock, and of this process's processor time. */
double rt_clock_ms(void);
double rt_cpu_ms(void);
bool rt_dir_exists(const char *path);
/* True if both paths exist and are the same file (device and inode: the
 * same through symlinks, hard links, `./` and `../`). */
bool rt_same_file(const char *a, const char *b);

/* ---- UTF-8 ---- */
/* Returns true if s[0..n) is valid UTF-8; on failure *bad is the byte offset
 * of the first invalid sequence. */
bool rt_utf8_valid(const char *s, size_t n, size_t *bad);
/* Decodes one code point at s (valid UTF-8 assumed); returns its length. */
int rt_utf8_decode(const char *s, unsigned *cp);
int rt_utf8_encode(unsigned cp, char out[4]);

/* The one rule for every text rotative reads (editions, layouts, articles,
 * messages, and characters written as references or escapes): NULL if `cp`
 * may be printed, else what it is ("control character", "noncharacter",
 * "surrogate", "invisible formatting character"), with `why` (may be NULL)
 * set to a short reason. Refused: C0 controls but tab and line feed (a
 * carriage return only as part of a line ending, which the file readers
 * handle), DEL and C1 controls, the bidirectional overrides and isolates
 * (U+202A-202E, U+2066-2069) and line/paragraph separators (U+2028, U+2029)
 * that make text display otherwise than it is stored, surrogates
 * (U+D800-DFFF) and the 66 noncharacters (U+FDD0-FDEF and U+nFFFE, U+nFFFF
 * of every plane), which no font draws and which put Cairo in an error
 * state. */
const char *rt_char_problem(unsigned cp, const char **why);

/* ---- diagnostics ----
 * gcc-style messages: `path:line:col: error: message`. Line and column are
 * 1-based; 0 omits them (`path: error: message`). Every problem is reported;
 * callers keep going after an error when they can.
 */
typedef enum { RT_NOTE, RT_WARNING, RT_ERROR } rt_severity;

typedef struct {
    rt_severity severity;
    char *path; /* may be NULL */
    int line, col;
    char *message;
} rt_diag_item;

typedef struct rt_diag {
    FILE *out;    /* where messages go (stderr by default) */
    int errors;   /* count of RT_ERROR reported */
    int warnings; /* count of RT_WARNING reported */
    bool quiet_warnings;
    bool errors_only; /* print errors, not warnings or notes (--quiet); all are counted */
    bool silent;      /* count (and keep) every message, print none */
    bool keep;        /* also keep every message in `items` (for the JSON report) */
    rt_diag_item *items;
    size_t n_items, cap_items;
} rt_diag;

/* Frees the kept items. */
void rt_diag_clear(rt_diag *d);
/* Reports to `to`, in order, every item `from` kept (work done on another
 * thread, reported as if done here). */
void rt_diag_forward(rt_diag *to, const rt_diag *from);

void rt_diag_init(rt_diag *d, FILE *out);
void rt_diag_report(rt_diag *d, rt_severity sev, const char *path, int line, int col,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void rt_diag_vreport(rt_diag *d, rt_severity sev, const char *path, int line, int col,
                     const char *fmt, va_list ap);
#define rt_error(d, path, line, col, ...)                                                          \
    rt_diag_report((d), RT_ERROR, (path), (line), (col), __VA_ARGS__)
#define rt_warning(d, path, line, col, ...)                                                        \
    rt_diag_report((d), RT_WARNING, (path), (line), (col), __VA_ARGS__)

/* ---- output files ----
 * Every file rotative writes goes through these. The bytes go to a
 * temporary beside the destination, `.NAME.rotative-tmp-PID`, locked
 * (flock) while it exists; every write, flush, fsync and close is checked;
 * the temporary is renamed over the destination only when it is complete
 * (and verified, for a PDF). On any failure the temporary is removed, the
 * destination is left as it was and the reason (strerror) is reported as
 * `path: error: cannot write: ...`. A temporary that no process holds
 * locked (left by a run that was killed) is removed by the next run that
 * writes into the same folder.
 *
 * Ownership: rt_output_commit() and rt_output_abort() both free the handle. */
#define RT_TMP_MARK ".rotative-tmp-"
typedef struct rt_output rt_output;
/* Opens the temporary; NULL on I/O error (reported). */
rt_output *rt_output_begin(const char *path, rt_diag *d);
/* The stream to write to (NULL once closed): its errors are caught at the
 * close. */
FILE *rt_output_file(rt_output *o);
/* Writes n bytes; false on error (reported at the close or commit). */
bool rt_output_write(rt_output *o, const void *data, size_t n);
/* Flushes, syncs and closes the temporary, which stays (to be verified by
 * name) until the commit or abort. False on I/O error (reported). */
bool rt_output_close(rt_output *o, rt_diag *d);
/* Closes if still open, renames into place, syncs the folder. False on I/O
 * error (reported; the temporary is removed). */
bool rt_output_commit(rt_output *o, rt_diag *d);
/* Removes the temporary (NULL: nothing). */
void rt_output_abort(rt_output *o);
const char *rt_output_tmp_path(const rt_output *o);
const char *rt_output_path(const rt_output *o);
/* True if `path`'s file name is one of rt_output's temporaries. */
bool rt_output_is_temp(const char *path);
/* The whole file at once: begin, write, commit. */
bool rt_write_file(const char *path, const void *data, size_t n, rt_diag *d);

/* The total ink limit (percent) when a layout or a command names none:
 * newsprint (coldset). */
/* Pictures read a band of rows at a time as 8-bit RGB: how a stage that
 * must not include an image library is handed a decoder (by the driver).
 * `open` gives the size in pixels (NULL: the file cannot be decoded);
 * `rows` reads the next n rows into 3 * w * n bytes (false: a damaged
 * file); `profile` gives the ICC profile the file carries (NULL: none, or
 * the file says sRGB; the bytes are the reader's, unchecked); `grey`
 * whether the file stores grey levels only (a grey PNG or JPEG); `close`
 * frees. Distinct readers may be used on distinct threads. */
typedef struct {
    /* `eighths`: the size to decode at, in eighths of the file's (8: whole;
     * a reader that cannot scale ignores it and says the size it gives) */
    void *(*open)(const char *path, int eighths, int *w, int *h);
    bool (*rows)(void *reader, unsigned char *rgb, int n);
    const unsigned char *(*profile)(void *reader, size_t *len);
    bool (*grey)(void *reader); /* the file stores grey pixels (its colour type says) */
    void (*close)(void *reader);
} rt_rgb_reader;

#define RT_INK_LIMIT 240
#define RT_STR_(x) #x
#define RT_STR(x) RT_STR_(x)

/* A JPEG's EXIF orientation (the TIFF tag 0x0112, 1 to 8) from the data of
 * its APP1 marker (from "Exif\0\0" on); 1 (as stored) when there is none or
 * it is malformed. Every offset is checked against `len`. 5 to 8 turn the
 * picture a quarter: its width and height swap on the page. */
int rt_exif_orientation(const unsigned char *app1, size_t len);

/* Lengths are in PostScript points everywhere inside the program. */
#define RT_MM (72.0 / 25.4)

#endif
