/* rotative: the command-line front end. */
#include "base/base.h"
#include "build/build.h"
#include "finish/finish.h"

#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fputs("usage: rotative build EDITION.yaml [-o OUT.pdf | --split DIR] [--pdfx x1a|x4|none]\n"
          "                      [--marks] [--stats] [--quiet]\n"
          "       rotative check EDITION.yaml\n"
          "       rotative preflight FILE.pdf [--standard x1a|x4] [--tac PERCENT]\n"
          "       rotative --help | --version\n"
          "\n"
          "  build   typeset an edition into a PDF (default OUT: the edition's folder\n"
          "          name + .pdf in the current directory)\n"
          "  check   validate the edition, its layout, articles and messages and\n"
          "          report every problem, without writing a PDF\n"
          "  preflight  check any PDF against PDF/X-1a (default) or PDF/X-4: version,\n"
          "          Info/XMP, output intent, boxes, fonts, colour spaces, transparency,\n"
          "          total ink (default limit 240%), image resolution\n"
          "\n"
          "  -o FILE   output PDF\n"
          "  --marks   print variant: bleed, crop marks and a slug line outside the trim\n"
          "  --pdfx S  x1a (default: PDF/X-1a:2001), x4 (PDF/X-4) or none (CMYK, boxes,\n"
          "            no PDF/X keys)\n"
          "  --split DIR  one PDF per page in DIR: <paper>-<number>-p01.pdf, ...\n"
          "  --stats   print typographic statistics per article (space ratios, hyphens,\n"
          "            widows and orphans) to standard output\n"
          "  --quiet   no report on standard error\n"
          "\n"
          "Exit status: 0 success, 1 errors in the input, 2 usage or I/O error.\n",
          f);
}

static int preflight_main(int argc, char **argv) {
    const char *file = NULL;
    rt_pdfx_standard std = RT_PDFX_1A;
    double tac = 240;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--standard") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (strcmp(v, "x1a") == 0)
                std = RT_PDFX_1A;
            else if (strcmp(v, "x4") == 0)
                std = RT_PDFX_4;
            else {
                fprintf(stderr, "rotative: --standard takes x1a or x4, not '%s'\n", v);
                return 2;
            }
        } else if (strcmp(argv[i], "--tac") == 0 && i + 1 < argc) {
            char *end;
            tac = strtod(argv[++i], &end);
            if (*end || tac < 100 || tac > 400) {
                fprintf(stderr, "rotative: --tac takes a percentage from 100 to 400\n");
                return 2;
            }
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "rotative: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!file) {
            file = argv[i];
        } else {
            fprintf(stderr, "rotative: one PDF at a time ('%s')\n", argv[i]);
            return 2;
        }
    }
    if (!file) {
        fputs("rotative: preflight needs a PDF file\n", stderr);
        return 2;
    }
    return rt_preflight(file, std, tac, stdout);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("rotative %s\n", RT_VERSION);
        return 0;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "preflight") == 0)
        return preflight_main(argc, argv);
    bool build = strcmp(cmd, "build") == 0, check = strcmp(cmd, "check") == 0;
    if (!build && !check) {
        fprintf(stderr, "rotative: unknown command '%s'\n", cmd);
        usage(stderr);
        return 2;
    }
    const char *edition = NULL, *output = NULL;
    bool quiet = false, stats = false, marks = false;
    int pdfx = 1; /* RT_PDFX_1A */
    const char *split = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && build) {
            if (++i >= argc) {
                fputs("rotative: -o needs a file name\n", stderr);
                return 2;
            }
            output = argv[i];
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            quiet = true;
        } else if (strcmp(argv[i], "--stats") == 0) {
            stats = true;
        } else if (strcmp(argv[i], "--marks") == 0 && build) {
            marks = true;
        } else if (strcmp(argv[i], "--split") == 0 && build) {
            if (++i >= argc) {
                fputs("rotative: --split needs a folder\n", stderr);
                return 2;
            }
            split = argv[i];
        } else if (strcmp(argv[i], "--pdfx") == 0 && build) {
            const char *v = ++i < argc ? argv[i] : "";
            if (strcmp(v, "x1a") == 0)
                pdfx = 1;
            else if (strcmp(v, "x4") == 0)
                pdfx = 2;
            else if (strcmp(v, "none") == 0)
                pdfx = 0;
            else {
                fprintf(stderr, "rotative: --pdfx takes x1a, x4 or none, not '%s'\n", v);
                return 2;
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "rotative: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!edition) {
            edition = argv[i];
        } else {
            fprintf(stderr, "rotative: one edition file at a time ('%s')\n", argv[i]);
            return 2;
        }
    }
    if (!edition) {
        fputs("rotative: no edition file given\n", stderr);
        usage(stderr);
        return 2;
    }
    char *data = rt_find_data_dir(argv[0]);
    if (!data) {
        fputs("rotative: cannot find the layouts/ and fonts/ folders "
              "(set ROTATIVE_DATA to the folder holding them)\n",
              stderr);
        return 2;
    }
    char *default_out = NULL;
    if (build && !output && !split) {
        char *dir = rt_path_dir(edition);
        const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
        default_out = rt_xasprintf("%s.pdf", strcmp(base, ".") ? base : "edition");
        output = default_out;
        free(dir);
    }
    rt_diag d;
    rt_diag_init(&d, stderr);
    rt_build_opts o = {data,  getenv("ROTATIVE_HYPHEN_DIR"), build ? output : NULL,
                       quiet ? NULL : stderr, stats ? stdout : NULL, marks, pdfx, split};
    int status = rt_build_edition(edition, &o, &d);
    if (d.errors)
        fprintf(stderr, "%d error%s\n", d.errors, d.errors == 1 ? "" : "s");
    else if (status == 0 && build && !quiet)
        fprintf(stderr, "wrote %s\n", split ? split : output);
    free(default_out);
    free(data);
    return status;
}
