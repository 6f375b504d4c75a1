/* shape: the private font registry (fontconfig app fonts + Pango/Cairo). */
#include "shape_internal.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *family;
    bool bold, italic;
    bool fallback; /* under fonts/fallback/: tried first for characters a font lacks */
} face_entry;

struct rt_fonts {
    FcConfig *config;
    PangoFontMap *map;
    PangoContext *ctx;
    face_entry *faces;
    size_t n_faces, cap_faces;
    char *families; /* "A, B, C" */
    rt_font **fonts;
    size_t n_fonts, cap_fonts;
    hb_buffer_t *probe; /* shaping a cluster to see if a face has glyphs for it */
    /* shared by two threads (rt_fonts_share): the fonts are made, and Pango
     * called, under the lock */
    pthread_mutex_t lock;
    bool shared;
};

void rt_fonts_share(rt_fonts *f, bool shared) {
    f->shared = shared;
}

static void lock(rt_fonts *f) {
    if (f->shared)
        pthread_mutex_lock(&f->lock);
}

static void unlock(rt_fonts *f) {
    if (f->shared)
        pthread_mutex_unlock(&f->lock);
}

/* Font files below dir, sorted, so registration order never depends on
 * the file system. */
static void collect_files(const char *dir, char ***files, size_t *n, size_t *cap, int depth) {
    DIR *dp = opendir(dir);
    if (!dp || depth > 4) {
        if (dp)
            closedir(dp);
        return;
    }
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.')
            continue;
        char *p = rt_path_join(dir, de->d_name);
        size_t len = strlen(de->d_name);
        if (rt_dir_exists(p)) {
            collect_files(p, files, n, cap, depth + 1);
            free(p);
        } else if (len > 4 && (strcasecmp(de->d_name + len - 4, ".ttf") == 0 ||
                               strcasecmp(de->d_name + len - 4, ".otf") == 0)) {
            RT_PUSH(*files, *n, *cap, p);
        } else {
            free(p);
        }
    }
    closedir(dp);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A face under <dir>/fallback/. */
static bool is_fallback(const char *dir, const char *file) {
    size_t n = strlen(dir);
    return file && strncmp(file, dir, n) == 0 && strncmp(file + n, "/fallback/", 10) == 0;
}

rt_fonts *rt_fonts_new(const char *dir, rt_diag *d) {
    if (!rt_dir_exists(dir)) {
        rt_error(d, dir, 0, 0, "fonts folder not found");
        return NULL;
    }
    rt_fonts *f = rt_xcalloc(1, sizeof *f);
    pthread_mutex_init(&f->lock, NULL);
    f->config = FcConfigCreate();
    char **files = NULL;
    size_t n_files = 0, cap_files = 0;
    collect_files(dir, &files, &n_files, &cap_files, 0);
    qsort(files, n_files, sizeof *files, cmp_str);
    for (size_t i = 0; i < n_files; i++) {
        if (!FcConfigAppFontAddFile(f->config, (const FcChar8 *)files[i]))
            rt_warning(d, files[i], 0, 0, "not a usable font file");
        free(files[i]);
    }
    free(files);
    /* the faces really present (no aliases, no synthesized styles) */
    FcFontSet *set = FcConfigGetFonts(f->config, FcSetApplication);
    rt_buf names = {0};
    for (int i = 0; set && i < set->nfont; i++) {
        FcChar8 *fam = NULL, *file = NULL;
        int weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
        if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &fam) != FcResultMatch)
            continue;
        FcPatternGetInteger(set->fonts[i], FC_WEIGHT, 0, &weight);
        FcPatternGetInteger(set->fonts[i], FC_SLANT, 0, &slant);
        FcPatternGetString(set->fonts[i], FC_FILE, 0, &file);
        face_entry e = {rt_xstrdup((const char *)fam), weight >= FC_WEIGHT_DEMIBOLD,
                        slant != FC_SLANT_ROMAN, is_fallback(dir, (const char *)file)};
        bool seen = false;
        for (size_t k = 0; k < f->n_faces; k++)
            if (strcmp(f->faces[k].family, e.family) == 0)
                seen = true;
        if (!seen && !e.fallback) { /* the fallback faces are not for styles */
            if (names.len)
                rt_buf_adds(&names, ", ");
            rt_buf_adds(&names, e.family);
        }
        RT_PUSH(f->faces, f->n_faces, f->cap_faces, e);
    }
    f->families = rt_buf_steal(&names);
    if (f->n_faces == 0) {
        rt_error(d, dir, 0, 0, "no usable fonts in this folder");
        rt_fonts_free(f);
        return NULL;
    }
    f->map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(f->map), f->config);
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(f->map), 72.0);
    f->ctx = pango_font_map_create_context(f->map);
    pango_context_set_round_glyph_positions(f->ctx, FALSE);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(f->ctx, fo);
    cairo_font_options_destroy(fo);
    return f;
}

