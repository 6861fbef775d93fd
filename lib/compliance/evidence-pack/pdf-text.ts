// The PDF uses the standard Helvetica font (nothing to embed, nothing read from disk), whose
// encoding (WinAnsi) covers Latin-1 and a few typographic marks. Other characters are written as
// their base letter where Unicode gives one (é → e), else "?"; the CSV and JSON keep the exact text.

const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

function encodable(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char) || char === "\n";
}

export function pdfText(text: string): string {
  let out = "";
  for (const char of text) {
    if (encodable(char)) {
      out += char;
      continue;
    }
    const base = char.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    out += base && [...base].every(encodable) ? base : "?";
  }
  return out;
}
