/* compose: the planner's second thread (pool.h). */
#include "pool.h"

#include "searches.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*job_fn)(cmp_pool *p, void *arg, size_t k, bool second);

struct cmp_pool {
    pthread_t th;
    pthread_mutex_t lock; /* guards the batch below */
    pthread_cond_t go, done;
    pthread_mutex_t share; /* composer.share_lock while the pool lives */
    composer *c;
    /* the batch: jobs 0..n, taken in turn by whichever thread is free */
    job_fn job;
    void *arg;
    size_t n, next, finished;
    unsigned long batch; /* counts the batches handed out */
    bool quit;
    long second_jobs; /* jobs the second thread ran (RT_PLAN_DEBUG says) */
    /* the page searches of the second thread: its composer and its copy of
     * the parts (made for the first searches; none when they cannot share) */
    composer own;
    part *copy;
    size_t n_copy;
    bool no_copy;
};

/* Whether the images converted ahead have the second processor (asked
 * before each job the second thread takes). Called with p->lock held;
 * returns with it held. */
static bool busy(cmp_pool *p) {
    const rt_compose_ctx *ctx = p->c->ctx;
    if (!ctx->busy)
        return false;
    pthread_mutex_unlock(&p->lock);
    bool b = ctx->busy(ctx->busy_arg);
    pthread_mutex_lock(&p->lock);
    return b;
}

/* Takes the batch's next job and runs it, until none is left (the second
 * thread: or the images converted ahead have its processor). Called with
 * p->lock held; returns with it held. */
static void take(cmp_pool *p, bool second) {
    while (p->next < p->n && !(second && busy(p)) && p->next < p->n) {
        size_t k = p->next++;
        if (second)
            p->second_jobs++;
        pthread_mutex_unlock(&p->lock);
        p->job(p, p->arg, k, second);
        pthread_mutex_lock(&p->lock);
        if (++p->finished == p->n)
            pthread_cond_broadcast(&p->done);
    }
}

static void *second_thread(void *arg) {
    cmp_pool *p = arg;
    rt_shaper_thread_begin(); /* a HarfBuzz buffer of its own */
    unsigned long seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && p->batch == seen)
            pthread_cond_wait(&p->go, &p->lock);
        if (p->quit)
            break;
        seen = p->batch;
        take(p, true);
    }
    pthread_mutex_unlock(&p->lock);
    rt_shaper_thread_end();
    return NULL;
}

/* Runs job(k) for k in [0, n) on both threads; returns when all are done. */
static void run(cmp_pool *p, job_fn job, void *arg, size_t n) {
    pthread_mutex_lock(&p->lock);
    p->job = job;
    p->arg = arg;
    p->n = n;
    p->next = p->finished = 0;
    p->batch++;
    pthread_cond_signal(&p->go);
    take(p, false);
    while (p->finished < p->n)
        pthread_cond_wait(&p->done, &p->lock);
    p->n = 0;
    pthread_mutex_unlock(&p->lock);
}

cmp_pool *cmp_pool_new(composer *c) {
    /* watch mode keeps what is typeset (the memo, the shaper's runs) from
     * build to build: made on one thread, in one memory arena (a second
     * arena holding some of it took `ed64`'s peak over six builds past
     * 100 MB), and a rebuild plans one page count only */
    if (!c->ctx || c->ctx->threads == 1 || c->ctx->watching || !c->ctx->shaper || !c->ctx->fonts)
        return NULL;
    cmp_pool *p = rt_xcalloc(1, sizeof *p);
    p->c = c;
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->share, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    if (pthread_create(&p->th, NULL, second_thread, p) != 0) {
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->go);
        pthread_mutex_destroy(&p->share);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL; /* one thread, then */
    }
    c->share_lock = &p->share;
    rt_shaper_share(c->ctx->shaper, true);
    rt_fonts_share(c->ctx->fonts, true);
    return p;
}

void cmp_pool_free(cmp_pool *p) {
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_signal(&p->go);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->th, NULL);
    if (p->c->ctx->plan_debug)
        fprintf(p->c->ctx->plan_debug, "pool: the second thread ran %ld jobs\n", p->second_jobs);
    rt_shaper_share(p->c->ctx->shaper, false);
    rt_fonts_share(p->c->ctx->fonts, false);
    p->c->share_lock = NULL;
    for (size_t i = 0; i < p->n_copy; i++)
        free(p->copy[i].fits);
    free(p->copy);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->go);
    pthread_mutex_destroy(&p->share);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