void rt_fonts_free(rt_fonts *f) {
    if (!f)
        return;
    pthread_mutex_destroy(&f->lock);
    for (size_t i = 0; i < f->n_fonts; i++) {
        g_object_unref(f->fonts[i]->pango);
        free(f->fonts[i]->family);
        free(f->fonts[i]);
    }
    free(f->fonts);
    for (size_t i = 0; i < f->n_faces; i++)
        free(f->faces[i].family);
    free(f->faces);
    free(f->families);
    if (f->probe)
        hb_buffer_destroy(f->probe);
    if (f->ctx)
        g_object_unref(f->ctx);
    if (f->map)
        g_object_unref(f->map);
    if (f->config)
        FcConfigDestroy(f->config);
    free(f);
}

bool rt_fonts_has(const rt_fonts *f, const char *family, bool bold, bool italic) {
    for (size_t i = 0; i < f->n_faces; i++)
        if (strcasecmp(f->faces[i].family, family) == 0 && f->faces[i].bold == bold &&
            f->faces[i].italic == italic)
            return true;
    return false;
}

struct _PangoFontMap *rt_fonts_pango_map(rt_fonts *f) {
    return f->map;
}

const char *rt_fonts_families(const rt_fonts *f) {
    return f->families;
}

static rt_font *font_get(rt_fonts *f, const char *family, bool bold, bool italic, double size) {
    for (size_t i = 0; i < f->n_fonts; i++) {
        rt_font *x = f->fonts[i];
        if (!x->small_caps && x->bold == bold && x->italic == italic && x->size == size &&
            strcasecmp(x->family, family) == 0)
            return x;
    }
    if (!rt_fonts_has(f, family, bold, italic))
        return NULL;
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, family);
    pango_font_description_set_weight(desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(desc, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(desc, size * PANGO_SCALE);
    PangoFont *pf = pango_font_map_load_font(f->map, f->ctx, desc);
    pango_font_description_free(desc);
    if (!pf)
        return NULL;
    rt_font *x = rt_xcalloc(1, sizeof *x);
    x->pango = pf;
    x->family = rt_xstrdup(family);
    x->bold = bold;
    x->italic = italic;
    x->size = size;
    x->hb = pango_font_get_hb_font(pf);
    int xs, ys;
    hb_font_get_scale(x->hb, &xs, &ys);
    x->hb_scale = size / (double)xs; /* hb units -> points */
    hb_font_extents_t ext;
    hb_font_get_h_extents(x->hb, &ext);
    x->ascent = ext.ascender * x->hb_scale;
    hb_codepoint_t g;
    hb_glyph_extents_t ge;
    x->cap_height = x->ascent * 0.7;
    if (hb_font_get_nominal_glyph(x->hb, 'H', &g) && hb_font_get_glyph_extents(x->hb, g, &ge))
        x->cap_height = ge.y_bearing * x->hb_scale;
    x->space = size / 4;
    hb_position_t adv;
    if (hb_font_get_nominal_glyph(x->hb, ' ', &g)) {
        adv = hb_font_get_glyph_h_advance(x->hb, g);
        x->space = adv * x->hb_scale;
    }
    RT_PUSH(f->fonts, f->n_fonts, f->cap_fonts, x);
    return x;
}

rt_font *rt_font_get(rt_fonts *f, const char *family, bool bold, bool italic, double size) {
    lock(f);
    rt_font *x = font_get(f, family, bold, italic, size);
    unlock(f);
    return x;
}

/* Does `font` print `text` (one cluster) with real glyphs, not .notdef? */
static bool has_glyphs(rt_fonts *f, hb_font_t *font, const char *text, size_t len) {
    if (!f->probe)
        f->probe = hb_buffer_create();
    hb_buffer_t *b = f->probe;
    hb_buffer_clear_contents(b);
    hb_buffer_add_utf8(b, text, (int)len, 0, (int)len);
    hb_buffer_guess_segment_properties(b);
    hb_buffer_set_direction(b, HB_DIRECTION_LTR);
    hb_shape(font, b, NULL, 0);
    unsigned n;
    hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(b, &n);
    for (unsigned i = 0; i < n; i++)
        if (gi[i].codepoint == 0)
            return false;
    return n > 0;
}

rt_font *rt_font_fallback(rt_fonts *f, const rt_font *base, const char *text, size_t len) {
    lock(f);
    rt_font *found = NULL;
    /* the fallback faces first (in file order), then every other face */
    for (int pass = 0; pass < 2 && !found; pass++)
        for (size_t i = 0; i < f->n_faces && !found; i++) {
            const face_entry *fe = &f->faces[i];
            if (fe->fallback != (pass == 0) || strcasecmp(fe->family, base->family) == 0)
                continue;
            rt_font *x = font_get(f, fe->family, fe->bold, fe->italic, base->size);
            if (x && has_glyphs(f, x->hb, text, len))
                found = x;
        }
    unlock(f);
    return found;
}

/* Does the font really have small capitals? An smcp feature in its tables
 * is not enough: shaping lower-case letters with it must change their glyphs. */
static bool has_small_caps(hb_font_t *font) {
    static const hb_feature_t feats[1] = {
        {HB_TAG('s', 'm', 'c', 'p'), 1, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END}};
    hb_codepoint_t plain[8], sc[8];
    for (int pass = 0; pass < 2; pass++) {
        hb_buffer_t *b = hb_buffer_create();
        hb_buffer_add_utf8(b, "aeirst", -1, 0, -1);
        hb_buffer_set_direction(b, HB_DIRECTION_LTR);
        hb_buffer_set_script(b, HB_SCRIPT_LATIN);
        hb_shape(font, b, pass ? feats : NULL, pass ? 1 : 0);
        unsigned n;
        hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(b, &n);
        for (unsigned i = 0; i < n && i < 8; i++)
            (pass ? sc : plain)[i] = gi[i].codepoint;
        hb_buffer_destroy(b);
        if (n != 6)
            return false;
    }
    for (int i = 0; i < 6; i++)
        if (plain[i] == sc[i])
            return false;
    return true;
}

static rt_font *small_caps(rt_fonts *f, rt_font *base);

rt_font *rt_font_small_caps(rt_fonts *f, rt_font *base) {
    lock(f);
    rt_font *x = small_caps(f, base);
    unlock(f);
    return x;
}

static rt_font *small_caps(rt_fonts *f, rt_font *base) {
    if (base->small_caps)
        return base;
    if (base->sc)
        return base->sc;
    if (!has_small_caps(base->hb))
        return NULL;
    rt_font *x = rt_xcalloc(1, sizeof *x);
    *x = *base;
    x->pango = g_object_ref(base->pango);
    x->family = rt_xstrdup(base->family);
    x->small_caps = true;
    x->sc = NULL;
    base->sc = x;
    RT_PUSH(f->fonts, f->n_fonts, f->cap_fonts, x);
    return x;
}

double rt_font_size(const rt_font *font) {
    return font->size;
}
double rt_font_descent(const rt_font *font) {
    hb_font_extents_t e;
    if (!hb_font_get_h_extents(font->hb, &e))
        return font->size * 0.25;
    return -e.descender * font->hb_scale;
}

double rt_font_cap_height(const rt_font *font) {
    return font->cap_height;
}
double rt_font_ascent(const rt_font *font) {
    return font->ascent;
}

bool rt_font_space(const rt_font *font, unsigned *glyph, double *advance) {
    hb_codepoint_t g;
    if (!hb_font_get_nominal_glyph(font->hb, ' ', &g))
        return false;
    *glyph = g;
    *advance = hb_font_get_glyph_h_advance(font->hb, g) * font->hb_scale;
    return true;
}

struct hb_font_t *rt_font_hb(const rt_font *font) {
    return font->hb;
}

struct _cairo_scaled_font *rt_font_cairo(const rt_font *font) {
    return pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font->pango));
}

double rt_run_ink_right(const rt_run *r) {
    double right = 0;
    for (size_t i = 0; i < r->n_glyphs; i++) {
        hb_glyph_extents_t ext;
        if (!hb_font_get_glyph_extents(r->font->hb, r->glyphs[i], &ext))
            continue;
        double edge = r->x[i] + (ext.x_bearing + ext.width) * r->font->hb_scale;
        if (edge > right)
            right = edge;
    }
    return right > 0 ? right : r->width;
}
