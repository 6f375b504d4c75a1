/* compose: the page searches kept from build to build (see searches.h). */
#include "searches.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ fingerprints */

typedef struct {
    uint64_t a, b;
} fp128;

static void fp_bytes(fp128 *f, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        f->a = (f->a ^ p[i]) * 1099511628211ull; /* FNV-1a */
        f->b = (f->b + p[i] + 1) * 0x9E3779B97F4A7C15ull;
        f->b ^= f->b >> 29;
    }
}

static void fp_str(fp128 *f, const char *s) {
    size_t n = s ? strlen(s) : (size_t)-1;
    fp_bytes(f, &n, sizeof n);
    if (s)
        fp_bytes(f, s, n);
}

#define FP(f, v) fp_bytes((f), &(v), sizeof(v))

/* A part's article and edition entry, every field (part.fp). */
static void part_fingerprint(const part *pt, uint64_t out[2]) {
    fp128 f = {1469598103934665603ull, 0x243F6A8885A308D3ull};
    const rt_article *a = pt->a;
    fp_str(&f, a->path);
    fp_str(&f, a->title);
    fp_str(&f, a->kicker);
    fp_str(&f, a->standfirst);
    fp_str(&f, a->byline);
    fp_str(&f, a->section);
    FP(&f, a->lang);
    fp_str(&f, a->body);
    FP(&f, a->n_images);
    for (size_t i = 0; i < a->n_images; i++) {
        const rt_image *im = &a->images[i];
        fp_str(&f, im->file);
        fp_str(&f, im->caption);
        fp_str(&f, im->credit);
        FP(&f, im->width_px);
        FP(&f, im->height_px);
        FP(&f, im->focus_x);
        FP(&f, im->focus_y);
    }
    FP(&f, a->n_related);
    for (size_t i = 0; i < a->n_related; i++) {
        fp_str(&f, a->related[i].title);
        fp_str(&f, a->related[i].url);
    }
    const rt_entry *en = pt->en;
    FP(&f, en->role);
    FP(&f, en->weight);
    FP(&f, en->page);
    FP(&f, en->span);
    FP(&f, en->position);
    FP(&f, en->no_jump);
    FP(&f, en->reserve);
    out[0] = f.a;
    out[1] = f.b;
}

/* The layout's file and the edition's (every setting the measures read
 * comes from them, or from the program's defaults: the edition's `words:`
 * override the layout's), read again for each composition. */
static bool file_into(fp128 *f, const char *path) {
    size_t len;
    char *bytes = path ? rt_read_file(path, 0, &len) : NULL;
    if (!bytes)
        return false;
    fp_bytes(f, &len, sizeof len);
    fp_bytes(f, bytes, len);
    free(bytes);
    return true;
}

static bool layout_fingerprint(const composer *c, uint64_t out[2]) {
    fp128 f = {1469598103934665603ull, 0x13198A2E03707344ull};
    if (!file_into(&f, c->l->path) || !file_into(&f, c->e->path))
        return false;
    out[0] = f.a;
    out[1] = f.b;
    return true;
}

/* ------------------------------------------------------------- the memo */

typedef struct entry {
    struct entry *next;
    uint64_t key[2]; /* the inputs' digest (fp128 over all of them) */
    unsigned gen;    /* the build that last used it */
    uint64_t tags;   /* the page counts tried that used it in this build (bit tag % 64) */
    int n;
    unsigned char *plans; /* n plans, packed: each its pieces, then its other fields */
} entry;

struct cmp_searches {
    entry **b;
    size_t nb, n;
    unsigned gen;
    long kept, made; /* this build's searches taken from here, and made */
    int tags;        /* the page counts tried in this build (cmp_searches_tag) */
};

void rt_compose_searches_free(struct cmp_searches *s) {
    if (!s)
        return;
    for (size_t i = 0; i < s->nb; i++)
        for (entry *e = s->b[i], *next; e; e = next) {
            next = e->next;
            free(e->plans);
            free(e);
        }
    free(s->b);
    free(s);
}

void rt_compose_searches_sweep(struct cmp_searches *s) {
    if (!s)
        return;
    for (size_t i = 0; i < s->nb; i++)
        for (entry **pe = &s->b[i]; *pe;) {
            entry *e = *pe;
            if (e->gen != s->gen) {
                *pe = e->next;
                free(e->plans);
                free(e);
                s->n--;
            } else {
                pe = &e->next;
            }
        }
    s->gen++;
    s->kept = s->made = s->tags = 0;
}

