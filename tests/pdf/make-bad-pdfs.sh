#!/usr/bin/env bash
# Writes small crafted PDFs into DIR for the preflight tests: one that passes
# PDF/X-1a, and one per fault. Each is written by hand, then `qpdf` rebuilds
# its cross-reference table and gives it a deterministic /ID.
#   usage: make-bad-pdfs.sh DIR
set -euo pipefail
out=$1
mkdir -p "$out"

# pdf NAME CONTENT [EXTRA-PAGE-KEYS] [EXTRA-RESOURCES] [VERSION]
pdf() {
  local name=$1 content=$2 pagekeys=${3:-"/TrimBox [10 10 200 290] /BleedBox [5 5 205 295]"}
  local res=${4:-} ver=${5:-1.3}
  local len=${#content}
  cat > "$out/$name.raw.pdf" <<PDF
%PDF-$ver
1 0 obj << /Type /Catalog /Pages 2 0 R /OutputIntents [4 0 R] >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 210 300] $pagekeys /Contents 5 0 R /Resources << $res >> >> endobj
4 0 obj << /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (IFRA26) /RegistryName (http://www.color.org) >> endobj
5 0 obj << /Length $len >> stream
$content
endstream endobj
6 0 obj << /Title (test) /CreationDate (D:20260501000000Z) /ModDate (D:20260501000000Z) /Trapped /False /GTS_PDFXVersion (PDF/X-1:2001) /GTS_PDFXConformance (PDF/X-1a:2001) >> endobj
trailer << /Size 7 /Root 1 0 R /Info 6 0 R >>
%%EOF
PDF
  # qpdf exits 3 (warnings) because the raw file has no xref table: expected
  qpdf --deterministic-id --force-version="$ver" "$out/$name.raw.pdf" "$out/$name.pdf" 2>/dev/null || [ $? = 3 ]
  rm -f "$out/$name.raw.pdf"
}

pdf good "0 0 0 1 k 20 20 100 100 re f"
pdf rgb-text "1 0 0 rg BT /F1 12 Tf 20 20 Td ET 20 20 100 100 re f"
pdf no-trimbox "0 0 0 1 k 20 20 100 100 re f" "/BleedBox [5 5 205 295]"
pdf font-not-embedded "0 0 0 1 k BT /F1 12 Tf 20 20 Td (Hi) Tj ET" "" \
  "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>"
pdf transparency "/G1 gs 0 0 0 1 k 20 20 100 100 re f" "/TrimBox [10 10 200 290] /BleedBox [5 5 205 295]" \
  "/ExtGState << /G1 << /Type /ExtGState /ca 0.5 >> >>" 1.4
pdf ink-over-limit "1 1 1 1 k 20 20 100 100 re f"
