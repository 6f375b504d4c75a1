/* finish: atomic output files. */
#include "finish.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rt_output {
    char *path, *tmp;
    FILE *f;
};

rt_output *rt_output_begin(const char *path, rt_diag *d) {
    rt_output *o = rt_xcalloc(1, sizeof *o);
    o->path = rt_xstrdup(path);
    o->tmp = rt_xasprintf("%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
        rt_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->path);
        free(o->tmp);
        free(o);
        return NULL;
    }
    /* mkstemp creates 0600; an output file gets the usual permissions */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    return o;
}

const char *rt_output_tmp_path(const rt_output *o) {
    return o->tmp;
}

FILE *rt_output_file(rt_output *o) {
    return o->f;
}

static void drop(rt_output *o) {
    free(o->path);
    free(o->tmp);
    free(o);
}

bool rt_output_commit(rt_output *o, rt_diag *d) {
    bool ok = fflush(o->f) == 0 && fsync(fileno(o->f)) == 0;
    int err = errno;
    if (fclose(o->f) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(o->tmp, o->path) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        rt_error(d, o->path, 0, 0, "cannot write: %s", strerror(err));
        unlink(o->tmp);
    }
    drop(o);
    return ok;
}

void rt_output_abort(rt_output *o) {
    if (!o)
        return;
    fclose(o->f);
    unlink(o->tmp);
    drop(o);
}
