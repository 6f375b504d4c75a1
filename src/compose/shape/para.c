/* shape: paragraphs -> boxes, glue and penalties; HarfBuzz shaping with a
 * cache of shaped fragments; hyphenation points from libhyphen.
 *
 * Longer than 600 lines: a word is shaped once, then cut at its
 * hyphenation points into cached slices, so the cache, the slicing and the
 * item builder work on the same runs and are read together. */
#include "shape_internal.h"
#include "../../load/load.h"

#include <hyphen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define HYPHEN_PENALTY 50
#define EXPLICIT_HYPHEN_PENALTY 50
#define MAX_WORD 256 /* longer tokens are never hyphenated */
/* A cut between two characters of a word too wide for its line (emergency
 * pass only): dearer than any hyphen, cheaper than an overfull line. */
#define FORCED_CUT_PENALTY 900
/* Inter-word glue, as fractions of the font's space: it may grow by half
 * (1.5x, the target for justified text) and shrink to 0.6x. */
#define RT_SPACE_STRETCH 0.5
#define RT_SPACE_SHRINK 0.4
/* ... but never under 0.155 em: pdftotext -raw joins words closer than 0.15
 * em (poppler's minWordSpacing) */
#define RT_MIN_SPACE 0.155

typedef struct {
    const rt_font *font;
    int color;
    char *text;
    size_t len;
    rt_run *run;
} cache_slot;

struct rt_shaper {
    rt_fonts *fonts;
    HyphenDict *dict[RT_LANG_COUNT];
    bool dict_tried[RT_LANG_COUNT];
    char *hyphen_dir;
    rt_diag *diag;
    hb_buffer_t *buf;
    cache_slot *slots;
    size_t n_slots, used;
    unsigned *missing; /* characters no font has, since rt_shaper_take_missing */
    size_t n_missing, cap_missing;
    /* shared by two threads (rt_shaper_share): the cache, the dictionaries
     * and the missing characters are changed under the lock */
    pthread_mutex_t lock;
    bool shared;
};

/* The HarfBuzz buffer of a thread that shapes beside the one that made the
 * shaper (rt_shaper_thread_begin), or NULL: the shaper's own. */
static _Thread_local hb_buffer_t *thread_buf;

void rt_shaper_thread_begin(void) {
    thread_buf = hb_buffer_create();
}

void rt_shaper_thread_end(void) {
    hb_buffer_destroy(thread_buf);
    thread_buf = NULL;
}

void rt_shaper_share(rt_shaper *s, bool shared) {
    s->shared = shared;
}

static void lock(rt_shaper *s) {
    if (s->shared)
        pthread_mutex_lock(&s->lock);
}

static void unlock(rt_shaper *s) {
    if (s->shared)
        pthread_mutex_unlock(&s->lock);
}

static const char *const dict_names[RT_LANG_COUNT] = {"hyph_fr.dic", "hyph_nl.dic",
                                                      "hyph_en_US.dic"};

