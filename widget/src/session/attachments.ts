// Which files the visitor may send, and with which MIME type. Pure.
//
// Browsers and operating systems disagree about MIME types (an .mp3 is
// "audio/mpeg", "audio/mp3", "audio/mpga" or "" depending on who you ask), so
// the decision is made on the extension, the browser's type is only checked to
// belong to that extension's family, and the upload always uses the canonical
// type for the extension. That is how an mp3 is never refused as "mpga".

export interface AttachmentPolicy {
  enabled: boolean;
  /** Bytes per file. Twilio Flex web chat: 16 MB. */
  maxFileSize: number;
  /** Files per message. Twilio Flex web chat: 1. */
  maxFiles: number;
  /** Lower-case extensions without the dot. */
  extensions: readonly string[];
}

/** Canonical MIME type first, then aliases seen in the wild. */
export const mimeTypesByExtension: Readonly<Record<string, readonly string[]>> = {
  jpg: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  jpeg: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  png: ['image/png', 'image/x-png'],
  gif: ['image/gif'],
  heic: ['image/heic', 'image/heif', 'image/heic-sequence'],
  amr: ['audio/amr', 'audio/amr-wb', 'audio/3gpp'],
  mp3: ['audio/mpeg', 'audio/mp3', 'audio/mpga', 'audio/mpeg3', 'audio/x-mpeg', 'audio/x-mpeg-3', 'audio/x-mp3'],
  mp4: ['video/mp4', 'audio/mp4', 'application/mp4'],
  pdf: ['application/pdf', 'application/x-pdf'],
  txt: ['text/plain'],
};

export const defaultAttachmentPolicy: AttachmentPolicy = {
  enabled: true,
  maxFileSize: 16 * 1024 * 1024,
  maxFiles: 1,
  extensions: ['jpg', 'jpeg', 'png', 'amr', 'mp3', 'mp4', 'pdf', 'heic', 'txt', 'gif'],
};

/** Browsers label files they cannot identify with these; they say nothing either way. */
const unknownTypes = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 && dot < filename.length - 1 ? filename.slice(dot + 1).toLowerCase() : '';
}

/** The MIME type to upload a file with, from its extension; null if the extension is unknown. */
export function canonicalType(filename: string): string | null {
  return mimeTypesByExtension[extensionOf(filename)]?.[0] ?? null;
}

export type AttachmentProblem =
  | { kind: 'disabled' }
  | { kind: 'too-many'; max: number }
  | { kind: 'too-large'; filename: string; maxBytes: number }
  | { kind: 'empty'; filename: string }
  | { kind: 'type'; filename: string; allowed: readonly string[] };

export interface FileLike {
  name: string;
  size: number;
  type: string;
}

export interface CheckedFile<F extends FileLike> {
  file: F;
  /** Canonical MIME type to send. */
  contentType: string;
}

export function checkFile<F extends FileLike>(file: F, policy: AttachmentPolicy): CheckedFile<F> | AttachmentProblem {
  if (!policy.enabled) return { kind: 'disabled' };
  const extension = extensionOf(file.name);
  const allowed = policy.extensions.map((e) => e.toLowerCase());
  const types = mimeTypesByExtension[extension];
  if (!allowed.includes(extension) || !types) return { kind: 'type', filename: file.name, allowed };
  const reported = file.type.toLowerCase().split(';')[0]!.trim();
  // A file named .pdf that the browser knows to be an image is not a PDF.
  if (!unknownTypes.has(reported) && !types.includes(reported)) return { kind: 'type', filename: file.name, allowed };
  if (file.size === 0) return { kind: 'empty', filename: file.name };
  if (file.size > policy.maxFileSize) return { kind: 'too-large', filename: file.name, maxBytes: policy.maxFileSize };
  return { file, contentType: types[0]! };
}

/** Checks a selection (picker, drop or paste) against the policy, the count included. */
export function checkFiles<F extends FileLike>(
  files: readonly F[],
  policy: AttachmentPolicy,
  alreadyChosen = 0,
): { accepted: CheckedFile<F>[]; problems: AttachmentProblem[] } {
  if (!policy.enabled) return { accepted: [], problems: files.length > 0 ? [{ kind: 'disabled' }] : [] };
  const accepted: CheckedFile<F>[] = [];
  const problems: AttachmentProblem[] = [];
  for (const file of files) {
    const checked = checkFile(file, policy);
    if ('kind' in checked) problems.push(checked);
    else if (alreadyChosen + accepted.length >= policy.maxFiles) {
      if (!problems.some((p) => p.kind === 'too-many')) problems.push({ kind: 'too-many', max: policy.maxFiles });
    } else accepted.push(checked);
  }
  return { accepted, problems };
}

/** The `accept` attribute for a file input: extensions and their MIME types. */
export function acceptAttribute(policy: AttachmentPolicy): string {
  const parts = new Set<string>();
  for (const extension of policy.extensions) {
    parts.add(`.${extension.toLowerCase()}`);
    for (const type of mimeTypesByExtension[extension.toLowerCase()] ?? []) parts.add(type);
  }
  return [...parts].join(',');
}

export function isImage(contentType: string): boolean {
  return /^image\/(jpeg|png|gif)$/.test(contentType); // browsers can show these; HEIC mostly cannot
}

/** "1.2 MB", "340 KB", "12 B", in the visitor's locale. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  let number: string;
  try {
    number = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 || value >= 10 ? 0 : 1 }).format(value);
  } catch {
    number = String(Math.round(value * 10) / 10);
  }
  return `${number} ${units[unit]}`;
}
