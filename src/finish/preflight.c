/* finish: preflight — checks any PDF (ours or an advertiser's) against
 * PDF/X-1a:2001 or PDF/X-4 and prints a readable report, one line per check
 * (PASS, FAIL, or WARN) with the first problems found under each. */
#include "finish_internal.h"

#include <math.h>
#include <qpdf/qpdf-c.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHOWN 5
#define MAX_DEPTH 8

typedef struct {
    const char *name;
    int count;
    bool warn_only;
    rt_buf detail;
} check;

enum {
    C_VERSION,
    C_INFO,
    C_INTENT,
    C_ID,
    C_BOXES,
    C_FONTS,
    C_COLOUR,
    C_TRANSPARENCY,
    C_INK,
    C_RESOLUTION,
    C_IMAGES,
    C_COUNT
};

typedef struct {
    qpdf_data q;
    rt_pdfx_standard std;
    double tac;
    check c[C_COUNT];
    int page;
    double worst_ink;
    int worst_ink_page;
} pf;

static void issue(pf *p, int k, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void issue(pf *p, int k, const char *fmt, ...) {
    check *c = &p->c[k];
    if (c->count++ < MAX_SHOWN) {
        va_list ap;
        va_start(ap, fmt);
        char tmp[512];
        vsnprintf(tmp, sizeof tmp, fmt, ap);
        va_end(ap);
        rt_buf_addf(&c->detail, "        %s\n", tmp);
    }
}

/* ------------------------------------------------------------ resources */

static bool is_rgb_space(qpdf_data q, qpdf_oh cs) {
    if (qpdf_oh_is_name_and_equals(q, cs, "/DeviceRGB") ||
        qpdf_oh_is_name_and_equals(q, cs, "/RGB") || qpdf_oh_is_name_and_equals(q, cs, "/CalRGB"))
        return true;
    if (qpdf_oh_is_array(q, cs) && qpdf_oh_get_array_n_items(q, cs) >= 1) {
        qpdf_oh fam = qpdf_oh_get_array_item(q, cs, 0);
        if (qpdf_oh_is_name_and_equals(q, fam, "/CalRGB"))
            return true;
        if (qpdf_oh_is_name_and_equals(q, fam, "/ICCBased")) {
            qpdf_oh st = qpdf_oh_get_array_item(q, cs, 1);
            return qpdf_oh_get_int_value_as_int(
                       q, qpdf_oh_get_key(q, qpdf_oh_get_dict(q, st), "/N")) == 3;
        }
        if (qpdf_oh_is_name_and_equals(q, fam, "/Indexed"))
            return is_rgb_space(q, qpdf_oh_get_array_item(q, cs, 1));
    }
    return false;
}

static void check_font(pf *p, qpdf_oh font, const char *key) {
    qpdf_data q = p->q;
    qpdf_oh sub = qpdf_oh_get_key(q, font, "/Subtype");
    if (qpdf_oh_is_name_and_equals(q, sub, "/Type3"))
        return;
    qpdf_oh f = font;
    if (qpdf_oh_is_name_and_equals(q, sub, "/Type0")) {
        qpdf_oh desc = qpdf_oh_get_key(q, font, "/DescendantFonts");
        f = qpdf_oh_get_array_item(q, desc, 0);
    }
    qpdf_oh fd = qpdf_oh_get_key(q, f, "/FontDescriptor");
    if (!qpdf_oh_has_key(q, fd, "/FontFile") && !qpdf_oh_has_key(q, fd, "/FontFile2") &&
        !qpdf_oh_has_key(q, fd, "/FontFile3")) {
        qpdf_oh base = qpdf_oh_get_key(q, font, "/BaseFont");
        issue(p, C_FONTS, "page %d: font %s (%s) is not embedded", p->page, key,
              qpdf_oh_is_name(q, base) ? qpdf_oh_get_name(q, base) : "?");
    }
}

static void check_group(pf *p, qpdf_oh obj, const char *what) {
    qpdf_data q = p->q;
    qpdf_oh g = qpdf_oh_get_key(q, obj, "/Group");
    if (p->std == RT_PDFX_1A && qpdf_oh_is_dictionary(q, g) &&
        qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, g, "/S"), "/Transparency"))
        issue(p, C_TRANSPARENCY, "page %d: %s has a transparency group", p->page, what);
}