rt_shaper *rt_shaper_new(rt_fonts *fonts, const char *hyphen_dir, rt_diag *d) {
    rt_shaper *s = rt_xcalloc(1, sizeof *s);
    s->fonts = fonts;
    s->hyphen_dir = rt_xstrdup(hyphen_dir ? hyphen_dir : "/usr/share/hyphen");
    s->diag = d;
    s->buf = hb_buffer_create();
    s->n_slots = 4096;
    s->slots = rt_xcalloc(s->n_slots, sizeof *s->slots);
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void rt_shaper_set_diag(rt_shaper *s, rt_diag *d) {
    s->diag = d;
}

/* A run and its arrays in one block (one allocation, one free: a paper's
 * words make tens of thousands of runs): the doubles first, then the
 * glyphs and clusters, the flags and the text. */
rt_run *rt_run_new(size_t n_glyphs, size_t len) {
    size_t n = n_glyphs ? n_glyphs : 1;
    size_t head = (sizeof(rt_run) + 7) & ~(size_t)7;
    size_t size = head + (3 * n + 1) * sizeof(double) + n * sizeof(unsigned) + n * sizeof(int) +
                  (n + 1) + len + 1;
    rt_run *r = rt_xcalloc(1, size);
    char *at = (char *)r + head;
    r->x = (double *)at;
    r->y = r->x + n;
    r->pen = r->y + n;
    at = (char *)(r->pen + n + 1);
    r->glyphs = (unsigned *)at;
    r->cluster = (int *)(r->glyphs + n);
    r->unsafe = (unsigned char *)(r->cluster + n);
    r->utf8 = (char *)r->unsafe + n + 1;
    r->n_glyphs = n_glyphs;
    r->len = len;
    return r;
}

rt_run *rt_run_copy(const rt_run *o) {
    rt_run *r = rt_run_new(o->n_glyphs, o->len);
    size_t n = o->n_glyphs;
    r->font = o->font;
    r->color = o->color;
    r->width = o->width;
    r->gaps = o->gaps;
    memcpy(r->glyphs, o->glyphs, n * sizeof *r->glyphs);
    memcpy(r->x, o->x, n * sizeof *r->x);
    memcpy(r->y, o->y, n * sizeof *r->y);
    memcpy(r->pen, o->pen, (n + 1) * sizeof *r->pen);
    memcpy(r->cluster, o->cluster, n * sizeof *r->cluster);
    memcpy(r->unsafe, o->unsafe, n);
    memcpy(r->utf8, o->utf8, o->len + 1);
    return r;
}

void rt_run_free(rt_run *r) {
    free(r);
}

void rt_shaper_free(rt_shaper *s) {
    if (!s)
        return;
    for (int i = 0; i < RT_LANG_COUNT; i++)
        if (s->dict[i])
            hnj_hyphen_free(s->dict[i]);
    for (size_t i = 0; i < s->n_slots; i++) {
        free(s->slots[i].text);
        rt_run_free(s->slots[i].run);
    }
    free(s->slots);
    free(s->missing);
    hb_buffer_destroy(s->buf);
    pthread_mutex_destroy(&s->lock);
    free(s->hyphen_dir);
    free(s);
}

static rt_run *shape_uncached(rt_shaper *s, const char *text, size_t len, const rt_font *font,
                              int color) {
    hb_buffer_t *b = thread_buf ? thread_buf : s->buf;
    hb_buffer_clear_contents(b);
    hb_buffer_add_utf8(b, text, (int)len, 0, (int)len);
    hb_buffer_set_direction(b, HB_DIRECTION_LTR);
    hb_buffer_set_script(b, HB_SCRIPT_LATIN);
    hb_buffer_set_cluster_level(b, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES);
    static const hb_feature_t small_caps[1] = {
        {HB_TAG('s', 'm', 'c', 'p'), 1, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END}};
    hb_shape(font->hb, b, font->small_caps ? small_caps : NULL, font->small_caps ? 1 : 0);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, &n);
    rt_run *r = rt_run_new(n, len);
    r->font = font;
    r->color = color;
    memcpy(r->utf8, text, len);
    double pen = 0;
    for (unsigned i = 0; i < n; i++) {
        r->glyphs[i] = info[i].codepoint;
        r->x[i] = pen + pos[i].x_offset * font->hb_scale;
        r->y[i] = -pos[i].y_offset * font->hb_scale;
        r->cluster[i] = (int)info[i].cluster;
        r->unsafe[i] =
            (hb_glyph_info_get_glyph_flags(&info[i]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK) != 0;
        r->pen[i] = pen;
        pen += pos[i].x_advance * font->hb_scale;
    }
    r->width = pen;
    r->pen[n] = pen;
    for (size_t i = 1; i < n; i++)
        r->gaps += r->cluster[i] != r->cluster[i - 1];
    return r;
}

static uint64_t hash_key(const rt_font *font, int color, const char *text, size_t len) {
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)font ^ ((uint64_t)color << 32);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void cache_grow(rt_shaper *s) {
    cache_slot *old = s->slots;
    size_t n_old = s->n_slots;
    s->n_slots *= 2;
    s->slots = rt_xcalloc(s->n_slots, sizeof *s->slots);
    for (size_t i = 0; i < n_old; i++) {
        if (!old[i].run)
            continue;
        uint64_t h = hash_key(old[i].font, old[i].color, old[i].text, old[i].len);
        size_t k = h & (s->n_slots - 1);
        while (s->slots[k].run)
            k = (k + 1) & (s->n_slots - 1);
        s->slots[k] = old[i];
    }
    free(old);
}

static rt_run *cache_find(rt_shaper *s, const char *key, size_t len, const rt_font *font,
                          int color) {
    uint64_t h = hash_key(font, color, key, len);
    for (size_t k = h & (s->n_slots - 1); s->slots[k].run; k = (k + 1) & (s->n_slots - 1)) {
        cache_slot *c = &s->slots[k];
        if (c->font == font && c->color == color && c->len == len && memcmp(c->text, key, len) == 0)
            return c->run;
    }
    return NULL;
}

/* Stores a run under a key; the cache owns it from then on. */
static rt_run *cache_put(rt_shaper *s, const char *key, size_t len, const rt_font *font, int color,
                         rt_run *run) {
    if (s->used * 2 >= s->n_slots)
        cache_grow(s);
    uint64_t h = hash_key(font, color, key, len);
    size_t k = h & (s->n_slots - 1);
    while (s->slots[k].run)
        k = (k + 1) & (s->n_slots - 1);
    cache_slot *c = &s->slots[k];
    c->font = font;
    c->color = color;
    c->text = rt_xstrndup(key, len);
    c->len = len;
    c->run = run;
    s->used++;
    return run;
}

/* Returns a cached run (owned by the shaper). */
/* A run made outside the lock: stored, unless another thread stored the
 * same meanwhile (the same glyphs: that one is kept). */
static rt_run *cache_put_made(rt_shaper *s, const char *key, size_t len, const rt_font *font,
                              int color, rt_run *made) {
    lock(s);
    rt_run *r = s->shared ? cache_find(s, key, len, font, color) : NULL;
    if (!r)
        r = cache_put(s, key, len, font, color, made);
    unlock(s);
    if (r != made)
        rt_run_free(made);
    return r;
}

static rt_run *shape_cached(rt_shaper *s, const char *text, size_t len, const rt_font *font,
                            int color) {
    lock(s);
    rt_run *r = cache_find(s, text, len, font, color);
    unlock(s);
    return r ? r
             : cache_put_made(s, text, len, font, color, shape_uncached(s, text, len, font, color));
}

const rt_run *rt_space_run(rt_shaper *s, const rt_font *font, int color) {
    return shape_cached(s, " ", 1, font, color);
}

bool rt_run_has_notdef(const rt_run *r) {
    for (size_t i = 0; i < r->n_glyphs; i++)
        if (r->glyphs[i] == 0)
            return true;
    return false;
}

unsigned *rt_shaper_take_missing(rt_shaper *s, size_t *n) {
    unsigned *m = s->missing;
    *n = s->n_missing;
    s->missing = NULL;
    s->n_missing = s->cap_missing = 0;
    return m;
}

static void note_missing(rt_shaper *s, unsigned cp) {
    lock(s);
    bool seen = false;
    for (size_t i = 0; i < s->n_missing && !seen; i++)
        seen = s->missing[i] == cp;
    if (!seen)
        RT_PUSH(s->missing, s->n_missing, s->cap_missing, cp);
    unlock(s);
}

/* Glyphs [g0, g1) of a run, as a run of their own (positions re-based):
 * drawn one after another, the slices of a word look exactly like the word. */
static rt_run *slice_run(const rt_run *w, size_t g0, size_t g1) {
    size_t n = g1 - g0;
    int c0 = w->cluster[g0];
    int c1 = g1 < w->n_glyphs ? w->cluster[g1] : (int)w->len;
    rt_run *r = rt_run_new(n, (size_t)(c1 - c0));
    r->font = w->font;
    r->color = w->color;
    double p0 = w->pen[g0];
    for (size_t i = 0; i < n; i++) {
        r->glyphs[i] = w->glyphs[g0 + i];
        r->x[i] = w->x[g0 + i] - p0;
        r->y[i] = w->y[g0 + i];
        r->cluster[i] = w->cluster[g0 + i] - c0;
        r->unsafe[i] = w->unsafe[g0 + i];
        r->pen[i] = w->pen[g0 + i] - p0;
    }
    r->width = w->pen[g1] - p0;
    r->pen[n] = r->width;
    memcpy(r->utf8, w->utf8 + c0, r->len);
    for (size_t i = 1; i < n; i++)
        r->gaps += r->cluster[i] != r->cluster[i - 1];
    return r;
}

/* A cached slice of the shaping of `whole` (glyphs [g0, g1) of it). */
static rt_run *slice_cached(rt_shaper *s, const rt_run *whole, size_t g0, size_t g1) {
    char prefix[48];
    int pl = snprintf(prefix, sizeof prefix, "\x01%zu:%zu:", g0, g1);
    rt_buf key = {0};
    rt_buf_add(&key, prefix, (size_t)pl);
    rt_buf_add(&key, whole->utf8, whole->len);
    lock(s);
    rt_run *r = cache_find(s, key.data, key.len, whole->font, whole->color);
    unlock(s);
    if (!r)
        r = cache_put_made(s, key.data, key.len, whole->font, whole->color,
                           slice_run(whole, g0, g1));
    rt_buf_free(&key);
    return r;
}

rt_run *rt_shape_run(rt_shaper *s, const char *text, size_t len, rt_font *font, int color) {
    return shape_uncached(s, text, len, font, color);
}

/* ------------------------------------------------------------ hyphenation */

static HyphenDict *dict_for(rt_shaper *s, int lang) {
    if (lang < 0 || lang >= RT_LANG_COUNT)
        return NULL;
    lock(s);
    if (!s->dict_tried[lang]) {
        s->dict_tried[lang] = true;
        char *path = rt_path_join(s->hyphen_dir, dict_names[lang]);
        s->dict[lang] = hnj_hyphen_load(path);
        if (!s->dict[lang])
            rt_warning(s->diag, path, 0, 0,
                       "hyphenation dictionary not found; words will not be hyphenated");
        free(path);
    }
    HyphenDict *dict = s->dict[lang];
    unlock(s);
    return dict;
}

void rt_shaper_load_dict(rt_shaper *s, int lang) {
    dict_for(s, lang);
}

static bool is_letter_cp(unsigned cp) {
    return g_unichar_isalpha(cp);
}

bool rt_is_letter(unsigned cp) {
    return is_letter_cp(cp);
}

void rt_hyphenate_word(rt_shaper *s, int lang, const char *word, size_t len, bool sentence_start,
                       bool *ok) {
    memset(ok, 0, len + 1);
    if (len == 0 || len > MAX_WORD)
        return;
    /* numbers, URLs, e-mail addresses: never, not even in their first
     * letters ("kazachstan@..." is an address before the '@' is seen) */
    for (size_t i = 0; i < len;) {
        unsigned cp;
        int l = rt_utf8_decode(word + i, &cp);
        if (g_unichar_isdigit(cp) || cp == '@' || cp == '/' || cp == ':' || cp == '_' ||
            (cp == '.' && i + 1 < len && g_unichar_isalpha((gunichar)(unsigned char)word[i + 1])))
            return;
        i += (size_t)l;
    }
    /* The core: the longest run of letters (apostrophes split it: break
     * never right after one, the part after it is hyphenated alone). */
    size_t i = 0;
    while (i < len) {
        /* find a run of letters */
        unsigned cp;
        int l = rt_utf8_decode(word + i, &cp);
        if (!is_letter_cp(cp)) {
            i += (size_t)l;
            continue;
        }
        size_t start = i, nchars = 0;
        bool capital = false; /* a capital other than an allowed initial one */
        bool first_run = start == 0 || (start > 0 && !g_unichar_isalpha(word[0]));
        while (i < len) {
            l = rt_utf8_decode(word + i, &cp);
            if (!is_letter_cp(cp))
                break;
            if (g_unichar_isupper(cp) && !(nchars == 0 && sentence_start && first_run))
                capital = true;
            i += (size_t)l;
            nchars++;
        }
        if (i < len) {
            unsigned next;
            rt_utf8_decode(word + i, &next);
            if (g_unichar_isdigit(next))
                return;
        }
        if (capital || nchars < 5)
            continue;
        HyphenDict *dict = dict_for(s, lang);
        if (!dict)
            return;
        size_t blen = i - start;
        char *lower = g_utf8_strdown(word + start, (gssize)blen); /* patterns are lower case */
        size_t llen = strlen(lower);
        if (llen != blen) { /* case mapping changed the length: positions would drift */
            g_free(lower);
            continue;
        }
        char *hy = rt_xcalloc(llen + 5, 1);
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        if (hnj_hyphen_hyphenate2(dict, lower, (int)llen, hy, NULL, &rep, &pos, &cut) == 0) {
            /* hy[k] odd: break after character k (characters for UTF-8 dicts) */
            size_t byte = start, ci = 0;
            int lmin = 2, rmin = 3;
            while (byte < i) {
                unsigned c2;
                int cl = rt_utf8_decode(word + byte, &c2);
                size_t after = byte + (size_t)cl;
                size_t idx = dict->utf8 ? ci : (size_t)(byte - start);
                if ((hy[idx] & 1) && !(rep && rep[idx]) && (int)(ci + 1) >= lmin &&
                    (int)(nchars - ci - 1) >= rmin)
                    ok[after] = true;
                byte = after;
                ci++;
            }
        }
        if (rep) {
            for (size_t k = 0; k < llen; k++)
                free(rep[k]);
            free(rep);
        }
        free(pos);
        free(cut);
        free(hy);
        g_free(lower);
    }
}

/* ------------------------------------------------------------- paragraphs */

typedef struct {
    rt_item *items;
    size_t n, cap;
} item_list;

static void push_item(item_list *l, rt_item it) {
    RT_PUSH(l->items, l->n, l->cap, it);
}

double rt_protrusion(unsigned cp, bool right) { /* fractions after microtype's defaults */
    if (right) {
        switch (cp) {
        case '.':
        case ',':
        case '-':
        case 0x2010:
        case 0x2011:
            return 0.7;
        case 0x2019:
        case 0x201D:
        case 0x00BB:
        case '\'':
        case '"':
            return 0.5; /* ’ ” » */
        case ':':
        case ';':
            return 0.5;
        case 0x2026:
            return 0.3; /* … */
        case '!':
        case '?':
            return 0.2;
        case 0x2013:
        case 0x2014:
            return 0.3; /* – — */
        case ')':
            return 0.1;
        default:
            return 0;
        }
    }
    switch (cp) {
    case 0x00AB:
    case 0x201C:
    case 0x2018:
    case '"':
    case '\'':
        return 0.5; /* « “ ‘ */
    case 0x2013:
    case 0x2014:
        return 0.3;
    case '(':
        return 0.1;
    default:
        return 0;
    }
}

/* Advance of the glyphs of the first (or last) character of a run. */
static void edge_advance(const rt_run *r, bool last, unsigned *cp, double *adv) {
    *cp = 0;
    *adv = 0;
    if (!r->n_glyphs || !r->len)
        return;
    if (!last) {
        rt_utf8_decode(r->utf8, cp);
        size_t k = 1;
        while (k < r->n_glyphs && r->cluster[k] == r->cluster[0])
            k++;
        *adv = k < r->n_glyphs ? r->x[k] - r->x[0] : r->width;
        return;
    }
    size_t i = r->len - 1;
    while (i > 0 && ((unsigned char)r->utf8[i] & 0xC0) == 0x80)
        i--;
    rt_utf8_decode(r->utf8 + i, cp);
    size_t g = r->n_glyphs - 1;
    int cl = r->cluster[g];
    while (g > 0 && r->cluster[g - 1] == cl)
        g--;
    *adv = r->width - r->x[g];
}

static double capped(double p, double max) {
    return max > 0 && p > max ? max : p;
}

static void set_protrusion(rt_item *it, const rt_para_opts *o) {
    unsigned cp;
    double adv;
    edge_advance(it->run, false, &cp, &adv);
    it->lp = capped(rt_protrusion(cp, false) * adv, o->protrude_max_l);
    edge_advance(it->run, true, &cp, &adv);
    it->rp = capped(rt_protrusion(cp, true) * adv, o->protrude_max_r);
}

static void push_run_box(item_list *l, rt_run *r, const rt_para_opts *o) {
    double e = r->width * o->expand;
    double ls = r->gaps * o->tracking * rt_font_size(r->font);
    rt_item it = {RT_ITEM_BOX, r->width, e + ls, e, 0, false, r,    0,
                  0,           NULL,     NULL,   0, 0, false, false};
    if (o->protrude)
        set_protrusion(&it, o);
    push_item(l, it);
}

static void push_box(rt_shaper *s, item_list *l, const char *t, size_t n, const rt_font *f,
                     int color, const rt_para_opts *o) {
    if (n > 0)
        push_run_box(l, shape_cached(s, t, n, f, color), o);
}

static void push_hyphen(rt_shaper *s, item_list *l, const rt_font *f, int color, bool explicit_) {
    if (explicit_) {
        push_item(l, (rt_item){RT_ITEM_PENALTY, 0, 0, 0, EXPLICIT_HYPHEN_PENALTY, true, NULL, 0, 0,
                               NULL, NULL, 0, 0, false, false});
        return;
    }
    rt_run *r = shape_cached(s, "-", 1, f, color);
    push_item(l, (rt_item){RT_ITEM_PENALTY, r->width, 0, 0, HYPHEN_PENALTY, true, r, 0, 0, NULL,
                           NULL, 0, 0, false, false});
}

static void push_space(item_list *l, const rt_font *f, bool breakable, double width) {
    if (!breakable)
        push_item(l, (rt_item){RT_ITEM_PENALTY, 0, 0, 0, RT_INF_PENALTY, false, NULL, 0, 0, NULL,
                               NULL, 0, 0, false, false});
    /* a word space never gets narrower than RT_MIN_SPACE em: text extraction
     * (pdftotext -raw, archives, search engines) finds words by the gaps
     * between them, whatever space characters the PDF holds */
    double min = rt_font_size(f) * RT_MIN_SPACE;
    double w = width > 0 ? width : f->space > min ? f->space : min;
    double st = width > 0 ? 0 : f->space * RT_SPACE_STRETCH, sh = width > 0 ? 0
                                                                  : w * (1 - RT_SPACE_SHRINK) > min
                                                                      ? w * RT_SPACE_SHRINK
                                                                      : w - min;
    push_item(l, (rt_item){RT_ITEM_GLUE, w, st, sh, 0, false, NULL, 0, 0, NULL, NULL, 0, 0, false,
                           false});
}

/* Per-byte span index of the concatenated text. */
typedef struct {
    char *text;
    size_t len;
    int *span; /* per byte */
    bool *shy; /* per byte: a soft hyphen (U+00AD, removed from text) stood before it */
} flat_text;

static void flatten(const rt_text_span *spans, size_t n, bool upper, flat_text *ft) {
    rt_buf b = {0};
    size_t cap = 0, m = 0, shy_cap = 0;
    int *map = NULL;
    bool *shy = NULL;
    for (size_t i = 0; i < n; i++) {
        char *t = upper ? g_utf8_strup(spans[i].text, (gssize)spans[i].len) : NULL;
        const char *src = t ? t : spans[i].text;
        size_t len = t ? strlen(t) : spans[i].len;
        for (size_t k = 0; k < len; k++) {
            if (k + 1 < len && (unsigned char)src[k] == 0xC2 && (unsigned char)src[k + 1] == 0xAD) {
                /* soft hyphen: a break the writer allows; not printed */
                if (b.len + 1 > shy_cap) {
                    size_t old = shy_cap;
                    shy_cap = (b.len + 1) * 2;
                    shy = rt_xrealloc(shy, shy_cap);
                    memset(shy + old, 0, shy_cap - old);
                }
                shy[b.len] = true;
                k++;
                continue;
            }
            rt_buf_add(&b, src + k, 1);
            RT_PUSH(map, m, cap, (int)i);
        }
        g_free(t);
    }
    ft->len = b.len;
    ft->text = rt_buf_steal(&b);
    ft->span = map;
    if (shy_cap < ft->len + 1) {
        size_t old = shy_cap;
        shy = rt_xrealloc(shy, ft->len + 1);
        memset(shy + old, 0, ft->len + 1 - old);
    }
    ft->shy = shy;
}

static bool is_break_space(const char *p) {
    return *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
}

/* U+00A0 no-break space -> 2 ; U+202F narrow no-break space -> 3 ; else 0 */
static int nbsp_len(const char *p, size_t rest, bool *narrow) {
    if (rest >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
        *narrow = false;
        return 2;
    }
    if (rest >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
        (unsigned char)p[2] == 0xAF) {
        *narrow = true;
        return 3;
    }
    return 0;
}

/* Does a word end a sentence (. ! ? or …, possibly followed by a closing
 * parenthesis or quote)? Then the next word starts one. */
static bool ends_sentence(const char *w, size_t n) {
    for (;;) {
        if (n >= 1 && w[n - 1] == ')')
            n--;
        else if (n >= 2 && memcmp(w + n - 2, "»", 2) == 0)
            n -= 2;
        else if (n >= 3 && memcmp(w + n - 3, "”", 3) == 0)
            n -= 3;
        else
            break;
    }
    if (n == 0)
        return false;
    char c = w[n - 1];
    return c == '.' || c == '!' || c == '?' || (n >= 3 && memcmp(w + n - 3, "…", 3) == 0);
}

/* The penalty at a break point `pt` (a byte offset into `text`) after the
 * piece starting at `piece`: a hyphen (or nothing after '-' or '/'). When
 * HarfBuzz marks the point unsafe, the pieces on both sides are reshaped for
 * the broken case (see rt_item.pre/post): `shown` is the slice drawn when
 * the word is not broken, `next_end` where the following piece ends. */
static void emit_point(rt_shaper *s, item_list *l, const rt_text_span *sp, const char *text,
                       size_t piece, size_t pt, bool slash, const rt_para_opts *o,
                       const rt_run *shown, size_t next_end, const rt_run *next_shown) {
    bool explicit_ = text[pt - 1] == '-' || slash;
    push_hyphen(s, l, sp->font, sp->color, explicit_);
    rt_item *h = &l->items[l->n - 1];
    if (shown && next_shown) {
        rt_buf pre = {0};
        rt_buf_add(&pre, text + piece, pt - piece);
        if (!explicit_)
            rt_buf_adds(&pre, "-");
        h->pre = shape_cached(s, pre.data, pre.len, sp->font, sp->color);
        rt_buf_free(&pre);
        h->width = h->pre->width - shown->width;
        h->post = shape_cached(s, text + pt, next_end - pt, sp->font, sp->color);
        h->post_delta = h->post->width - next_shown->width;
    }
    if (slash)
        h->flagged = false; /* a line break in a URL, not a hyphen */
    else if (o->protrude)
        h->rp = h->run ? capped(rt_protrusion('-', true) * h->run->width, o->protrude_max_r)
                       : l->items[l->n - 2].rp; /* explicit: the box's own '-' */
}

/* The span's decoration on the boxes pushed since item `from`. */
static void decorate(item_list *l, size_t from, const rt_text_span *sp) {
    for (size_t i = from; i < l->n; i++)
        if (l->items[i].kind == RT_ITEM_BOX) {
            l->items[i].rise = sp->rise;
            l->items[i].strike = sp->strike;
        }
}

/* A piece of a word in one font, [seg, end) of the flat text, with its
 * break points (ok[] relative to the word's start `wa`). The whole piece is
 * shaped once and cut into slices at the break points, so that kerning and
 * ligatures across them survive when the word is not broken there. */
static void emit_pieces(rt_shaper *s, item_list *l, const flat_text *ft, const rt_text_span *sp,
                        size_t seg, size_t end, size_t wa, const bool *ok, const bool *slash,
                        const rt_para_opts *o);

static void emit_segment(rt_shaper *s, item_list *l, const flat_text *ft, const rt_text_span *spans,
                         size_t seg, size_t end, size_t wa, const bool *ok, const bool *slash,
                         const rt_para_opts *o) {
    const rt_text_span *sp = &spans[ft->span[seg]];
    size_t from_item = l->n;
    emit_pieces(s, l, ft, sp, seg, end, wa, ok, slash, o);
    if (sp->rise != 0 || sp->strike)
        decorate(l, from_item, sp);
}

static void emit_pieces(rt_shaper *s, item_list *l, const flat_text *ft, const rt_text_span *sp,
                        size_t seg, size_t end, size_t wa, const bool *ok, const bool *slash,
                        const rt_para_opts *o) {
    size_t pts[MAX_WORD + 2];
    size_t np = 0;
    for (size_t j = seg + 1; j < end && np < MAX_WORD; j++)
        if (ok[j - wa])
            pts[np++] = j;
    if (np == 0) {
        push_box(s, l, ft->text + seg, end - seg, sp->font, sp->color, o);
        return;
    }
    rt_run *whole = shape_cached(s, ft->text + seg, end - seg, sp->font, sp->color);
    /* glyph boundaries at the points: a point inside a cluster (a ligature
     * spanning it) cannot be cut from the whole shaping */
    size_t gb[MAX_WORD + 2];
    bool cuttable = true;
    gb[0] = 0;
    for (size_t k = 0; k < np && cuttable; k++) {
        int off = (int)(pts[k] - seg);
        size_t g = 0;
        while (g < whole->n_glyphs && whole->cluster[g] < off)
            g++;
        cuttable = g < whole->n_glyphs && whole->cluster[g] == off && g > gb[k];
        gb[k + 1] = g;
    }
    gb[np + 1] = whole->n_glyphs;
    if (!cuttable) { /* shape each piece alone */
        size_t from = seg;
        for (size_t k = 0; k <= np; k++) {
            size_t to = k < np ? pts[k] : end;
            push_box(s, l, ft->text + from, to - from, sp->font, sp->color, o);
            if (k < np)
                emit_point(s, l, sp, ft->text, from, to, slash[to - wa], o, NULL, 0, NULL);
            from = to;
        }
        return;
    }
    rt_run *slices[MAX_WORD + 2];
    for (size_t k = 0; k <= np; k++)
        slices[k] = slice_cached(s, whole, gb[k], gb[k + 1]);
    size_t from = seg;
    for (size_t k = 0; k <= np; k++) {
        push_run_box(l, slices[k], o);
        if (k == np)
            break;
        size_t to = pts[k], next_end = k + 1 < np ? pts[k + 1] : end;
        bool unsafe = whole->unsafe[gb[k + 1]];
        emit_point(s, l, sp, ft->text, from, to, slash[to - wa], o, unsafe ? slices[k] : NULL,
                   next_end, unsafe ? slices[k + 1] : NULL);
        from = to;
    }
}

/* ---------------------------------------------- fallback, CJK, forced cuts */

/* Per byte of the word [a, b): the font its character prints in: the
 * span's, or, for a cluster the span's font has no glyph for, the font
 * rt_font_fallback finds (no font: the span's, and the character is noted
 * as missing). Returns true when a fallback font is used. */
static bool word_fonts(rt_shaper *s, const flat_text *ft, const rt_text_span *spans, size_t a,
                       size_t b, const rt_font **fnt) {
    bool any = false;
    for (size_t seg = a; seg < b;) {
        size_t end = seg + 1;
        while (end < b && ft->span[end] == ft->span[seg])
            end++;
        const rt_text_span *sp = &spans[ft->span[seg]];
        for (size_t k = seg; k < end; k++)
            fnt[k - a] = sp->font;
        const rt_run *r = shape_cached(s, ft->text + seg, end - seg, sp->font, sp->color);
        if (rt_run_has_notdef(r)) {
            for (size_t g = 0; g < r->n_glyphs;) {
                size_t j = g;
                bool bad = false;
                while (j < r->n_glyphs && r->cluster[j] == r->cluster[g])
                    bad |= r->glyphs[j++] == 0;
                size_t c0 = (size_t)r->cluster[g];
                size_t c1 = j < r->n_glyphs ? (size_t)r->cluster[j] : end - seg;
                g = j;
                if (!bad || c1 <= c0)
                    continue;
                const char *t = ft->text + seg + c0;
                rt_font *fb = rt_font_fallback(s->fonts, sp->font, t, c1 - c0);
                if (fb) {
                    for (size_t k = seg + c0; k < seg + c1; k++)
                        fnt[k - a] = fb;
                    any = true;
                    continue;
                }
                /* no font has it: name the first character the font lacks */
                unsigned cp = 0, first = 0;
                for (size_t k = 0; k < c1 - c0;) {
                    unsigned c;
                    hb_codepoint_t gid;
                    k += (size_t)rt_utf8_decode(t + k, &c);
                    if (!first)
                        first = c;
                    if (!cp && !hb_font_get_nominal_glyph(sp->font->hb, c, &gid))
                        cp = c;
                }
                note_missing(s, cp ? cp : first);
            }
        }
        seg = end;
    }
    return any;
}

/* Line breaks inside text without spaces (Unicode's line-breaking classes,
 * simplified): allowed between two characters when one of them is
 * ideographic (CJK ideographs, kana, hangul syllables, emoji) and neither
 * forbids it (closing punctuation, marks and joiners after; opening
 * punctuation and joiners before). */
static bool ideographic(GUnicodeBreakType t) {
    return t == G_UNICODE_BREAK_IDEOGRAPHIC || t == G_UNICODE_BREAK_CONDITIONAL_JAPANESE_STARTER ||
           t == G_UNICODE_BREAK_HANGUL_LV_SYLLABLE || t == G_UNICODE_BREAK_HANGUL_LVT_SYLLABLE ||
           t == G_UNICODE_BREAK_EMOJI_BASE;
}

static bool no_break_before(GUnicodeBreakType t) {
    switch (t) {
    case G_UNICODE_BREAK_CLOSE_PUNCTUATION:
    case G_UNICODE_BREAK_CLOSE_PARANTHESIS:
    case G_UNICODE_BREAK_EXCLAMATION:
    case G_UNICODE_BREAK_INFIX_SEPARATOR:
    case G_UNICODE_BREAK_NON_STARTER:
    case G_UNICODE_BREAK_COMBINING_MARK:
    case G_UNICODE_BREAK_ZERO_WIDTH_JOINER:
    case G_UNICODE_BREAK_EMOJI_MODIFIER:
    case G_UNICODE_BREAK_WORD_JOINER:
    case G_UNICODE_BREAK_NON_BREAKING_GLUE:
    case G_UNICODE_BREAK_QUOTATION:
    case G_UNICODE_BREAK_POSTFIX:
    case G_UNICODE_BREAK_HYPHEN:
        return true;
    default:
        return false;
    }
}

static bool no_break_after(GUnicodeBreakType t) {
    return t == G_UNICODE_BREAK_OPEN_PUNCTUATION || t == G_UNICODE_BREAK_ZERO_WIDTH_JOINER ||
           t == G_UNICODE_BREAK_WORD_JOINER || t == G_UNICODE_BREAK_NON_BREAKING_GLUE ||
           t == G_UNICODE_BREAK_QUOTATION || t == G_UNICODE_BREAK_PREFIX;
}

/* Sets cut[i] where a break between characters is allowed before byte i. */
static bool ideographic_breaks(const char *w, size_t len, bool *cut) {
    bool any = false;
    GUnicodeBreakType prev = G_UNICODE_BREAK_UNKNOWN;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        int l = rt_utf8_decode(w + i, &cp);
        GUnicodeBreakType t = g_unichar_break_type(cp);
        if (i > 0 && (ideographic(prev) || ideographic(t)) && !no_break_before(t) &&
            !no_break_after(prev)) {
            cut[i] = true;
            any = true;
        }
        prev = t;
        i += (size_t)l;
    }
    return any;
}

