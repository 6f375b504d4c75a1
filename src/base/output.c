/* base: atomic, checked output files (see base.h, "output files"). */
#include "base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct rt_output {
    char *path, *tmp;
    FILE *f;  /* NULL once closed */
    int lock; /* a second descriptor of the temporary, holding its lock until the end */
    int err;  /* the first write error (errno), 0 if none */
};

static bool is_temp_name(const char *name) {
    const char *t = strstr(name, RT_TMP_MARK);
    return name[0] == '.' && t && t > name + 1;
}

bool rt_output_is_temp(const char *name) {
    const char *slash = strrchr(name, '/');
    return is_temp_name(slash ? slash + 1 : name);
}

/* Removes every temporary of `dir` that no process holds locked: one left
 * by a run that was killed (kill -9, a crash, a power cut). */
static void remove_stale(const char *dir) {
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    int dfd = dirfd(dh);
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (!is_temp_name(de->d_name))
            continue;
        int fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlinkat(dfd, de->d_name, 0);
        close(fd);
    }
    closedir(dh);
}

static void report(rt_diag *d, const char *path, int err) {
    rt_error(d, path, 0, 0, "cannot write: %s", strerror(err));
}

rt_output *rt_output_begin(const char *path, rt_diag *d) {
    char *dir = rt_path_dir(path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base) {
        rt_error(d, path, 0, 0, "cannot write: it names a folder, not a file");
        free(dir);
        return NULL;
    }
    remove_stale(dir);
    rt_output *o = rt_xcalloc(1, sizeof *o);
    o->path = rt_xstrdup(path);
    o->lock = -1;
    int fd = -1, err = 0;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        free(o->tmp);
        o->tmp = attempt ? rt_xasprintf("%s/.%s" RT_TMP_MARK "%ld-%d", dir, base, (long)getpid(),
                                        attempt)
                         : rt_xasprintf("%s/.%s" RT_TMP_MARK "%ld", dir, base, (long)getpid());
        fd = open(o->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0) {
            err = errno;
            if (err != EEXIST)
                break;
            continue;
        }
        /* locked while written; another run that removed it as stale in the
         * moment before the lock leaves a name that is no longer this file */
        if (flock(fd, LOCK_EX) != 0) { /* a filesystem without locks: not ours to leave */
            err = errno;
            unlink(o->tmp);
            close(fd);
            fd = -1;
            break;
        }
        struct stat a, b;
        if (fstat(fd, &a) != 0 || stat(o->tmp, &b) != 0 || a.st_ino != b.st_ino ||
            a.st_dev != b.st_dev) {
            close(fd);
            fd = -1;
            err = EEXIST;
        }
    }
    /* a replaced file keeps its mode (a supporter's file with contact
     * details stays private) */
    struct stat old_st;
    if (fd >= 0 && stat(path, &old_st) == 0 && S_ISREG(old_st.st_mode))
        (void)fchmod(fd, old_st.st_mode & 07777);
    free(dir);
    if (fd >= 0) {
        o->lock = dup(fd);
        o->f = o->lock >= 0 ? fdopen(fd, "wb") : NULL;
        if (!o->f)
            err = errno;
    }
    if (!o->f) {
        report(d, path, err ? err : EIO);
        if (fd >= 0) {
            unlink(o->tmp);
            close(fd);
        }
        if (o->lock >= 0)
            close(o->lock);
        free(o->path);
        free(o->tmp);
        free(o);
        return NULL;
    }
    return o;
}

const char *rt_output_tmp_path(const rt_output *o) {
    return o->tmp;
}

const char *rt_output_path(const rt_output *o) {
    return o->path;
}

FILE *rt_output_file(rt_output *o) {
    return o->f;
}

bool rt_output_write(rt_output *o, const void *data, size_t n) {
    if (!o->f || o->err)
        return false;
    if (n && fwrite(data, 1, n, o->f) != n) {
        o->err = errno ? errno : EIO;
        return false;
    }
    return true;
}

bool rt_output_close(rt_output *o, rt_diag *d) {
    if (!o->f)
        return !o->err;
    int err = o->err;
    if (!err && ferror(o->f))
        err = errno ? errno : EIO;
    if (!err && fflush(o->f) != 0)
        err = errno;
    if (!err && fsync(fileno(o->f)) != 0)
        err = errno;
    if (fclose(o->f) != 0 && !err)
        err = errno;
    o->f = NULL;
    if (err) {
        o->err = err;
        report(d, o->path, err);
        return false;
    }
    return true;
}

static void drop(rt_output *o) {
    if (o->lock >= 0)
        close(o->lock);
    free(o->path);
    free(o->tmp);
    free(o);
}

bool rt_output_commit(rt_output *o, rt_diag *d) {
    bool ok = rt_output_close(o, d);
    if (ok && rename(o->tmp, o->path) != 0) {
        report(d, o->path, errno);
        ok = false;
    }
    if (ok) {
        /* the rename itself made durable: the folder synced */
        char *dir = rt_path_dir(o->path);
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    } else {
        unlink(o->tmp);
    }
    drop(o);
    return ok;
}

void rt_output_abort(rt_output *o) {
    if (!o)
        return;
    if (o->f)
        fclose(o->f);
    unlink(o->tmp);
    drop(o);
}

bool rt_write_file(const char *path, const void *data, size_t n, rt_diag *d) {
    rt_output *o = rt_output_begin(path, d);
    if (!o)
        return false;
    rt_output_write(o, data, n);
    return rt_output_commit(o, d);
}
