/* compose: the edition (model + parsed articles) -> pages of drawing
 * instructions.
 *
 * The composer decides where everything goes: masthead, article blocks
 * (headline across the article's columns, body flowed through the columns
 * on the baseline grid), continuations on later pages with jump lines,
 * folios, supporter-message pages. It calls shape (text -> items), break
 * (items -> lines) and fill (lines -> columns); it does not draw: render
 * turns the pages into PDF.
 *
 * Ownership: rt_composition_free() frees the pages, their draw lists and the
 * few runs made for them alone (rt_composition.runs). Other draw items point
 * into runs owned by the rt_shaper (which must outlive the composition) and
 * to image paths owned by the edition.
 */
#ifndef RT_COMPOSE_H
#define RT_COMPOSE_H

#include "../load/load.h"
#include "../parse/parse.h"
#include "shape/shape.h"

#include <stdint.h>

/* RT_DRAW_MARK: a reading-order mark (order.c), invisible: the two space
 * glyphs of `run`, read as two spaces, stretched over the box (x, y, w, h). */
typedef enum {
    RT_DRAW_RUN,
    RT_DRAW_RECT,
    RT_DRAW_LINE,
    RT_DRAW_IMAGE,
    RT_DRAW_PAGE,
    RT_DRAW_MARK
} rt_draw_kind;

struct rt_page;

/* One thing drawn on a page. A page holds thousands (a run per word or
 * line piece): the fields of one kind only share their room (the union). */
typedef struct {
    rt_draw_kind kind;
    int color;         /* run/rect fill/line stroke colour (layout colour index) */
    double x, y;       /* run: origin of the baseline; rect/image/mark: top-left; line: start */
    double w, h;       /* rect/image/mark: size; line: x2, y2 (end point) */
    const rt_run *run; /* RT_DRAW_RUN, RT_DRAW_MARK */
    double sx;         /* RT_DRAW_RUN: horizontal glyph scale (font expansion); RT_DRAW_PAGE:
                          the page's scale; 0 = 1 */
    double line_width; /* line, stroked rect */
    unsigned rgba;     /* previews only: 0xRRGGBBAA instead of `color` (0: unused) */
    bool stroke;       /* rect: stroked frame instead of fill */
    union {
        struct {                     /* RT_DRAW_RUN (and MARK: all zero) */
            double tracking;         /* extra advance after each character */
            double text_x0, text_x1; /* hanging into the margin (margin kerning): its text is
                                        read over [text_x0, text_x1], inside the measure, and
                                        its glyphs carry none; 0, 0: its glyphs carry it */
            double text_sy;          /* its text is read at this vertical scale, over its
                                        words' places, and its glyphs carry none (every other
                                        row of a table: extractors never join the cells of two
                                        rows into one block, and read each row before the
                                        next); 0: 1 */
            uintptr_t unit;          /* nonzero for the runs of one table, in row `unit_row`:
                                        the reading-order marks (order.c) cut the table as
                                        one, and mark the lines between its rows */
            int unit_row;
        };
        struct {               /* RT_DRAW_IMAGE */
            const char *image; /* file path (owned by the edition) */
            double fx, fy;     /* with `focus`: the point kept, as shares of the image from
                                  its top left */
            int img_w, img_h;  /* the file's size in pixels (from the loader) */
            bool contain;      /* fit whole inside the box (logos) instead of covering it
                                  (photos, cropped) */
            bool focus;        /* crop around (fx, fy) (else centred) */
        };
        const struct rt_page *page; /* RT_DRAW_PAGE: a page drawn at (x, y) scaled by sx,
                                       clipped to w x h (flatplan thumbnails) */
    };
} rt_draw;

typedef struct rt_page {
    int number; /* 1-based */
    rt_draw *draws;
    size_t n_draws, cap_draws;
    char *section; /* running head (NULL on the front page) */
    bool messages; /* a supporter-message page */
    bool house;    /* a house page (added to reach a multiple of 4 pages) */
} rt_page;

/* Quality of the set text, measured from the engine's own line data. The
 * space ratio of a justified line is the set width of its inter-word spaces
 * divided by their natural width (1 = natural, 2 = twice as wide);
 * paragraph-final lines are set at natural width and not counted. */
