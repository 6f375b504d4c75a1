/* load: the paper's own words, one table per language (French, Dutch,
 * English). A layout's `words:` and an edition's `words:` override them key
 * by key; what is left out comes from here. The words follow the edition's
 * `language`; hyphenation and typography follow each article's. */
#include "tree.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Each key, where it lives in rt_words, and the one printf conversion its
 * text must hold (0: none). */
static const struct {
    const char *key;
    size_t off;
    char conv;
} word_keys[] = {
    {"related", offsetof(rt_words, related), 0},
    {"continued_on", offsetof(rt_words, continued_on), 'd'},
    {"continued_from", offsetof(rt_words, continued_from), 'd'},
    {"page", offsetof(rt_words, page), 'd'},
    {"number", offsetof(rt_words, number), 'd'},
    {"price", offsetof(rt_words, price), 's'},
    {"messages_title", offsetof(rt_words, messages_title), 0},
    {"in_this_issue", offsetof(rt_words, in_this_issue), 0},
    {"support_call", offsetof(rt_words, support_call), 0},
    {"support_text", offsetof(rt_words, support_text), 0},
    {"support_how", offsetof(rt_words, support_how), 0},
    {"briefs", offsetof(rt_words, briefs), 0},
    {"flatplan_pages", offsetof(rt_words, flatplan_pages), 'd'},
    {"flatplan_jump", offsetof(rt_words, flatplan_jump), 'd'},
    {"flatplan_messages", offsetof(rt_words, flatplan_messages), 'd'},
    {"flatplan_legend", offsetof(rt_words, flatplan_legend), 0},
};
#define N_KEYS (sizeof word_keys / sizeof *word_keys)

const char *const rt_word_keys[N_KEYS + 1] = {"related",
                                              "continued_on",
                                              "continued_from",
                                              "page",
                                              "number",
                                              "price",
                                              "messages_title",
                                              "in_this_issue",
                                              "support_call",
                                              "support_text",
                                              "support_how",
                                              "briefs",
                                              "flatplan_pages",
                                              "flatplan_jump",
                                              "flatplan_messages",
                                              "flatplan_legend",
                                              NULL};

/* In word_keys order. */
static const char *const defaults[RT_LANG_COUNT][N_KEYS] = {
    [RT_LANG_FR] = {"Pour en savoir plus", "Suite en page %d", "Suite de la page %d", "Page %d",
                    "N\xc2\xb0 %d", "%s \xe2\x82\xac", "Ils nous soutiennent",
                    "Dans ce num\xc3\xa9ro",
                    "Soutenez-nous\xc2\xa0: placez votre message dans notre prochaine \xc3\xa9"
                    "dition\xc2\xa0!",
                    "Une section, une association, une famille, un commerce du quartier\xc2\xa0: "
                    "votre message para\xc3\xaet dans ces pages, parmi ceux des lecteurs qui font "
                    "vivre ce journal.",
                    "Choisissez un format, envoyez-nous votre texte et votre logo\xc2\xa0: nous "
                    "vous montrons l\xe2\x80\x99\xc3\xa9preuve avant l\xe2\x80\x99impression.",
                    "En bref", "%d pages", "suite p. %d", "MESSAGES (%d)", "messages"},
    [RT_LANG_NL] =
        {"Meer weten", "Lees verder op pagina %d", "Vervolg van pagina %d", "Pagina %d", "Nr. %d",
         "\xe2\x82\xac %s", "Zij steunen ons", "In dit nummer",
         "Steun ons: plaats uw boodschap in ons volgende nummer!",
         "Een afdeling, een vereniging, een familie, een buurtwinkel: uw boodschap "
         "verschijnt op deze pagina's, naast die van de lezers die deze krant doen leven.",
         "Kies een formaat, stuur ons uw tekst en uw logo: u ziet de proef v\xc3\xb3\xc3\xb3r "
         "de druk.",
         "Kort", "%d pagina's", "verder p. %d", "BOODSCHAPPEN (%d)", "boodschappen"},
    [RT_LANG_EN] = {"Further reading", "Continued on page %d", "Continued from page %d", "Page %d",
                    "No. %d", "\xe2\x82\xac%s", "They support us", "In this issue",
                    "Support us: place your message in our next edition!",
                    "A branch, a club, a family, a corner shop: your message prints in these "
                    "pages, among those of the readers who keep this paper going.",
                    "Choose a format, send us your text and your logo: we show you the proof "
                    "before it goes to print.",
                    "In brief", "%d pages", "cont. p. %d", "MESSAGES (%d)", "messages"},
};

static char **slot(rt_words *w, size_t k) {
    return (char **)((char *)w + word_keys[k].off);
}

const char *rt_default_word(int lang, const char *key) {
    for (size_t k = 0; k < N_KEYS; k++)
        if (strcmp(word_keys[k].key, key) == 0)
            return defaults[lang][k];
    return NULL;
}

void rt_words_fill(rt_words *w, int lang) {
    for (size_t k = 0; k < N_KEYS; k++)
        if (!*slot(w, k))
            *slot(w, k) = rt_xstrdup(defaults[lang][k]);
}

void rt_words_clear(rt_words *w) {
    for (size_t k = 0; k < N_KEYS; k++) {
        free(*slot(w, k));
        *slot(w, k) = NULL;
    }
}

/* printf formats of the paper's words: exactly one conversion of the kind
 * expected, nothing else (they go to printf; %% for a % sign). */
static bool check_format(const char *s, char conv) {
    int count = 0;
    for (const char *p = s; *p; p++) {
        if (*p != '%')
            continue;
        if (p[1] == '%') {
            p++;
            continue;
        }
        if (p[1] != conv)
            return false;
        count++;
        p++;
    }
    return count == 1;
}

void ld_load_words(yctx *c, rt_words *w, const ynode *n, const char *what) {
    if (!yn_expect(c, n, YN_MAP, what))
        return;
    yn_check_keys(c, n, rt_word_keys, what);
    for (size_t k = 0; k < N_KEYS; k++) {
        ynode *v = yn_get(n, word_keys[k].key);
        char *s = NULL;
        if (!v || !yn_string(c, v, word_keys[k].key, &s))
            continue;
        /* words without a conversion are printed as they are (a % sign too) */
        if (word_keys[k].conv && !check_format(s, word_keys[k].conv)) {
            yn_error(c, v, "'%s' must contain exactly one %%%c and no other %% conversion",
                     word_keys[k].key, word_keys[k].conv);
            free(s);
            continue;
        }
        free(*slot(w, k));
        *slot(w, k) = s;
    }
}
