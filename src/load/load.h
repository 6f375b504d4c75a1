/* load: YAML files -> the model (edition, articles, layout, messages).
 *
 * Only this stage includes <yaml.h>. Every loader reports every problem it
 * finds through rt_diag as `path:line:col: error: ...` and keeps going, so a
 * user sees all mistakes at once. A loader returns NULL only when it could not
 * produce a usable object at all; otherwise it returns the object and the
 * caller checks `diag->errors`.
 *
 * Ownership: rt_edition_free() frees the edition and everything reachable
 * from it (layout, articles, messages, every string). All strings in these
 * structs are heap-allocated and owned by the struct that holds them. Paths
 * stored here are already resolved (relative to the file that named them).
 *
 * All lengths are in points (see RT_MM); the YAML files carry units.
 */
#ifndef RT_LOAD_H
#define RT_LOAD_H

#include "../base/base.h"

/* A position in a source file, 1-based; line 0 = unknown. */
typedef struct {
    int line, col;
} rt_mark;

/* ------------------------------------------------------------------ layout */

typedef struct {
    double c, m, y, k; /* 0..1 */
} rt_cmyk;

typedef enum { RT_ALIGN_JUSTIFY, RT_ALIGN_LEFT, RT_ALIGN_CENTER, RT_ALIGN_RIGHT } rt_align;

/* Style names every layout must define (the loader reports missing ones). */
typedef enum {
    RT_ST_BODY,          /* article body text; its leading is the grid step */
    RT_ST_HEADLINE,      /* headline of an ordinary article */
    RT_ST_LEAD_HEADLINE, /* headline of the front-page lead */
    RT_ST_KICKER,        /* small line above a headline */
    RT_ST_STANDFIRST,    /* summary under the headline */
    RT_ST_BYLINE,
    RT_ST_SUBHEAD, /* `##` in the body */
    RT_ST_QUOTE,   /* block quote paragraphs */
    RT_ST_LIST,    /* list items */
    RT_ST_CAPTION,
    RT_ST_CREDIT,
    RT_ST_RELATED_TITLE, /* "Pour en savoir plus" */
    RT_ST_RELATED,       /* entries of the related box */
    RT_ST_FOLIO,         /* running head of inside pages */
    RT_ST_MASTHEAD,      /* paper name on the front page */
    RT_ST_MASTHEAD_INFO, /* number, date, price line */
    RT_ST_PAGE_TITLE,    /* heading of message pages */
    RT_ST_MESSAGE_FROM,  /* signature of a supporter message */
    RT_ST_MESSAGE_TEXT,  /* text of a supporter message */
    /* optional: defaults derived from the styles above (layout.c) */
    RT_ST_TEASER,     /* a title in the front page's "in this issue" */
    RT_ST_CALL,       /* the call for supporter messages in the front page's rail */
    RT_ST_RATE,       /* a line of the rate card under that call */
    RT_ST_HOUSE_CALL, /* the call on a house page */
    RT_ST_HOUSE_RATE, /* a line of the rate card on a house page */
    RT_ST_TABLE,      /* cells of a table in an article (the header row in bold) */
    RT_ST_NOTE,       /* footnotes at the end of an article */
    RT_ST_COUNT
} rt_style_id;
#define RT_ST_REQUIRED RT_ST_TEASER /* styles before this one must be in every layout */

extern const char *const rt_style_names[RT_ST_COUNT + 1]; /* "body", "headline", ..., NULL */

typedef struct {
    char *font;  /* family name, must exist in fonts/ */
    bool bold;   /* `weight: bold` (default regular) */
    bool italic; /* `italic: true` */
    double size; /* pt */
    double leading;
    int color; /* index into rt_layout.colors */
    rt_align align;
    double indent;       /* first-line indent */
    double space_before; /* extra space above (flow styles round to grid rows) */
    double space_after;
    bool uppercase;
    bool hyphenate;  /* default true for justified styles, false otherwise */
    bool small_caps; /* set in small capitals (the font's OpenType c2sc/smcp) */
    rt_mark mark;
} rt_style;