/* How a word may break before one of its bytes. */
enum { PT_NONE, PT_HYPHEN, PT_SLASH, PT_IDEO, PT_FORCED };

/* Natural width of the word's bytes [x, y), shaped in their fonts. */
static double piece_width(rt_shaper *s, const flat_text *ft, const rt_text_span *spans, size_t a,
                          const rt_font **fnt, size_t x, size_t y) {
    double w = 0;
    for (size_t k = x; k < y;) {
        size_t e = k + 1;
        while (e < y && fnt[e] == fnt[k] && ft->span[a + e] == ft->span[a + k])
            e++;
        w += shape_cached(s, ft->text + a + k, e - k, fnt[k], spans[ft->span[a + k]].color)->width;
        k = e;
    }
    return w;
}

/* A piece wider than the measure: a forced cut at each cluster boundary of
 * its shaping (never inside a grapheme). */
static void force_cuts(rt_shaper *s, const flat_text *ft, const rt_text_span *spans, size_t a,
                       const rt_font **fnt, size_t x, size_t y, unsigned char *pt) {
    for (size_t k = x; k < y;) {
        size_t e = k + 1;
        while (e < y && fnt[e] == fnt[k] && ft->span[a + e] == ft->span[a + k])
            e++;
        const rt_run *r =
            shape_cached(s, ft->text + a + k, e - k, fnt[k], spans[ft->span[a + k]].color);
        for (size_t g = 1; g < r->n_glyphs; g++)
            if (r->cluster[g] != r->cluster[g - 1] && !pt[k + (size_t)r->cluster[g]])
                pt[k + (size_t)r->cluster[g]] = PT_FORCED;
        if (k > x && !pt[k])
            pt[k] = PT_FORCED;
        k = e;
    }
}