static void check_extgstate(pf *p, qpdf_oh gs, const char *key) {
    qpdf_data q = p->q;
    if (p->std != RT_PDFX_1A)
        return;
    qpdf_oh sm = qpdf_oh_get_key(q, gs, "/SMask");
    if (qpdf_oh_has_key(q, gs, "/SMask") && !qpdf_oh_is_name_and_equals(q, sm, "/None"))
        issue(p, C_TRANSPARENCY, "page %d: graphics state %s has a soft mask", p->page, key);
    static const char *const alpha[] = {"/CA", "/ca"};
    for (int i = 0; i < 2; i++) {
        qpdf_oh a = qpdf_oh_get_key(q, gs, alpha[i]);
        if (qpdf_oh_has_key(q, gs, alpha[i]) && qpdf_oh_is_number(q, a) &&
            qpdf_oh_get_numeric_value(q, a) < 1)
            issue(p, C_TRANSPARENCY, "page %d: graphics state %s has %s %.2f (transparency)",
                  p->page, key, alpha[i], qpdf_oh_get_numeric_value(q, a));
    }
    qpdf_oh bm = qpdf_oh_get_key(q, gs, "/BM");
    if (qpdf_oh_has_key(q, gs, "/BM") && !qpdf_oh_is_name_and_equals(q, bm, "/Normal") &&
        !qpdf_oh_is_name_and_equals(q, bm, "/Compatible"))
        issue(p, C_TRANSPARENCY, "page %d: graphics state %s has a blend mode", p->page, key);
}

static void check_image(pf *p, qpdf_oh im, const char *key) {
    qpdf_data q = p->q;
    qpdf_oh d = qpdf_oh_get_dict(q, im);
    qpdf_oh cs = qpdf_oh_get_key(q, d, "/ColorSpace");
    if (is_rgb_space(q, cs))
        issue(p, C_COLOUR, "page %d: image %s is RGB", p->page, key);
    if (qpdf_oh_has_key(q, d, "/SMask") && p->std == RT_PDFX_1A)
        issue(p, C_TRANSPARENCY, "page %d: image %s has a soft mask", p->page, key);
    if (qpdf_oh_is_name_and_equals(q, cs, "/DeviceCMYK") &&
        qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, d, "/BitsPerComponent")) == 8) {
        unsigned char *buf = NULL;
        size_t len = 0;
        QPDF_BOOL filtered = QPDF_FALSE;
        if (!(qpdf_oh_get_stream_data(q, im, qpdf_dl_all, &filtered, &buf, &len) & QPDF_ERRORS) &&
            filtered) {
            bool inverted = qpdf_oh_has_key(q, d, "/Decode"); /* [1 0 1 0 1 0 1 0] */
            double worst = 0;
            for (size_t i = 0; i + 3 < len; i += 4) {
                int sum = buf[i] + buf[i + 1] + buf[i + 2] + buf[i + 3];
                if (inverted)
                    sum = 4 * 255 - sum;
                if (sum > worst)
                    worst = sum;
            }
            worst = worst * 100.0 / 255.0;
            if (worst > p->tac + 0.5)
                issue(p, C_INK, "page %d: image %s reaches %.0f%% total ink", p->page, key, worst);
        }
        free(buf);
    }
}

/* ------------------------------------------------------------- content */

typedef struct {
    double m[6];
} ctm;

typedef struct {
    pf *p;
    qpdf_oh resources;
    ctm stack[32];
    int depth;
    ctm cur;
    int level; /* form nesting */
} walk;

static void scan_stream(pf *p, const unsigned char *s, size_t n, qpdf_oh resources, ctm start,
                        int level);

