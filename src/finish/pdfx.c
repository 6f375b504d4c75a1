/* finish: PDF/X-1a and PDF/X-4 from Cairo's output, with libqpdf, in memory
 * (the finished file in a memory file, then copied into the output).
 *
 * Only this stage includes qpdf-c.h. The pass: every page's content stream
 * gets its colours rewritten to the authored CMYK (content.c); DeviceRGB
 * images are converted to CMYK and CMYK JPEGs kept within the ink limit
 * (collect.c finds them, images.c converts); Cairo's transparency groups and
 * /CA /ca entries go (X-1a), the other groups blend in CMYK, images
 * lose /Interpolate; MediaBox, TrimBox and BleedBox are set; the Info
 * dictionary, the OutputIntent (and XMP metadata for X-4) are written; the
 * file is written deterministically (the /ID derived from the content). */
#include "finish_internal.h"

#include <math.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define IFRA26 "IFRA26"

static bool qpdf_failed(qpdf_data q, rt_diag *d, const char *path) {
    if (!qpdf_has_error(q))
        return false;
    qpdf_error e = qpdf_get_error(q);
    rt_error(d, path, 0, 0, "PDF finishing: %s", qpdf_get_error_full_text(q, e));
    return true;
}

/* X-1a: no transparency keys in graphics states (Cairo writes /CA 1 /ca 1). */
static void strip_transparency(qpdf_data q, qpdf_oh resources) {
    qpdf_oh gs = qpdf_oh_get_key(q, resources, "/ExtGState");
    if (!qpdf_oh_is_dictionary(q, gs))
        return;
    qpdf_oh_begin_dict_key_iter(q, gs);
    char *keys[64];
    int nk = 0;
    while (qpdf_oh_dict_more_keys(q) && nk < 64)
        keys[nk++] = rt_xstrdup(qpdf_oh_dict_next_key(q));
    for (int i = 0; i < nk; i++) {
        qpdf_oh g = qpdf_oh_get_key(q, gs, keys[i]);
        static const char *const drop[] = {"/CA", "/ca", "/SMask", "/BM", "/AIS"};
        for (size_t k = 0; k < sizeof drop / sizeof *drop; k++)
            if (qpdf_oh_has_key(q, g, drop[k]))
                qpdf_oh_remove_key(q, g, drop[k]);
        free(keys[i]);
    }
}

/* An image that could not be converted: what is wrong and where the
 * edition names it, when the caller can say (NULL source: pixels taken
 * from the PDF). */
static void report_bad_image(const rt_pdfx_opts *o, const char *source, rt_diag *d) {
    if (source && o->bad_image && o->bad_image(o->bad_image_arg, source, d))
        return;
    rt_error(d, source, 0, 0, "%s",
             source ? "cannot decode this image" : "out of memory converting an image");
}

/* The page boxes, from one rounding: every edge a whole number of
 * ten-thousandths of a point, written exactly, so that the TrimBox nests in
 * the BleedBox and the BleedBox in the MediaBox with no rounding in between
 * (Cairo's own MediaBox, written to six decimals, is replaced). */
#define BOX_UNIT 10000.0

static void box_number(char *s, size_t n, long long v) {
    snprintf(s, n, "%s%lld.%04lld", v < 0 ? "-" : "", llabs(v) / 10000, llabs(v) % 10000);
}

static qpdf_oh box(qpdf_data q, long long x0, long long y0, long long x1, long long y1) {
    char a[4][32], s[160];
    box_number(a[0], sizeof a[0], x0);
    box_number(a[1], sizeof a[1], y0);
    box_number(a[2], sizeof a[2], x1);
    box_number(a[3], sizeof a[3], y1);
    snprintf(s, sizeof s, "[%s %s %s %s]", a[0], a[1], a[2], a[3]);
    return qpdf_oh_parse(q, s);
}

