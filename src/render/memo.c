/* render: what a build's PDF made that the next build may take again
 * (`watch`): compressed font programs, by font file and glyph set, and
 * compressed page operators, by their bytes (render.h, rt_render_memo).
 *
 * An entry the build before did not use is dropped when a build begins; past
 * MEMO_MAX entries the least recently used goes. Entries are copied in and
 * out, under a lock.
 */
#include "canvas.h"

#include <hb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MEMO_MAX 512

typedef struct {
    int kind;
    hb_face_t *face; /* RT_MEMO_FONT: referenced */
    uint64_t key[2];
    size_t len;
    unsigned char *z;
    size_t zlen;
    unsigned long used;  /* the clock when last taken or kept */
    unsigned long build; /* the last build that used it */
} entry;

struct rt_render_memo {
    pthread_mutex_t lock;
    entry *e;
    size_t n, cap;
    unsigned long clock, build;
    int taken[2], made[2]; /* this build's, by kind */
};

rt_render_memo *rt_render_memo_new(void) {
    rt_render_memo *m = rt_xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->lock, NULL);
    return m;
}

static void drop(entry *e) {
    hb_face_destroy(e->face);
    free(e->z);
}

void rt_render_memo_next_build(rt_render_memo *m) {
    pthread_mutex_lock(&m->lock);
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].build == m->build)
            m->e[k++] = m->e[i];
        else
            drop(&m->e[i]);
    }
    m->n = k;
    m->build++;
    memset(m->taken, 0, sizeof m->taken);
    memset(m->made, 0, sizeof m->made);
    pthread_mutex_unlock(&m->lock);
}

void rt_render_memo_counts(rt_render_memo *m, int *fonts_taken, int *fonts_made, int *pages_taken,
                           int *pages_made) {
    pthread_mutex_lock(&m->lock);
    *fonts_taken = m->taken[RT_MEMO_FONT];
    *fonts_made = m->made[RT_MEMO_FONT];
    *pages_taken = m->taken[RT_MEMO_PAGE];
    *pages_made = m->made[RT_MEMO_PAGE];
    pthread_mutex_unlock(&m->lock);
}

void rt_render_memo_free(rt_render_memo *m) {
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        drop(&m->e[i]);
    free(m->e);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

void rt_memo_hash(const void *data, size_t n, uint64_t key[2]) {
    const unsigned char *s = data;
    uint64_t a = 0x243F6A8885A308D3ull ^ n, b = 0x13198A2E03707344ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        a = (a ^ v) * 0x9E3779B97F4A7C15ull;
        a ^= a >> 32;
        b = (b + v) * 0xC2B2AE3D27D4EB4Full;
        b ^= b >> 29;
    }
    uint64_t v = 0;
    if (n > i)
        memcpy(&v, s + i, n - i);
    a = (a ^ v) * 0x9E3779B97F4A7C15ull;
    b = (b + v) * 0xC2B2AE3D27D4EB4Full;
    key[0] = a ^ (a >> 31);
    key[1] = b ^ (b >> 33);
}

static entry *find(rt_render_memo *m, int kind, const struct hb_face_t *face, const uint64_t key[2],
                   size_t len) {
    for (size_t i = 0; i < m->n; i++) {
        entry *e = &m->e[i];
        if (e->kind == kind && e->face == face && e->len == len && e->key[0] == key[0] &&
            e->key[1] == key[1])
            return e;
    }
    return NULL;
}

unsigned char *rt_memo_take(rt_render_memo *m, int kind, struct hb_face_t *face,
                            const uint64_t key[2], size_t len, size_t *zlen) {
    unsigned char *z = NULL;
    pthread_mutex_lock(&m->lock);
    entry *e = find(m, kind, face, key, len);
    if (e) {
        e->used = ++m->clock;
        e->build = m->build;
        z = rt_xmalloc(e->zlen ? e->zlen : 1);
        memcpy(z, e->z, e->zlen);
        *zlen = e->zlen;
        m->taken[kind]++;
    }
    pthread_mutex_unlock(&m->lock);
    return z;
}

void rt_memo_keep(rt_render_memo *m, int kind, struct hb_face_t *face, const uint64_t key[2],
                  size_t len, const unsigned char *z, size_t zlen) {
    pthread_mutex_lock(&m->lock);
    m->made[kind]++;
    if (find(m, kind, face, key, len)) { /* (two pages alike) */
        pthread_mutex_unlock(&m->lock);
        return;
    }
    entry *slot;
    if (m->n >= MEMO_MAX) { /* the least recently used goes */
        slot = &m->e[0];
        for (size_t i = 1; i < m->n; i++)
            if (m->e[i].used < slot->used)
                slot = &m->e[i];
        drop(slot);
    } else {
        if (m->n == m->cap) {
            m->cap = m->cap ? 2 * m->cap : 64;
            m->e = rt_xrealloc(m->e, m->cap * sizeof *m->e);
        }
        slot = &m->e[m->n++];
    }
    unsigned char *copy = rt_xmalloc(zlen ? zlen : 1);
    memcpy(copy, z, zlen);
    *slot = (entry){kind,
                    face ? hb_face_reference(face) : NULL,
                    {key[0], key[1]},
                    len,
                    copy,
                    zlen,
                    ++m->clock,
                    m->build};
    pthread_mutex_unlock(&m->lock);
}