/* ------------------------------------------------------ the articles */

typedef struct {
    const composer *c;
    struct cmp_memo **memo;
    part *parts;
    rt_doc *const *docs;
    const bool *first;
    rt_diag *logs; /* per article: its messages, given in order after */
} init_work;

static void init_job(cmp_pool *p, void *arg, size_t k, bool second) {
    (void)p, (void)second;
    init_work *w = arg;
    composer own = *w->c; /* its own source of warnings, its own messages */
    own.d = &w->logs[k];
    own.memo_home = w->memo;
    own.memo_free = NULL;
    cmp_part_init(&own, &w->parts[k], k, w->docs[k], w->first[k]);
}

void cmp_pool_parts_init(cmp_pool *p, composer *c, part *parts, size_t n, rt_doc *const *docs,
                         const bool *first) {
    /* the dictionaries first: a missing one is said in the same place on
     * one thread or two */
    rt_shaper_load_dict(c->ctx->shaper, c->e->lang); /* the paper's own words */
    for (size_t k = 0; k < n; k++)
        rt_shaper_load_dict(c->ctx->shaper, c->e->entries[k].article->lang);
    if (!p || n < 2) {
        for (size_t k = 0; k < n; k++)
            cmp_part_init(c, &parts[k], k, docs[k], first[k]);
        return;
    }
    init_work w = {.c = c, .memo = cmp_memo_of(c), .parts = parts, .docs = docs, .first = first};
    w.logs = rt_xcalloc(n + 1, sizeof *w.logs);
    for (size_t k = 0; k < n; k++) {
        rt_diag_init(&w.logs[k], c->d->out);
        w.logs[k].silent = w.logs[k].keep = true;
    }
    run(p, init_job, &w, n);
    for (size_t k = 0; k < n; k++) {
        rt_diag_forward(c->d, &w.logs[k]);
        rt_diag_clear(&w.logs[k]);
    }
    free(w.logs);
}

/* ------------------------------------------------------ the searches */

/* Can a copy of the parts measure beside them? A table across columns is
 * set again for each span into the flow both would share. */
static bool shareable(const part *parts, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!cmp_flow_span_fixed(&parts[i].f))
            return false;
    return true;
}

typedef struct {
    composer *c;
    part *parts;
    const cmp_page_ctx *x;
    cmp_page_plan *out;
    int *counts;
} search_work;

static void search_job(cmp_pool *p, void *arg, size_t k, bool second) {
    search_work *w = arg;
    cmp_page_ctx x = w->x[k];
    x.parts = second ? p->copy : w->parts;
    w->counts[k] = cmp_page_search(second ? &p->own : w->c, &x, w->out + k * CMP_KEEP);
}

void cmp_pool_searches(cmp_pool *p, composer *c, part *parts, size_t n_parts, const cmp_page_ctx *x,
                       size_t n, cmp_page_plan *out, int *counts) {
    if (p && !p->copy && !p->no_copy) {
        p->no_copy = n_parts < 2 || !shareable(parts, n_parts);
        if (!p->no_copy) {
            /* the same values, caches of its own (the cut pieces' made on
             * first use); the count of lines, made on first use, made */
            for (size_t i = 0; i < n_parts; i++)
                cmp_flow_lines(&parts[i].f, 0, 0);
            p->copy = rt_xmalloc(n_parts * sizeof *p->copy);
            memcpy(p->copy, parts, n_parts * sizeof *p->copy);
            for (size_t i = 0; i < n_parts; i++)
                p->copy[i].fits = NULL;
            p->n_copy = n_parts;
        }
    }
    if (!p || p->no_copy || n < 2) {
        for (size_t k = 0; k < n; k++)
            counts[k] = cmp_page_search(c, &x[k], out + k * CMP_KEEP);
        return;
    }
    /* the second thread's composer: this one as it is now (the planner sets
     * what a count of pages allows between batches), sharing its memo */
    p->own = *c;
    p->own.memo_home = cmp_memo_of(c);
    p->own.memo_free = NULL;
    p->own.quiet = true;
    search_work w = {.c = c, .parts = parts, .x = x, .out = out, .counts = counts};
    run(p, search_job, &w, n);
}
