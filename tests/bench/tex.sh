#!/usr/bin/env bash
# tex.sh EDITION_DIR OUT.tex
# The benchmark edition's article text as a LaTeX document for the pdflatex
# reference: same trim and margins as layouts/tabloid.yaml, five columns
# (multicol), 9/11 pt, French hyphenation (babel), microtype (protrusion and
# expansion). Headlines as sections; images and messages are left out, so
# pdflatex does less work than rotative.
set -euo pipefail
ed=$1 out=$2
esc() { sed -e 's/\\/\\textbackslash{}/g' -e 's/[{}$&#_%]/\\&/g' -e 's/\^/\\^{}/g' -e 's/~/\\~{}/g' \
            -e 's/\*\*\([^*]*\)\*\*/\\textbf{\1}/g' -e 's/\*\([^*]*\)\*/\\emph{\1}/g' \
            -e 's/^## \(.*\)/\\subsection*{\1}/' -e 's/^> //' -e 's/^[-*] //' -e 's/\\\\textbackslash{}{}/\\textbackslash{}/g'; }
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
    title=$(awk -F'"' '/^title:/{print $2; exit}' "$ed/$f")
    printf '\\section*{%s}\n' "$(printf '%s' "$title" | esc)"
    awk '/^---$/{f++; next} f>=2' "$ed/$f" | esc
  done
  printf '\\end{multicols}\n\\end{document}\n'
} > "$out"
