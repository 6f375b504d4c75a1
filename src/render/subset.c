/* render: the fonts of a PDF, subset by HarfBuzz.
 *
 * One Type 0 font per font file (face) the pages use, whatever its sizes:
 * two-byte codes that are the font's own glyph indices (Identity-H; the
 * subset keeps every glyph at its index, HB_SUBSET_FLAGS_RETAIN_GIDS, the
 * unused ones empty), widths for the glyphs used, and a ToUnicode map from
 * each glyph to the text it first showed alone (or, for a glyph only ever
 * drawn inside an ActualText span or without text, the character the font
 * maps to it). A TrueType font goes in as a CIDFontType2 (FontFile2), a CFF
 * one as a CIDFontType0 with its CFF table (FontFile3 /CIDFontType0C).
 */
#include "canvas.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what a glyph's ToUnicode entry says */
enum { MAP_NONE, MAP_TEXT };

typedef struct {
    hb_face_t *face; /* referenced */
    hb_font_t *font; /* at the em's units */
    unsigned upem, n_glyphs;
    double *width;          /* per glyph, thousandths of the em (< 0: not read yet) */
    unsigned char *used;    /* per glyph */
    unsigned char *mapping; /* per glyph: MAP_* */
    char **text;            /* per glyph, MAP_TEXT: its text (NUL-terminated) */
    bool cff;
    bool mapped; /* the characters of its own map read */
} pdf_font;

struct rt_pdf_fonts {
    pdf_font *f;
    size_t n, cap;
};

rt_pdf_fonts *rt_pdf_fonts_new(void) {
    return rt_xcalloc(1, sizeof(rt_pdf_fonts));
}

size_t rt_pdf_fonts_count(const rt_pdf_fonts *f) {
    return f->n;
}

int rt_pdf_font_id(rt_pdf_fonts *f, const rt_font *font) {
    hb_face_t *face = hb_font_get_face(rt_font_hb(font));
    for (size_t i = 0; i < f->n; i++)
        if (f->f[i].face == face)
            return (int)i;
    pdf_font x = {0};
    x.face = hb_face_reference(face);
    x.font = hb_font_create(face);
    x.upem = hb_face_get_upem(face);
    x.n_glyphs = hb_face_get_glyph_count(face);
    if (x.n_glyphs == 0)
        x.n_glyphs = 1;
    x.width = rt_xmalloc(x.n_glyphs * sizeof *x.width);
    for (unsigned i = 0; i < x.n_glyphs; i++)
        x.width[i] = -1;
    x.used = rt_xcalloc(x.n_glyphs, 1);
    x.mapping = rt_xcalloc(x.n_glyphs, 1);
    x.text = rt_xcalloc(x.n_glyphs, sizeof *x.text);
    hb_blob_t *cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    x.cff = hb_blob_get_length(cff) > 0;
    hb_blob_destroy(cff);
    RT_PUSH(f->f, f->n, f->cap, x);
    return (int)f->n - 1;
}

double rt_pdf_font_width(rt_pdf_fonts *f, int id, unsigned glyph) {
    pdf_font *x = &f->f[id];
    if (glyph >= x->n_glyphs)
        return 0;
    if (x->width[glyph] < 0) {
        double w =
            hb_font_get_glyph_h_advance(x->font, glyph) * 1000.0 / (x->upem ? x->upem : 1000);
        x->width[glyph] = round(w * 1000) / 1000; /* as the widths array writes it */
    }
    return x->width[glyph];
}

/* Every glyph's character from the font's own map (the lowest character
 * mapped to it), made when the font is first used: the ToUnicode entry of a
 * glyph is its own character wherever the font has one, so that a glyph
 * showing other text (a ligature, a drop cap's word) takes an ActualText
 * span instead of changing what every other use of it says. */
