/* Replays fuzz inputs through a harness without libFuzzer, so the corpora
 * and regression inputs run in ordinary builds (gcc, with or without
 * SANITIZE=1) as part of `make check`.
 *
 *   usage: replay_<target> [-v] FILE|DIR...
 *
 * Every file named is run once through LLVMFuzzerTestOneInput; directories
 * are walked recursively in name order, skipping hidden entries and README.md
 * files (which document the folders). Each input is passed in a heap buffer
 * of exactly its size, so that sanitizers see reads past the end. -v prints
 * each input's name before running it. A crash names the input it was
 * running. Prints "replayed N inputs" and exits 0; exits 2 if a path cannot
 * be read. */
#include "fuzz_common.h"

#include <dirent.h>
#include <signal.h>

/* Present when a sanitizer runtime is linked in. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static const char *current; /* the input being run, for crash reports */
static size_t n_inputs;
static bool verbose;
static int status;

static void say_current(void) {
    if (!current)
        return;
    static const char pre[] = "replay: crashed on input ";
    ssize_t r = write(2, pre, sizeof pre - 1);
    r = write(2, current, strlen(current));
    r = write(2, "\n", 1);
    (void)r;
}

static void on_signal(int sig) {
    say_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
        status = 2;
        return;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    if (!buf || ferror(f)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        status = 2;
        fclose(f);
        free(buf);
        return;
    }
    fclose(f);
    /* exactly `n` bytes, like libFuzzer (a 1-byte block for an empty input) */
    uint8_t *data = malloc(n ? n : 1);
    if (!data)
        fz_die("out of memory", NULL);
    memcpy(data, buf, n);
    free(buf);
    if (verbose)
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    current = path;
    LLVMFuzzerTestOneInput(data, n);
    current = NULL;
    free(data);
    n_inputs++;
}

static int skip_entry(const struct dirent *de) {
    return de->d_name[0] != '.' && strcmp(de->d_name, "README.md") != 0;
}

static void run_path(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        status = 2;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        run_file(path);
        return;
    }
    struct dirent **list;
    int n = scandir(path, &list, skip_entry, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: cannot list %s: %s\n", path, strerror(errno));
        status = 2;
        return;
    }
    for (int i = 0; i < n; i++) {
        char *p = fz_join(path, list[i]->d_name);
        run_path(p);
        free(p);
        free(list[i]);
    }
    free(list);
}

int main(int argc, char **argv) {
    /* A sanitizer reports its own errors (then calls the death callback);
     * without one, the fatal signals are caught to name the input. Aborts
     * (the harnesses' contract checks) are caught in both cases. */
    if (__sanitizer_set_death_callback) {
        __sanitizer_set_death_callback(say_current);
    } else {
        signal(SIGSEGV, on_signal);
        signal(SIGBUS, on_signal);
        signal(SIGFPE, on_signal);
        signal(SIGILL, on_signal);
    }
    signal(SIGABRT, on_signal);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-v") == 0)
            verbose = true;
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-v") != 0)
            run_path(argv[i]);
    printf("replayed %zu inputs\n", n_inputs);
    return status;
}
