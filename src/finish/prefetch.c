/* finish: the prefetch, a thread that converts the edition's photographs
 * (images.c) while its pages are composed and drawn, so that the finishing
 * pass finds them done or helps with what is left. */
#include "finish_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { PF_PENDING, PF_RUNNING, PF_DONE, PF_FAILED, PF_CLAIMED };

struct rt_image_prefetch {
    fin_converter *cv;
    char *profile, *decoder; /* the settings it converts with (see fin_prefetch_converter) */
    int standard;
    rt_image_cache *cache;
    fin_image_job *jobs;
    int *state;
    bool *asked; /* by rt_pdfx_finish (which reports its own failures) */
    bool *told;  /* a failure fin_prefetch_failure has returned */
    bool *given; /* its stream handed over (`once`): asked again, the caller converts it */
    bool once;   /* every image goes into one PDF: handed over, not copied */
    size_t n;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    bool stop;
    bool running; /* the thread was started and not yet joined */
    bool settled; /* joined by rt_pdfx_finish, every image converted or failed */
    pthread_t th;
};

/* Converts the images no thread has started, one after the other, until
 * none is left (or the prefetch is stopped). */
static void prefetch_run(rt_image_prefetch *p) {
    fin_colour_memo *memo = NULL;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = 0;
        while (!p->stop && i < p->n && p->state[i] != PF_PENDING)
            i++;
        if (p->stop || i == p->n) {
            pthread_mutex_unlock(&p->lock);
            break;
        }
        p->state[i] = PF_RUNNING;
        pthread_mutex_unlock(&p->lock);
        bool ok = fin_convert_one(&p->jobs[i], p->cv, &memo);
        pthread_mutex_lock(&p->lock);
        p->state[i] = ok ? PF_DONE : PF_FAILED;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
    }
    fin_colour_memo_free(memo);
}

static void *prefetch_main(void *arg) {
    prefetch_run(arg);
    return NULL;
}

void fin_prefetch_help(rt_image_prefetch *p) {
    if (!p || !p->running)
        return;
    /* this thread, the prefetch's, and as many more as the converter has */
    pthread_t th[FIN_MAX_THREADS];
    size_t started = 0;
    for (size_t i = 2; i < fin_converter_threads(p->cv); i++)
        if (pthread_create(&th[started], NULL, prefetch_main, p) == 0)
            started++;
    prefetch_run(p);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

rt_image_prefetch *rt_image_prefetch_start(const char *const *paths, size_t n,
                                           const rt_pdfx_opts *o, bool once) {
    if (n == 0)
        return NULL;
    const char *profile = o->icc_profile ? o->icc_profile : RT_DEFAULT_CMYK_PROFILE;
    fin_converter *cv = fin_converter_new(profile, o->tac > 0 ? o->tac : RT_INK_LIMIT,
                                          !o->grey_images, o->threads, NULL);
    if (!cv)
        return NULL; /* rt_pdfx_finish makes its own and reports why it cannot */
    fin_converter_use_cache(cv, o->cache, profile, o->standard, o->decoder_version);
    rt_image_prefetch *p = rt_xcalloc(1, sizeof *p);
    p->cv = cv;
    p->profile = rt_xstrdup(profile);
    p->decoder = rt_xstrdup(o->decoder_version ? o->decoder_version : "");
    p->standard = o->standard;
    p->cache = o->cache;
    p->jobs = rt_xcalloc(n, sizeof *p->jobs);
    p->state = rt_xcalloc(n, sizeof *p->state);
    p->asked = rt_xcalloc(n, sizeof *p->asked);
    p->told = rt_xcalloc(n, sizeof *p->told);
    p->given = rt_xcalloc(n, sizeof *p->given);
    p->once = once;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < p->n && !dup; k++)
            dup = strcmp(p->jobs[k].source, paths[i]) == 0;
        if (dup)
            continue;
        p->jobs[p->n].source = rt_xstrdup(paths[i]);
        p->jobs[p->n].decoder = o->decoder;
        p->jobs[p->n].grey = o->grey_images;
        p->jobs[p->n].eighths = 8; /* PNGs: whole */
        p->n++;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    p->running = pthread_create(&p->th, NULL, prefetch_main, p) == 0;
    return p;
}