static void on_op(const char *op, char **a, int na, void *user) {
    walk *w = user;
    pf *p = w->p;
    qpdf_data q = p->q;
    if (strcmp(op, "q") == 0) {
        if (w->depth < 32)
            w->stack[w->depth] = w->cur;
        w->depth++;
    } else if (strcmp(op, "Q") == 0) {
        if (w->depth > 0 && --w->depth < 32)
            w->cur = w->stack[w->depth];
    } else if (strcmp(op, "cm") == 0 && na == 6) {
        double m[6];
        for (int i = 0; i < 6; i++)
            m[i] = strtod(a[i], NULL);
        const double *c = w->cur.m;
        ctm r = {{m[0] * c[0] + m[1] * c[2], m[0] * c[1] + m[1] * c[3], m[2] * c[0] + m[3] * c[2],
                  m[2] * c[1] + m[3] * c[3], m[4] * c[0] + m[5] * c[2] + c[4],
                  m[4] * c[1] + m[5] * c[3] + c[5]}};
        w->cur = r;
    } else if (strcmp(op, "rg") == 0 || strcmp(op, "RG") == 0) {
        issue(p, C_COLOUR, "page %d: DeviceRGB %s colour (%s) in a content stream", p->page,
              op[0] == 'r' ? "fill" : "stroke", op);
    } else if ((strcmp(op, "k") == 0 || strcmp(op, "K") == 0) && na == 4) {
        double sum = 0;
        for (int i = 0; i < 4; i++)
            sum += strtod(a[i], NULL);
        sum *= 100;
        if (sum > p->worst_ink) {
            p->worst_ink = sum;
            p->worst_ink_page = p->page;
        }
        if (sum > p->tac + 0.5)
            issue(p, C_INK, "page %d: %s colour %s %s %s %s is %.0f%% total ink", p->page,
                  op[0] == 'k' ? "fill" : "stroke", a[0], a[1], a[2], a[3], sum);
    } else if ((strcmp(op, "cs") == 0 || strcmp(op, "CS") == 0) && na == 1) {
        qpdf_oh cs = qpdf_oh_new_name(q, a[0]);
        if (!qpdf_oh_is_name_and_equals(q, cs, "/DeviceRGB")) {
            qpdf_oh dict = qpdf_oh_get_key(q, w->resources, "/ColorSpace");
            cs = qpdf_oh_get_key(q, dict, a[0]);
        }
        if (is_rgb_space(q, cs))
            issue(p, C_COLOUR, "page %d: RGB colour space %s selected (%s)", p->page, a[0], op);
    } else if (strcmp(op, "gs") == 0 && na == 1) {
        qpdf_oh gs = qpdf_oh_get_key(q, qpdf_oh_get_key(q, w->resources, "/ExtGState"), a[0]);
        check_extgstate(p, gs, a[0]);
    } else if (strcmp(op, "sh") == 0 && na == 1) {
        qpdf_oh sh = qpdf_oh_get_key(q, qpdf_oh_get_key(q, w->resources, "/Shading"), a[0]);
        qpdf_oh d = qpdf_oh_is_stream(q, sh) ? qpdf_oh_get_dict(q, sh) : sh;
        if (is_rgb_space(q, qpdf_oh_get_key(q, d, "/ColorSpace")))
            issue(p, C_COLOUR, "page %d: shading %s is RGB", p->page, a[0]);
    } else if (strcmp(op, "Do") == 0 && na == 1) {
        qpdf_oh xo = qpdf_oh_get_key(q, qpdf_oh_get_key(q, w->resources, "/XObject"), a[0]);
        qpdf_oh d = qpdf_oh_get_dict(q, xo);
        if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Subtype"), "/Image")) {
            check_image(p, xo, a[0]);
            /* effective resolution: pixels over the size on the page */
            double wpt = hypot(w->cur.m[0], w->cur.m[1]), hpt = hypot(w->cur.m[2], w->cur.m[3]);
            int wpx = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, d, "/Width"));
            int hpx = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, d, "/Height"));
            if (wpt > 0 && hpt > 0) {
                double ppi = fmin(wpx / (wpt / 72), hpx / (hpt / 72));
                if (ppi < 200)
                    issue(p, C_RESOLUTION, "page %d: image %s is %.0f ppi on the page (under 200)",
                          p->page, a[0], ppi);
            }
        } else if (w->level < MAX_DEPTH) { /* a form: its own content and resources */
            check_group(p, d, a[0]);
            unsigned char *buf = NULL;
            size_t len = 0;
            if (!(qpdf_oh_get_stream_data(q, xo, qpdf_dl_generalized, NULL, &buf, &len) &
                  QPDF_ERRORS)) {
                qpdf_oh res = qpdf_oh_get_key(q, d, "/Resources");
                scan_stream(p, buf, len, qpdf_oh_is_dictionary(q, res) ? res : w->resources, w->cur,
                            w->level + 1);
            }
            free(buf);
        }
    }
}

