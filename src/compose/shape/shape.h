/* shape: styled text -> shaped paragraph (boxes, glue and penalties).
 *
 * Only this stage includes Pango and HarfBuzz (and libhyphen). Fonts come
 * only from the program's fonts/ folder, registered with a private
 * fontconfig configuration: system fonts are never seen.
 *
 * The paragraph model is Knuth and Plass's: a box is an unbreakable piece of
 * shaped text (a word, or a fragment of one between hyphenation points), glue
 * is an inter-word space that can stretch and shrink, and a penalty is a
 * possible break with a cost (a hyphenation point carries the hyphen's run,
 * drawn only if the line breaks there).
 *
 * Ownership: rt_fonts owns every rt_font it hands out (valid until
 * rt_fonts_free). rt_para_free frees the paragraph, its items and runs.
 */
#ifndef RT_SHAPE_H
#define RT_SHAPE_H

#include "../../base/base.h"

typedef struct rt_fonts rt_fonts;
typedef struct rt_font rt_font;

/* Registers every font below `dir`. Returns NULL (with an error reported) if
 * the folder has no usable fonts. */
rt_fonts *rt_fonts_new(const char *dir, rt_diag *d);
void rt_fonts_free(rt_fonts *f);

/* Two threads get fonts from `f` while shared is true (Pango is then called
 * under a lock). Set and cleared while one thread alone uses it. */
void rt_fonts_share(rt_fonts *f, bool shared);

/* True if `family` has a real (not synthesized) face of that weight/style. */
bool rt_fonts_has(const rt_fonts *f, const char *family, bool bold, bool italic);
/* Comma-separated list of the families available, for error messages.
 * Owned by `f`. */
const char *rt_fonts_families(const rt_fonts *f);
/* A font at `size` points. NULL if the face is not available. */
rt_font *rt_font_get(rt_fonts *f, const char *family, bool bold, bool italic, double size);

/* A font for characters `base` has no glyph for: `text` (one grapheme
 * cluster) set at base's size in the first face that prints it with real
 * glyphs, trying the faces under fonts/fallback/ first (symbols, emoji, CJK;
 * in file order), then every other face of the folder. NULL when no font of
 * the folder has them. Owned by the registry. */
rt_font *rt_font_fallback(rt_fonts *f, const rt_font *base, const char *text, size_t len);

/* The small-capitals variant of a font (shaped with the OpenType feature
 * smcp: lower-case letters become small capitals, capitals stay), or NULL if
 * the font has no real small capitals. Owned by the registry. */
rt_font *rt_font_small_caps(rt_fonts *f, rt_font *base);

double rt_font_size(const rt_font *font);
double rt_font_cap_height(const rt_font *font);
double rt_font_descent(const rt_font *font); /* points below the baseline, positive */
/* The Pango font map over the fonts folder (for tools that compare with
 * Pango's own layout). Owned by `f`. */
struct _PangoFontMap *rt_fonts_pango_map(rt_fonts *f);
/* Points above the baseline (the font's ascender). */
double rt_font_ascent(const rt_font *font);
/* The font's space glyph and its advance in points; false if it has none. */
bool rt_font_space(const rt_font *font, unsigned *glyph, double *advance);
/* The font as HarfBuzz's (its face is the font file), for render. */
struct hb_font_t *rt_font_hb(const rt_font *font);
/* The font as a cairo_scaled_font_t, for render (Cairo's own type). */
struct _cairo_scaled_font *rt_font_cairo(const rt_font *font);

/* A run of glyphs in one font and colour; positions relative to its origin. */
typedef struct {
    const rt_font *font;
    int color;
    size_t n_glyphs;
    unsigned *glyphs;
    double *x, *y; /* glyph origins */
    int *cluster;  /* byte offset in utf8 of each glyph's cluster */
    char *utf8;    /* the text the glyphs show */
    size_t len;
    double width;          /* advance of the whole run */
    int gaps;              /* gaps between characters (clusters) inside the run */
    unsigned char *unsafe; /* per glyph: HarfBuzz says breaking before it changes shaping */
    double *pen;           /* pen position before each glyph; pen[n_glyphs] == width */
} rt_run;

typedef enum { RT_ITEM_BOX, RT_ITEM_GLUE, RT_ITEM_PENALTY } rt_item_kind;

#define RT_INF_PENALTY 10000

typedef struct {
    rt_item_kind kind;
    double width;   /* natural width (penalty: width of the hyphen if broken here) */
    double stretch; /* glue: how much it may grow; box: font expansion */
    double shrink;  /* glue: how much it may shrink; box: font expansion */
    int penalty;    /* penalty: cost; >= RT_INF_PENALTY forbids, <= -RT_INF_PENALTY forces */
    bool flagged;   /* penalty: a hyphenation break */
    rt_run *run;    /* box: its glyphs (NULL for an empty box); penalty: the hyphen */
    double lp, rp;  /* margin kerning: how far the item may protrude into the left
                       margin when it starts a line (lp) and into the right margin
                       when it ends one (rp), in points */
    /* A hyphenation point HarfBuzz marks unsafe to break (kerning or a
     * ligature across it): if the line breaks here, the piece before is drawn
     * as `pre` (reshaped, hyphen included; `width` already accounts for it)
     * and the piece after as `post` (reshaped; it is `post_delta` wider than
     * its share of the word). NULL when the word's own shaping can be cut. */
    const rt_run *pre, *post;
    double post_delta;
    double rise; /* box: drawn this far above the baseline (a note's number), points */
    bool strike; /* box: struck through (~~text~~) */
    /* penalty: a cut between two characters of a word wider than the measure
     * (no hyphen drawn); legal only in the breaker's emergency pass, so that
     * text never leaves its column */
    bool emergency;
} rt_item;

