/* compose: an article as the planner sees it (a "part": its typeset body,
 * role and weight, measured shapes) and the pieces it is set in: a piece is
 * the part of an article set in one block of one page.
 *
 * Measuring (cmp_part_natural, cmp_part_fit) draws nothing and caches what
 * it measured; cmp_place_piece draws a planned piece from the same
 * measurements, so the plan and the page always agree.
 *
 * Ownership: a part owns its article flow until cmp_part_free().
 */
#ifndef RT_COMPOSE_PIECE_H
#define RT_COMPOSE_PIECE_H

#include "block.h"

#define CMP_CONT_CACHE 256
#define CMP_CONT_WAYS 4
#define CMP_FIT_CACHE 128 /* cut pieces remembered per part (a power of 2) */
#define CMP_HEAD_CACHE 16 /* block heads remembered per part */

typedef struct {
    size_t idx; /* edition entry */
    const rt_article *a;
    const rt_entry *en;
    rt_article_place *ap;
    article_flow f;
    rt_role role;    /* never AUTO: inferred when the edition gives none */
    double weight;   /* 1 (brief) to about 5: what leads a page */
    int words;       /* of the body */
    int section;     /* its section, numbered in order of first appearance */
    int order;       /* its place in the placement order */
    bool front_lead; /* the edition's lead, on the front page */
    int was_on;      /* the page it started on in the previous build (0: none) */
    uint64_t fp[2];  /* its article and entry, fingerprinted (searches.c; fp_set: made) */
    bool fp_set;
    double headline; /* headline factor of its role */
    /* the first piece, whole, natural, per span (0: not measured) */
    int nat[CMP_MAX_COLS + 1];
    int head[CMP_MAX_COLS + 1];  /* rows above the text in the first column */
    int hdr[CMP_MAX_COLS + 1];   /* rows of the header alone */
    int img[CMP_MAX_COLS + 1];   /* rows of the first image with its caption */
    int sharp[CMP_MAX_COLS + 1]; /* rows that image may grow by and keep 3/4 of the
                                    layout's min_ppi (or its own, when under that) */
    /* continuations from a given flow element, per span: sets of
     * CMP_CONT_WAYS by a (from, span) hash, the oldest replaced (span 0: an
     * empty slot) */
    struct {
        size_t from;
        int span, nat, head;
    } cont[CMP_CONT_CACHE];
    unsigned char cont_next[CMP_CONT_CACHE / CMP_CONT_WAYS];
    /* cut pieces already fitted (cmp_part_fit with a jump), and whole
     * first pieces with a cropped photo (cont -1): the planner tries the
     * same cuts on many pages and patterns */
    struct fit_memo {
        bool used, ok;
        size_t from;
        int span, rows, cont;
        size_t to;
        int img_max, text_rows, hole;
        int rest; /* a cut: lines left for the continuation */
    } * fits;     /* CMP_FIT_CACHE of them, allocated on first use */
    /* where the text starts under the block's head, per head measured (the
     * planner asks for the head of a continuation, or of a first piece
     * whose photo is cut short, at every cut it tries); the oldest replaced */
    struct head_memo {
        int span, continued, img_max; /* span 0: an empty slot */
        int col_top[CMP_MAX_COLS];
    } heads[CMP_HEAD_CACHE];
    unsigned char heads_next;
    /* while the plan is drawn */
    size_t next;   /* first flow element not placed yet */
    bool started;  /* its first piece (with the header) is placed */
    int prev_page; /* page of the previous piece */
    int jump_page; /* the previous piece's jump line, drawn when the next is placed (0: none) */
    int jump_col, jump_row;
} part;

/* One block of one page: the part's flow elements [from, to) in `span`
 * columns from col0, rows [top, top + rows). */
typedef struct {
    int part;
    int col0, span, top, rows;
    size_t from, to;
    int extra;      /* the first image taller by this many rows (fills the block) */
    int img_max;    /* the first image at most this many rows (a first piece that jumps) */
    bool jumps;     /* the rest continues on a later page */
    int text_rows;  /* rows of text per column it shows (for the costs) */
    int hole;       /* empty rows at its foot */
    bool gap_below; /* a gap (messages, the call) fills its column under it */
} piece;

/* Typesets the article's body and sets its role and weight (from the
 * edition's `role:`, else from its length, image and place in its section). */
void cmp_part_init(composer *c, part *pt, size_t idx, const rt_doc *doc, bool first_in_section);
/* Adds the part's statistics to its article's place; frees its flow. */
void cmp_part_free(part *pt);

/* Rows of a piece that sets everything from `from` to the end at `span`,
 * its head included, text balanced. */
int cmp_part_natural(composer *c, part *pt, size_t from, int span);
/* Rows above its text (header and images) in the first column. */
int cmp_part_head(composer *c, part *pt, size_t from, int span);
/* Rows its first image (with caption) may grow by to fill a taller block. */
int cmp_part_slack(composer *c, part *pt, size_t from, int span);

/* Fits the piece from `from` into a block of `rows` at `span`: whole when
 * it fits (its image grown, then a hole at its foot), or, for the front
 * page's lead, with its photo cropped by a quarter at most, else cut where the
 * block ends, the last row kept for the jump line (when may_jump: see
 * cmp_jump). Returns
 * false when it cannot be set there (a cut showing fewer than the layout's
 * min_piece_rows of text, or a cut that may not jump). */
/* Whether a piece may be cut and continued on a later page. A continuation
 * must show at least twice the layout's min_piece_rows, but the front
 * page's lead's when nothing else puts it on the front (CMP_JUMP_SHORT):
 * a short continuation inside is better than a front without its lead. */
typedef enum { CMP_NO_JUMP, CMP_JUMP, CMP_JUMP_SHORT } cmp_jump;
bool cmp_part_fit(composer *c, part *pt, size_t from, int span, int rows, cmp_jump may_jump,
                  piece *p);

/* Draws a planned piece on pg: the previous piece's jump line (now that
 * this page number is known), the head, the text; records the segment. */
void cmp_place_piece(composer *c, rt_page *pg, part *pt, const piece *p);

#endif