static void map_from_cmap(pdf_font *x) {
    hb_set_t *cps = hb_set_create();
    hb_face_collect_unicodes(x->face, cps);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(cps, &cp)) {
        hb_codepoint_t g;
        if (!hb_font_get_nominal_glyph(x->font, cp, &g) || g >= x->n_glyphs ||
            x->mapping[g] != MAP_NONE)
            continue;
        char u[5];
        size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (n == 1) {
            u[0] = (char)cp;
        } else {
            static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
            for (size_t k = n - 1; k > 0; k--)
                u[k] = (char)(0x80 | ((cp >> (6 * (n - 1 - k))) & 0x3F));
            u[0] = (char)(lead[n] | (cp >> (6 * (n - 1))));
        }
        u[n] = 0;
        x->mapping[g] = MAP_TEXT;
        x->text[g] = rt_xstrdup(u);
    }
    hb_set_destroy(cps);
    x->mapped = true;
}

bool rt_pdf_font_use(rt_pdf_fonts *f, int id, unsigned glyph, const char *text, size_t len) {
    pdf_font *x = &f->f[id];
    if (glyph >= x->n_glyphs)
        return false;
    if (!x->mapped)
        map_from_cmap(x);
    x->used[glyph] = 1;
    if (!text)
        return true;
    if (x->mapping[glyph] == MAP_TEXT)
        return strlen(x->text[glyph]) == len && memcmp(x->text[glyph], text, len) == 0;
    /* a glyph the font maps no character to: the first text it shows */
    x->mapping[glyph] = MAP_TEXT;
    x->text[glyph] = rt_xmalloc(len + 1);
    memcpy(x->text[glyph], text, len);
    x->text[glyph][len] = 0;
    return true;
}

/* ------------------------------------------------ the font programs */

/* The font program of x's glyphs, compressed: subset (every glyph at its
 * index, the unused ones empty; no hinting; no layout tables: the PDF's
 * glyphs are shaped already) and deflated at zlib's level 3. */
static unsigned char *subset_program(const pdf_font *x, size_t *zlen) {
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *gs = hb_subset_input_glyph_set(in);
    hb_set_add(gs, 0);
    for (unsigned g = 0; g < x->n_glyphs; g++)
        if (x->used[g])
            hb_set_add(gs, g);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const char *const tables[] = {
        "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "mort", "feat",
        "DSIG", "COLR", "CPAL", "SVG ", "sbix", "CBDT", "CBLC", "EBDT", "EBLC", "EBSC",
        "vhea", "vmtx", "VORG", "hdmx", "LTSH", "VDMX", "gasp", "PCLT", "STAT"};
    for (size_t k = 0; k < sizeof tables / sizeof *tables; k++)
        hb_set_add(drop, HB_TAG(tables[k][0], tables[k][1], tables[k][2], tables[k][3]));
    hb_face_t *sub = hb_subset_or_fail(x->face, in);
    hb_subset_input_destroy(in);
    if (!sub)
        return NULL;
    hb_blob_t *prog = x->cff ? hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '))
                             : hb_face_reference_blob(sub);
    unsigned plen = 0;
    const char *pdata = hb_blob_get_data(prog, &plen);
    unsigned char *z = pdata && plen ? rt_pdf_deflate(pdata, plen, 3, zlen) : NULL;
    hb_blob_destroy(prog);
    hb_face_destroy(sub);
    return z;
}

/* x's program: the memo's when it holds one for these glyphs of this font
 * file, else made (and kept there). The caller frees it. */
static unsigned char *font_program(const pdf_font *x, rt_render_memo *m, size_t *zlen) {
    if (!m)
        return subset_program(x, zlen);
    unsigned *gids = rt_xmalloc((x->n_glyphs + 1) * sizeof *gids);
    size_t n = 0;
    for (unsigned g = 0; g < x->n_glyphs; g++)
        if (x->used[g])
            gids[n++] = g;
    uint64_t key[2];
    rt_memo_hash(gids, n * sizeof *gids, key);
    free(gids);
    unsigned char *z = rt_memo_take(m, RT_MEMO_FONT, x->face, key, n, zlen);
    if (!z && (z = subset_program(x, zlen)) != NULL)
        rt_memo_keep(m, RT_MEMO_FONT, x->face, key, n, z, *zlen);
    return z;
}