typedef struct {
    int lines;      /* lines set */
    double *ratios; /* space ratio of each justified, non-final line */
    size_t n_ratios, cap_ratios;
    int over15, over2; /* justified lines with ratio > 1.5, > 2 */
    int overfull;      /* lines wider than their measure */
    int hyphenated;    /* lines ending in a hyphen */
    int max_hyph_run;  /* longest run of consecutive hyphenated lines */
    int widows, orphans;
    int infeasible;        /* paragraphs set by the emergency pass (reported) */
    int over2_elsewhere;   /* lines above 2x outside those paragraphs (should be 0) */
    double drop_ratio_max; /* widest space ratio of the lines beside a drop cap (0: none) */
} rt_text_stats;

void rt_stats_merge(rt_text_stats *into, const rt_text_stats *from);
/* max, 95th percentile and mean of the ratios (1 when there are none). */
void rt_stats_ratios(const rt_text_stats *s, double *max, double *p95, double *mean);
void rt_stats_print_header(FILE *f);
void rt_stats_print(FILE *f, const char *name, const rt_text_stats *s);
void rt_stats_free(rt_text_stats *s);

/* One piece of an article on one page: its block, in grid rows, across
 * `columns` columns from column col0 of the text area. */
typedef struct {
    int page;
    int top, bottom; /* rows [top, bottom) of the text area */
    int columns;
    int jump_to;       /* page the text continues on, 0 if it ends here */
    double x, y, w, h; /* the block, points from the trim's top left */
    int col0;          /* first column of the block */
    int short_rows;    /* rows its shortest column ends above the block's foot (0 when it jumps) */
} rt_segment;

/* Where an article went, for the report and for tests. */
typedef struct {
    const rt_article *article;
    rt_role role;        /* the role it was given (the edition's, or inferred) */
    unsigned long shape; /* a digest of its measurements (watch mode compares them) */
    int first_page, last_page;
    int lines;    /* body lines set */
    int overfull; /* overfull lines */
    rt_text_stats stats;
    rt_segment *segments;
    size_t n_segments, cap_segments;
} rt_article_place;

/* The article pieces on one page, in article order:
 *   rt_block_iter it = {0};
 *   for (const rt_segment *sg; (sg = rt_page_next_block(c, page, &it));)
 *       ... c->articles[it.article], piece it.segment ...
 */
typedef struct {
    size_t article, segment; /* of the piece returned */
    size_t next_a, next_k;   /* where the search goes on */
} rt_block_iter;
struct rt_composition;
const rt_segment *rt_page_next_block(const struct rt_composition *c, int page, rt_block_iter *it);

/* Where a supporter message went. */
typedef struct {
    int message;       /* index into edition->messages */
    int page;          /* 0: held (not printed) */
    double x, y, w, h; /* its box on the page, points from the trim's top left */
    const char *held;  /* why it is held, or NULL */
} rt_message_place;

/* A gap on an article page, filled with a house box (the call for
 * supporter messages) or with small supporter messages. */
typedef struct {
    int page;
    int col0, columns, top, bottom; /* grid columns and rows [top, bottom) */
    int messages;                   /* messages placed in it (0: a house box) */
} rt_house_box;

/* The call for supporter messages in the room a message page's messages
 * leave, on the message grid (a rectangle of free cells, so that no message
 * page ends in a blank). */
typedef struct {
    int page;
    double x, y, w, h; /* points from the trim's top left */
} rt_call_box;

/* Page-design figures of an article page (design.c), for the report, the
 * warnings and the tests. Cells are grid cells (column x row). */
typedef struct {
    int blocks, full_width; /* blocks; those across every column */
    int stack;              /* longest run of full-width blocks one under another */
    int shallow;            /* blocks of 4+ columns with under 12 text rows per column */
    int bumps;              /* pairs of blocks side by side with their tops level */
    int briefs_wide;        /* briefs set across 3 columns or more */
    bool largest_top;       /* its top-left block is its largest */
    bool dominant;          /* its largest block is a quarter larger than the next */
    double largest_share;   /* the largest block's share of the page */
    double house_share;     /* house boxes (the call for messages) */
    double empty_share;     /* cells nothing covers (rule rows between blocks excepted) */
    int small_jumps;        /* jumps whose first piece is under a third of its article */
    int hollow;             /* blocks with a column RT_HOLLOW_ROWS short of their foot */
} rt_page_design;

/* A column of a block that ends this many rows above the block's foot
 * leaves a hole in the page (design.c counts such blocks). */
#define RT_HOLLOW_ROWS 6

/* A house box over this share of an article page's grid is a design
 * warning (design.c), and the reserve's choice avoids one (driver/reserve.c). */
#define RT_HOUSE_BOX_MAX 0.10