/* Starts no other image; waits for the one being converted. */
static void prefetch_join(rt_image_prefetch *p) {
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_mutex_unlock(&p->lock);
    if (p->running)
        pthread_join(p->th, NULL);
    p->running = false;
}

void rt_image_prefetch_free(rt_image_prefetch *p) {
    if (!p)
        return;
    prefetch_join(p);
    fin_converter_free(p->cv);
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->jobs[i].source);
        free(p->jobs[i].rgb);
        free(p->jobs[i].out);
    }
    free(p->jobs);
    free(p->state);
    free(p->asked);
    free(p->told);
    free(p->given);
    free(p->profile);
    free(p->decoder);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    free(p);
}

fin_converter *fin_prefetch_converter(rt_image_prefetch *p, const char *profile, double tac,
                                      bool cmyk, int standard, const rt_image_cache *cache,
                                      const char *decoder) {
    if (!p || strcmp(p->profile, profile) != 0 || !fin_converter_is(p->cv, tac, cmyk) ||
        p->standard != standard || p->cache != cache ||
        strcmp(p->decoder, decoder ? decoder : "") != 0)
        return NULL;
    return p->cv;
}

bool fin_prefetch_take(rt_image_prefetch *p, fin_image_job *j) {
    size_t i = 0;
    while (i < p->n && strcmp(p->jobs[i].source, j->source) != 0)
        i++;
    if (i == p->n)
        return false;
    pthread_mutex_lock(&p->lock);
    p->asked[i] = true;
    while (p->state[i] == PF_RUNNING)
        pthread_cond_wait(&p->changed, &p->lock);
    if (p->state[i] == PF_PENDING)
        p->state[i] = PF_CLAIMED; /* the caller converts it */
    bool done = p->state[i] == PF_DONE && !p->given[i];
    p->given[i] |= done && p->once;
    pthread_mutex_unlock(&p->lock);
    if (!done)
        return false;
    fin_image_job *src = &p->jobs[i];
    if (p->once) { /* handed over: a photograph's stream is not held twice */
        j->out = src->out;
        src->out = NULL;
    } else { /* copied: a split build's pages may each need it */
        j->out = rt_xmalloc(src->out_len ? src->out_len : 1);
        memcpy(j->out, src->out, src->out_len);
    }
    j->out_len = src->out_len;
    j->width = src->width;
    j->height = src->height;
    j->pixels = src->pixels;
    j->grey = src->grey; /* a grey picture, stored as RGB or not */
    free(j->rgb);
    j->rgb = NULL;
    return true;
}

void fin_prefetch_settle(rt_image_prefetch *p) {
    if (!p || !p->running) {
        if (p)
            p->settled = true;
        return;
    }
    pthread_join(p->th, NULL); /* it stops when no image is left */
    p->running = false;
    p->settled = true;
}

const char *fin_prefetch_failure(rt_image_prefetch *p) {
    for (size_t i = 0; p && !p->running && i < p->n; i++)
        if (p->state[i] == PF_FAILED && !p->asked[i] && !p->told[i]) {
            p->told[i] = true;
            return p->jobs[i].source;
        }
    return NULL;
}

bool rt_image_prefetch_settled(const rt_image_prefetch *p) {
    return p && p->settled;
}

bool rt_image_prefetch_busy(rt_image_prefetch *p) {
    if (!p || !p->running)
        return false;
    pthread_mutex_lock(&p->lock);
    bool busy = false;
    for (size_t i = 0; i < p->n && !busy && !p->stop; i++)
        busy = p->state[i] == PF_PENDING || p->state[i] == PF_RUNNING;
    pthread_mutex_unlock(&p->lock);
    return busy;
}
