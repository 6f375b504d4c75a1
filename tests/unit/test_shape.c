/* Unit tests: shape (fonts, hyphenation, typography, paragraph items). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "load/load.h"
#include "compose/shape/shape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static rt_fonts *fonts;
static rt_shaper *shaper;
static rt_diag diag;

static int setup(void **state) {
    (void)state;
    rt_diag_init(&diag, stderr);
    fonts = rt_fonts_new("fonts", &diag);
    shaper = rt_shaper_new(fonts, NULL, &diag);
    return fonts && shaper ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    rt_shaper_free(shaper);
    rt_fonts_free(fonts);
    return 0;
}

/* "con-sti-tu-tion" style rendering of the allowed breaks */
static char *hyph(int lang, const char *w) {
    size_t n = strlen(w);
    bool *ok = calloc(n + 1, 1);
    rt_hyphenate_word(shaper, lang, w, n, false, ok);
    rt_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (ok[i])
            rt_buf_adds(&b, "-");
        rt_buf_add(&b, w + i, 1);
    }
    free(ok);
    return rt_buf_steal(&b);
}

#define HYPH(lang, word, expect)                                                                   \
    do {                                                                                           \
        char *h_ = hyph(lang, word);                                                               \
        assert_string_equal(h_, expect);                                                           \
        free(h_);                                                                                  \
    } while (0)

static void test_fonts_only_vendored(void **state) {
    (void)state;
    assert_true(rt_fonts_has(fonts, "PT Serif", false, false));
    assert_true(rt_fonts_has(fonts, "PT Serif", true, true));
    assert_true(rt_fonts_has(fonts, "PT Sans Narrow", true, false));
    assert_false(rt_fonts_has(fonts, "PT Sans Narrow", false, true)); /* no italic face */
    assert_false(rt_fonts_has(fonts, "DejaVu Sans", false, false));   /* system font */
    assert_false(rt_fonts_has(fonts, "Serif", false, false));         /* alias */
    assert_null(rt_font_get(fonts, "DejaVu Serif", false, false, 9));
    assert_true(rt_fonts_has(fonts, "Liberation Serif", false, true));
    assert_non_null(strstr(rt_fonts_families(fonts), "Liberation Serif"));
    assert_null(strstr(rt_fonts_families(fonts), "DejaVu"));
}

static void test_hyphenation_french(void **state) {
    (void)state;
    HYPH(RT_LANG_FR, "gouvernement", "gou-ver-ne-ment");
    HYPH(RT_LANG_FR, "syndicats", "syn-di-cats");
    HYPH(RT_LANG_FR, "mobilisation,", "mo-bi-li-sa-tion,");
    /* 2 letters before, 3 after at least */
    HYPH(RT_LANG_FR, "anticonstitutionnellement", "an-ti-cons-ti-tu-tion-nel-le-ment");
    /* never right after an apostrophe */
    HYPH(RT_LANG_FR, "l’économie", "l’éco-no-mie");
    /* names, acronyms, numbers, URLs, e-mail addresses: never */
    HYPH(RT_LANG_FR, "Bruxelles", "Bruxelles");
    HYPH(RT_LANG_FR, "FGTB", "FGTB");
    HYPH(RT_LANG_FR, "2026", "2026");
    HYPH(RT_LANG_FR, "https://example.org/manifestation", "https://example.org/manifestation");
    HYPH(RT_LANG_FR, "contact@syndicat.example", "contact@syndicat.example");
    /* the letters before the '@' too (issue 14: "ka-" / "zachstan@...") */
    HYPH(RT_LANG_FR, "kazachstan@socialisme.be", "kazachstan@socialisme.be");
    HYPH(RT_LANG_FR, "manifestation.example.org/appel", "manifestation.example.org/appel");
    HYPH(RT_LANG_FR, "12e", "12e");
    /* a capitalised common word may break when it starts a sentence */
    size_t n = strlen("Désindustrialisation");
    bool *ok = calloc(n + 1, 1);
    rt_hyphenate_word(shaper, RT_LANG_FR, "Désindustrialisation", n, true, ok);
    int breaks = 0;
    for (size_t i = 0; i <= n; i++)
        breaks += ok[i];
    assert_true(breaks >= 4);
    rt_hyphenate_word(shaper, RT_LANG_FR, "Charleroi", strlen("Charleroi"), false, ok);
    for (size_t i = 0; i <= strlen("Charleroi"); i++)
        assert_false(ok[i]);
    free(ok);
}

static void test_hyphenation_dutch_english(void **state) {
    (void)state;
    HYPH(RT_LANG_NL, "verkiezingen", "ver-kie-zin-gen");
    HYPH(RT_LANG_NL, "gemeenteraad", "ge-meen-te-raad");
    HYPH(RT_LANG_EN, "government", "gov-ern-ment");
}

