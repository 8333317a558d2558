/** Minimal HTML for the sandbox's own pages: everything interpolated goes through `escapeHtml`. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => {
    switch (char) {
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      default: return '&#39;';
    }
  });
}

/** Marks a string as already-safe HTML (built from escaped parts). */
export interface SafeHtml {
  readonly html: string;
}

export function raw(html: string): SafeHtml {
  return { html };
}

/** Tagged template: interpolated strings are escaped, SafeHtml values and arrays of them are inserted as is. */
export function html(strings: TemplateStringsArray, ...values: Array<string | number | SafeHtml | readonly SafeHtml[]>): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    if (Array.isArray(value)) out += (value as readonly SafeHtml[]).map((item) => item.html).join('');
    else if (typeof value === 'object') out += (value as SafeHtml).html;
    else out += escapeHtml(String(value));
    out += strings[index + 1] ?? '';
  });
  return { html: out };
}

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1c1e21; }
  main { max-width: 36rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px;
         box-shadow: 0 1px 3px rgba(0,0,0,.15); }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input, select { font: inherit; padding: .5rem; width: 100%; box-sizing: border-box; margin-top: .25rem; }
  input[type=checkbox] { width: auto; }
  button { font: inherit; margin-top: 1.5rem; padding: .6rem 1.2rem; background: #0b5cad; color: #fff; border: 0;
           border-radius: 4px; cursor: pointer; }
  button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
  .error { color: #a4000f; background: #fde8ea; padding: .75rem; border-radius: 4px; }
  .note { color: #4a4f57; font-size: .9rem; }
  code { background: #eef0f3; padding: 0 .25rem; }
`;

export function page(title: string, body: SafeHtml): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body.html}</main></body></html>`;
}
