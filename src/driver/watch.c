/* build: watch mode. Rebuilds an edition whenever one of its files changes,
 * using inotify on the folders that hold them (editors save by writing a new
 * file and renaming it, which a watch on the file itself would lose). */
#include "build.h"

#include "../load/load.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define WATCH_MASK                                                                                 \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB |            \
     IN_DELETE_SELF | IN_MOVE_SELF)
#define QUIET_MS 150 /* a save is often several events: wait until they stop */

typedef struct {
    char **dirs;
    size_t n, cap;
} dir_set;

static void add_dir_of(dir_set *s, const char *file, bool is_dir) {
    if (!file)
        return;
    char *dir = is_dir ? rt_xstrdup(file) : rt_path_dir(file);
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->dirs[i], dir) == 0) {
            free(dir);
            return;
        }
    RT_PUSH(s->dirs, s->n, s->cap, dir);
}

static void dir_set_free(dir_set *s) {
    for (size_t i = 0; i < s->n; i++)
        free(s->dirs[i]);
    free(s->dirs);
    memset(s, 0, sizeof *s);
}

/* The folders holding the edition, its layout, articles, images, messages
 * and logos. When the edition cannot be loaded, its own folder and the
 * layouts still are watched, so that fixing it triggers a build. */
static void collect_dirs(const char *edition_path, const char *layouts, dir_set *s) {
    add_dir_of(s, edition_path, false);
    add_dir_of(s, layouts, true);
    rt_diag quiet;
    rt_diag_init(&quiet, NULL);
    FILE *null = fopen("/dev/null", "w");
    quiet.out = null;
    rt_edition *e = rt_edition_load(edition_path, layouts, &quiet);
    for (size_t i = 0; e && i < e->n_entries + e->n_reserve; i++) {
        const rt_article *a =
            i < e->n_entries ? e->entries[i].article : e->reserve[i - e->n_entries].article;
        if (!a)
            continue;
        add_dir_of(s, a->path, false);
        for (size_t k = 0; k < a->n_images; k++)
            add_dir_of(s, a->images[k].file, false);
    }
    if (e && e->messages_dir)
        add_dir_of(s, e->messages_dir, true);
    for (size_t i = 0; e && i < e->n_messages; i++)
        add_dir_of(s, e->messages[i].logo, false);
    rt_edition_free(e);
    rt_diag_clear(&quiet);
    if (null)
        fclose(null);
}

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static long cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

typedef struct {
    int wd;
    char *dir;
} watch_dir;

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A page file of --split or --png: NAME-NUMBER-pNN.EXT (build.c's
 * page_file), not any file of that extension (an input photo may live in
 * the --png folder). */
static bool page_file_name(const char *name, const char *ext) {
    if (!ends_with(name, ext))
        return false;
    size_t n = strlen(name) - strlen(ext);
    size_t i = n;
    while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
        i--;
    return n - i >= 2 && i >= 3 && name[i - 1] == 'p' && name[i - 2] == '-';
}

/* A file the build itself writes (or its temporary): a change to it is no
 * reason to build again, else `watch -o` into a watched folder would
 * rebuild forever. */
static bool own_output(const char *dir, const char *name, const rt_build_opts *o) {
    if (rt_output_is_temp(name))
        return true;
    /* the image cache's entries and their access times (--cache inside a
     * watched folder) */
    if (o->image_cache && o->image_cache->dir && rt_same_file(dir, o->image_cache->dir) &&
        rt_image_cache_file(name))
        return true;
    char *full = rt_path_join(dir, name);
    bool own = rt_same_file(full, o->output) || rt_same_file(full, o->json) ||
               rt_same_file(full, o->flatplan) ||
               (o->split_dir && rt_same_file(dir, o->split_dir) && page_file_name(name, ".pdf")) ||
               (o->png_dir && rt_same_file(dir, o->png_dir) && page_file_name(name, ".png"));
    if (!own) {
        /* gone since (a file replaced again): compare names */
        const char *outs[] = {o->output, o->json, o->flatplan};
        for (int i = 0; i < 3 && !own; i++) {
            if (!outs[i])
                continue;
            char *od = rt_path_dir(outs[i]);
            const char *slash = strrchr(outs[i], '/');
            own = rt_same_file(od, dir) && strcmp(slash ? slash + 1 : outs[i], name) == 0;
            free(od);
        }
    }
    free(full);
    return own;
}

