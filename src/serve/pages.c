/* serve: the pages, in the edition's language (French, Dutch, English).
 * Plain HTML that works without JavaScript; one small script (form.js)
 * refreshes the proof while the supporter types. No inline script or style
 * (the Content-Security-Policy forbids them), every value escaped. */
#include "serve.h"

#include "../load/load.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const rt_field_names[RT_F_COUNT] = {"from",    "text", "format",
                                                "contact", "logo", "general"};

void rt_form_view_free(rt_form_view *v) {
    for (int i = 0; i < RT_F_COUNT; i++)
        rt_buf_free(&v->problem[i]);
}

void rt_problem(rt_form_view *v, rt_field f, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    if (!s)
        return;
    if (v->problem[f].len)
        rt_buf_adds(&v->problem[f], "\n");
    rt_buf_adds(&v->problem[f], s);
    free(s);
}

static void esc(rt_buf *b, const char *s) {
    if (s)
        rt_html_escape(b, s, strlen(s));
}

static void head(rt_buf *b, const rt_site *s, const char *title) {
    rt_buf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                rt_lang_names[s->lang]);
    rt_buf_adds(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"robots\" content=\"noindex\">\n<title>");
    esc(b, title);
    rt_buf_adds(b, " \xe2\x80\x94 ");
    esc(b, s->paper);
    rt_buf_adds(b, "</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n<link rel=\"icon\" "
                   "href=\"data:,\">\n</head>\n<body>\n"
                   "<header><p class=\"paper\">");
    esc(b, s->paper);
    rt_buf_adds(b, "</p></header>\n<main>\n");
}

static void foot(rt_buf *b, bool script) {
    rt_buf_adds(b, "</main>\n");
    if (script)
        rt_buf_adds(b, "<script src=\"/form.js\"></script>\n");
    rt_buf_adds(b, "</body>\n</html>\n");
}

static void rate_label(rt_buf *b, const rt_site *s, const rt_rate_view *r) {
    esc(b, r->name);
    rt_buf_addf(b, " \xe2\x80\x94 %.0f \xc3\x97 %.0f mm \xe2\x80\x94 ", r->w_mm, r->h_mm);
    rt_money(b, s->lang, r->price);
}

static void field_problem(rt_buf *b, const rt_form_view *v, rt_field f) {
    rt_buf_addf(b, "<p class=\"error\" id=\"%s-error\" aria-live=\"polite\">", rt_field_names[f]);
    if (v && v->problem[f].len)
        esc(b, v->problem[f].data);
    rt_buf_adds(b, "</p>\n");
}

static void field_open(rt_buf *b, const rt_form_view *v, rt_field f, rt_ui label, int lang) {
    bool bad = v && v->problem[f].len;
    rt_buf_addf(b, "<div class=\"field%s\">\n<label for=\"%s\">", bad ? " invalid" : "",
                rt_field_names[f]);
    esc(b, rt_ui_word(lang, label));
    rt_buf_adds(b, "</label>\n");
}

static void hint(rt_buf *b, rt_field f, const char *text) {
    rt_buf_addf(b, "<p class=\"hint\" id=\"%s-hint\">", rt_field_names[f]);
    esc(b, text);
    rt_buf_adds(b, "</p>\n");
}

static void described(rt_buf *b, rt_field f) {
    rt_buf_addf(b, " aria-describedby=\"%s-hint %s-error\"", rt_field_names[f], rt_field_names[f]);
}