static void set_boxes(qpdf_data q, qpdf_oh page, const rt_pdfx_opts *o) {
    long long off = llround(o->offset * BOX_UNIT), w = llround(o->trim_w * BOX_UNIT),
              h = llround(o->trim_h * BOX_UNIT);
    long long bl = llround((o->bleed < o->offset ? o->bleed : o->offset) * BOX_UNIT);
    long long mw = 2 * off + w, mh = 2 * off + h;
    qpdf_oh_replace_key(q, page, "/MediaBox", box(q, 0, 0, mw, mh));
    static const char *const others[] = {"/CropBox", "/ArtBox"};
    for (int i = 0; i < 2; i++)
        if (qpdf_oh_has_key(q, page, others[i]))
            qpdf_oh_remove_key(q, page, others[i]);
    qpdf_oh_replace_key(q, page, "/TrimBox", box(q, off, off, off + w, off + h));
    long long bx0 = off - bl, by0 = off - bl, bx1 = off + w + bl, by1 = off + h + bl;
    qpdf_oh_replace_key(
        q, page, "/BleedBox",
        box(q, bx0 < 0 ? 0 : bx0, by0 < 0 ? 0 : by0, bx1 > mw ? mw : bx1, by1 > mh ? mh : by1));
}

/* Every object of the file (by number, up to the trailer's /Size): no
 * transparency group in an RGB colour space (a PDF/X file has no RGB
 * anywhere: Cairo's page groups say /CS /DeviceRGB; they blend in CMYK),
 * no image asking to be interpolated (PDF/X wants /Interpolate absent). */
static void fix_objects(qpdf_data q) {
    int size = qpdf_oh_get_int_value_as_int(q, qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size"));
    if (size > RT_MAX_PDF_OBJECTS) /* a hostile /Size: a bounded walk */
        size = RT_MAX_PDF_OBJECTS;
    for (int id = 1; id < size; id++) {
        qpdf_oh ob = qpdf_get_object_by_id(q, id, 0);
        qpdf_oh dict = qpdf_oh_is_stream(q, ob) ? qpdf_oh_get_dict(q, ob) : ob;
        if (qpdf_oh_is_dictionary(q, dict)) {
            qpdf_oh g = qpdf_oh_get_key(q, dict, "/Group");
            if (qpdf_oh_is_dictionary(q, g) && qpdf_oh_has_key(q, g, "/CS") &&
                !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, g, "/CS"), "/DeviceCMYK"))
                qpdf_oh_replace_key(q, g, "/CS", qpdf_oh_new_name(q, "/DeviceCMYK"));
            if (qpdf_oh_has_key(q, dict, "/Interpolate"))
                qpdf_oh_remove_key(q, dict, "/Interpolate");
        }
        qpdf_oh_release_all(q);
    }
}

static void pdf_date(const char *date, char out[32]) {
    int y = 2026, m = 1, dd = 1;
    if (date)
        sscanf(date, "%d-%d-%d", &y, &m, &dd);
    snprintf(out, 32, "D:%04d%02d%02d000000Z", y, m, dd);
}

static char *xmp_packet(const rt_pdfx_opts *o) {
    int y = 2026, m = 1, dd = 1;
    if (o->date)
        sscanf(o->date, "%d-%d-%d", &y, &m, &dd);
    rt_buf b = {0};
    rt_buf_adds(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                    "  <rdf:Description rdf:about=\"\"\n"
                    "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                    "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                    "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                    "    xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\">\n");
    rt_buf_adds(&b, "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    for (const char *p = o->title ? o->title : ""; *p; p++) {
        if (*p == '<')
            rt_buf_adds(&b, "&lt;");
        else if (*p == '&')
            rt_buf_adds(&b, "&amp;");
        else
            rt_buf_add(&b, p, 1);
    }
    rt_buf_adds(&b, "</rdf:li></rdf:Alt></dc:title>\n");
    rt_buf_addf(&b, "   <xmp:CreateDate>%04d-%02d-%02dT00:00:00Z</xmp:CreateDate>\n", y, m, dd);
    rt_buf_addf(&b, "   <xmp:ModifyDate>%04d-%02d-%02dT00:00:00Z</xmp:ModifyDate>\n", y, m, dd);
    rt_buf_addf(&b, "   <xmp:MetadataDate>%04d-%02d-%02dT00:00:00Z</xmp:MetadataDate>\n", y, m, dd);
    rt_buf_adds(&b, "   <xmp:CreatorTool>rotative " RT_VERSION "</xmp:CreatorTool>\n"
                    "   <pdf:Trapped>False</pdf:Trapped>\n"
                    "   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\n"
                    "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    return rt_buf_steal(&b);
}

static bool set_output_intent(qpdf_data q, qpdf_oh root, const rt_pdfx_opts *o, rt_diag *d) {
    const char *cond = o->output_condition ? o->output_condition : IFRA26;
    char s[512];
    snprintf(s, sizeof s,
             "<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (%s) "
             "/OutputCondition (%s) /RegistryName (http://www.color.org) "
             "/Info (Newsprint, coldset offset) >>",
             cond, cond);
    qpdf_oh intent = qpdf_oh_parse(q, s);
    /* X-4 requires an embedded output profile; X-1a takes one when given */
    const char *profile = o->icc_profile;
    if (!profile && o->standard == RT_PDFX_4)
        profile = RT_DEFAULT_CMYK_PROFILE;
    if (profile) {
        size_t len;
        char *icc = rt_read_file(profile, 64u << 20, &len);
        if (!icc) {
            rt_error(d, profile, 0, 0, "cannot read the output profile");
            return false;
        }
        qpdf_oh st = qpdf_oh_new_stream(q);
        qpdf_oh_replace_stream_data(q, st, (const unsigned char *)icc, len, qpdf_oh_new_null(q),
                                    qpdf_oh_new_null(q));
        qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, st), "/N", qpdf_oh_new_integer(q, 4));
        free(icc);
        qpdf_oh_replace_key(q, intent, "/DestOutputProfile", st);
    }
    qpdf_oh arr = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, arr, qpdf_make_indirect_object(q, intent));
    qpdf_oh_replace_key(q, root, "/OutputIntents", arr);
    return true;
}

