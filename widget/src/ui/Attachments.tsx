// Files on messages: image previews, downloads of received files (through a
// short-lived URL from the SDK), and upload progress of the visitor's own.
import { useEffect, useState } from 'react';
import { formatBytes, isImage } from '../session/attachments.ts';
import type { AttachmentInfo, ChatMessage } from '../session/messages.ts';
import { format } from '../strings.ts';
import { useController, useSession, useStrings } from './session-context.ts';

/** A temporary URL for a received attachment, fetched when shown. */
function useMediaUrl(message: ChatMessage, attachment: AttachmentInfo, wanted: boolean): [string | null, () => void] {
  const controller = useController();
  const [url, setUrl] = useState<string | null>(attachment.previewUrl);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!wanted || attachment.previewUrl || !attachment.sid || !message.sid) return;
    let live = true;
    void controller.mediaUrl(message.sid, attachment.sid).then((found) => {
      if (live) setUrl(found);
    });
    return () => {
      live = false;
    };
  }, [controller, message.sid, attachment.sid, attachment.previewUrl, wanted, attempt]);
  // Temporary URLs expire: fetch a fresh one.
  return [url, () => setAttempt((n) => n + 1)];
}

function ImageAttachment({ message, attachment }: { message: ChatMessage; attachment: AttachmentInfo }) {
  const strings = useStrings();
  const [url, refresh] = useMediaUrl(message, attachment, true);
  const [retried, setRetried] = useState(false);
  const name = attachment.filename ?? strings.attachmentFallbackName;
  if (!url) return <FileAttachment message={message} attachment={attachment} />;
  return (
    <a className="fc-attachment fc-attachment--image" href={url} target="_blank" rel="noopener noreferrer" aria-label={format(strings.download, { name })}>
      <img
        src={url}
        alt={name}
        loading="lazy"
        decoding="async"
        onError={() => {
          if (retried) return;
          setRetried(true);
          refresh();
        }}
      />
    </a>
  );
}

function FileAttachment({ message, attachment }: { message: ChatMessage; attachment: AttachmentInfo }) {
  const controller = useController();
  const strings = useStrings();
  const locale = useSession((s) => s.locale);
  const [problem, setProblem] = useState(false);
  const name = attachment.filename ?? strings.attachmentFallbackName;
  const size = formatBytes(attachment.size, locale);
  const downloadable = attachment.sid !== null && message.sid !== null;

  const download = async () => {
    setProblem(false);
    const url = await controller.mediaUrl(message.sid!, attachment.sid!);
    if (!url) {
      setProblem(true);
      return;
    }
    // Cross-origin: the browser opens or saves it in a new tab (the sandbox allows popups and downloads).
    const opened = window.open(url, '_blank', 'noopener,noreferrer');
    if (opened === null) {
      // Popup blocked: fall back to a plain link click.
      const a = document.createElement('a');
      a.href = url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.click();
    }
  };

  return (
    <div className="fc-attachment fc-attachment--file">
      <svg className="fc-attachment-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path d="M6 2h8l4 4v16H6z M14 2v4h4" stroke="currentColor" strokeWidth="1.6" fill="none" strokeLinejoin="round" />
      </svg>
      <span className="fc-attachment-name">{name}</span>
      <span className="fc-attachment-size">{size}</span>
      {downloadable ? (
        <button type="button" className="fc-link-button" onClick={() => void download()} aria-label={format(strings.download, { name })}>
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d="M12 4v12M7 11l5 5 5-5M5 20h14" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
          </svg>
        </button>
      ) : null}
      {problem ? (
        <span className="fc-field-error" role="alert">
          {strings.attachmentUnavailable}
        </span>
      ) : null}
    </div>
  );
}

function UploadProgress({ message }: { message: ChatMessage }) {
  const strings = useStrings();
  const percent = message.progress === null ? null : Math.round(message.progress * 100);
  const label = percent === null ? strings.uploading : format(strings.uploadingPercent, { percent });
  return (
    <div className="fc-upload">
      {/* Indeterminate when the SDK reports no progress (the Twilio SDKs do not). */}
      <progress aria-label={label} {...(percent === null ? {} : { value: percent, max: 100 })} />
      <span className="fc-sr-only">{label}</span>
    </div>
  );
}

export function AttachmentList({ message }: { message: ChatMessage }) {
  return (
    <div className="fc-attachments">
      {message.attachments.map((attachment, i) =>
        isImage(attachment.contentType) ? (
          <ImageAttachment key={attachment.sid ?? i} message={message} attachment={attachment} />
        ) : (
          <FileAttachment key={attachment.sid ?? i} message={message} attachment={attachment} />
        ),
      )}
      {message.delivery === 'sending' ? <UploadProgress message={message} /> : null}
    </div>
  );
}