typedef struct {
    char *name;
    rt_cmyk cmyk;
} rt_color;

typedef struct {
    char *name;   /* "1/16", "1/8", ... */
    int columns;  /* width in message-grid columns */
    int rows;     /* height in message-grid rows */
    double price; /* euros */
    rt_mark mark;
} rt_rate;

/* The paper's own words, per language. printf-style where noted. */
typedef struct {
    char *related;           /* "Pour en savoir plus" */
    char *continued_on;      /* "Suite en page %d" */
    char *continued_from;    /* "Suite de la page %d" */
    char *page;              /* "Page %d" (folio) */
    char *number;            /* "N° %d" */
    char *price;             /* "%s €"  (%s = amount formatted for the language) */
    char *messages_title;    /* "Ils nous soutiennent" */
    char *in_this_issue;     /* "Dans ce numéro" */
    char *support_call;      /* "Soutenez-nous : placez votre message ..." */
    char *support_text;      /* a house page: who places a message, and where it prints */
    char *support_how;       /* ... and how (under the rate card) */
    char *briefs;            /* "En bref": the heading of a rail of short stories */
    char *flatplan_pages;    /* "%d pages": the flatplan's title */
    char *flatplan_jump;     /* "suite p. %d": a block continued on that page */
    char *flatplan_messages; /* "MESSAGES (%d)": a message page and its count */
    char *flatplan_legend;   /* "messages": the legend's last swatch */
} rt_words;

enum { RT_LANG_FR, RT_LANG_NL, RT_LANG_EN, RT_LANG_COUNT };
extern const char *const rt_lang_names[RT_LANG_COUNT + 1]; /* "fr", "nl", "en", NULL */
int rt_lang_from_name(const char *name);                   /* -1 if unknown */

/* words.c: the built-in words of each language; a layout's and an edition's
 * `words:` override them key by key. */
extern const char *const rt_word_keys[];                /* "related", "continued_on", ..., NULL */
const char *rt_default_word(int lang, const char *key); /* NULL: no such key */
void rt_words_fill(rt_words *w, int lang);              /* every unset word from the table */
void rt_words_clear(rt_words *w);                       /* frees every word */

typedef enum { RT_LINKS_INLINE, RT_LINKS_OMIT } rt_links;

#define RT_MAX_COLUMNS 12

/* How pages are composed: the layout's `composition:` section. Every field
 * is optional in the file; the defaults are set in one place (layout.c) and
 * documented in issues/README.md. */
typedef struct {
    double baseline_offset; /* a line's baseline in its grid row, as a share of the row (0.78) */
    double headline_scale[RT_MAX_COLUMNS + 1]; /* headline size by block span ([1..]) */
    int rail_columns;        /* the front page has a rail from this many columns (4) */
    int hole_rows;           /* a gap of more rows gets messages or a house box (3) */
    int min_lines;           /* widows and orphans: at least this many lines (2) */
    int min_piece_rows;      /* a piece before a jump shows at least this many rows of text (6) */
    int min_image_rows;      /* an image cropped to make room for text keeps this many rows (8) */
    double image_share;      /* a first image takes at most this share of the page's rows (0.4) */
    double lead_image_share; /* ... the lead's (0.45) */
    int brief_words;         /* an article without a role or image under this is a brief (200) */
    int main_words;          /* ... from this on a main story (550; two thirds with an image) */
    double role_headline[5]; /* headline size factor by rt_role (brief 0.8 ... lead 1.1) */
    int rail_min_rows;       /* a rail (briefs column) is at least this many rows tall (24) */
    /* the planner's costs (README, "Page composition") */
    struct {
        double hole;        /* per empty cell at the foot of a block, up to hole_rows (1) */
        double gap;         /* per empty cell of a larger gap (3) */
        double gap_each;    /* and once per such gap (40) */
        double image_slack; /* per cell a block fills by making its image taller (0.3) */
        double image_crop;  /* per cell a whole story's photo is cropped to fit its block (2) */
        double jump;        /* per article continued later (80) */
        double jump_later;  /* more when it is not the page's first (40) */
        double hierarchy;   /* an article narrower than one after it (25) */
        double shallow;     /* a block of 4+ columns with few text rows (150) */
        int shallow_rows;   /* "few": under this many rows per column (12) */
        double tall_column; /* a one-column block taller than tall_share of the page (10) */
        double tall_share;  /* (0.7) */
        double strips;      /* two full-width strips one under the other (12) */
        double leftover;    /* per cell left empty while articles wait (3) */
        double end_share;   /* holes at the end of the edition cost this share (0.5) */
        double fullw;       /* each block across every column (10) */
        double bump;        /* two blocks side by side with their tops level (60) */
        double not_top;     /* the page's largest block is not its top-left one (80) */
        double flat;        /* no dominant block: the second nearly as large (10) */
        double brief_wide;  /* a brief set across 3 columns or more (60) */
        double order;       /* per story placed before one that comes first in its section (6) */
        double mixed;       /* per section more than one on a page (3) */
        double low_photo;   /* a photo in the lower half of the page (4) */
        double moved;       /* watch mode: a story that measures the same, not on its page (40) */
    } cost;
} rt_compose_params;