void rt_compose_searches_counts(const struct cmp_searches *s, long *kept, long *made) {
    *kept = s ? s->kept : 0;
    *made = s ? s->made : 0;
}

/* ------------------------------------------------------------- the key */

typedef struct {
    unsigned char *p;
    size_t len, cap;
} keybuf;

static void put(keybuf *k, const void *d, size_t n) {
    if (k->len + n > k->cap) {
        k->cap = (k->len + n) * 2 + 256;
        k->p = rt_xrealloc(k->p, k->cap);
    }
    memcpy(k->p + k->len, d, n);
    k->len += n;
}

#define PUT(k, v) put((k), &(v), sizeof(v))

/* A part as the search reads it: its fingerprint, its place in the
 * edition and the planner's state of it. */
static void put_part(keybuf *k, const cmp_page_ctx *x, int p) {
    part *pt = &x->parts[p];
    if (!pt->fp_set) {
        part_fingerprint(pt, pt->fp);
        pt->fp_set = true;
    }
    PUT(k, p);
    PUT(k, x->done[p]);
    put(k, pt->fp, sizeof pt->fp);
    PUT(k, pt->idx);
    PUT(k, pt->role);
    PUT(k, pt->weight);
    PUT(k, pt->words);
    PUT(k, pt->section);
    PUT(k, pt->order);
    PUT(k, pt->front_lead);
    PUT(k, pt->was_on);
    PUT(k, pt->headline);
    PUT(k, pt->next);
    PUT(k, pt->started);
    PUT(k, pt->prev_page);
    PUT(k, pt->jump_page);
}

/* The search's inputs, whole; false when it is not to be kept. The first
 * build of a watch keeps none: where the stories were (part.was_on) is
 * known from the second, so its searches would never be asked again. */
static bool key_of(composer *c, const cmp_page_ctx *x, keybuf *k) {
    if (!c->ctx || !c->ctx->searches || c->share_lock || getenv("RT_NO_KEPT_SEARCHES") ||
        !c->ctx->previous || c->ctx->previous->made == 0)
        return false;
    for (size_t w = 0; w < x->n_window; w++)
        if (!cmp_flow_span_fixed(&x->parts[x->window[w]].f))
            return false;
    if (x->cont >= 0 && (size_t)x->cont < x->n_parts && !cmp_flow_span_fixed(&x->parts[x->cont].f))
        return false;
    if (!c->layout_fp_set) {
        if (!layout_fingerprint(c, c->layout_fp))
            return false;
        c->layout_fp_set = true;
    }
    put(k, c->layout_fp, sizeof c->layout_fp);
    PUT(k, c->e->lang);
    PUT(k, c->rows);
    PUT(k, c->B);
    PUT(k, c->col_w);
    PUT(k, c->roomy_photos);
    PUT(k, x->n_parts);
    PUT(k, x->n_window);
    PUT(k, x->cont);
    PUT(k, x->cont_from);
    PUT(k, x->cont_area);
    PUT(k, x->page);
    PUT(k, x->col0);
    PUT(k, x->ncols);
    PUT(k, x->top);
    PUT(k, x->bottom);
    PUT(k, x->front);
    PUT(k, x->last_chance);
    PUT(k, x->small_first);
    PUT(k, x->want);
    PUT(k, x->room);
    PUT(k, x->gap_cap);
    PUT(k, x->gap_cap_narrow);
    PUT(k, x->msg_span);
    for (size_t w = 0; w < x->n_window; w++)
        put_part(k, x, x->window[w]);
    if (x->cont >= 0 && (size_t)x->cont < x->n_parts)
        put_part(k, x, x->cont);
    return true;
}

static void key_digest(const keybuf *k, uint64_t d[2]) {
    fp128 f = {1469598103934665603ull, 0x452821E638D01377ull};
    fp_bytes(&f, k->p, k->len);
    d[0] = f.a;
    d[1] = f.b;
}

/* Plans packed: for each, its count of pieces, its pieces, then its fields
 * after them (a plan has room for 14 pieces and uses a few). */
#define TAIL (sizeof(cmp_page_plan) - offsetof(cmp_page_plan, n))

static size_t packed_size(const cmp_page_plan *plans, int n) {
    size_t z = 0;
    for (int i = 0; i < n; i++)
        z += sizeof(int) + (size_t)plans[i].n * sizeof(piece) + TAIL;
    return z;
}