/* Emits a word that needs more than the common path: fallback fonts, breaks
 * between ideographs, forced cuts, or more bytes than hyphenation looks at.
 * Each piece between two break points (or font changes) is shaped alone. */
static void emit_cut_word(rt_shaper *s, item_list *l, const flat_text *ft,
                          const rt_text_span *spans, size_t a, size_t b, const bool *ok,
                          const bool *slash, const bool *cut, const rt_font **fnt, bool wide,
                          const rt_para_opts *o) {
    size_t len = b - a;
    unsigned char *pt = rt_xcalloc(len + 1, 1);
    for (size_t i = 1; i < len; i++)
        pt[i] = ok[i] ? (slash[i] ? PT_SLASH : PT_HYPHEN) : cut[i] ? PT_IDEO : PT_NONE;
    if (wide) /* pieces wider than the measure get cuts between their characters */
        for (size_t from = 0, i = 1; i <= len; i++) {
            if (i < len && !pt[i])
                continue;
            if (piece_width(s, ft, spans, a, fnt, from, i) > o->measure)
                force_cuts(s, ft, spans, a, fnt, from, i, pt);
            from = i;
        }
    size_t from = 0;
    for (size_t i = 1; i <= len; i++) {
        if (i < len && !pt[i] && fnt[i] == fnt[i - 1] && ft->span[a + i] == ft->span[a + i - 1])
            continue;
        rt_text_span sp = spans[ft->span[a + from]];
        sp.font = (rt_font *)fnt[from];
        size_t box = l->n;
        push_box(s, l, ft->text + a + from, i - from, sp.font, sp.color, o);
        if (sp.rise != 0 || sp.strike)
            decorate(l, box, &sp);
        if (i < len && pt[i]) {
            if (pt[i] == PT_HYPHEN || pt[i] == PT_SLASH) {
                emit_point(s, l, &sp, ft->text, a + from, a + i, pt[i] == PT_SLASH, o, NULL, 0,
                           NULL);
            } else {
                rt_item it = {RT_ITEM_PENALTY, 0,    0, 0, 0, false, NULL, 0, 0, NULL, NULL, 0, 0,
                              false,           false};
                if (pt[i] == PT_FORCED) {
                    it.penalty = FORCED_CUT_PENALTY;
                    it.emergency = true;
                }
                push_item(l, it);
            }
        }
        from = i;
    }
    free(pt);
}