typedef struct {
    char *path; /* resolved file path */
    char *name;
    double width, height; /* trim size */
    double bleed;
    double margin_top, margin_bottom, margin_inner, margin_outer;
    int columns;
    double gutter;
    double baseline; /* grid step == body leading */
    double rule_width;
    int rule_color;
    int accent_color;
    rt_color *colors;
    size_t n_colors;
    rt_mark *color_marks; /* where each colour is defined (n_colors of them) */
    rt_style styles[RT_ST_COUNT];
    double masthead_height; /* front-page masthead band */
    rt_links links;
    rt_words words[RT_LANG_COUNT];
    rt_compose_params compose;
    double ink_limit;          /* total ink limit for images, percent (RT_INK_LIMIT by default) */
    double min_ppi;            /* images printed under this resolution are warned about (200) */
    bool grey_images;          /* print images in grey (K only) rather than CMYK */
    char *profile;             /* print.profile: the CMYK output profile (NULL: the default) */
    int drop_cap_lines;        /* 0: no drop caps; else the initial spans this many lines */
    int drop_cap_min_words;    /* only articles with at least this many words get one */
    rt_style drop_cap;         /* its font, weight, colour (size follows from the lines) */
    int msg_columns, msg_rows; /* message grid on a message page */
    rt_rate *rates;
    size_t n_rates;
} rt_layout;

/* ----------------------------------------------------------------- article */

typedef struct {
    char *file; /* resolved path */
    char *caption;
    char *credit;
    int width_px, height_px; /* read from the file header by the loader */
    double focus_x, focus_y; /* `focus: [x, y]`: what a crop keeps, as shares of the
                                image from its top left (0.5, 0.5: the centre) */
    rt_mark mark;
} rt_image;

typedef struct {
    char *title;
    char *url; /* may be NULL */
} rt_related;

typedef struct {
    char *path; /* resolved path of the .md file */
    char *title, *kicker, *standfirst, *byline, *section;
    int lang; /* RT_LANG_*, defaults to the edition's */
    rt_image *images;
    size_t n_images;
    rt_related *related;
    size_t n_related;
    char *body;    /* Markdown after the front matter */
    int body_line; /* 1-based line of `body` in the file */
} rt_article;

/* ----------------------------------------------------------------- message */

typedef enum { RT_PAY_PAID, RT_PAY_PENDING, RT_PAY_OFFERED } rt_pay_status;

typedef struct {
    char *path;
    char *from, *text, *format, *contact;
    double amount;
    char *reference;
    rt_pay_status status;
    char *logo;         /* resolved path or NULL */
    int logo_w, logo_h; /* its size in pixels */
    int rate;           /* index into layout->rates, -1 if unknown */
    rt_mark text_mark;  /* where `text` starts, for Markdown diagnostics */
    int text_indent;    /* columns its lines are indented by in the file (block scalars) */
    double donation;    /* paid over its format's price (the difference), else 0 */
    char *short_paid;   /* paid under the price: why it is held ("paid 20.00 of ..."), else NULL */
} rt_message;