int rt_pdfx_finish(const unsigned char *data, size_t data_len, rt_output *out,
                   const rt_pdfx_opts *o, rt_diag *d) {
    const char *in = rt_output_path(out); /* names the file in messages */
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = true;
    if (qpdf_read_memory(q, in, (const char *)data, data_len, NULL) & QPDF_ERRORS) {
        qpdf_failed(q, d, in);
        qpdf_cleanup(&q);
        return 1;
    }
    int n = qpdf_get_num_pages(q);
    fin_job_list jobs = {0};
    /* each page's operators go through as render compressed them */
    for (int i = 0; i < n && ok; i++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        qpdf_oh res = qpdf_oh_get_key(q, page, "/Resources");
        if (!qpdf_oh_is_dictionary(q, res)) {
            res = qpdf_oh_new_dictionary(q);
            qpdf_oh_replace_key(q, page, "/Resources", res);
        }
        if (!fin_collect_images(q, res, o, d, in, &jobs))
            ok = false;
        if (o->standard == RT_PDFX_1A) {
            if (qpdf_oh_has_key(q, page, "/Group"))
                qpdf_oh_remove_key(q, page, "/Group");
            strip_transparency(q, res);
        }
        set_boxes(q, page, o);
        qpdf_oh_release_all(q);
    }
    /* the images, a few at a time (bounded memory): decoded by qpdf, converted
     * in parallel threads, put back (qpdf is not thread-safe: only the pixel
     * work runs in threads) */
    const char *profile = o->icc_profile ? o->icc_profile : RT_DEFAULT_CMYK_PROFILE;
    double tac = o->tac > 0 ? o->tac : RT_INK_LIMIT;
    /* the prefetch's converter when it was made with these settings */
    fin_converter *shared = ok && jobs.n
                                ? fin_prefetch_converter(o->prefetch, profile, tac, !o->grey_images,
                                                         o->standard, o->cache, o->decoder_version)
                                : NULL;
    fin_converter *cv = shared;
    if (!cv && ok && jobs.n) {
        cv = fin_converter_new(profile, tac, !o->grey_images, o->threads, d);
        if (cv)
            fin_converter_use_cache(cv, o->cache, profile, o->standard, o->decoder_version);
        else
            ok = false;
    }
    if (shared) /* what it has not started, converted beside it */
        fin_prefetch_help(o->prefetch);
    for (size_t k0 = 0; ok && k0 < jobs.n; k0 += FIN_IMAGE_BATCH) {
        size_t k1 = k0 + FIN_IMAGE_BATCH < jobs.n ? k0 + FIN_IMAGE_BATCH : jobs.n;
        for (size_t k = k0; ok && k < k1; k++) {
            fin_image_job *j = &jobs.items[k];
            /* converted already (whole), or now by us; one read smaller
             * (placed at more than RT_DOWNSAMPLE_ABOVE ppi) by us */
            if (j->source && shared && j->eighths == 8)
                fin_prefetch_take(o->prefetch, j);
            if (j->source)
                continue; /* decoded from its file by the threads */
            qpdf_oh im = qpdf_get_object_by_id(q, j->id, j->gen);
            if (j->cmyk_in) { /* the JPEG's own bytes */
                if (qpdf_oh_get_stream_data(q, im, qpdf_dl_none, NULL, &j->cmyk_jpeg,
                                            &j->cmyk_jpeg_len) &
                    QPDF_ERRORS) {
                    rt_error(d, in, 0, 0, "cannot read a CMYK JPEG to check its total ink");
                    ok = false;
                }
                qpdf_oh_release_all(q);
                continue;
            }
            size_t len = 0;
            QPDF_BOOL filtered = QPDF_FALSE;
            if ((qpdf_oh_get_stream_data(q, im, qpdf_dl_all, &filtered, &j->rgb, &len) &
                 QPDF_ERRORS) ||
                !filtered || len < j->pixels * 3) {
                rt_error(d, in, 0, 0, "cannot decode an RGB image to convert it to CMYK");
                ok = false;
            }
            qpdf_oh_release_all(q);
        }
        if (ok && !fin_convert_images(cv, jobs.items + k0, k1 - k0)) {
            for (size_t k = k0; k < k1; k++)
                if (jobs.items[k].cmyk_in && !jobs.items[k].out && !jobs.items[k].unchanged)
                    rt_error(d, in, 0, 0, "cannot decode a CMYK JPEG to check its total ink");
                else if (!jobs.items[k].out && !jobs.items[k].unchanged)
                    report_bad_image(o, jobs.items[k].source, d);
            ok = false;
        }
        for (size_t k = k0; ok && k < k1; k++) {
            fin_image_job *j = &jobs.items[k];
            if (j->unchanged)
                continue; /* a CMYK JPEG within the limit, with its /Decode */
            qpdf_oh im = qpdf_get_object_by_id(q, j->id, j->gen);
            qpdf_oh dict = qpdf_oh_get_dict(q, im);
            qpdf_oh_replace_stream_data(q, im, j->out, j->out_len,
                                        qpdf_oh_new_name(q, j->dct ? "/DCTDecode" : "/FlateDecode"),
                                        qpdf_oh_new_null(q));
            qpdf_oh_replace_key(q, dict, "/ColorSpace",
                                qpdf_oh_new_name(q, j->grey ? "/DeviceGray" : "/DeviceCMYK"));
            qpdf_oh_remove_key(q, dict, "/Decode");
            qpdf_oh_remove_key(q, dict, "/DecodeParms");
            if (j->source) {
                qpdf_oh_replace_key(q, dict, "/Width", qpdf_oh_new_integer(q, j->width));
                qpdf_oh_replace_key(q, dict, "/Height", qpdf_oh_new_integer(q, j->height));
            }
            qpdf_oh_release_all(q);
            free(j->out);
            j->out = NULL;
        }
    }
    if (cv != shared)
        fin_converter_free(cv);
    fin_prefetch_settle(o->prefetch); /* no thread of it runs once this returns */
    /* an image no page shows is named by the edition all the same */
    for (const char *bad; (bad = fin_prefetch_failure(o->prefetch));) {
        report_bad_image(o, bad, d);
        ok = false;
    }
    for (size_t k = 0; k < jobs.n; k++) {
        free(jobs.items[k].rgb);
        free(jobs.items[k].out);
        free(jobs.items[k].cmyk_jpeg);
    }
    free(jobs.items);
    if (ok) {
        char date[32];
        pdf_date(o->date, date);
        qpdf_oh info = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, info, "/Title",
                            qpdf_oh_new_unicode_string(q, o->title ? o->title : ""));
        qpdf_oh_replace_key(q, info, "/Creator", qpdf_oh_new_string(q, "rotative " RT_VERSION));
        qpdf_oh_replace_key(q, info, "/Producer",
                            qpdf_oh_new_string(q, "rotative " RT_VERSION " (HarfBuzz, qpdf)"));
        qpdf_oh_replace_key(q, info, "/CreationDate", qpdf_oh_new_string(q, date));
        qpdf_oh_replace_key(q, info, "/ModDate", qpdf_oh_new_string(q, date));
        qpdf_oh_replace_key(q, info, "/Trapped", qpdf_oh_new_name(q, "/False"));
        qpdf_oh root = qpdf_get_root(q);
        if (o->standard == RT_PDFX_1A) {
            qpdf_oh_replace_key(q, info, "/GTS_PDFXVersion", qpdf_oh_new_string(q, "PDF/X-1:2001"));
            qpdf_oh_replace_key(q, info, "/GTS_PDFXConformance",
                                qpdf_oh_new_string(q, "PDF/X-1a:2001"));
        } else if (o->standard == RT_PDFX_4) {
            qpdf_oh_replace_key(q, info, "/GTS_PDFXVersion", qpdf_oh_new_string(q, "PDF/X-4"));
            char *x = xmp_packet(o);
            qpdf_oh md = qpdf_oh_new_stream(q);
            qpdf_oh_replace_stream_data(q, md, (const unsigned char *)x, strlen(x),
                                        qpdf_oh_new_null(q), qpdf_oh_new_null(q));
            free(x);
            qpdf_oh mdd = qpdf_oh_get_dict(q, md);
            qpdf_oh_replace_key(q, mdd, "/Type", qpdf_oh_new_name(q, "/Metadata"));
            qpdf_oh_replace_key(q, mdd, "/Subtype", qpdf_oh_new_name(q, "/XML"));
            qpdf_oh_replace_key(q, root, "/Metadata", qpdf_make_indirect_object(q, md));
        }
        if (o->standard != RT_PDFX_NONE && !set_output_intent(q, root, o, d))
            ok = false;
        qpdf_oh_replace_key(q, qpdf_get_trailer(q), "/Info", qpdf_make_indirect_object(q, info));
    }
    if (ok)
        fix_objects(q);
    char mem_name[40];
    int mem = ok ? fin_memory_file(mem_name) : -1;
    if (ok) {
        if ((mem >= 0 ? qpdf_init_write(q, mem_name) : qpdf_init_write_memory(q)) & QPDF_ERRORS) {
            qpdf_failed(q, d, in);
            ok = false;
        } else {
            qpdf_set_deterministic_ID(q, QPDF_TRUE);
            qpdf_set_compress_streams(q, QPDF_TRUE);
            /* streams Cairo already compressed are copied, not inflated and
             * deflated again; the streams replaced here are compressed once */
            qpdf_set_decode_level(q, qpdf_dl_none);
            qpdf_set_preserve_unreferenced_objects(q, QPDF_FALSE);
            if (o->standard == RT_PDFX_1A) {
                /* PDF 1.3: no object streams, no cross-reference streams */
                qpdf_set_object_stream_mode(q, qpdf_o_disable);
                qpdf_force_pdf_version(q, "1.3");
            } else if (o->standard == RT_PDFX_4) {
                qpdf_set_object_stream_mode(q, qpdf_o_disable);
                qpdf_force_pdf_version(q, "1.6");
            }
            if (qpdf_write(q) & QPDF_ERRORS) {
                qpdf_failed(q, d, in);
                ok = false;
            } else if (mem < 0) {
                /* a write error is the output's, reported at its close */
                rt_output_write(out, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
            }
        }
    }
    qpdf_cleanup(&q); /* first: its objects' memory goes before the copy */
    int status = ok ? 0 : 1;
    if (mem >= 0) {
        if (ok && o->fault && strcmp(o->fault, "short-memory-file") == 0)
            fin_cut_memory_file(mem, 3);
        if (ok && !fin_copy_memory_file(mem, out, in, d))
            status = 2;
        fin_close_memory_file(mem);
    }
    return status;
}

int rt_pdf_count_pages(const char *path, char **why) {
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    int n = -1;
    if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
        if (why)
            *why = rt_xstrdup(qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q))
                                                : "unreadable");
    } else {
        n = qpdf_get_num_pages(q);
        if (n < 0 && why)
            *why = rt_xstrdup(qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q))
                                                : "no page tree");
    }
    qpdf_cleanup(&q);
    return n;
}

bool rt_pdf_verify(const rt_output *o, int pages, rt_diag *d) {
    char *why = NULL;
    int n = rt_pdf_count_pages(rt_output_tmp_path(o), &why);
    if (n == pages)
        return true;
    if (n < 0)
        rt_error(d, rt_output_path(o), 0, 0,
                 "internal error: the PDF written cannot be read back (%s); it was not put in "
                 "place (a previous file is kept)",
                 why);
    else
        rt_error(d, rt_output_path(o), 0, 0,
                 "internal error: the PDF written has %d page%s, not %d; it was not put in place "
                 "(a previous file is kept)",
                 n, n == 1 ? "" : "s", pages);
    free(why);
    return false;
}
