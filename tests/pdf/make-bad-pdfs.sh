#!/usr/bin/env bash
# Writes small crafted PDFs into DIR for the preflight tests: one that passes
# PDF/X-1a, and one per fault. Each is written by hand, then `qpdf` rebuilds
# its cross-reference table and gives it a deterministic /ID.
#   usage: make-bad-pdfs.sh DIR
set -euo pipefail
out=$1
mkdir -p "$out"

# pdf NAME CONTENT [EXTRA-PAGE-KEYS] [EXTRA-RESOURCES] [VERSION] [MEDIABOX] [OBJECT-7]
pdf() {
  local name=$1 content=$2 pagekeys=${3:-"/TrimBox [10 10 200 290] /BleedBox [5 5 205 295]"}
  local res=${4:-} ver=${5:-1.3} media=${6:-"0 0 210 300"} obj7=${7:-}
  local len=${#content}
  cat > "$out/$name.raw.pdf" <<PDF
%PDF-$ver
1 0 obj << /Type /Catalog /Pages 2 0 R /OutputIntents [4 0 R] >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [$media] $pagekeys /Contents 5 0 R /Resources << $res >> >> endobj
4 0 obj << /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier (IFRA26) /RegistryName (http://www.color.org) >> endobj
5 0 obj << /Length $len >> stream
$content
endstream endobj
6 0 obj << /Title (test) /CreationDate (D:20260501000000Z) /ModDate (D:20260501000000Z) /Trapped /False /GTS_PDFXVersion (PDF/X-1:2001) /GTS_PDFXConformance (PDF/X-1a:2001) >> endobj
${obj7:+7 0 obj $obj7 endobj}
trailer << /Size 8 /Root 1 0 R /Info 6 0 R >>
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
# boxes larger than their parent by a few millionths of a point (what
# rotative wrote before: a MediaBox to six decimals, the others to four)
pdf box-overhang "0 0 0 1 k 20 20 100 100 re f" \
  "/TrimBox [0 0 819.2126 1077.1654] /BleedBox [0 0 819.2126 1077.1654]" "" 1.3 \
  "0 0 819.212598 1077.165354"
# a page group blending in RGB (Cairo's page groups), in a PDF/X-4 file
pdf rgb-group "0 0 0 1 k 20 20 100 100 re f" \
  "/TrimBox [10 10 200 290] /BleedBox [5 5 205 295] /Group << /Type /Group /S /Transparency /CS /DeviceRGB /I true >>" \
  "" 1.6
# an image asking to be interpolated
pdf interpolate "q 100 0 0 100 20 20 cm /Im1 Do Q" "" "/XObject << /Im1 7 0 R >>" 1.3 "" \
  "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Interpolate true /Length 1 >> stream
x
endstream"
