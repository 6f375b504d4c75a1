/* rotative: the command-line front end. */
#include "base/base.h"
#include "driver/build.h"
#include "intake/intake.h"
#include "finish/finish.h"
#include "serve/serve.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fputs(
        "usage: rotative build EDITION.yaml [-o OUT.pdf | --split DIR] [--pdfx x1a|x4|none]\n"
        "                      [--marks] [--stats] [--quiet] [--report FILE.json]\n"
        "                      [--png DIR [--dpi N]] [--cache DIR [--cache-size MB] | --no-cache] "
        "[--jobs N]\n"
        "       rotative check EDITION.yaml [--report FILE.json]\n"
        "       rotative flatplan EDITION.yaml -o FLATPLAN.png|.pdf [--dpi N]\n"
        "       rotative watch EDITION.yaml [build options] [--builds N]\n"
        "       rotative intake check FILE|DIR... [--edition EDITION.yaml | --layout NAME]\n"
        "                      [--lang fr|nl|en]\n"
        "       rotative intake proof FILE -o PROOF.pdf|.png [--dpi N] [--edition E | --layout L]\n"
        "       rotative intake report DIR [--csv] [--edition EDITION.yaml | --layout NAME]\n"
        "       rotative preflight FILE.pdf [--standard x1a|x4] [--tac PERCENT]\n"
        "       rotative serve EDITION.yaml [--listen ADDR:PORT] [--admin-token-file FILE]\n"
        "                      [--rate N]\n"
        "       rotative --help | --version\n"
        "\n"
        "  build   typeset an edition into a PDF (default OUT: the edition's folder\n"
        "          name + .pdf in the current directory)\n"
        "  check   validate the edition, its layout, articles and messages and\n"
        "          report every problem, without writing a PDF\n"
        "  flatplan  every page as a thumbnail in reading spreads (1, 2-3, ...), article\n"
        "          blocks tinted by section and titled, message pages marked\n"
        "  watch   build, then rebuild whenever a file of the edition changes; a broken\n"
        "          input keeps the last good PDF\n"
        "  intake  supporter messages: check files (limits, payment, fit in the box),\n"
        "          make a proof for the supporter, or report a folder with totals\n"
        "  serve   the supporters' web form: rate card, live proof, submissions\n"
        "          checked like intake check and filed as pending messages in the\n"
        "          edition's messages folder; /admin for the editor (README.md)\n"
        "  preflight  check any PDF against PDF/X-1a (default) or PDF/X-4: version,\n"
        "          Info/XMP, output intent, boxes, fonts, colour spaces, transparency,\n"
        "          total ink (default limit " RT_STR(
            RT_INK_LIMIT) "%), image resolution\n"
                          "\n"
                          "  -o FILE   output PDF\n"
                          "  --allow-overset  text that does not fit the pages is a warning (it "
                          "is\n"
                          "            left out, and the report says how much); by default an "
                          "error\n"
                          "  --marks   print variant: bleed, crop marks and a slug line outside "
                          "the trim\n"
                          "  --pdfx S  x1a (default: PDF/X-1a:2001), x4 (PDF/X-4) or none (CMYK, "
                          "boxes,\n"
                          "            no PDF/X keys)\n"
                          "  --split DIR  one PDF per page in DIR: <paper>-<number>-p01.pdf, ...\n"
                          "  --stats   print typographic statistics per article (space ratios, "
                          "hyphens,\n"
                          "            widows and orphans) to standard output\n"
                          "  --quiet   only errors on standard error: no report, warnings or "
                          "notes\n"
                          "  --report FILE.json  everything per page, article and message, and "
                          "every\n"
                          "            diagnostic, as JSON (schema in README.md); written even on "
                          "failure\n"
                          "  --png DIR one preview PNG per page in DIR: <paper>-<number>-p01.png, "
                          "...\n"
                          "  --dpi N   resolution of --png previews (default 100) and flatplans "
                          "(144)\n"
                          "  --cache DIR  keep converted images in DIR between builds (default:\n"
                          "            $XDG_CACHE_HOME/rotative, else ~/.cache/rotative)\n"
                          "  --cache-size MB  bound on the cache (default 256); the least "
                          "recently\n"
                          "            used images go first\n"
                          "  --no-cache  convert every image again, keep nothing\n"
                          "  --jobs N  threads converting images, and rendering --split pages\n"
                          "            (default: one per processor; 1: none beside the main one,\n"
                          "            the images after the pages)\n"
                          "  --builds N  watch: stop after N builds\n"
                          "  --listen ADDR:PORT  serve: where to listen (default 127.0.0.1:8080; "
                          "port 0:\n"
                          "            any free port, printed)\n"
                          "  --admin-token-file FILE  serve: /admin needs 'Authorization: Bearer' "
                          "and\n"
                          "            the token in FILE (without it, /admin is closed)\n"
                          "  --rate N  serve: requests a minute per client (default 60)\n"
                          "  --edition FILE  intake: the edition the messages are for (its "
                          "layout and\n"
                          "            language); by default the issue.yaml above them that "
                          "names their\n"
                          "            folder, else --layout (default tabloid)\n"
                          "\n"
                          "Exit status: 0 success, 1 errors in the input, 2 usage or I/O error.\n",
        f);
}

