/* finish: work on the whole document with libqpdf: qpdf's errors as
 * diagnostics, the pages of a second document appended (the edition
 * rendered in two parts, driver/pdf.c), and every object mended for PDF/X. */
#include "finish_internal.h"

#include <qpdf/qpdf-c.h>

bool fin_qpdf_failed(qpdf_data q, rt_diag *d, const char *path) {
    if (!qpdf_has_error(q))
        return false;
    qpdf_error e = qpdf_get_error(q);
    rt_error(d, path, 0, 0, "PDF finishing: %s", qpdf_get_error_full_text(q, e));
    return true;
}

/* Every object of the file (by number, up to the trailer's /Size): no
 * transparency group in an RGB colour space (a PDF/X file has no RGB
 * anywhere: Cairo's page groups say /CS /DeviceRGB; they blend in CMYK),
 * no image asking to be interpolated (PDF/X wants /Interpolate absent). */
void fin_fix_objects(qpdf_data q) {
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

/* (qpdf copies the pages as foreign objects; their objects are mended
 * first, since fin_fix_objects walks q only up to the size it was read
 * with, which the copies lie beyond) */
qpdf_data fin_append_pages(qpdf_data q, const unsigned char *data, size_t len, rt_diag *d,
                           const char *in) {
    qpdf_data q2 = qpdf_init();
    qpdf_silence_errors(q2);
    qpdf_set_suppress_warnings(q2, QPDF_TRUE);
    bool ok = !(qpdf_read_memory(q2, in, (const char *)data, len, NULL) & QPDF_ERRORS);
    if (!ok)
        fin_qpdf_failed(q2, d, in);
    if (ok)
        fin_fix_objects(q2);
    int n = ok ? qpdf_get_num_pages(q2) : 0;
    for (int i = 0; i < n && ok; i++)
        if (qpdf_add_page(q, q2, qpdf_get_page_n(q2, (size_t)i), QPDF_FALSE) & QPDF_ERRORS) {
            fin_qpdf_failed(q, d, in);
            ok = false;
        }
    qpdf_oh_release_all(q);
    if (!ok)
        qpdf_cleanup(&q2);
    return q2;
}