/* Emits one word (no spaces inside) from ft->text[a..b). */
static void emit_word(rt_shaper *s, item_list *l, const flat_text *ft, const rt_text_span *spans,
                      size_t a, size_t b, const rt_para_opts *o, bool sentence_start) {
    size_t len = b - a;
    bool *ok = rt_xcalloc(len + 1, 1);
    if (o->hyphenate)
        rt_hyphenate_word(s, o->lang, ft->text + a, len, sentence_start, ok);
    for (size_t i = 1; i < len; i++)
        if (ft->shy[a + i])
            ok[i] = true; /* the writer's soft hyphens always count */
    /* explicit hyphens: a break after '-' between letters */
    for (size_t i = 1; i + 1 < len; i++)
        if (ft->text[a + i] == '-' && ft->text[a + i - 1] != '-' && ft->text[a + i + 1] != '-')
            ok[i + 1] = true;
    /* URLs and e-mail addresses: a break after a single '/', after '@' or
     * after '.' (two characters at least on each side), never a hyphen */
    bool *slash = rt_xcalloc(len + 1, 1);
    const char *w = ft->text + a;
    bool url = memmem(w, len, "://", 3) || memmem(w, len, "www.", 4);
    const char *at = memchr(w, '@', len);
    bool mail = at && at > w && memchr(at, '.', len - (size_t)(at - w));
    if (url || mail) {
        memset(ok, 0, len + 1); /* only these breaks */
        for (size_t i = 1; i + 2 < len; i++) {
            char ch = w[i];
            bool point = (ch == '/' && w[i - 1] != '/' && w[i + 1] != '/') || ch == '@' ||
                         (ch == '.' && w[i - 1] != '.' && w[i + 1] != '.');
            if (point)
                slash[i + 1] = ok[i + 1] = true;
        }
    }
    const rt_font **fnt = rt_xcalloc(len + 1, sizeof *fnt);
    bool *cut = rt_xcalloc(len + 1, 1);
    bool fallback = word_fonts(s, ft, spans, a, b, fnt);
    bool ideo = ideographic_breaks(ft->text + a, len, cut);
    bool wide = o->measure > 0 && piece_width(s, ft, spans, a, fnt, 0, len) > o->measure;
    if (fallback || ideo || wide || len > MAX_WORD) {
        emit_cut_word(s, l, ft, spans, a, b, ok, slash, cut, fnt, wide, o);
    } else { /* the common case: whole shaping cut at the break points */
        size_t seg = a;
        for (size_t i = a + 1; i <= b; i++) {
            bool at_end = i == b;
            if (!at_end && ft->span[i] == ft->span[seg])
                continue;
            /* [seg, i) is in one span: one font */
            emit_segment(s, l, ft, spans, seg, i, a, ok, slash, o);
            if (!at_end && ok[i - a]) /* a break exactly where the font changes */
                emit_point(s, l, &spans[ft->span[seg]], ft->text, seg, i, slash[i - a], o, NULL, 0,
                           NULL);
            seg = i;
        }
    }
    free(fnt);
    free(cut);
    free(ok);
    free(slash);
}