/* ------------------------------------------------------------- writing */

static unsigned read16(const unsigned char *p) {
    return (unsigned)p[0] << 8 | p[1];
}

static int s16(const unsigned char *p) {
    int v = (int)read16(p);
    return v >= 0x8000 ? v - 0x10000 : v;
}

/* The font's PostScript name, as a PDF name's characters. */
static void ps_name(hb_face_t *face, char *out, size_t cap) {
    char name[128];
    unsigned len = sizeof name;
    if (!hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, name))
        name[0] = 0;
    size_t n = 0;
    for (const char *s = name; *s && n + 1 < cap; s++)
        if ((unsigned char)*s > 32 && (unsigned char)*s < 127 && !strchr("()<>[]{}/%#", *s))
            out[n++] = *s;
    if (n == 0)
        n = (size_t)snprintf(out, cap, "Font");
    out[n] = 0;
}

/* Six capitals from the glyphs used: the subset's tag (the same glyphs,
 * the same tag). */
static void subset_tag(const pdf_font *x, const char *name, char tag[7]) {
    unsigned long long h = 1469598103934665603ull;
    for (const char *s = name; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    for (unsigned g = 0; g < x->n_glyphs; g++)
        if (x->used[g])
            h = (h ^ g) * 1099511628211ull;
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = 0;
}

bool rt_pdf_fonts_write(rt_pdf_fonts *f, rt_pdf_writer *w, const int *font_obj,
                        rt_render_memo *memo, rt_diag *d) {
    bool ok = true;
    for (size_t i = 0; i < f->n; i++) {
        pdf_font *x = &f->f[i];
        char name[96], tag[7];
        ps_name(x->face, name, sizeof name);
        subset_tag(x, name, tag);
        size_t zlen = 0;
        unsigned char *z = font_program(x, memo, &zlen);
        if (!z) {
            rt_error(d, NULL, 0, 0, "internal error: cannot subset the font %s", name);
            ok = false;
            continue;
        }
        int cid = rt_pdf_new_obj(w), desc = rt_pdf_new_obj(w), file = rt_pdf_new_obj(w),
            tounicode = rt_pdf_new_obj(w);
        rt_pdf_stream_deflated(w, file, x->cff ? "/Subtype /CIDFontType0C" : "", z, zlen);
        free(z);
        /* the descriptor, in thousandths of the em */
        double k = 1000.0 / (x->upem ? x->upem : 1000);
        int bbox[4] = {0, 0, 0, 0};
        hb_blob_t *head = hb_face_reference_table(x->face, HB_TAG('h', 'e', 'a', 'd'));
        unsigned hl;
        const unsigned char *hd = (const unsigned char *)hb_blob_get_data(head, &hl);
        if (hd && hl >= 44)
            for (int j = 0; j < 4; j++)
                bbox[j] = (int)lround(s16(hd + 36 + 2 * j) * k);
        hb_blob_destroy(head);
        double italic = 0;
        hb_blob_t *post = hb_face_reference_table(x->face, HB_TAG('p', 'o', 's', 't'));
        unsigned pl;
        const unsigned char *pd = (const unsigned char *)hb_blob_get_data(post, &pl);
        if (pd && pl >= 8)
            italic = s16(pd + 4) + read16(pd + 6) / 65536.0;
        hb_blob_destroy(post);
        hb_position_t asc = 0, desc_ = 0, cap = 0;
        hb_ot_metrics_get_position(x->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc);
        hb_ot_metrics_get_position(x->font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc_);
        if (!hb_ot_metrics_get_position(x->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap))
            cap = asc;
        rt_pdf_begin_obj(w, desc);
        rt_pdf_printf(w,
                      "<< /Type /FontDescriptor /FontName /%s+%s /Flags %d /FontBBox [ %d %d %d %d "
                      "] /ItalicAngle %.2f /Ascent %ld /Descent %ld /CapHeight %ld /StemV 80 "
                      "/%s %d 0 R >>\nendobj\n",
                      tag, name, italic != 0 ? 4 | 64 : 4, bbox[0], bbox[1], bbox[2], bbox[3],
                      italic, lround(asc * k), lround(desc_ * k), lround(cap * k),
                      x->cff ? "FontFile3" : "FontFile2", file);
        /* the descendant font and its widths */
        rt_pdf_begin_obj(w, cid);
        rt_pdf_printf(w,
                      "<< /Type /Font /Subtype /%s /BaseFont /%s+%s /CIDSystemInfo << /Registry "
                      "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R%s "
                      "/W [",
                      x->cff ? "CIDFontType0" : "CIDFontType2", tag, name, desc,
                      x->cff ? "" : " /CIDToGIDMap /Identity");
        for (unsigned g = 0; g < x->n_glyphs;) {
            if (!x->used[g]) {
                g++;
                continue;
            }
            rt_pdf_printf(w, " %u [", g);
            unsigned e = g;
            for (; e < x->n_glyphs && x->used[e] && e < g + 100; e++)
                rt_pdf_printf(w, " %g", rt_pdf_font_width(f, (int)i, e));
            rt_pdf_printf(w, " ]");
            g = e;
        }
        rt_pdf_printf(w, " ] >>\nendobj\n");
        /* the text of each glyph */
        size_t cap_s = 1024, len = 0;
        char *s = rt_xmalloc(cap_s);
#define ADD(...)                                                                                   \
    do {                                                                                           \
        int n_ = snprintf(s + len, cap_s - len, __VA_ARGS__);                                      \
        if (n_ >= 0 && (size_t)n_ >= cap_s - len) {                                                \
            cap_s = (len + (size_t)n_ + 1) * 2;                                                    \
            s = rt_xrealloc(s, cap_s);                                                             \
            n_ = snprintf(s + len, cap_s - len, __VA_ARGS__);                                      \
        }                                                                                          \
        if (n_ > 0)                                                                                \
            len += (size_t)n_;                                                                     \
    } while (0)
        ADD("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n");
        unsigned g = 0;
        for (;;) {
            unsigned list[100], nl = 0;
            for (; g < x->n_glyphs && nl < 100; g++)
                if (x->used[g] && x->mapping[g] == MAP_TEXT && x->text[g][0])
                    list[nl++] = g;
            if (nl == 0)
                break;
            ADD("%u beginbfchar\n", nl);
            for (unsigned j = 0; j < nl; j++) {
                ADD("<%04x> <", list[j]);
                const char *t = x->text[list[j]];
                char *hex = rt_xmalloc(4 * strlen(t) + 1);
                size_t nh = rt_utf16_hex(t, strlen(t), hex);
                ADD("%.*s", (int)nh, hex);
                free(hex);
                ADD(">\n");
            }
            ADD("endbfchar\n");
        }
        ADD("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
#undef ADD
        rt_pdf_stream(w, tounicode, "", s, len, true);
        free(s);
        rt_pdf_begin_obj(w, font_obj[i]);
        rt_pdf_printf(w,
                      "<< /Type /Font /Subtype /Type0 /BaseFont /%s+%s /Encoding /Identity-H "
                      "/DescendantFonts [ %d 0 R ] /ToUnicode %d 0 R >>\nendobj\n",
                      tag, name, cid, tounicode);
    }
    return ok;
}

void rt_pdf_fonts_free(rt_pdf_fonts *f) {
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        pdf_font *x = &f->f[i];
        for (unsigned g = 0; g < x->n_glyphs; g++)
            free(x->text[g]);
        free(x->text);
        free(x->mapping);
        free(x->used);
        free(x->width);
        hb_font_destroy(x->font);
        hb_face_destroy(x->face);
    }
    free(f->f);
    free(f);
}