/* Drains pending events; true if any is a change to a file the build
 * reads (not one of its own outputs). */
static bool drain(int fd, const watch_dir *w, size_t n_w, const rt_build_opts *o) {
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool any = false;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return any;
        for (ssize_t at = 0; at + (ssize_t)sizeof(struct inotify_event) <= n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(buf + at);
            at += (ssize_t)sizeof *ev + ev->len;
            const char *dir = NULL;
            for (size_t i = 0; i < n_w; i++)
                if (w[i].wd == ev->wd)
                    dir = w[i].dir;
            if (dir && ev->len && ev->name[0] && own_output(dir, ev->name, o))
                continue;
            any = true;
        }
    }
}

int rt_watch_edition(const char *edition_path, const rt_build_opts *o, int max_builds, FILE *log) {
    char *layouts = rt_path_join(o->data_dir, "layouts");
    /* each rebuild keeps the stories where they were when that costs little */
    rt_plan_memory memory = {0};
    /* and the fonts, shaped words and typeset paragraphs: a rebuild sets
     * again only what changed */
    rt_build_keep keep = {0};
    rt_image_check_remember(true); /* and which images decoded whole */
    rt_build_opts wo = *o;
    wo.memory = &memory;
    wo.keep = &keep;
    int builds = 0, last = 0;
    for (;;) {
        int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (fd < 0) {
            fprintf(log, "rotative: cannot watch files: %s\n", strerror(errno));
            free(layouts);
            rt_plan_memory_free(&memory);
            rt_build_keep_free(&keep);
            rt_image_check_remember(false);
            return 2;
        }
        /* watch first, then build: a change made during the build is not lost */
        dir_set dirs = {0};
        collect_dirs(edition_path, layouts, &dirs);
        watch_dir *w = rt_xcalloc(dirs.n + 1, sizeof *w);
        size_t n_w = 0;
        for (size_t i = 0; i < dirs.n; i++) {
            int wd = inotify_add_watch(fd, dirs.dirs[i], WATCH_MASK);
            if (wd < 0)
                fprintf(log, "rotative: cannot watch %s: %s\n", dirs.dirs[i], strerror(errno));
            else
                w[n_w++] = (watch_dir){wd, dirs.dirs[i]};
        }

        rt_diag d;
        rt_diag_init(&d, log);
        d.keep = o->json != NULL;
        d.errors_only = o->report == NULL; /* --quiet */
        long t0 = now_ms(), c0 = cpu_ms();
        last = rt_build_edition(edition_path, &wo, &d);
        builds++;
        if (o->stats) { /* make bench reads the rebuilds' times here */
            fprintf(o->stats, "build %d: %ld ms (%ld ms of processor time)\n", builds,
                    now_ms() - t0, cpu_ms() - c0);
            fflush(o->stats);
        }
        if (d.errors)
            fprintf(log, "%d error%s; %s\n", d.errors, d.errors == 1 ? "" : "s",
                    o->output ? "the last good PDF is kept" : "nothing written");
        else if (last == 0)
            fprintf(log, "wrote %s\n", o->output ? o->output : o->split_dir);
        rt_diag_clear(&d);
        /* what the build freed goes back to the system before the wait: the
         * next build starts from what is kept, not from this one's peak */
        malloc_trim(0);
        fprintf(log, "watching for changes (build %d)\n", builds);
        fflush(log);
        if (max_builds > 0 && builds >= max_builds) {
            free(w);
            dir_set_free(&dirs);
            close(fd);
            break;
        }
        /* wait for a change (the build's own outputs are none), then for
         * the events to stop */
        struct pollfd p = {fd, POLLIN, 0};
        for (;;) {
            if (poll(&p, 1, -1) < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            if (drain(fd, w, n_w, o))
                break;
        }
        long quiet_since = now_ms();
        while (now_ms() - quiet_since < QUIET_MS) {
            int r = poll(&p, 1, QUIET_MS);
            if (r > 0 && drain(fd, w, n_w, o))
                quiet_since = now_ms();
        }
        free(w);
        dir_set_free(&dirs);
        close(fd);
        fprintf(log, "change seen: rebuilding\n");
    }
    free(layouts);
    rt_plan_memory_free(&memory);
    rt_build_keep_free(&keep);
    rt_image_check_remember(false);
    return last;
}
