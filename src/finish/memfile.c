/* finish: the finished file between qpdf and the output.
 *
 * qpdf writes the finished file into a memory file, copied into the output
 * after: written to memory (qpdf_init_write_memory) the file was held two
 * and a half times over (a growing string, then a copy of it), and written
 * straight into the output a full disk would go unseen, for qpdf does not
 * check its writes (it returns success with the file cut short). A memory
 * file fills no disk, and its end is checked before a byte is copied. */
#include "finish_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int fin_memory_file(char name[static 40]) {
    int fd = memfd_create("rotative-pdf", MFD_CLOEXEC);
    if (fd >= 0)
        snprintf(name, 40, "/proc/self/fd/%d", fd);
    if (fd >= 0 && access(name, W_OK) != 0) { /* no /proc */
        close(fd);
        fd = -1;
    }
    return fd;
}

bool fin_copy_memory_file(int fd, rt_output *out, const char *path, rt_diag *d) {
    struct stat st;
    char tail[6] = {0};
    if (fstat(fd, &st) != 0 || st.st_size < 6 || pread(fd, tail, 6, st.st_size - 6) != 6 ||
        memcmp(tail, "%%EOF\n", 6) != 0) {
        rt_error(d, path, 0, 0, "PDF finishing: the finished file was cut short (out of memory?)");
        return false;
    }
    unsigned char *buf = rt_xmalloc(1 << 20);
    bool ok = true;
    for (off_t at = 0; ok && at < st.st_size;) {
        ssize_t n = pread(fd, buf, 1 << 20, at);
        if (n <= 0) {
            rt_error(d, path, 0, 0, "PDF finishing: cannot read the finished file back: %s",
                     n < 0 ? strerror(errno) : "it ends early");
            ok = false;
            break;
        }
        /* a write error is the output's, reported at its close */
        rt_output_write(out, buf, (size_t)n);
        at += n;
    }
    free(buf);
    return ok;
}

void fin_cut_memory_file(int fd, long bytes) {
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > bytes)
        (void)!ftruncate(fd, st.st_size - bytes);
}

void fin_close_memory_file(int fd) {
    close(fd);
}