/* The folder holding layouts/ and fonts/ ($ROTATIVE_DATA, else beside the
 * program or installed); NULL after saying so. */
static char *find_data(const char *argv0) {
    char *data = rt_find_data_dir(getenv("ROTATIVE_DATA"), argv0);
    if (!data)
        fputs("rotative: cannot find the layouts/ and fonts/ folders "
              "(set ROTATIVE_DATA to the folder holding them)\n",
              stderr);
    return data;
}

static int preflight_main(int argc, char **argv) {
    const char *file = NULL;
    rt_pdfx_standard std = RT_PDFX_1A;
    double tac = RT_INK_LIMIT;
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

static int serve_main(int argc, char **argv) {
    rt_serve_opts o = {0};
    o.hyphen_dir = getenv("ROTATIVE_HYPHEN_DIR");
    o.tmp_dir = getenv("TMPDIR");
    o.log = stderr;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        if (strcmp(a, "--listen") == 0 && has_val)
            o.listen = argv[++i];
        else if (strcmp(a, "--admin-token-file") == 0 && has_val)
            o.admin_token_file = argv[++i];
        else if (strcmp(a, "--rate") == 0 && has_val) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 100000) {
                fprintf(stderr, "rotative: --rate takes a number of requests a minute (1 to "
                                "100000)\n");
                return 2;
            }
            o.rate = (int)n;
        } else if (a[0] == '-') {
            fprintf(stderr, "rotative: unknown option '%s' for serve\n", a);
            return 2;
        } else if (!o.edition)
            o.edition = a;
        else {
            fprintf(stderr, "rotative: one edition file at a time ('%s')\n", a);
            return 2;
        }
    }
    if (!o.edition) {
        fputs("rotative: serve needs an edition file\n", stderr);
        return 2;
    }
    if (!rt_file_exists(o.edition)) {
        fprintf(stderr, "%s: error: cannot read the edition file\n", o.edition);
        return 2;
    }
    char *data = find_data(argv[0]);
    if (!data)
        return 2;
    o.data_dir = data;
    int status = rt_serve(&o);
    free(data);
    return status;
}

static int intake_main(int argc, char **argv) {
    if (argc < 3) {
        fputs("rotative: intake needs check, proof or report\n", stderr);
        return 2;
    }
    const char *sub = argv[2];
    bool check = strcmp(sub, "check") == 0, proof = strcmp(sub, "proof") == 0,
         report = strcmp(sub, "report") == 0;
    if (!check && !proof && !report) {
        fprintf(stderr, "rotative: unknown intake command '%s' (check, proof or report)\n", sub);
        return 2;
    }
    rt_intake_opts o = {.hyphen_dir = getenv("ROTATIVE_HYPHEN_DIR")};
    const char *output = NULL;
    bool csv = false;
    double dpi = 0;
    char **files = calloc((size_t)argc, sizeof *files);
    int n_files = 0;
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        if (strcmp(a, "--layout") == 0 && has_val)
            o.layout = argv[++i];
        else if (strcmp(a, "--edition") == 0 && has_val)
            o.edition = argv[++i];
        else if (strcmp(a, "--lang") == 0 && has_val)
            o.lang = argv[++i];
        else if (strcmp(a, "-o") == 0 && has_val && proof)
            output = argv[++i];
        else if (strcmp(a, "--dpi") == 0 && has_val && proof) {
            char *end;
            dpi = strtod(argv[++i], &end);
            if (*end || !(dpi >= 10 && dpi <= 1200)) {
                fprintf(stderr, "rotative: --dpi takes a number from 10 to 1200\n");
                free(files);
                return 2;
            }
        } else if (strcmp(a, "--csv") == 0 && report)
            csv = true;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "rotative: unknown option '%s' for intake %s\n", a, sub);
            free(files);
            return 2;
        } else
            files[n_files++] = argv[i];
    }
    int status = 2;
    if (n_files == 0 || ((proof || report) && n_files != 1))
        fprintf(stderr, "rotative: intake %s needs %s\n", sub,
                check   ? "message files or folders"
                : proof ? "one message file"
                        : "one folder");
    else if (proof && !output)
        fputs("rotative: intake proof needs -o PROOF.pdf or PROOF.png\n", stderr);
    else {
        char *data = find_data(argv[0]);
        if (data) {
            o.data_dir = data;
            rt_diag d;
            rt_diag_init(&d, stderr);
            status = check   ? rt_intake_check(files, n_files, &o, stdout, &d)
                     : proof ? rt_intake_proof(files[0], output, dpi, &o, &d)
                             : rt_intake_report(files[0], csv, &o, stdout, &d);
            if (d.errors)
                fprintf(stderr, "%d error%s\n", d.errors, d.errors == 1 ? "" : "s");
            else if (proof && status == 0)
                fprintf(stderr, "wrote %s\n", output);
            rt_diag_clear(&d);
            free(data);
        }
    }
    free(files);
    return status;
}