static void typo_is(int lang, const char *in, const char *expect) {
    size_t n;
    char *out = rt_typo_apply(in, strlen(in), lang, &n);
    assert_int_equal(n, strlen(out));
    assert_string_equal(out, expect);
    free(out);
}

#define NBSP "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"

static void test_typography_french(void **state) {
    (void)state;
    typo_is(RT_LANG_FR, "Il dit : oui !", "Il dit" NBSP ": oui" NNBSP "!");
    typo_is(RT_LANG_FR, "Vraiment? Non; jamais!",
            "Vraiment" NNBSP "? Non" NNBSP "; jamais" NNBSP "!");
    typo_is(RT_LANG_FR, "\"oui\"", "«" NNBSP "oui" NNBSP "»");
    typo_is(RT_LANG_FR, "« Non »", "«" NNBSP "Non" NNBSP "»");
    typo_is(RT_LANG_FR, "l'État", "l’État");
    typo_is(RT_LANG_FR, "12 500 personnes", "12" NNBSP "500 personnes");
    typo_is(RT_LANG_FR, "5 % et 10 km", "5" NNBSP "% et 10" NBSP "km");
    typo_is(RT_LANG_FR, "et puis...", "et puis…");
    /* URLs and times keep their colons and question marks */
    typo_is(RT_LANG_FR, "https://x.org/a?b à 10:30", "https://x.org/a?b à 10:30");
}

static void test_typography_english_dutch(void **state) {
    (void)state;
    typo_is(RT_LANG_EN, "He said \"yes\" and 'no'. It's", "He said “yes” and ‘no’. It’s");
    typo_is(RT_LANG_NL, "Hij zei: \"ja\"", "Hij zei: “ja”");
}

static void test_paragraph_items(void **state) {
    (void)state;
    rt_font *f = rt_font_get(fonts, "PT Serif", false, false, 10);
    assert_non_null(f);
    const char *t = "La mobilisation continue";
    rt_text_span sp = {t, strlen(t), f, 0, 0, false};
    rt_para_opts o = {RT_LANG_FR, true, RT_PALIGN_JUSTIFY, 0, false, 0, false, 0, 0, 0, 0};
    rt_para *p = rt_shape_para(shaper, &sp, 1, &o);
    int boxes = 0, glue = 0, hyph = 0;
    double w = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        const rt_item *it = &p->items[i];
        if (it->kind == RT_ITEM_BOX) {
            boxes++;
            w += it->width;
        } else if (it->kind == RT_ITEM_GLUE && it->stretch < 1e5) {
            glue++;
            assert_true(it->stretch > 0 && it->shrink > 0);
        } else if (it->kind == RT_ITEM_PENALTY && it->flagged) {
            hyph++;
            assert_non_null(it->run); /* the hyphen it draws */
        }
    }
    assert_int_equal(glue, 2);
    assert_int_equal(hyph, 4 + 1); /* mo-bi-li-sa-tion, con-tinue */
    assert_int_equal(boxes, 1 + 5 + 2);
    assert_true(w > 80 && w < 130);
    /* the last items end the paragraph with a forced break */
    assert_int_equal(p->items[p->n_items - 1].penalty, -RT_INF_PENALTY);
    rt_para_free(p);
}

static void test_protrusion(void **state) {
    (void)state;
    /* amounts: fractions of the character's advance */
    assert_true(rt_protrusion(',', true) == 0.7);
    assert_true(rt_protrusion('.', true) == 0.7);
    assert_true(rt_protrusion('-', true) == 0.7);
    assert_true(rt_protrusion(0x00BB, true) == 0.5); /* » */
    assert_true(rt_protrusion(':', true) == 0.5);
    assert_true(rt_protrusion(0x00AB, false) == 0.5); /* « */
    assert_true(rt_protrusion('a', true) == 0);
    assert_true(rt_protrusion(',', false) == 0);
    /* the items carry them: a word ending in a comma may hang by 70 % of it */
    rt_font *f = rt_font_get(fonts, "PT Serif", false, false, 10);
    const char *t = "mot, « fin";
    rt_text_span sp = {t, strlen(t), f, 0, 0, false};
    rt_para_opts o = {RT_LANG_FR, false, RT_PALIGN_JUSTIFY, 0, false, 0, true, 0, 0, 0, 0};
    rt_para *p = rt_shape_para(shaper, &sp, 1, &o);
    const rt_item *mot = &p->items[0];
    assert_int_equal(mot->kind, RT_ITEM_BOX);
    rt_run *c = rt_shape_run(shaper, ",", 1, f, 0);
    assert_true(fabs(mot->rp - 0.7 * c->width) < 1e-6);
    rt_run_free(c);
    const rt_item *guill = &p->items[2];
    assert_int_equal(guill->kind, RT_ITEM_BOX);
    assert_true(guill->lp > 0);
    rt_para_free(p);
}

