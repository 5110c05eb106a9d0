// Saves text as a file through a Blob URL (never a data: URL built from strings,
// never HTML). The widget iframe's sandbox has allow-downloads.

export function downloadText(doc: Document, text: string, filename: string): void {
  const blob = new Blob([text], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const anchor = doc.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.rel = 'noopener';
  anchor.hidden = true;
  doc.body.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove();
    // Let the download start before the URL goes away.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
