/* Unit tests: parse (Markdown -> flat blocks, with positions). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "parse/parse.h"

#include <stdlib.h>
#include <string.h>

static char errbuf[4096];

static rt_doc *parse(const char *md, rt_md_profile prof, int first_line, rt_diag *d) {
    FILE *f = fmemopen(errbuf, sizeof errbuf, "w");
    rt_diag_init(d, f);
    rt_doc *doc = rt_markdown_parse(md, strlen(md), "a.md", first_line, prof, d);
    fclose(f);
    return doc;
}

static void test_blocks_and_positions(void **state) {
    (void)state;
    const char *md = "Premier paragraphe\nsur deux lignes.\n\n## Un intertitre\n\n"
                     "> Une citation.\n\n- un\n- deux\n\n1. premier\n2. second\n";
    rt_diag d;
    rt_doc *doc = parse(md, RT_MD_ARTICLE, 10, &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(doc->n_blocks, 7);
    assert_int_equal(doc->blocks[0].kind, RT_BLOCK_PARA);
    assert_int_equal(doc->blocks[0].line, 10);
    assert_string_equal(doc->blocks[0].spans[0].text, "Premier paragraphe sur deux lignes.");
    assert_int_equal(doc->blocks[1].kind, RT_BLOCK_SUBHEAD);
    assert_int_equal(doc->blocks[1].line, 13);
    assert_int_equal(doc->blocks[2].kind, RT_BLOCK_QUOTE);
    assert_int_equal(doc->blocks[3].kind, RT_BLOCK_ITEM);
    assert_string_equal(doc->blocks[3].marker, "•");
    assert_int_equal(doc->blocks[3].depth, 1);
    assert_string_equal(doc->blocks[6].marker, "2.");
    rt_doc_free(doc);
}

static void test_inline_styles(void **state) {
    (void)state;
    rt_diag d;
    rt_doc *doc =
        parse("Un *mot* et **fort** et [lien](https://example.org).", RT_MD_ARTICLE, 1, &d);
    assert_int_equal(d.errors, 0);
    rt_block *b = &doc->blocks[0];
    assert_int_equal(b->n_spans, 7);
    assert_int_equal(b->spans[1].flags, RT_SPAN_EM);
    assert_string_equal(b->spans[1].text, "mot");
    assert_int_equal(b->spans[3].flags, RT_SPAN_STRONG);
    assert_int_equal(b->spans[5].flags, RT_SPAN_LINK);
    assert_string_equal(b->spans[5].url, "https://example.org");
    rt_doc_free(doc);
}

static void test_unsupported_reported_with_position(void **state) {
    (void)state;
    rt_diag d;
    rt_doc *doc =
        parse("Texte.\n\n```\ncode\n```\n\n<div>x</div>\n\n![img](a.png)\n", RT_MD_ARTICLE, 5, &d);
    assert_int_equal(d.errors, 3);
    assert_non_null(strstr(errbuf, "a.md:7:1: error: a code block is not supported"));
    assert_non_null(strstr(errbuf, "a.md:11:1: error: raw HTML"));
    assert_non_null(strstr(errbuf, "a.md:13:1: error: an image"));
    rt_doc_free(doc);
}

static void test_message_profile(void **state) {
    (void)state;
    rt_diag d;
    rt_doc *doc = parse("Merci *à tous*.\n\nDeuxième paragraphe.", RT_MD_MESSAGE, 3, &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(doc->n_blocks, 2);
    rt_doc_free(doc);
    doc = parse("# Titre\n\n- liste\n\nVoir [ici](http://x).", RT_MD_MESSAGE, 3, &d);
    assert_int_equal(d.errors, 3);
    assert_non_null(strstr(errbuf, "a.md:3:1: error: a heading is not allowed"));
    assert_non_null(strstr(errbuf, "a.md:5:1: error: a list is not allowed"));
    assert_non_null(strstr(errbuf, "a.md:7:6: error: a link is not allowed"));
    rt_doc_free(doc);
}

static void test_gfm_table_notes_strike(void **state) {
    (void)state;
    rt_diag d;
    const char *md = "Avant[^a] ~~barré~~ et www.example.org.\n\n"
                     "| Poste | Montant |\n|:--|--:|\n| CPAS | 31,5 |\n| Dette |\n\n"
                     "[^a]: La note.\n";
    rt_doc *doc = parse(md, RT_MD_ARTICLE, 1, &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(doc->n_blocks, 3);
    rt_block *p = &doc->blocks[0];
    assert_int_equal(p->spans[1].flags, RT_SPAN_NOTE);
    assert_string_equal(p->spans[1].text, "1");
    assert_int_equal(p->spans[3].flags, RT_SPAN_STRIKE);
    assert_int_equal(p->spans[5].flags, RT_SPAN_LINK);
    assert_string_equal(p->spans[5].url, "http://www.example.org");
    rt_block *t = &doc->blocks[1];
    assert_int_equal(t->kind, RT_BLOCK_TABLE);
    assert_int_equal(t->line, 3);
    assert_int_equal(t->table->n_cols, 2);
    assert_int_equal(t->table->n_rows, 3);
    assert_int_equal(t->table->align[0], RT_TALIGN_LEFT);
    assert_int_equal(t->table->align[1], RT_TALIGN_RIGHT);
    assert_string_equal(t->table->cells[3].spans[0].text, "31,5");
    assert_int_equal(t->table->cells[5].n_spans, 0); /* a missing cell is empty */
    assert_int_equal(doc->blocks[2].kind, RT_BLOCK_NOTE);
    assert_string_equal(doc->blocks[2].marker, "1");
    rt_doc_free(doc);
    /* messages: tables and footnotes refused, addresses stay text */
    doc = parse("| a |\n|---|\n| b |\n\nÉcrire à x@example.org.", RT_MD_MESSAGE, 3, &d);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(errbuf, "a.md:3:1: error: a table is not allowed"));
    assert_int_equal(doc->blocks[0].n_spans, 1);
    rt_doc_free(doc);
}