void rt_page_form(rt_buf *b, const rt_site *s, const rt_form_view *v, const char *csrf) {
    int L = s->lang;
    head(b, s, rt_ui_word(L, UI_TITLE));
    rt_buf_adds(b, "<h1>");
    esc(b, s->call);
    rt_buf_adds(b, "</h1>\n<section class=\"rates\">\n<h2>");
    esc(b, rt_ui_word(L, UI_RATES));
    rt_buf_addf(b,
                "</h2>\n<table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>\n"
                "<tbody>\n",
                rt_ui_word(L, UI_FORMAT), rt_ui_word(L, UI_SIZE), rt_ui_word(L, UI_PRICE));
    for (size_t i = 0; i < s->n_rates; i++) {
        const rt_rate_view *r = &s->rates[i];
        rt_buf_adds(b, "<tr><td>");
        esc(b, r->name);
        rt_buf_addf(b, "</td><td>%.0f \xc3\x97 %.0f mm (%d \xc3\x97 %d %s)</td><td>", r->w_mm,
                    r->h_mm, r->columns, r->rows, rt_ui_word(L, UI_MODULES));
        rt_money(b, L, r->price);
        rt_buf_adds(b, "</td></tr>\n");
    }
    rt_buf_adds(b, "</tbody>\n</table>\n</section>\n");

    rt_buf_adds(b, "<form method=\"post\" action=\"/\" enctype=\"multipart/form-data\" "
                   "id=\"message-form\" accept-charset=\"utf-8\">\n"
                   "<input type=\"hidden\" name=\"csrf\" value=\"");
    esc(b, csrf);
    rt_buf_adds(b, "\">\n");
    bool any = false;
    for (int f = 0; v && f < RT_F_COUNT; f++)
        any |= v->problem[f].len > 0;
    if (any) {
        rt_buf_adds(b, "<div class=\"problems\" role=\"alert\"><p>");
        esc(b, rt_ui_word(L, UI_PROBLEMS));
        rt_buf_adds(b, "</p>");
        if (v->problem[RT_F_GENERAL].len) {
            rt_buf_adds(b, "<p class=\"error\" id=\"general-error\">");
            esc(b, v->problem[RT_F_GENERAL].data);
            rt_buf_adds(b, "</p>");
        }
        rt_buf_adds(b, "</div>\n");
    }

    field_open(b, v, RT_F_FROM, UI_FROM, L);
    rt_buf_adds(
        b, "<input type=\"text\" id=\"from\" name=\"from\" required autocomplete=\"organization\"");
    described(b, RT_F_FROM);
    rt_buf_adds(b, " value=\"");
    esc(b, v ? v->value[RT_F_FROM] : NULL);
    rt_buf_adds(b, "\">\n");
    hint(b, RT_F_FROM, rt_ui_word(L, UI_FROM_HINT));
    field_problem(b, v, RT_F_FROM);
    rt_buf_adds(b, "</div>\n");

    field_open(b, v, RT_F_TEXT, UI_TEXT, L);
    rt_buf_adds(b, "<textarea id=\"text\" name=\"text\" rows=\"9\" required");
    described(b, RT_F_TEXT);
    rt_buf_adds(b, ">");
    /* a text area drops one newline right after its start tag */
    if (v && v->value[RT_F_TEXT] && v->value[RT_F_TEXT][0] == '\n')
        rt_buf_adds(b, "\n");
    esc(b, v ? v->value[RT_F_TEXT] : NULL);
    rt_buf_adds(b, "</textarea>\n");
    hint(b, RT_F_TEXT, rt_ui_word(L, UI_TEXT_HINT));
    field_problem(b, v, RT_F_TEXT);
    rt_buf_adds(b, "</div>\n");

    field_open(b, v, RT_F_FORMAT, UI_FORMAT, L);
    rt_buf_adds(b, "<select id=\"format\" name=\"format\"");
    described(b, RT_F_FORMAT);
    rt_buf_adds(b, ">\n");
    const char *chosen = v && v->value[RT_F_FORMAT] ? v->value[RT_F_FORMAT] : "auto";
    rt_buf_addf(b, "<option value=\"auto\"%s>", strcmp(chosen, "auto") ? "" : " selected");
    esc(b, rt_ui_word(L, UI_FORMAT_AUTO));
    rt_buf_adds(b, "</option>\n");
    for (size_t i = 0; i < s->n_rates; i++) {
        rt_buf_adds(b, "<option value=\"");
        esc(b, s->rates[i].name);
        rt_buf_addf(b, "\"%s>", strcmp(chosen, s->rates[i].name) ? "" : " selected");
        rate_label(b, s, &s->rates[i]);
        rt_buf_adds(b, "</option>\n");
    }
    rt_buf_adds(b, "</select>\n");
    hint(b, RT_F_FORMAT, "");
    field_problem(b, v, RT_F_FORMAT);
    rt_buf_adds(b, "</div>\n");

    field_open(b, v, RT_F_CONTACT, UI_CONTACT, L);
    rt_buf_adds(b, "<input type=\"text\" id=\"contact\" name=\"contact\" required "
                   "autocomplete=\"email\"");
    described(b, RT_F_CONTACT);
    rt_buf_adds(b, " value=\"");
    esc(b, v ? v->value[RT_F_CONTACT] : NULL);
    rt_buf_adds(b, "\">\n");
    hint(b, RT_F_CONTACT, rt_ui_word(L, UI_CONTACT_HINT));
    field_problem(b, v, RT_F_CONTACT);
    rt_buf_adds(b, "</div>\n");

    field_open(b, v, RT_F_LOGO, UI_LOGO, L);
    rt_buf_adds(b, "<input type=\"file\" id=\"logo\" name=\"logo\" "
                   "accept=\"image/png,image/jpeg\"");
    described(b, RT_F_LOGO);
    rt_buf_adds(b, ">\n");
    hint(b, RT_F_LOGO, rt_ui_word(L, UI_LOGO_HINT));
    field_problem(b, v, RT_F_LOGO);
    rt_buf_adds(b, "</div>\n");

    rt_buf_adds(b, "<p><button type=\"submit\" id=\"send\">");
    esc(b, rt_ui_word(L, UI_SEND));
    rt_buf_adds(b, "</button></p>\n</form>\n");

    rt_buf_adds(b, "<section id=\"live\" hidden>\n<h2>");
    esc(b, rt_ui_word(L, UI_LIVE));
    rt_buf_adds(b, "</h2>\n<p class=\"hint\">");
    esc(b, rt_ui_word(L, UI_LIVE_HINT));
    rt_buf_adds(b, "</p>\n<p id=\"live-status\" aria-live=\"polite\"></p>\n"
                   "<img id=\"live-proof\" class=\"proof\" alt=\"\" hidden>\n</section>\n");
    foot(b, true);
}

