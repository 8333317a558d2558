/**
 * A small, dependency-free PDF 1.4 writer for text documents (statements, record summaries): Letter pages, the
 * standard Helvetica fonts (no embedding) in WinAnsiEncoding, so English and Spanish text (á, ñ, ¿, €…) print as
 * written; characters outside that encoding print as "?". Pure: lines in, bytes out. Pages break automatically.
 */

export interface PdfLine {
  readonly text: string;
  /** Points; default 10. */
  readonly size?: number;
  readonly bold?: boolean;
  /** Extra space before the line, in points. */
  readonly spaceBefore?: number;
  /** Text printed right-aligned at the right margin on the same line (an amount). */
  readonly right?: string;
}

export interface PdfDocument {
  readonly title: string;
  readonly lines: readonly PdfLine[];
}

const PAGE_WIDTH = 612;
const PAGE_HEIGHT = 792;
const MARGIN = 54;
const LEADING = 1.35;
/** Average Helvetica glyph width as a fraction of the size: used only to right-align and to wrap. */
const AVERAGE_WIDTH = 0.5;

/** Characters of WinAnsiEncoding outside Latin-1 (0x80–0x9F), by code point. */
const WIN_ANSI_EXTRA: Readonly<Record<number, number>> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02c6: 0x88,
  0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91, 0x2019: 0x92, 0x201c: 0x93,
  0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98, 0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b,
  0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

/** The text as a PDF literal string body in WinAnsiEncoding (octal escapes for everything beyond ASCII). */
export function pdfString(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0x3f;
    const byte = code >= 0x20 && code < 0x7f ? code : code >= 0xa0 && code <= 0xff ? code : (WIN_ANSI_EXTRA[code] ?? 0x3f);
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}

function wrap(text: string, size: number, width: number): string[] {
  const perLine = Math.max(10, Math.floor(width / (size * AVERAGE_WIDTH)));
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    if (current !== '' && current.length + 1 + word.length > perLine) {
      lines.push(current);
      current = '';
    }
    current = current === '' ? word : `${current} ${word}`;
  }
  lines.push(current);
  return lines;
}

function pageStreams(lines: readonly PdfLine[]): string[] {
  const pages: string[] = [];
  let ops: string[] = [];
  let y = PAGE_HEIGHT - MARGIN;
  for (const line of lines) {
    const size = line.size ?? 10;
    const font = line.bold ? 'F2' : 'F1';
    const rightWidth = line.right === undefined ? 0 : line.right.length * size * AVERAGE_WIDTH + 12;
    const wrapped = wrap(line.text, size, PAGE_WIDTH - 2 * MARGIN - rightWidth);
    y -= line.spaceBefore ?? 0;
    for (const [index, part] of wrapped.entries()) {
      y -= size * LEADING;
      if (y < MARGIN) {
        pages.push(ops.join('\n'));
        ops = [];
        y = PAGE_HEIGHT - MARGIN - size * LEADING;
      }
      ops.push(`BT /${font} ${size} Tf ${MARGIN} ${y.toFixed(2)} Td (${pdfString(part)}) Tj ET`);
      if (index === 0 && line.right !== undefined) {
        const x = PAGE_WIDTH - MARGIN - line.right.length * size * AVERAGE_WIDTH;
        ops.push(`BT /${font} ${size} Tf ${x.toFixed(2)} ${y.toFixed(2)} Td (${pdfString(line.right)}) Tj ET`);
      }
    }
  }
  pages.push(ops.join('\n'));
  return pages;
}

export function renderPdf(document: PdfDocument): Uint8Array {
  const streams = pageStreams(document.lines);
  // Objects: 1 catalog, 2 pages, 3 F1, 4 F2, 5 info, then (page, content) pairs.
  const objects: string[] = [];
  const pageIds = streams.map((_, index) => 6 + index * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>';
  objects[5] = `<< /Title (${pdfString(document.title)}) /Producer (Sprout) >>`;
  streams.forEach((stream, index) => {
    const pageId = 6 + index * 2;
    objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`;
  });
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id += 1) {
    offsets[id] = Buffer.byteLength(body, 'latin1');
    body += `${id} 0 obj\n${objects[id] ?? 'null'}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id += 1) body += `${String(offsets[id] ?? 0).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}