typedef struct {
    int article_pages;
    double full_width_per_page;
    int pages_with_3_strips, max_stack, shallow, bumps, briefs_wide;
    int largest_top; /* article pages whose top-left block is their largest */
    double house_share, empty_share, house_max; /* over article pages; the largest box */
    int hollow;                                 /* blocks with a column RT_HOLLOW_ROWS short */
    int jumps, articles_jumping, jumped_twice, small_first_pieces, front_jumps;
    double jumps_per_article;
    double message_fill_min, message_fill_mean; /* message pages (0 when none) */
    double message_blank_max; /* the largest share of a message page's grid neither messages
                                 nor the call in their room cover */
    int house_pages;
    const char *back; /* the last page's kind: "articles", "messages", "house", "front" */
} rt_design;

typedef struct rt_composition {
    double width, height; /* trim size, points */
    double offset;        /* MediaBox edge to trim edge (0: no marks) */
    double bleed;
    rt_page *pages;
    size_t n_pages;
    rt_article_place *articles; /* one per edition entry */
    size_t n_articles;
    int messages_placed, messages_held;
    int overset_lines; /* body lines that found no room (reported) */
    int house_pages;   /* pages added to reach a multiple of 4 or `pages` */
    int plan_target;   /* the article pages the planner was asked for (0: as many as
                          the stories need), and how many it made: watch mode asks
                          the same again when it costs little */
    int plan_pages;
    double plan_equiv;   /* its house pages and large house boxes, as house pages (kept
                            from the last build that tried every count) */
    rt_house_box *house; /* gaps filled with house boxes */
    size_t n_house, cap_house;
    rt_call_box *calls; /* the call in the rest of message pages */
    size_t n_calls, cap_calls;
    rt_message_place *messages; /* one per edition message, in edition order */
    size_t n_messages;
    rt_run **runs; /* runs made for these pages alone (drop caps), owned here */
    size_t n_runs, cap_runs;
    rt_page_design *design; /* one per page (article pages filled, others zero) */
    rt_design totals;
    char **warned; /* words cut by force already reported (once each), owned here */
    size_t n_warned, cap_warned;
} rt_composition;

/* Where each article started in an earlier build (watch mode): the planner
 * prefers to keep it there when that costs (almost) nothing. */
typedef struct {
    char **paths;          /* the articles' files */
    int *pages;            /* their first pages, as the planner numbers them (the front
                              page 1, the article pages from 2: not the house and message
                              pages between them) */
    unsigned long *shapes; /* what they measured (a story that measures the same stays put) */
    bool *reserve;         /* printed from the edition's reserve (set by the driver: the
                              composition does not know) */
    size_t n;
    int target, made; /* the page count planned (rt_composition.plan_target, plan_pages) */
    double equiv;     /* ... and what it left to house (rt_composition.plan_equiv) */
} rt_plan_memory;

/* Records where the composition's articles start (replacing what was). */
void rt_plan_memory_set(rt_plan_memory *m, const rt_composition *c);
void rt_plan_memory_free(rt_plan_memory *m);

struct cmp_memo; /* compose/memo.h */

typedef struct {
    rt_shaper *shaper;
    rt_fonts *fonts;
    bool marks;         /* print variant: bleed, crop marks and a slug line outside the trim */
    bool allow_overset; /* text that does not fit is a warning, not an error */
    FILE *plan_debug;   /* each page's chosen plan and its cost, or NULL */
    const rt_plan_memory *previous; /* where the articles started last time, or NULL */
    /* watch mode: the paragraphs already typeset, kept from build to build
     * (compose/memo.h; made on first use), or NULL: one memo per composer.
     * The shaper and fonts must then be the same for every build. */
    struct cmp_memo **keep;
    /* watch mode: the page searches, kept from build to build
     * (compose/searches.h; made on first use), or NULL: none kept */
    struct cmp_searches **searches;
    int threads;   /* 1: the planner works on one thread; else on two (compose/pool.h) */
    bool watching; /* watch mode: `keep` outlives the build (the planner works on one
                      thread, so that what it keeps is in one thread's memory) */
    /* while it returns true, another part of the build (the images
     * converted ahead) has the second processor: the planner's second thread
     * takes no work (asked before each batch); NULL: never */
    bool (*busy)(void *arg);
    void *busy_arg;
} rt_compose_ctx;

/* After a build that used rt_compose_ctx.keep (once its composition is
 * freed): drops the paragraphs that build did not use. */