static const char *state_word(int lang, int state) {
    switch (state) {
    case RT_INTAKE_PAID:
        return rt_ui_word(lang, UI_STATE_PAID);
    case RT_INTAKE_OFFERED:
        return rt_ui_word(lang, UI_STATE_OFFERED);
    case RT_INTAKE_PENDING:
        return rt_ui_word(lang, UI_STATE_PENDING);
    default:
        return rt_ui_word(lang, UI_STATE_REJECTED);
    }
}

void rt_page_filed(rt_buf *b, const rt_site *s, const rt_filed_view *m) {
    int L = s->lang;
    head(b, s, rt_ui_word(L, UI_THANKS));
    rt_buf_adds(b, "<h1>");
    esc(b, rt_ui_word(L, UI_THANKS));
    rt_buf_adds(b, "</h1>\n<p>");
    esc(b, rt_ui_word(L, UI_THANKS_TEXT));
    rt_buf_adds(b, "</p>\n<dl class=\"payment\">\n<dt>");
    esc(b, rt_ui_word(L, UI_FROM));
    rt_buf_adds(b, "</dt><dd id=\"from\">");
    esc(b, m->from);
    rt_buf_adds(b, "</dd>\n<dt>");
    esc(b, rt_ui_word(L, UI_FORMAT));
    rt_buf_adds(b, "</dt><dd id=\"format\">");
    esc(b, m->format);
    rt_buf_adds(b, "</dd>\n<dt>");
    esc(b, rt_ui_word(L, UI_AMOUNT));
    rt_buf_adds(b, "</dt><dd id=\"amount\">");
    rt_money(b, L, m->amount);
    rt_buf_adds(b, "</dd>\n<dt>");
    esc(b, rt_ui_word(L, UI_REFERENCE));
    rt_buf_adds(b, "</dt><dd id=\"reference\">");
    esc(b, m->reference);
    rt_buf_adds(b, "</dd>\n<dt>");
    esc(b, rt_ui_word(L, UI_STATE));
    rt_buf_adds(b, "</dt><dd id=\"state\">");
    esc(b, state_word(L, m->state));
    rt_buf_adds(b, "</dd>\n</dl>\n<p>");
    esc(b, rt_ui_word(L, UI_PAY_TEXT));
    rt_buf_adds(b, "</p>\n<h2>");
    esc(b, rt_ui_word(L, UI_PROOF));
    /* the proof at its real size on a 96 dpi screen (CSS pixels), scaled
     * down with its proportions kept on a narrow one */
    rt_buf_addf(b,
                "</h2>\n<p><img class=\"proof\" id=\"proof\" src=\"/message/%s/proof.png\" "
                "width=\"%.0f\" height=\"%.0f\" alt=\"",
                m->id, m->w_pt * 96 / 72, m->h_pt * 96 / 72);
    char *alt = rt_xasprintf(rt_ui_word(L, UI_PROOF_ALT), m->format ? m->format : "");
    esc(b, alt);
    free(alt);
    rt_buf_adds(b, "\"></p>\n<p><a href=\"/\">");
    esc(b, rt_ui_word(L, UI_NEW_MESSAGE));
    rt_buf_adds(b, "</a></p>\n");
    foot(b, false);
}

