import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/**
 * The text of each page of a PDF, extracted by pdf.js (Mozilla's reader, from npm: no poppler
 * or other system package). pdf.js is ES-module only, which jest's CommonJS runtime cannot
 * load before Node 24.9, so it runs in a child Node process that reads the PDF on stdin and
 * prints the pages as JSON. The text comes from the fonts' ToUnicode maps, the same a reader
 * uses for search and copy, so it proves the glyphs are mapped back to the right characters.
 */
export function pdfText(pdf: Buffer): Promise<{ pages: string[]; info: Record<string, unknown> }> {
  const pdfjs = pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href;
  const script = `
    import { getDocument } from ${JSON.stringify(pdfjs)};
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    const data = new Uint8Array(Buffer.concat(chunks));
    const pdf = await getDocument({ data, verbosity: 0, isEvalSupported: false, disableFontFace: true }).promise;
    const pages = [];
    for (let i = 1; i <= pdf.numPages; i++) {
      const content = await (await pdf.getPage(i)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\\n' : '') : '')).join(''));
    }
    const { info } = await pdf.getMetadata();
    process.stdout.write(JSON.stringify({ pages, info }));
  `;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`pdf.js failed: ${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout) as { pages: string[]; info: Record<string, unknown> });
      },
    );
    child.stdin!.end(pdf);
  });
}