void rt_compose_keep_sweep(struct cmp_memo *m);
void rt_compose_keep_free(struct cmp_memo *m);
/* The same for rt_compose_ctx.searches; and how many of the build's page
 * searches it gave, and how many were made (counted until the sweep). */
void rt_compose_searches_sweep(struct cmp_searches *s);
void rt_compose_searches_free(struct cmp_searches *s);
void rt_compose_searches_counts(const struct cmp_searches *s, long *kept, long *made);

/* Distance from the MediaBox edge to the trim in the print variant. */
#define RT_MARKS_OFFSET (12.0 * RT_MM)

/* `docs[i]` is the parsed body of edition->entries[i].article;
 * `msg_docs[i]` the parsed text of edition->messages[i]. Problems (text that
 * cannot be placed, a message too long for its box) are reported to `d`.
 * Returns NULL if the layout cannot be used (fonts missing...). */
rt_composition *rt_compose(const rt_edition *e, rt_doc *const *docs, rt_doc *const *msg_docs,
                           rt_compose_ctx *ctx, rt_diag *d);
void rt_composition_free(rt_composition *c);
/* Frees the pages' draw lists once nothing will draw them again (the PDF
 * rendered, no previews to come); everything else stays for the report. */
void rt_composition_drop_draws(rt_composition *c);

/* How a supporter message fits the box of a format, set as it will print. */
typedef struct {
    bool fits;           /* in the box, every word within the measure */
    int lines_over;      /* lines past the box's bottom (0: fits in height) */
    bool too_wide;       /* a word wider than the box's measure */
    double scale;        /* type scale the box gets (1 to 2.6) */
    double height, room; /* the text's height and the box's inner height, points */
} rt_message_fit;

/* Typesets message m (doc: its parsed text) in the box of format `rate` of
 * e->layout (e gives the layout and the language) and says how it fits. */
void rt_fit_message(const rt_edition *e, const rt_message *m, const rt_doc *doc, int rate,
                    rt_compose_ctx *ctx, rt_message_fit *fit);

/* The smallest format larger than `rate` whose box message m fits (set in
 * it), by area then price; -1 if none. */
int rt_message_smallest_format(const rt_edition *e, const rt_message *m, const rt_doc *doc,
                               int rate, rt_compose_ctx *ctx);
/* Reports a message that does not fit the box of format `rate` (fit: from
 * rt_fit_message) as an error at its text, naming the smallest format it
 * fits: the same words for intake and the build. */
void rt_report_message_fit(const rt_edition *e, const rt_message *m, const rt_doc *doc, int rate,
                           rt_compose_ctx *ctx, const rt_message_fit *fit, rt_diag *d);

/* The size of the box of format `rate` of e->layout on a message page, in
 * points (what a proof shows and a rate card announces). */
void rt_message_box(const rt_edition *e, int rate, double *w, double *h);

/* A proof of message m in its format's box, exactly as it will print, on a
 * page just larger than the box with the format and size above it. Returns
 * NULL if m has no valid format. Free with rt_composition_free(). */
rt_composition *rt_message_proof(const rt_edition *e, const rt_message *m, const rt_doc *doc,
                                 rt_compose_ctx *ctx, rt_diag *d);

/* A flatplan ("chemin de fer"): one page showing every page of `c` as a
 * thumbnail in reading spreads (1, 2-3, 4-5, ..., last), with page numbers,
 * article blocks tinted by section and titled, and message pages marked.
 * The result draws c's pages (RT_DRAW_PAGE): free it before c. */
rt_composition *rt_flatplan(const rt_composition *c, const rt_edition *e, rt_compose_ctx *ctx,
                            rt_diag *d);

/* Characters that no font of fonts/ has, met while shaping since the last
 * call (they would print as empty boxes): each reported as an error at every
 * place it is written in `files` (as itself, a character reference such as
 * &#x1F6A9; or a YAML escape):
 *   path:line:col: error: the character '🚩' (U+1F6A9) is in no font of this layout
 * Returns how many characters were missing (0: nothing reported). */
int rt_compose_report_missing(rt_compose_ctx *ctx, const char *const *files, size_t n_files,
                              rt_diag *d);
/* The same over every source file of an edition: its articles, messages,
 * the edition file and the layout. */
int rt_compose_report_edition_missing(rt_compose_ctx *ctx, const rt_edition *e, rt_diag *d);

/* Checks that every style's font exists; reports each missing one. */
bool rt_compose_check_fonts(const rt_layout *l, rt_fonts *fonts, rt_diag *d);

#endif
