/* load: the names of the layout's styles and of the languages (load.h), used
 * by the layout loader, its geometry checks and the later stages. */
#include "load.h"

#include <string.h>

const char *const rt_style_names[RT_ST_COUNT + 1] = {"body",          "headline",   "lead_headline",
                                                     "kicker",        "standfirst", "byline",
                                                     "subhead",       "quote",      "list",
                                                     "caption",       "credit",     "related_title",
                                                     "related",       "folio",      "masthead",
                                                     "masthead_info", "page_title", "message_from",
                                                     "message_text",  "teaser",     "call",
                                                     "rate",          "house_call", "house_rate",
                                                     "table",         "note",       NULL};

const char *const rt_lang_names[RT_LANG_COUNT + 1] = {"fr", "nl", "en", NULL};

int rt_lang_from_name(const char *name) {
    for (int i = 0; i < RT_LANG_COUNT; i++)
        if (strcmp(name, rt_lang_names[i]) == 0)
            return i;
    return -1;
}
