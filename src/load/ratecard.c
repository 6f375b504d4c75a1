/* load: a layout's supporter-message section: the module grid of a message
 * page and the rate card (format -> size on the grid, price). Called by the
 * layout loader (see ld_load_rate_card in tree.h). */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

void ld_load_rate_card(yctx *c, rt_layout *l, const ynode *n, geo_nodes *gn) {
    static const char *const keys[] = {"grid", "rates", NULL};
    if (!yn_expect(c, n, YN_MAP, "'messages'"))
        return;
    yn_check_keys(c, n, keys, "'messages'");
    ynode *g = yn_require(c, n, "grid", "'messages'");
    if (g && yn_expect(c, g, YN_MAP, "'grid'")) {
        static const char *const gk[] = {"columns", "rows", NULL};
        yn_check_keys(c, g, gk, "'grid'");
        ynode *v;
        bool ok = true;
        if ((v = yn_require(c, g, "columns", "'grid'")))
            ok &= yn_int(c, v, "grid columns", 1, 12, &l->msg_columns);
        else
            ok = false;
        if ((v = yn_require(c, g, "rows", "'grid'")))
            ok &= yn_int(c, v, "grid rows", 1, 24, &l->msg_rows);
        else
            ok = false;
        if (ok)
            gn->grid = g;
    }
    ynode *r = yn_require(c, n, "rates", "'messages'");
    if (!r || !yn_expect(c, r, YN_MAP, "'rates'"))
        return;
    l->rates = rt_xcalloc(r->n / 2 + 1, sizeof *l->rates);
    for (size_t i = 0; i + 1 < r->n; i += 2) {
        const ynode *k = r->items[i], *v = r->items[i + 1];
        if (k->kind != YN_SCALAR) {
            yn_error(c, k, "a format's name must be a plain name, such as \"1/8\"");
            continue;
        }
        if (!yn_expect(c, v, YN_MAP, "a rate") ||
            !yn_text_ok(c, k, k->value)) /* printed on the rate card */
            continue;
        static const char *const rk[] = {"columns", "rows", "price", NULL};
        char what[64];
        snprintf(what, sizeof what, "rate '%s'", k->value);
        yn_check_keys(c, v, rk, what);
        rt_rate rate = {rt_xstrdup(k->value), 0, 0, 0, k->mark};
        ynode *x;
        bool ok = true;
        if ((x = yn_require(c, v, "columns", what)))
            ok &= yn_int(c, x, "columns", 1, 12, &rate.columns);
        else
            ok = false;
        if ((x = yn_require(c, v, "rows", what)))
            ok &= yn_int(c, x, "rows", 1, 24, &rate.rows);
        else
            ok = false;
        if ((x = yn_require(c, v, "price", what)))
            ok &= yn_number(c, x, "price", 0, 1e6, &rate.price);
        else
            ok = false;
        if (ok && l->msg_columns && l->msg_rows &&
            (rate.columns > l->msg_columns || rate.rows > l->msg_rows)) {
            yn_error(c, k, "rate '%s' (%d x %d) does not fit the message grid (%d x %d)", rate.name,
                     rate.columns, rate.rows, l->msg_columns, l->msg_rows);
            ok = false;
        }
        for (size_t j = 0; j < l->n_rates; j++)
            if (strcmp(l->rates[j].name, rate.name) == 0) {
                yn_error(c, k, "rate '%s' defined twice", rate.name);
                ok = false;
            }
        if (ok)
            l->rates[l->n_rates++] = rate;
        else
            free(rate.name);
    }
}