/* ----------------------------------------------------------------- edition */

typedef enum { RT_POS_ANY, RT_POS_TOP, RT_POS_BOTTOM } rt_position;

/* A story's role on its page: what it may take (columns, headline size,
 * place). RT_ROLE_AUTO: inferred from its length, image and order. */
typedef enum { RT_ROLE_AUTO, RT_ROLE_BRIEF, RT_ROLE_SECONDARY, RT_ROLE_MAIN, RT_ROLE_LEAD } rt_role;
extern const char *const rt_role_names[]; /* "auto", "brief", "secondary", "main", "lead" */

typedef struct {
    rt_article *article;
    rt_role role;  /* `role:` lead | main | secondary | brief, or a weight (then AUTO) */
    double weight; /* `role:` as a number, 1 (brief) to 4 (lead); 0 = from the role */
    int page;      /* 0 = automatic */
    int span;      /* columns, 0 = automatic */
    rt_position position;
    bool no_jump;
    bool reserve; /* listed under `reserve:`: printed only where the copy falls short */
    rt_mark mark; /* the entry in issue.yaml */
} rt_entry;

typedef struct {
    char *path; /* the issue.yaml */
    char *dir;  /* its folder */
    char *paper;
    int number;
    int year, month, day;
    char *date; /* "YYYY-MM-DD" as written */
    double price;
    int lang;
    rt_layout *layout;
    int pages; /* target page count, 0 = automatic */
    int lead;  /* index into entries, -1 if none */
    int *teasers;
    size_t n_teasers;
    rt_entry *entries;
    size_t n_entries;
    /* `reserve:` (the newsroom's "marbre"): stories kept for when the copy
     * falls short of the pages, in the order they are listed; none of them
     * is in `entries` (rt_edition_with_reserve) */
    rt_entry *reserve;
    size_t n_reserve;
    char *messages_dir; /* resolved, or NULL */
    rt_message *messages;
    size_t n_messages;
} rt_edition;

/* Loads the edition file and everything it references: the layout, every
 * article and every message. `layouts_dir` is where layout names resolve.
 * Reports every problem to `d`. */
rt_edition *rt_edition_load(const char *path, const char *layouts_dir, rt_diag *d);
void rt_edition_free(rt_edition *e);
/* Two articles of the same section (both without one: the same). */
bool rt_same_section(const rt_article *a, const rt_article *b);
/* An edition that also prints the stories of e's reserve marked in `take`
 * (n_reserve flags), each after the last article of its section, or last
 * when its section has none: a new rt_edition that shares everything with
 * `e` but its entries and teasers (rt_edition_view_free it before `e`).
 * `from[i]` (n_entries of the view) is what its entry i was: the index in
 * e->entries, or -1 - r for reserve story r. Its reserve: the stories not
 * printed. */
rt_edition *rt_edition_with_reserve(const rt_edition *e, const bool *take, int *from);
void rt_edition_view_free(rt_edition *v);
/* Only the edition file itself: paper, number, date, language, the layout,
 * the edition's words and the messages folder's path (messages_dir, not
 * checked); no article or message is read. For the message desk. */
rt_edition *rt_edition_load_head(const char *path, const char *layouts_dir, rt_diag *d);

/* Lower-level entry points (used by the edition loader, tests and intake). */
rt_layout *rt_layout_load(const char *path, rt_diag *d);
void rt_layout_free(rt_layout *l);
/* `lang` is the default language (the edition's). */
rt_article *rt_article_load(const char *path, int lang, rt_diag *d);
void rt_article_free(rt_article *a);
/* `dir` is the messages folder (logo paths are confined to it); `layout`
 * resolves the format name (may be NULL: format not checked). Returns false
 * if the message is unusable; `out` is then freed. */
bool rt_message_load(const char *path, const char *dir, const rt_layout *layout, rt_message *out,
                     rt_diag *d);