typedef enum { RT_PALIGN_JUSTIFY, RT_PALIGN_LEFT, RT_PALIGN_CENTER, RT_PALIGN_RIGHT } rt_palign;

typedef struct {
    rt_item *items;
    size_t n_items;
    rt_palign align;
    double indent; /* first line */
} rt_para;

/* One stretch of text in one font and colour. */
typedef struct {
    const char *text; /* UTF-8 (validated by the loader) */
    size_t len;
    rt_font *font;
    int color;
    double rise; /* raised this far above the baseline (superior figures), points */
    bool strike; /* struck through */
} rt_text_span;

typedef struct {
    int lang; /* RT_LANG_* from load.h: hyphenation dictionary and typography */
    bool hyphenate;
    rt_palign align;
    double indent;
    bool uppercase;
    double expand; /* font expansion: each glyph box may stretch or shrink by this
                      fraction of its width (0.02 = ±2 %, as microtype); 0 = none */
    bool protrude; /* margin kerning (see rt_protrusion) */
    double protrude_max_l, protrude_max_r; /* margin kerning never protrudes further than
                                              this into the left / right margin, points
                                              (0: no limit) */
    double tracking; /* letter-spacing: each gap between characters of a word may
                        widen by up to this fraction of the em while justifying
                        (never narrows); 0 = none */
    double measure;  /* the narrowest line: a word wider than this gets cuts between
                        its characters (rt_item.emergency); 0 = no cuts */
} rt_para_opts;

typedef struct rt_shaper rt_shaper;
/* Hyphenation dictionaries are looked up in `hyphen_dir` (Debian's
 * /usr/share/hyphen); a missing one disables hyphenation for that language
 * with a warning. */
rt_shaper *rt_shaper_new(rt_fonts *fonts, const char *hyphen_dir, rt_diag *d);
void rt_shaper_free(rt_shaper *s);
/* Where its warnings go from now on (a shaper kept from build to build). */
void rt_shaper_set_diag(rt_shaper *s, rt_diag *d);
/* Two threads shape with `s` (and with the rt_fonts it uses: rt_fonts_share)
 * while shared is true: its cache, dictionaries and missing characters are
 * then changed under a lock. A thread other than the one that made it
 * brackets its shaping with rt_shaper_thread_begin/end (its own HarfBuzz
 * buffer). Set and cleared while one thread alone uses it. */
void rt_shaper_share(rt_shaper *s, bool shared);
void rt_shaper_thread_begin(void);
void rt_shaper_thread_end(void);
/* Loads the hyphenation dictionary of `lang` now, if it was not tried yet
 * (a missing one is warned about here rather than where it is first used). */
void rt_shaper_load_dict(rt_shaper *s, int lang);

/* Shapes a paragraph. Text is typeset as given (typographic rules applied
 * first by rt_typo_apply). A character the span's font has no glyph for is
 * set in the font rt_font_fallback finds; one that no font of the folder
 * has is recorded (rt_shaper_take_missing) and shaped as the font's
 * .notdef box, for the caller to report as an error. Scripts without spaces
 * (CJK ideographs, kana, hangul syllables, emoji) may break between any two
 * characters, as Unicode's line-breaking rules allow. */
rt_para *rt_shape_para(rt_shaper *s, const rt_text_span *spans, size_t n, const rt_para_opts *o);
void rt_para_free(rt_para *p);

/* The characters (code points, distinct, in order of first use) that no
 * font of the folder has, met since the last call; the caller frees the
 * array. */
unsigned *rt_shaper_take_missing(rt_shaper *s, size_t *n);
/* True when a run shows a .notdef glyph (a character its font lacks). */
bool rt_run_has_notdef(const rt_run *r);

/* The space character in `font`, shaped once and cached (owned by the
 * shaper). Drawn at word spaces so that text extraction and copy-paste see
 * real spaces whatever the justification did to the gap. */
const rt_run *rt_space_run(rt_shaper *s, const rt_font *font, int color);

/* Shapes a single run with no breaks (headlines are broken by shaping words). */
rt_run *rt_shape_run(rt_shaper *s, const char *text, size_t len, rt_font *font, int color);
/* A run of n_glyphs glyphs and len bytes of text, zeroed, in one block
 * that rt_run_free frees (its arrays are not to be freed or replaced). */
rt_run *rt_run_new(size_t n_glyphs, size_t len);
/* A copy of run `o` of its own (rt_run_free frees it). */
rt_run *rt_run_copy(const rt_run *o);
void rt_run_free(rt_run *r);
/* The right edge of the run's ink (its glyphs' outlines, not their
 * advances), from its origin; the advance when it has no ink. */
double rt_run_ink_right(const rt_run *r);

/* Hyphenation points of one word: sets ok[i] = true where a break is allowed
 * before byte i of `word` (applying the language's rules: at least 2 letters
 * before and 3 after, never in numbers, URLs or e-mail addresses, never right
 * after an apostrophe, never in a word with capitals — names, acronyms —
 * except a word whose only capital is its first letter when it starts a
 * sentence). Exposed for tests. */
void rt_hyphenate_word(rt_shaper *s, int lang, const char *word, size_t len, bool sentence_start,
                       bool *ok);

/* True for a letter (any script). */
bool rt_is_letter(unsigned cp);

/* Margin kerning: the fraction of a character's advance that protrudes into
 * the margin at the start (left) or end (right) of a line. 0 for most. */
double rt_protrusion(unsigned cp, bool right);

/* Typography: returns a new string with the language's rules applied
 * (French: narrow no-break spaces before ; ! ? and inside « », no-break
 * space before :, straight quotes to « », apostrophe ’ ...). `lang` RT_LANG_*. */
char *rt_typo_apply(const char *text, size_t len, int lang, size_t *len_out);

#endif