void rt_page_error(rt_buf *b, const rt_site *s, rt_ui title, const char *detail) {
    head(b, s, rt_ui_word(s->lang, title));
    rt_buf_adds(b, "<h1>");
    esc(b, rt_ui_word(s->lang, title));
    rt_buf_adds(b, "</h1>\n");
    if (detail && *detail) {
        rt_buf_adds(b, "<p>");
        esc(b, detail);
        rt_buf_adds(b, "</p>\n");
    }
    rt_buf_adds(b, "<p><a href=\"/\">");
    esc(b, rt_ui_word(s->lang, UI_TITLE));
    rt_buf_adds(b, "</a></p>\n");
    foot(b, false);
}

void rt_page_admin(rt_buf *b, const rt_site *s, const rt_intake_list *l, const char *csrf,
                   const char *notice) {
    int L = s->lang;
    head(b, s, rt_ui_word(L, UI_ADMIN));
    rt_buf_adds(b, "<h1>");
    esc(b, rt_ui_word(L, UI_ADMIN));
    rt_buf_adds(b, "</h1>\n");
    if (notice) {
        rt_buf_adds(b, "<p class=\"notice\" id=\"notice\">");
        esc(b, notice);
        rt_buf_adds(b, "</p>\n");
    }
    rt_buf_addf(b,
                "<table class=\"admin\">\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead>\n<tbody>\n",
                rt_ui_word(L, UI_FILE), rt_ui_word(L, UI_FROM), rt_ui_word(L, UI_FORMAT),
                rt_ui_word(L, UI_PRICE), rt_ui_word(L, UI_AMOUNT_SHORT),
                rt_ui_word(L, UI_REFERENCE), rt_ui_word(L, UI_STATE));
    static const char *const state_class[] = {"paid", "offered", "pending", "rejected"};
    for (size_t i = 0; i < l->n; i++) {
        const rt_intake_entry *x = &l->entries[i];
        const char *name = strrchr(x->path, '/') ? strrchr(x->path, '/') + 1 : x->path;
        rt_buf_addf(b, "<tr class=\"%s\"><td class=\"file\">", state_class[x->state]);
        esc(b, name);
        rt_buf_adds(b, "</td><td>");
        esc(b, x->from);
        rt_buf_adds(b, "</td><td>");
        esc(b, x->format);
        rt_buf_adds(b, "</td><td class=\"num\">");
        if (x->price >= 0)
            rt_money(b, L, x->price);
        rt_buf_adds(b, "</td><td class=\"num\">");
        if (x->reference || x->amount > 0)
            rt_money(b, L, x->amount);
        rt_buf_adds(b, "</td><td>");
        esc(b, x->reference);
        rt_buf_addf(b, "</td><td class=\"state\">");
        esc(b, state_word(L, x->state));
        if (x->reason) {
            rt_buf_adds(b, ": ");
            esc(b, x->reason);
        }
        rt_buf_adds(b, "</td><td>");
        if (x->state == RT_INTAKE_PENDING) {
            rt_buf_adds(b, "<form method=\"post\" action=\"/admin/paid\">"
                           "<input type=\"hidden\" name=\"csrf\" value=\"");
            esc(b, csrf);
            rt_buf_adds(b, "\"><input type=\"hidden\" name=\"file\" value=\"");
            esc(b, name);
            rt_buf_adds(b, "\"><button type=\"submit\">");
            esc(b, rt_ui_word(L, UI_MARK_PAID));
            rt_buf_adds(b, "</button></form>");
        }
        rt_buf_adds(b, "</td></tr>\n");
    }
    rt_buf_adds(b, "</tbody>\n</table>\n<h2>");
    esc(b, rt_ui_word(L, UI_TOTALS));
    rt_buf_adds(b, "</h2>\n<p id=\"counts\">");
    char *counts =
        rt_xasprintf(rt_ui_word(L, UI_COUNTS), l->n, l->n_print, l->n_held, l->n_rejected);
    esc(b, counts);
    free(counts);
    rt_buf_adds(b, "</p>\n<dl class=\"totals\">\n<dt>");
    esc(b, rt_ui_word(L, UI_RECEIVED));
    rt_buf_adds(b, "</dt><dd id=\"received\">");
    rt_money(b, L, l->received);
    rt_buf_adds(b, "</dd>\n<dt>");
    esc(b, rt_ui_word(L, UI_OFFERED));
    rt_buf_adds(b, "</dt><dd id=\"offered\">");
    rt_money(b, L, l->offered);
    rt_buf_adds(b, "</dd>\n<dt>");
    esc(b, rt_ui_word(L, UI_EXPECTED));
    rt_buf_adds(b, "</dt><dd id=\"expected\">");
    rt_money(b, L, l->pending);
    rt_buf_adds(b, "</dd>\n</dl>\n");
    foot(b, false);
}