/* The same, but what could be read stays in `out` even when the message is
 * unusable (for reports); the caller always calls rt_message_clear(). */
bool rt_message_load_partial(const char *path, const char *dir, const rt_layout *layout,
                             rt_message *out, rt_diag *d);
void rt_message_clear(rt_message *m);
/* "name.yaml" or "name.yml", not hidden. */
bool rt_is_message_file(const char *name);
/* The message files of a folder (full paths, sorted; the caller frees each
 * and the array). Other files are reported as ignored (warnings). */
char **rt_message_files(const char *dir, size_t *n, rt_diag *d);

/* What an image file may be. */
typedef struct {
    int max_side;        /* pixels, either side */
    double max_pixels;   /* width x height */
    long long max_bytes; /* size of the file; 0: no limit */
    const char *what;    /* "an article image", "a logo": for messages */
} rt_image_limits;

/* Checks an image file the way the build will read it (image.c): PNG or
 * JPEG, of the kind its name says (the build reads a .png file as PNG and
 * any other as JPEG), within the limits (read from the header, before
 * decoding), then decoded whole with libpng or libjpeg, to the last row and
 * the end marker, every CRC checked and any corruption refused. Returns
 * NULL and fills *w, *h (pixels, as the picture shows: a JPEG's EXIF
 * orientation applied) when the image is good; otherwise a new
 * string (the caller frees it) to follow the file's name in a message:
 * "is not a PNG or JPEG image", "is truncated or damaged (PNG: ...)". */
char *rt_image_check(const char *path, const rt_image_limits *lim, int *w, int *h);
/* What is wrong with the colour profile an image file carries, as its
 * header says (the build converts through a profile that fits its pixels,
 * else takes the colours as sRGB, a CMYK JPEG's inks as made for this
 * press): NULL when none is wrong; else a new string to follow the file's
 * name in a warning ("carries an ICC profile for GRAY colours, not RGB: its
 * colours are taken as sRGB"). */
char *rt_image_profile_problem(const char *path);

/* Images already decoded whole (watch mode): once on, rt_image_check
 * remembers each file it decoded whole without fault (its device, inode,
 * size, modification and change times) and for a file that has not changed
 * since checks the header (kind, size, limits) but does not decode it
 * again. Off by default; process-wide (the driver turns it on for watch). */
void rt_image_check_remember(bool on);
/* And, beyond one process (the image cache, set by the driver for a
 * build): `known` says whether the file at `path` was decoded whole without
 * fault before (by its bytes), `decoded` is told each time one is. NULL:
 * none. Process-wide. */
typedef struct {
    bool (*known)(void *arg, const char *path);
    void (*decoded)(void *arg, const char *path, int w, int h);
    void *arg;
} rt_image_known;
void rt_image_check_known(const rt_image_known *k);
/* Decoding left to the build (one that writes a PDF converts every PNG the
 * edition names, decoding it whole at least as strictly as this check):
 * once on, rt_image_check reads a PNG's header (kind, size, limits) only,
 * and the loader records each place that names such a file. Turning it on
 * or off clears the record. Process-wide. */
void rt_image_defer(bool on);
/* Whether the file at `path` would be checked by its header only. */
bool rt_image_deferred(const char *path);
/* Records a place naming a deferred file: `src` at `mark`, the name as
 * written there (for the message), the limits it was checked against and
 * its size.
 * Nothing when `path` is not deferred. */
void rt_image_defer_place(const char *path, const char *src, rt_mark mark, const char *as_written,
                          const rt_image_limits *lim, int w, int h);
/* Calls fn for each deferred file, once, with its size from the header
 * (a build that decoded them all tells the image cache). */
void rt_image_deferred_each(void (*fn)(void *arg, const char *path, int w, int h), void *arg);
/* Decodes the deferred file `path` (NULL: every one) whole, as `check`
 * does, and reports its problem at every place that names it, as the
 * loader would have; true when there was one. */
bool rt_image_report_deferred(const char *path, rt_diag *d);

#endif
