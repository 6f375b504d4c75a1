/* compose: the page searches of one beam step, on two threads (search.h). */
#include "search.h"

#include <stdlib.h>
#include <string.h>

struct cmp_search_pool {
    pthread_t th;
    pthread_mutex_t lock; /* guards the batch below */
    pthread_cond_t go, done;
    pthread_mutex_t measure; /* composer.measure_lock while the pool lives */
    composer *c;             /* the composer measuring on the caller's thread */
    composer own;            /* the copy the second thread measures with */
    part *parts, *copy;      /* the caller's parts and the second thread's */
    size_t n_parts;
    /* the batch: searches x[0..n), taken in turn by whichever thread is free */
    const cmp_page_ctx *x;
    cmp_page_plan *out;
    int *counts;
    size_t n, next, finished;
    unsigned long batch; /* counts the batches handed out */
    bool quit;
};

/* Can a copy of the parts measure beside them? A table across columns is
 * set again for each span into the flow both would share. */
static bool shareable(const part *parts, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!cmp_flow_span_fixed(&parts[i].f))
            return false;
    return true;
}

/* Takes the batch's next search and runs it with this thread's composer and
 * parts, until none is left. Called with p->lock held; returns with it held. */
static void take(cmp_search_pool *p, composer *c, part *parts) {
    while (p->next < p->n) {
        size_t k = p->next++;
        pthread_mutex_unlock(&p->lock);
        cmp_page_ctx x = p->x[k];
        x.parts = parts;
        p->counts[k] = cmp_page_candidates(c, &x, p->out + k * CMP_KEEP);
        pthread_mutex_lock(&p->lock);
        if (++p->finished == p->n)
            pthread_cond_broadcast(&p->done);
    }
}

static void *second_thread(void *arg) {
    cmp_search_pool *p = arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && p->batch == seen)
            pthread_cond_wait(&p->go, &p->lock);
        if (p->quit)
            break;
        seen = p->batch;
        take(p, &p->own, p->copy);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

cmp_search_pool *cmp_search_pool_new(composer *c, part *parts, size_t n) {
    if ((c->ctx && c->ctx->threads == 1) || n < 2 || !shareable(parts, n))
        return NULL;
    cmp_search_pool *p = rt_xcalloc(1, sizeof *p);
    p->c = c;
    p->parts = parts;
    p->n_parts = n;
    /* the copy: the same values, caches of its own (the cut pieces' made
     * on first use) */
    for (size_t i = 0; i < n; i++)
        cmp_flow_lines(&parts[i].f, 0, 0); /* its count of lines, made on first use: made */
    p->copy = rt_xmalloc(n * sizeof *p->copy);
    memcpy(p->copy, parts, n * sizeof *p->copy);
    for (size_t i = 0; i < n; i++)
        p->copy[i].fits = NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->measure, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    if (pthread_create(&p->th, NULL, second_thread, p) != 0) {
        pthread_cond_destroy(&p->done);
        pthread_cond_destroy(&p->go);
        pthread_mutex_destroy(&p->measure);
        pthread_mutex_destroy(&p->lock);
        free(p->copy);
        free(p);
        return NULL; /* one thread, then */
    }
    c->measure_lock = &p->measure;
    return p;
}

void cmp_search_run(cmp_search_pool *p, composer *c, const cmp_page_ctx *x, size_t n,
                    cmp_page_plan *out, int *counts) {
    if (!p || n < 2) {
        for (size_t k = 0; k < n; k++)
            counts[k] = cmp_page_candidates(c, &x[k], out + k * CMP_KEEP);
        return;
    }
    pthread_mutex_lock(&p->lock);
    /* the second thread's composer: this one as it is now (the planner sets
     * what a count of pages allows between batches), sharing its memo */
    p->own = *c;
    p->own.memo_home = c->memo_home ? c->memo_home : &c->memo;
    p->own.memo_free = NULL;
    p->own.quiet = true;
    p->x = x;
    p->out = out;
    p->counts = counts;
    p->n = n;
    p->next = p->finished = 0;
    p->batch++;
    pthread_cond_signal(&p->go);
    take(p, c, p->parts);
    while (p->finished < p->n)
        pthread_cond_wait(&p->done, &p->lock);
    p->n = 0;
    pthread_mutex_unlock(&p->lock);
}

void cmp_search_pool_free(cmp_search_pool *p) {
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_signal(&p->go);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->th, NULL);
    p->c->measure_lock = NULL;
    for (size_t i = 0; i < p->n_parts; i++)
        free(p->copy[i].fits);
    free(p->copy);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->go);
    pthread_mutex_destroy(&p->measure);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