static void scan_resources(pf *p, qpdf_oh res) {
    qpdf_data q = p->q;
    qpdf_oh fonts = qpdf_oh_get_key(q, res, "/Font");
    if (qpdf_oh_is_dictionary(q, fonts)) {
        char *keys[128];
        int nk = 0;
        qpdf_oh_begin_dict_key_iter(q, fonts);
        while (qpdf_oh_dict_more_keys(q) && nk < 128)
            keys[nk++] = rt_xstrdup(qpdf_oh_dict_next_key(q));
        for (int i = 0; i < nk; i++) {
            check_font(p, qpdf_oh_get_key(q, fonts, keys[i]), keys[i]);
            free(keys[i]);
        }
    }
}

static void scan_stream(pf *p, const unsigned char *s, size_t n, qpdf_oh resources, ctm start,
                        int level) {
    walk w = {p, resources, {{{0}}}, 0, start, level};
    scan_resources(p, resources);
    fin_walk_content(s, n, on_op, &w);
}

/* Every object of the file, wherever it is used: a transparency group in
 * an RGB colour space (pages and forms), an image asking to be
 * interpolated. */
static void scan_objects(pf *p) {
    qpdf_data q = p->q;
    int size = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size"));
    if (size > RT_MAX_PDF_OBJECTS) /* a hostile /Size: a bounded walk */
        size = RT_MAX_PDF_OBJECTS;
    p->page = 0;
    for (int id = 1; id < size; id++) {
        qpdf_oh ob = qpdf_get_object_by_id(q, id, 0);
        qpdf_oh dict = qpdf_oh_is_stream(q, ob) ? qpdf_oh_get_dict(q, ob) : ob;
        if (qpdf_oh_is_dictionary(q, dict)) {
            qpdf_oh g = qpdf_oh_get_key(q, dict, "/Group");
            bool page = qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Type"), "/Page");
            if (!page && qpdf_oh_is_dictionary(q, g) &&
                is_rgb_space(q, qpdf_oh_get_key(q, g, "/CS")))
                issue(p, C_COLOUR, "object %d: a form's transparency group blends in RGB", id);
            qpdf_oh in = qpdf_oh_get_key(q, dict, "/Interpolate");
            if (qpdf_oh_is_bool(q, in) && qpdf_oh_get_bool_value(q, in))
                issue(p, C_IMAGES,
                      "object %d: an image has /Interpolate true (PDF/X: absent or false)", id);
        }
        qpdf_oh_release_all(q);
    }
}

/* ------------------------------------------------------------------ boxes */

static bool get_box(qpdf_data q, qpdf_oh page, const char *key, double b[4]) {
    qpdf_oh a = qpdf_oh_get_key(q, page, key);
    if (!qpdf_oh_is_array(q, a) || qpdf_oh_get_array_n_items(q, a) != 4)
        return false;
    for (int i = 0; i < 4; i++)
        b[i] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, a, i));
    return true;
}

/* Exactly inside, as the numbers are written: a box larger than its parent
 * by a millionth of a point fails (a strict RIP rejects it). The tolerance
 * only absorbs binary floating point, far under the 1e-6 of six written
 * decimals. */
static bool inside(const double in[4], const double out[4]) {
    const double e = 1e-9;
    return in[0] >= out[0] - e && in[1] >= out[1] - e && in[2] <= out[2] + e && in[3] <= out[3] + e;
}

/* ------------------------------------------------------------------ main */

/* Info values; qpdf reuses its buffer at the next call, so keep copies. */
static char *info_copies[16];
static int n_info_copies;

static const char *info_string(qpdf_data q, const char *key) {
    const char *v = qpdf_get_info_key(q, key);
    if (!v || n_info_copies >= 16)
        return v;
    return info_copies[n_info_copies++] = rt_xstrdup(v);
}