static void pack(unsigned char *to, const cmp_page_plan *plans, int n) {
    for (int i = 0; i < n; i++) {
        size_t pz = (size_t)plans[i].n * sizeof(piece);
        memcpy(to, &plans[i].n, sizeof(int));
        memcpy(to + sizeof(int), plans[i].pc, pz);
        memcpy(to + sizeof(int) + pz, &plans[i].n, TAIL);
        to += sizeof(int) + pz + TAIL;
    }
}

static void unpack(cmp_page_plan *out, const unsigned char *from, int n) {
    for (int i = 0; i < n; i++) {
        int pn;
        memcpy(&pn, from, sizeof pn);
        size_t pz = (size_t)pn * sizeof(piece);
        memset(&out[i], 0, sizeof out[i]);
        memcpy(out[i].pc, from + sizeof(int), pz);
        memcpy(&out[i].n, from + sizeof(int) + pz, TAIL);
        from += sizeof(int) + pz + TAIL;
    }
}

static struct cmp_searches *memo_of(composer *c) {
    struct cmp_searches **sp = c->ctx->searches;
    if (!*sp) {
        *sp = rt_xcalloc(1, sizeof **sp);
        (*sp)->nb = 256;
        (*sp)->b = rt_xcalloc((*sp)->nb, sizeof *(*sp)->b);
    }
    return *sp;
}

int cmp_searches_tag(composer *c) {
    return c->ctx && c->ctx->searches ? ++memo_of(c)->tags : 0;
}

static entry **slot(struct cmp_searches *s, const uint64_t d[2]) {
    return &s->b[(d[0] ^ d[1]) % s->nb];
}

/* The digest of the search's inputs; false when it is not to be kept. */
static bool digest_of(composer *c, const cmp_page_ctx *x, uint64_t d[2]) {
    keybuf k = {0};
    bool keep = key_of(c, x, &k);
    if (keep)
        key_digest(&k, d);
    free(k.p);
    return keep;
}

static bool find(composer *c, const uint64_t d[2], cmp_page_plan *out, int *n) {
    struct cmp_searches *s = *c->ctx->searches;
    bool found = false;
    if (s) {
        for (entry *e = *slot(s, d); e && !found; e = e->next)
            if (e->key[0] == d[0] && e->key[1] == d[1]) {
                if (e->gen != s->gen)
                    e->tags = 0;
                e->gen = s->gen;
                e->tags |= 1ull << (c->search_tag % 64);
                unpack(out, e->plans, e->n);
                *n = e->n;
                found = true;
                s->kept++;
            }
    }
    return found;
}

static void add(composer *c, const uint64_t d[2], const cmp_page_plan *plans, int n) {
    struct cmp_searches *s = memo_of(c);
    if (s->n >= s->nb * 2) { /* grow: rehash into four times the buckets */
        size_t nb = s->nb * 4, old = s->nb;
        entry **ob = s->b;
        s->b = rt_xcalloc(nb, sizeof *s->b);
        s->nb = nb;
        for (size_t i = 0; i < old; i++)
            for (entry *e = ob[i], *next; e; e = next) {
                next = e->next;
                entry **to = slot(s, e->key);
                e->next = *to;
                *to = e;
            }
        free(ob);
    }
    entry *e = rt_xcalloc(1, sizeof *e);
    e->key[0] = d[0];
    e->key[1] = d[1];
    e->gen = s->gen;
    e->tags = 1ull << (c->search_tag % 64);
    e->n = n;
    e->plans = rt_xmalloc(packed_size(plans, n) + 1);
    pack(e->plans, plans, n);
    entry **to = slot(s, e->key);
    e->next = *to;
    *to = e;
    s->n++;
    s->made++;
}

void cmp_searches_drop(composer *c, int tag) {
    struct cmp_searches *s = c->ctx && c->ctx->searches ? *c->ctx->searches : NULL;
    for (size_t i = 0; s && i < s->nb; i++)
        for (entry **pe = &s->b[i]; *pe;) {
            entry *e = *pe;
            if (e->gen == s->gen && (e->tags &= ~(1ull << (tag % 64))) == 0) {
                *pe = e->next;
                free(e->plans);
                free(e);
                s->n--;
            } else {
                pe = &e->next;
            }
        }
}

int cmp_page_search(composer *c, const cmp_page_ctx *x, cmp_page_plan *out) {
    uint64_t d[2];
    bool keep = digest_of(c, x, d); /* (the inputs gathered once, before the search) */
    int n;
    if (keep && find(c, d, out, &n)) /* watch: the build before's, for the same inputs */
        return n;
    n = cmp_page_candidates(c, x, out);
    if (keep)
        add(c, d, out, n);
    return n;
}