const char rt_style_css[] =
    "body{margin:0;font:16px/1.45 Georgia,'PT Serif',serif;color:#1a1a1a;background:#faf8f4}\n"
    "header{background:#b3001b;color:#fff;padding:.6em 1em}\n"
    "header .paper{margin:0;font-weight:bold;font-size:1.4em;letter-spacing:.02em}\n"
    "main{max-width:46em;margin:0 auto;padding:1em}\n"
    "h1{font-size:1.5em;line-height:1.2}\n"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
    "th,td{border-bottom:1px solid #ccc;padding:.3em .8em .3em 0;text-align:left}\n"
    "td.num{text-align:right}\n"
    ".field{margin:0 0 1.1em}\n"
    "label{display:block;font-weight:bold;margin-bottom:.2em}\n"
    "input[type=text],textarea,select{box-sizing:border-box;width:100%;font:inherit;"
    "padding:.35em;border:1px solid #888;background:#fff}\n"
    ".hint{margin:.2em 0;color:#555;font-size:.9em}\n"
    ".error{margin:.2em 0;color:#a00;font-weight:bold;white-space:pre-line}\n"
    ".error:empty{display:none}\n"
    ".invalid input,.invalid textarea,.invalid select{border:2px solid #a00}\n"
    ".problems{border:2px solid #a00;padding:.2em 1em;margin-bottom:1em;background:#fff}\n"
    "button{font:inherit;padding:.4em 1.2em;background:#b3001b;color:#fff;border:0;"
    "cursor:pointer}\n"
    "img.proof{max-width:100%;height:auto;border:1px solid #bbb;background:#fff}\n"
    "dl.payment dt,dl.totals dt{font-weight:bold}\n"
    "dl.payment dd{margin:0 0 .6em;font-size:1.15em}\n"
    "table.admin form{margin:0}\n"
    "table.admin button{padding:.2em .6em;font-size:.9em}\n"
    "tr.rejected td.state{color:#a00}\n"
    ".notice{border-left:4px solid #b3001b;padding-left:.6em}\n";

const char rt_form_js[] =
    "/* rotative serve: refreshes the proof while the supporter types. The form\n"
    "   works without this script. */\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var form = document.getElementById('message-form');\n"
    "  if (!form || !window.fetch || !window.FormData) return;\n"
    "  var live = document.getElementById('live');\n"
    "  var img = document.getElementById('live-proof');\n"
    "  var status = document.getElementById('live-status');\n"
    "  var fields = ['from', 'text', 'format', 'contact', 'logo'];\n"
    "  var timer = null, seq = 0;\n"
    "  function refresh() {\n"
    "    var n = ++seq;\n"
    "    fetch('/preview', {method: 'POST', body: new FormData(form), credentials: "
    "'same-origin'})\n"
    "      .then(function (r) { return r.json(); })\n"
    "      .then(function (j) {\n"
    "        if (n !== seq) return;\n"
    "        live.hidden = false;\n"
    "        status.textContent = j.summary || '';\n"
    "        if (j.png) {\n"
    "          img.src = 'data:image/png;base64,' + j.png;\n"
    "          img.width = j.width;\n"
    "          img.height = j.height;\n"
    "          img.alt = j.alt || '';\n"
    "          img.hidden = false;\n"
    "        } else {\n"
    "          img.hidden = true;\n"
    "        }\n"
    "        fields.forEach(function (f) {\n"
    "          var el = document.getElementById(f + '-error');\n"
    "          if (el) el.textContent = (j.problems && j.problems[f]) || '';\n"
    "        });\n"
    "        form.setAttribute('data-previews', String(n));\n"
    "      })\n"
    "      .catch(function () {});\n"
    "  }\n"
    "  function later(ms) {\n"
    "    clearTimeout(timer);\n"
    "    timer = setTimeout(refresh, ms);\n"
    "  }\n"
    "  form.addEventListener('input', function () { later(500); });\n"
    "  form.addEventListener('change', function () { later(50); });\n"
    "})();\n";