int rt_preflight(const char *path, rt_pdfx_standard standard, double tac, FILE *report) {
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
        fprintf(report, "%s: cannot read: %s\n", path,
                qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q)) : "?");
        qpdf_cleanup(&q);
        return 2;
    }
    pf p = {0};
    p.q = q;
    p.std = standard;
    p.tac = tac > 0 ? tac : RT_INK_LIMIT;
    static const char *const names[C_COUNT] = {
        "PDF version", "Info and metadata", "output intent",          "file identifier (/ID)",
        "page boxes",  "fonts embedded",    "colour spaces (no RGB)", "transparency",
        "total ink",   "image resolution",  "image interpolation"};
    for (int i = 0; i < C_COUNT; i++)
        p.c[i].name = names[i];
    p.c[C_RESOLUTION].warn_only = true;
    bool x1a = standard == RT_PDFX_1A;
    const char *std_name = x1a ? "PDF/X-1a:2001" : "PDF/X-4";

    /* version */
    const char *v = qpdf_get_pdf_version(q);
    double ver = strtod(v, NULL);
    if (ver > (x1a ? 1.3 : 1.6) + 1e-9)
        issue(&p, C_VERSION, "PDF %s is newer than %s allows (%s)", v, std_name,
              x1a ? "1.3" : "1.6");
    /* Info / XMP */
    const char *gv = info_string(q, "/GTS_PDFXVersion");
    if (x1a) {
        const char *gc = info_string(q, "/GTS_PDFXConformance");
        if (!gv || strcmp(gv, "PDF/X-1:2001") != 0)
            issue(&p, C_INFO, "Info /GTS_PDFXVersion is %s (want PDF/X-1:2001)",
                  gv ? gv : "missing");
        if (!gc || strcmp(gc, "PDF/X-1a:2001") != 0)
            issue(&p, C_INFO, "Info /GTS_PDFXConformance is %s (want PDF/X-1a:2001)",
                  gc ? gc : "missing");
    } else {
        qpdf_oh md = qpdf_oh_get_key(q, qpdf_get_root(q), "/Metadata");
        unsigned char *buf = NULL;
        size_t len = 0;
        bool found = false;
        if (qpdf_oh_is_stream(q, md) &&
            !(qpdf_oh_get_stream_data(q, md, qpdf_dl_generalized, NULL, &buf, &len) & QPDF_ERRORS))
            found = memmem(buf, len, "GTS_PDFXVersion>PDF/X-4", 23) ||
                    memmem(buf, len, "GTS_PDFXVersion=\"PDF/X-4", 24);
        free(buf);
        if (!found)
            issue(&p, C_INFO, "XMP metadata has no pdfxid:GTS_PDFXVersion PDF/X-4");
    }
    const char *trapped = info_string(q, "/Trapped");
    qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
    qpdf_oh tr = qpdf_oh_get_key(q, info, "/Trapped");
    if (!qpdf_oh_is_name_and_equals(q, tr, "/True") && !qpdf_oh_is_name_and_equals(q, tr, "/False"))
        issue(&p, C_INFO, "Info /Trapped must be /True or /False (is %s)",
              trapped ? trapped : "missing");
    static const char *const needed[] = {"/Title", "/CreationDate", "/ModDate"};
    for (int i = 0; i < 3; i++)
        if (!info_string(q, needed[i]))
            issue(&p, C_INFO, "Info %s is missing", needed[i]);
    /* output intent */
    qpdf_oh intents = qpdf_oh_get_key(q, qpdf_get_root(q), "/OutputIntents");
    int n_x = 0;
    for (int i = 0; qpdf_oh_is_array(q, intents) && i < qpdf_oh_get_array_n_items(q, intents);
         i++) {
        qpdf_oh it = qpdf_oh_get_array_item(q, intents, i);
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, it, "/S"), "/GTS_PDFX"))
            continue;
        n_x++;
        if (!qpdf_oh_has_key(q, it, "/OutputConditionIdentifier"))
            issue(&p, C_INTENT, "the output intent has no /OutputConditionIdentifier");
        if (!x1a && !qpdf_oh_is_stream(q, qpdf_oh_get_key(q, it, "/DestOutputProfile")))
            issue(&p, C_INTENT, "PDF/X-4 needs an embedded output profile (/DestOutputProfile)");
    }
    if (n_x != 1)
        issue(&p, C_INTENT, "%d /GTS_PDFX output intents (exactly one is required)", n_x);
    /* /ID */
    if (!qpdf_oh_has_key(q, qpdf_get_trailer(q), "/ID"))
        issue(&p, C_ID, "the trailer has no /ID");
    /* pages */
    int n = qpdf_get_num_pages(q);
    for (int i = 0; i < n; i++) {
        p.page = i + 1;
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        double mb[4], tb[4], bb[4];
        if (!get_box(q, page, "/MediaBox", mb))
            issue(&p, C_BOXES, "page %d: no MediaBox", p.page);
        bool has_trim = get_box(q, page, "/TrimBox", tb) || get_box(q, page, "/ArtBox", tb);
        bool has_bleed = get_box(q, page, "/BleedBox", bb);
        if (!has_trim)
            issue(&p, C_BOXES, "page %d: no TrimBox", p.page);
        if (!has_bleed)
            issue(&p, C_BOXES, "page %d: no BleedBox", p.page);
        bool has_media = get_box(q, page, "/MediaBox", mb);
        if (has_trim && has_bleed && !inside(tb, bb))
            issue(&p, C_BOXES,
                  "page %d: the TrimBox [%.10g %.10g %.10g %.10g] is not inside the BleedBox "
                  "[%.10g %.10g %.10g %.10g]",
                  p.page, tb[0], tb[1], tb[2], tb[3], bb[0], bb[1], bb[2], bb[3]);
        if (has_bleed && has_media && !inside(bb, mb))
            issue(&p, C_BOXES,
                  "page %d: the BleedBox [%.10g %.10g %.10g %.10g] is not inside the MediaBox "
                  "[%.10g %.10g %.10g %.10g]",
                  p.page, bb[0], bb[1], bb[2], bb[3], mb[0], mb[1], mb[2], mb[3]);
        if (has_trim && has_media && !inside(tb, mb))
            issue(&p, C_BOXES,
                  "page %d: the TrimBox [%.10g %.10g %.10g %.10g] is not inside the MediaBox "
                  "[%.10g %.10g %.10g %.10g]",
                  p.page, tb[0], tb[1], tb[2], tb[3], mb[0], mb[1], mb[2], mb[3]);
        check_group(&p, page, "the page");
        qpdf_oh pg = qpdf_oh_get_key(q, page, "/Group");
        if (qpdf_oh_is_dictionary(q, pg) && is_rgb_space(q, qpdf_oh_get_key(q, pg, "/CS")))
            issue(&p, C_COLOUR, "page %d: the page group blends in RGB (/Group /CS %s)", p.page,
                  qpdf_oh_is_name(q, qpdf_oh_get_key(q, pg, "/CS"))
                      ? qpdf_oh_get_name(q, qpdf_oh_get_key(q, pg, "/CS"))
                      : "[...]");
        unsigned char *buf = NULL;
        size_t len = 0;
        qpdf_oh res = qpdf_oh_get_key(q, page, "/Resources");
        if (!(qpdf_oh_get_page_content_data(q, page, &buf, &len) & QPDF_ERRORS)) {
            ctm id = {{1, 0, 0, 1, 0, 0}};
            scan_stream(&p, buf, len, res, id, 0);
        }
        free(buf);
        qpdf_oh_release_all(q);
    }
    scan_objects(&p);
    /* report */
    fprintf(report, "Preflight of %s against %s (total ink limit %.0f%%)\n", path, std_name, p.tac);
    int fails = 0, warns = 0;
    for (int i = 0; i < C_COUNT; i++) {
        check *c = &p.c[i];
        if (c->count == 0)
            fprintf(report, "  PASS  %s\n", c->name);
        else {
            fprintf(report, "  %s  %s: %d problem%s\n", c->warn_only ? "WARN" : "FAIL", c->name,
                    c->count, c->count == 1 ? "" : "s");
            fputs(c->detail.data, report);
            if (c->count > MAX_SHOWN)
                fprintf(report, "        ... and %d more\n", c->count - MAX_SHOWN);
            if (c->warn_only)
                warns++;
            else
                fails++;
        }
        rt_buf_free(&c->detail);
    }
    fprintf(report, "%d page%s; %s: %d check%s failed, %d warning%s\n", n, n == 1 ? "" : "s",
            fails ? "FAILED" : "passed", fails, fails == 1 ? "" : "s", warns,
            warns == 1 ? "" : "s");
    for (int i = 0; i < n_info_copies; i++)
        free(info_copies[i]);
    n_info_copies = 0;
    qpdf_cleanup(&q);
    return fails ? 1 : 0;
}