int main(int argc, char **argv) {
    /* Page draw lists, shaped paragraphs and image buffers are large and
     * short-lived: a fixed mmap threshold gives them back to the system when
     * freed (glibc raises it as blocks are freed, so later ones would stay
     * in the heap), which keeps a large edition's peak memory down. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
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
    if (strcmp(cmd, "intake") == 0)
        return intake_main(argc, argv);
    if (strcmp(cmd, "serve") == 0)
        return serve_main(argc, argv);
    bool build = strcmp(cmd, "build") == 0, check = strcmp(cmd, "check") == 0;
    bool flatplan = strcmp(cmd, "flatplan") == 0, watch = strcmp(cmd, "watch") == 0;
    if (!build && !check && !flatplan && !watch) {
        fprintf(stderr, "rotative: unknown command '%s'\n", cmd);
        usage(stderr);
        return 2;
    }
    bool writes = build || watch; /* the options of `build` */
    const char *edition = NULL, *output = NULL, *json = NULL, *png = NULL;
    bool quiet = false, stats = false, marks = false, allow_overset = false;
    int pdfx = 1; /* RT_PDFX_1A */
    double dpi = 0;
    int max_builds = 0;
    const char *split = NULL;
    const char *cache_dir = NULL;
    bool no_cache = false;
    int jobs = 0;
    double cache_mb = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDS(what)                                                                                \
    do {                                                                                           \
        if (!val) {                                                                                \
            fprintf(stderr, "rotative: %s needs %s\n", a, what);                                   \
            return 2;                                                                              \
        }                                                                                          \
        i++;                                                                                       \
    } while (0)
        if (strcmp(a, "-o") == 0 && (writes || flatplan)) {
            NEEDS("a file name");
            output = val;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = true;
        } else if (strcmp(a, "--stats") == 0 && !flatplan) {
            stats = true;
        } else if (strcmp(a, "--allow-overset") == 0 && !flatplan) {
            allow_overset = true;
        } else if (strcmp(a, "--marks") == 0 && writes) {
            marks = true;
        } else if (strcmp(a, "--split") == 0 && writes) {
            NEEDS("a folder");
            split = val;
        } else if (strcmp(a, "--report") == 0 && !flatplan) {
            NEEDS("a file name");
            json = val;
        } else if (strcmp(a, "--png") == 0 && writes) {
            NEEDS("a folder");
            png = val;
        } else if (strcmp(a, "--dpi") == 0 && (writes || flatplan)) {
            NEEDS("a number");
            char *end;
            dpi = strtod(val, &end);
            if (*end || !(dpi >= 10 && dpi <= 1200)) {
                fprintf(stderr, "rotative: --dpi takes a number from 10 to 1200, not '%s'\n", val);
                return 2;
            }
        } else if (strcmp(a, "--cache") == 0 && writes) {
            NEEDS("a folder");
            cache_dir = val;
        } else if (strcmp(a, "--cache-size") == 0 && writes) {
            NEEDS("a size in MB");
            char *end;
            cache_mb = strtod(val, &end);
            if (*end || !(cache_mb > 0 && cache_mb <= 1e6)) {
                fprintf(stderr, "rotative: --cache-size takes a size in MB (above 0), not '%s'\n",
                        val);
                return 2;
            }
        } else if (strcmp(a, "--no-cache") == 0 && writes) {
            no_cache = true;
        } else if (strcmp(a, "--jobs") == 0 && writes) {
            NEEDS("a number");
            char *end;
            long n = strtol(val, &end, 10);
            if (*end || n < 1 || n > 64) {
                fprintf(stderr, "rotative: --jobs takes a number from 1 to 64, not '%s'\n", val);
                return 2;
            }
            jobs = (int)n;
        } else if (strcmp(a, "--builds") == 0 && watch) {
            NEEDS("a number");
            max_builds = atoi(val);
            if (max_builds < 1) {
                fprintf(stderr, "rotative: --builds takes a positive number, not '%s'\n", val);
                return 2;
            }
        } else if (strcmp(a, "--pdfx") == 0 && writes) {
            NEEDS("x1a, x4 or none");
            if (strcmp(val, "x1a") == 0)
                pdfx = 1;
            else if (strcmp(val, "x4") == 0)
                pdfx = 2;
            else if (strcmp(val, "none") == 0)
                pdfx = 0;
            else {
                fprintf(stderr, "rotative: --pdfx takes x1a, x4 or none, not '%s'\n", val);
                return 2;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "rotative: unknown option '%s' for %s\n", a, cmd);
            usage(stderr);
            return 2;
        } else if (!edition) {
            edition = a;
        } else {
            fprintf(stderr, "rotative: one edition file at a time ('%s')\n", a);
            return 2;
        }
#undef NEEDS
    }
    if (!edition) {
        fputs("rotative: no edition file given\n", stderr);
        usage(stderr);
        return 2;
    }
    if (flatplan && !output) {
        fputs("rotative: flatplan needs -o FILE.png or FILE.pdf\n", stderr);
        return 2;
    }
    char *data = find_data(argv[0]);
    if (!data)
        return 2;
    char *default_out = NULL;
    if (writes && !output && !split) {
        char *dir = rt_path_dir(edition);
        const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
        default_out = rt_xasprintf("%s.pdf", strcmp(base, ".") ? base : "edition");
        output = default_out;
        free(dir);
    }
    /* the image cache: --cache, else $XDG_CACHE_HOME/rotative, else
     * ~/.cache/rotative (none without a home) */
    char *cache_default = NULL;
    if (!cache_dir && !no_cache) {
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        if (xdg && xdg[0] == '/')
            cache_dir = cache_default = rt_path_join(xdg, "rotative");
        else if (home && home[0] == '/')
            cache_dir = cache_default = rt_xasprintf("%s/.cache/rotative", home);
    }
    rt_image_cache image_cache = {.dir = cache_dir, .max_bytes = (long long)(cache_mb * (1 << 20))};
    rt_build_opts o = {.data_dir = data,
                       .hyphen_dir = getenv("ROTATIVE_HYPHEN_DIR"),
                       .output = writes ? output : NULL,
                       .report = quiet ? NULL : stderr,
                       .stats = stats ? stdout : NULL,
                       .marks = marks,
                       .pdfx = pdfx,
                       .jobs = jobs,
                       .split_dir = split,
                       .json = json,
                       .png_dir = png,
                       .dpi = dpi,
                       .flatplan = flatplan ? output : NULL,
                       .allow_overset = allow_overset,
                       .plan_debug = getenv("RT_PLAN_DEBUG") != NULL,
                       .source_date_epoch = getenv("SOURCE_DATE_EPOCH"),
                       .fault = getenv("ROTATIVE_FAULT"),
                       .image_cache = writes && cache_dir && !no_cache ? &image_cache : NULL};
    int status;
    if (watch) {
        status = rt_watch_edition(edition, &o, max_builds, stderr);
    } else {
        rt_diag d;
        rt_diag_init(&d, stderr);
        d.keep = json != NULL;
        d.errors_only = quiet;
        status = rt_build_edition(edition, &o, &d);
        if (d.errors)
            fprintf(stderr, "%d error%s\n", d.errors, d.errors == 1 ? "" : "s");
        else if (status == 0 && !quiet && (build || flatplan))
            fprintf(stderr, "wrote %s\n", split ? split : output);
        rt_diag_clear(&d);
    }
    free(default_out);
    free(cache_default);
    free(data);
    return status;
}