/* A table right under a paragraph's lines (no blank line between): cmark-gfm
 * gives the paragraph no source position and the table the paragraph's. */
static void test_table_interrupting_a_paragraph(void **state) {
    (void)state;
    rt_diag d;
    const char *md =
        "Le budget\nen deux lignes :\n| Poste | Montant |\n|---|---|\n| CPAS | 31,5 |\n";
    rt_doc *doc = parse(md, RT_MD_ARTICLE, 7, &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(doc->n_blocks, 2);
    assert_int_equal(doc->blocks[0].kind, RT_BLOCK_PARA);
    assert_int_equal(doc->blocks[0].line, 7);
    assert_int_equal(doc->blocks[0].col, 1);
    assert_int_equal(doc->blocks[1].kind, RT_BLOCK_TABLE);
    assert_int_equal(doc->blocks[1].line, 9);
    assert_int_equal(doc->blocks[1].table->row_line[0], 9);
    assert_int_equal(doc->blocks[1].table->row_line[1], 11);
    rt_doc_free(doc);
    doc = parse("Un mot\n| a |\n|---|\n", RT_MD_MESSAGE, 2, &d);
    assert_int_equal(d.errors, 1);
    assert_non_null(strstr(errbuf, "a.md:3:1: error: a table is not allowed"));
    assert_int_equal(doc->blocks[0].line, 2);
    assert_int_equal(doc->blocks[0].col, 1);
    rt_doc_free(doc);
}

static void test_literal_markup(void **state) {
    (void)state;
    rt_diag d;
    rt_doc *doc = parse("Un **gras qui ne ferme pas et [^x].\n\nÉchappés : \\*\\* et \\[^1].",
                        RT_MD_ARTICLE, 1, &d);
    assert_int_equal(d.errors, 2);
    assert_non_null(strstr(errbuf, "a.md:1:4: error: '**' that opens no strong emphasis"));
    assert_non_null(strstr(errbuf, "a.md:1:31: error: footnote [^x] has no definition"));
    rt_doc_free(doc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_and_positions),
        cmocka_unit_test(test_inline_styles),
        cmocka_unit_test(test_unsupported_reported_with_position),
        cmocka_unit_test(test_message_profile),
        cmocka_unit_test(test_gfm_table_notes_strike),
        cmocka_unit_test(test_table_interrupting_a_paragraph),
        cmocka_unit_test(test_literal_markup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