rt_para *rt_shape_para(rt_shaper *s, const rt_text_span *spans, size_t n, const rt_para_opts *o) {
    rt_para *p = rt_xcalloc(1, sizeof *p);
    p->align = o->align;
    p->indent = o->indent;
    item_list l = {0};
    if (n == 0) {
        p->items = NULL;
        return p;
    }
    flat_text ft;
    flatten(spans, n, o->uppercase, &ft);
    if (o->indent > 0)
        push_item(&l, (rt_item){RT_ITEM_BOX, o->indent, 0, 0, 0, false, NULL, 0, 0, NULL, NULL, 0,
                                0, false, false});
    size_t i = 0;
    bool sentence_start = true; /* a paragraph starts a sentence */
    /* skip leading spaces */
    while (i < ft.len && is_break_space(ft.text + i))
        i++;
    while (i < ft.len) {
        size_t w0 = i;
        bool narrow;
        int nb;
        while (i < ft.len && !is_break_space(ft.text + i) &&
               !(nb = nbsp_len(ft.text + i, ft.len - i, &narrow)))
            i++;
        if (i > w0) {
            emit_word(s, &l, &ft, spans, w0, i, o, sentence_start);
            sentence_start = ends_sentence(ft.text + w0, i - w0);
        }
        if (i >= ft.len)
            break;
        const rt_font *f = spans[ft.span[i > 0 ? i - 1 : 0]].font;
        nb = nbsp_len(ft.text + i, ft.len - i, &narrow);
        if (nb) {
            push_space(&l, f, false, narrow ? rt_font_size(f) * 0.16 : 0);
            i += (size_t)nb;
            continue;
        }
        while (i < ft.len && is_break_space(ft.text + i))
            i++;
        if (i < ft.len)
            push_space(&l, f, true, 0);
    }
    /* paragraph end: infinite stretch, forced break */
    push_item(&l, (rt_item){RT_ITEM_PENALTY, 0, 0, 0, RT_INF_PENALTY, false, NULL, 0, 0, NULL, NULL,
                            0, 0, false, false});
    push_item(&l, (rt_item){RT_ITEM_GLUE, 0, 1e6, 0, 0, false, NULL, 0, 0, NULL, NULL, 0, 0, false,
                            false});
    push_item(&l, (rt_item){RT_ITEM_PENALTY, 0, 0, 0, -RT_INF_PENALTY, false, NULL, 0, 0, NULL,
                            NULL, 0, 0, false, false});
    free(ft.text);
    free(ft.span);
    free(ft.shy);
    p->items = l.items;
    p->n_items = l.n;
    return p;
}

void rt_para_free(rt_para *p) {
    if (!p)
        return;
    free(p->items); /* runs belong to the shaper's cache */
    free(p);
}
