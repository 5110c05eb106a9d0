import { createHmac, timingSafeEqual } from 'node:crypto';
import { newSid } from '../ids.ts';
import type { TwilioErrorCode } from '../twilio-errors.ts';

// Media Content Service (MCS): uploaded files, their metadata records and
// short-lived signed download URLs, with Flex's web-chat attachment limits.

export interface MediaRecord {
  sid: string;
  serviceSid: string;
  contentType: string;
  filename: string | null;
  size: number;
  author: string;
  category: string;
  dateCreated: string;
  conversationSid: string | null;
  messageSid: string | null;
  bytes: Buffer;
}

/** Flex web address limits (https://www.twilio.com/docs/flex/developer/conversations/limits): one file per message, 16,777,216 bytes, these extensions. */
export const FLEX_WEB_ATTACHMENT_LIMITS = {
  maxBytes: 16 * 1024 * 1024,
  maxPerMessage: 1,
  extensions: ['jpg', 'jpeg', 'png', 'amr', 'mp3', 'mp4', 'pdf', 'heic', 'txt', 'gif'],
} as const;

const MIME_BY_EXTENSION: Record<string, string[]> = {
  jpg: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  jpeg: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  png: ['image/png'],
  gif: ['image/gif'],
  heic: ['image/heic', 'image/heif'],
  amr: ['audio/amr'],
  // Browsers and OSes disagree about mp3: accept every name it goes by.
  mp3: ['audio/mpeg', 'audio/mp3', 'audio/mpeg3', 'audio/x-mpeg-3', 'audio/mpga'],
  mp4: ['video/mp4', 'audio/mp4'],
  pdf: ['application/pdf'],
  txt: ['text/plain'],
};

export type MediaProblem = { status: number; code: TwilioErrorCode; message: string };

export function checkAttachment(contentType: string, filename: string | null, size: number): MediaProblem | undefined {
  if (size === 0) return { status: 400, code: 20001, message: 'Media is empty' };
  if (size > FLEX_WEB_ATTACHMENT_LIMITS.maxBytes) {
    return { status: 413, code: 50512, message: `Media is larger than ${FLEX_WEB_ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB` };
  }
  const baseType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const extension = filename?.includes('.') ? filename.split('.').pop()?.toLowerCase() : undefined;
  const allowedForExtension = extension ? MIME_BY_EXTENSION[extension] : undefined;
  if (extension !== undefined && !allowedForExtension) {
    return { status: 415, code: 50511, message: `Files of type .${extension} are not accepted; allowed: ${FLEX_WEB_ATTACHMENT_LIMITS.extensions.join(', ')}` };
  }
  const knownType = Object.values(MIME_BY_EXTENSION).some((types) => types.includes(baseType));
  if (!knownType || (allowedForExtension && !allowedForExtension.includes(baseType))) {
    return { status: 415, code: 50511, message: `Content type ${baseType || '(none)'} is not accepted for ${filename ?? 'this file'}` };
  }
  return undefined;
}

const TEMPORARY_URL_SECONDS = 300;

export class MediaStore {
  private readonly media = new Map<string, MediaRecord>();

  constructor(
    private readonly signingSecret: string,
    private readonly baseUrl: () => string,
  ) {}

  /** `serviceSid`: the Conversations service the upload belongs to (its users may see it once attached). */
  add(input: { serviceSid: string; contentType: string; filename: string | null; author: string; category: string; bytes: Buffer }): MediaRecord {
    const record: MediaRecord = {
      sid: newSid('ME'),
      serviceSid: input.serviceSid,
      contentType: input.contentType,
      filename: input.filename,
      size: input.bytes.length,
      author: input.author,
      category: input.category,
      dateCreated: new Date().toISOString(),
      conversationSid: null,
      messageSid: null,
      bytes: input.bytes,
    };
    this.media.set(record.sid, record);
    return record;
  }

  get(sid: string): MediaRecord | undefined {
    return this.media.get(sid);
  }

  clear(): void {
    this.media.clear();
  }

  /** Who may see a media item: its author, and once attached, the conversation's participants. */
  attach(sid: string, conversationSid: string, messageSid: string): void {
    const record = this.media.get(sid);
    if (record) Object.assign(record, { conversationSid, messageSid });
  }

  mediaUrl(sid: string): string {
    const record = this.media.get(sid);
    return `${this.baseUrl()}/mcs/v1/Services/${record?.serviceSid ?? 'unknown'}/Media/${sid}`;
  }

  temporaryUrl(sid: string, nowMs = Date.now()): string {
    const expires = Math.floor(nowMs / 1000) + TEMPORARY_URL_SECONDS;
    return `${this.mediaUrl(sid)}/Content?Expires=${expires}&Signature=${this.sign(sid, expires)}`;
  }

  verifyTemporaryUrl(sid: string, expires: string | null, signature: string | null, nowMs = Date.now()): boolean {
    if (!expires || !signature || !/^\d+$/.test(expires) || Number(expires) * 1000 < nowMs) return false;
    const expected = Buffer.from(this.sign(sid, Number(expires)));
    const actual = Buffer.from(signature);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  describe(record: MediaRecord): Record<string, unknown> {
    return {
      sid: record.sid,
      service_sid: record.serviceSid,
      channel_sid: record.conversationSid,
      message_sid: record.messageSid,
      date_created: record.dateCreated,
      date_upload_updated: record.dateCreated,
      date_updated: record.dateCreated,
      size: record.size,
      content_type: record.contentType,
      filename: record.filename,
      author: record.author,
      category: record.category,
      is_multipart_upstream: false,
      url: this.mediaUrl(record.sid),
      links: { content: `${this.mediaUrl(record.sid)}/Content`, content_direct_temporary: this.temporaryUrl(record.sid) },
    };
  }

  private sign(sid: string, expires: number): string {
    return createHmac('sha256', this.signingSecret).update(`${sid}:${expires}`).digest('base64url');
  }
}
