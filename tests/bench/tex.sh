#!/usr/bin/env bash
# tex.sh EDITION_DIR OUT.tex
# The benchmark edition's article text as a LaTeX document for the pdflatex
# reference: same trim and margins as layouts/tabloid.yaml, five columns
# (multicol), 9/11 pt, French hyphenation (babel), microtype (protrusion and
# expansion). The same structure as rotative sets: kicker, headline,
# standfirst and byline of each article, its subheads (## ...), pull quotes
# (> ...), lists, bold and italics. Images and messages are left out, so
# pdflatex does less work than rotative.
set -euo pipefail
ed=$1 out=$2
# Markdown (the subset the articles use) to LaTeX. Block structure is read
# before any character is escaped: "## " must be seen before '#' becomes \#.
conv() {
  awk -v mode="$1" '
    function esc(s,   r, i, c) {
      r = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\") r = r "\\textbackslash{}"
        else if (c ~ /[{}$&#_%]/) r = r "\\" c
        else if (c == "^") r = r "\\^{}"
        else if (c == "~") r = r "\\~{}"
        else r = r c
      }
      # inline emphasis after escaping (* and ** are not special to LaTeX)
      while (match(r, /\*\*[^*]+\*\*/)) r = substr(r, 1, RSTART - 1) "\\textbf{" substr(r, RSTART + 2, RLENGTH - 4) "}" substr(r, RSTART + RLENGTH)
      while (match(r, /\*[^*]+\*/)) r = substr(r, 1, RSTART - 1) "\\emph{" substr(r, RSTART + 1, RLENGTH - 2) "}" substr(r, RSTART + RLENGTH)
      return r
    }
    function close_env() { if (env != "") { print "\\end{" env "}"; env = "" } }
    function open_env(e) { if (env != e) { close_env(); print "\\begin{" e "}"; env = e } }
    mode == "inline" { print esc($0); next }
    /^## / { close_env(); print "\\subsection*{" esc(substr($0, 4)) "}"; next }
    /^# / { close_env(); print "\\subsection*{" esc(substr($0, 3)) "}"; next }
    /^> ?/ { open_env("quote"); sub(/^> ?/, ""); print "\\itshape " esc($0); next }
    /^[-*] / { open_env("itemize"); print "\\item " esc(substr($0, 3)); next }
    /^[0-9]+\. / { open_env("enumerate"); sub(/^[0-9]+\. /, ""); print "\\item " esc($0); next }
    /^$/ { close_env(); print ""; next }
    { if (env == "itemize" || env == "enumerate") print esc($0); else { close_env(); print esc($0) } }
    END { close_env() }'
}
# a front-matter string field: key: "value" (YAML \" unescaped)
field() { sed -n "s/^$1: *\"\(.*\)\" *$/\1/p" "$2" | head -1 | sed 's/\\"/"/g'; }
{
  cat <<'TEX'
\documentclass[9pt]{extarticle}
\usepackage[utf8]{inputenc}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage[french]{babel}
\usepackage[paperwidth=289mm,paperheight=380mm,top=17mm,bottom=15mm,inner=12mm,outer=12mm]{geometry}
\usepackage{multicol}
\usepackage[protrusion=true,expansion=true]{microtype}
\setlength{\columnsep}{4mm}
\linespread{1.1}
\pagestyle{plain}
\begin{document}
\begin{multicols}{5}
TEX
  for f in $(awk '/^  - articles\//{print $2}' "$ed/issue.yaml"); do
    a="$ed/$f"
    kicker=$(field kicker "$a") title=$(field title "$a")
    standfirst=$(field standfirst "$a") byline=$(field byline "$a")
    [ -n "$kicker" ] && printf '\\noindent\\textsc{%s}\n' "$(printf '%s\n' "$kicker" | conv inline)"
    printf '\\section*{%s}\n' "$(printf '%s\n' "$title" | conv inline)"
    [ -n "$standfirst" ] && printf '\\noindent\\textbf{%s}\\par\n' "$(printf '%s\n' "$standfirst" | conv inline)"
    [ -n "$byline" ] && printf '\\noindent\\emph{%s}\\par\\medskip\n' "$(printf '%s\n' "$byline" | conv inline)"
    awk '/^---$/{f++; next} f>=2' "$a" | conv body
  done
  printf '\\end{multicols}\n\\end{document}\n'
} > "$out"