static void test_unsafe_to_break(void **state) {
    (void)state;
    /* "ef·fec·tif": shaped once and cut at the hyphenation points, so the
     * pieces together are exactly the word (kerning across the points kept) */
    rt_font *f = rt_font_get(fonts, "Liberation Serif", false, false, 9);
    const char *t = "effectif";
    rt_text_span sp = {t, strlen(t), f, 0, 0, false};
    rt_para_opts o = {RT_LANG_FR, true, RT_PALIGN_JUSTIFY, 0, false, 0, false, 0, 0, 0, 0};
    rt_para *p = rt_shape_para(shaper, &sp, 1, &o);
    rt_run *whole = rt_shape_run(shaper, t, strlen(t), f, 0);
    double sum = 0;
    int boxes = 0, unsafe = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        const rt_item *it = &p->items[i];
        if (it->kind == RT_ITEM_BOX) {
            sum += it->width;
            boxes++;
        } else if (it->kind == RT_ITEM_PENALTY && it->flagged) {
            if (it->pre) {
                /* broken here: "ef-" and "fec" are reshaped alone */
                unsafe++;
                assert_string_equal(it->pre->utf8, "ef-");
                assert_non_null(it->post);
                assert_string_equal(it->post->utf8, "fec");
                assert_true(fabs(it->width - (it->pre->width - p->items[i - 1].width)) < 1e-9);
            }
        }
    }
    assert_int_equal(boxes, 3);
    assert_true(fabs(sum - whole->width) < 1e-9);
    assert_true(unsafe >= 1); /* HarfBuzz flags the f|f point (kerning) */
    rt_run_free(whole);
    rt_para_free(p);
    /* a point inside a ligature (PT Serif "ffi" in of·fi·cielle) cannot be cut
     * from the word's shaping: the pieces are shaped alone */
    f = rt_font_get(fonts, "PT Serif", false, false, 9);
    t = "officielle";
    rt_text_span sp2 = {t, strlen(t), f, 0, 0, false};
    p = rt_shape_para(shaper, &sp2, 1, &o);
    boxes = 0;
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].kind == RT_ITEM_BOX) {
            boxes++;
            assert_true(p->items[i].run->len > 0);
        }
    assert_true(boxes >= 3);
    rt_para_free(p);
}

static void test_small_caps(void **state) {
    (void)state;
    rt_font *f = rt_font_get(fonts, "EB Garamond", false, false, 10);
    rt_font *sc = rt_font_small_caps(fonts, f);
    assert_non_null(sc);
    assert_ptr_equal(rt_font_small_caps(fonts, f), sc); /* made once */
    rt_run *plain = rt_shape_run(shaper, "Par", 3, f, 0);
    rt_run *small = rt_shape_run(shaper, "Par", 3, sc, 0);
    assert_int_equal(plain->n_glyphs, small->n_glyphs);
    assert_true(plain->glyphs[0] == small->glyphs[0]); /* the capital stays */
    assert_true(plain->glyphs[1] != small->glyphs[1]); /* smcp: a -> small capital */
    assert_true(plain->glyphs[2] != small->glyphs[2]);
    rt_run *caps = plain;
    rt_run_free(caps);
    rt_run_free(small);
    (void)0;
    /* Liberation Serif has none; PT Sans declares c2sc but it covers no letter */
    assert_null(rt_font_small_caps(fonts, rt_font_get(fonts, "Liberation Serif", false, false, 9)));
    assert_null(rt_font_small_caps(fonts, rt_font_get(fonts, "PT Sans", false, false, 9)));
}

static void test_nbsp_binds(void **state) {
    (void)state;
    rt_font *f = rt_font_get(fonts, "PT Serif", false, false, 10);
    const char *t = "oui" NNBSP "!";
    rt_text_span sp = {t, strlen(t), f, 0, 0, false};
    rt_para_opts o = {RT_LANG_FR, false, RT_PALIGN_JUSTIFY, 0, false, 0, false, 0, 0, 0, 0};
    rt_para *p = rt_shape_para(shaper, &sp, 1, &o);
    /* box, no-break penalty, fixed thin glue, box, end */
    assert_int_equal(p->items[0].kind, RT_ITEM_BOX);
    assert_int_equal(p->items[1].kind, RT_ITEM_PENALTY);
    assert_int_equal(p->items[1].penalty, RT_INF_PENALTY);
    assert_int_equal(p->items[2].kind, RT_ITEM_GLUE);
    assert_true(p->items[2].width > 1 && p->items[2].width < 2.5);
    assert_true(p->items[2].stretch == 0);
    rt_para_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fonts_only_vendored),
        cmocka_unit_test(test_hyphenation_french),
        cmocka_unit_test(test_hyphenation_dutch_english),
        cmocka_unit_test(test_typography_french),
        cmocka_unit_test(test_typography_english_dutch),
        cmocka_unit_test(test_paragraph_items),
        cmocka_unit_test(test_protrusion),
        cmocka_unit_test(test_unsafe_to_break),
        cmocka_unit_test(test_small_caps),
        cmocka_unit_test(test_nbsp_binds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
