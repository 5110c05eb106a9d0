// Composing: the draft, typing notifications, and the files chosen for the next
// message (checked against the attachment policy; refused ones explain why).
import { format } from '../../strings.ts';
import { checkFiles, formatBytes, isImage, type AttachmentProblem } from '../attachments.ts';
import type { DraftAttachment } from '../session-store.ts';
import { isInChat } from '../state-machine.ts';
import type { Session } from './session.ts';

export function objectUrl(blob: Blob): string | null {
  try {
    return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(blob) : null;
  } catch {
    return null;
  }
}

export function revokeObjectUrl(url: string): void {
  try {
    URL.revokeObjectURL(url);
  } catch {
    // Nothing to free.
  }
}

export interface ComposingSlice {
  /** Files of draft attachments, by draft id (the store keeps only their description). */
  readonly draftFiles: Map<string, Blob>;
  setDraft(text: string): void;
  /** Tells the agent the visitor is typing (the transport throttles). */
  notifyTyping(): void;
  /** Files from the picker, a drop or a paste: accepted ones join the draft, refused ones explain why. */
  addFiles(files: readonly File[]): void;
  removeDraftAttachment(id: string): void;
}

export function createComposingSlice(s: Session): ComposingSlice {
  const problemText = (problem: AttachmentProblem): string => {
    const t = s.strings;
    const locale = s.get().locale;
    switch (problem.kind) {
      case 'disabled':
        return t.attachmentDisabled;
      case 'too-many':
        return format(t.attachmentTooMany, { max: problem.max });
      case 'too-large':
        return format(t.attachmentTooLarge, { name: problem.filename, max: formatBytes(problem.maxBytes, locale) });
      case 'empty':
        return format(t.attachmentEmpty, { name: problem.filename });
      case 'type':
        return format(t.attachmentType, { name: problem.filename, types: problem.allowed.join(', ') });
    }
  };

  return {
    draftFiles: new Map(),

    setDraft(text) {
      s.set({ draft: text });
    },

    notifyTyping() {
      if (isInChat(s.get().phase) && s.get().connection === 'connected') s.transport?.notifyTyping();
    },

    addFiles(files) {
      const state = s.get();
      const { accepted, problems } = checkFiles(files, s.options.attachments, state.draftAttachments.length);
      const added: DraftAttachment[] = accepted.map(({ file, contentType }) => {
        const id = s.createId();
        s.draftFiles.set(id, file);
        return {
          id,
          filename: file.name,
          contentType,
          size: file.size,
          previewUrl: isImage(contentType) ? objectUrl(file) : null,
        };
      });
      s.set({
        draftAttachments: [...state.draftAttachments, ...added],
        attachmentErrors: problems.map((p) => problemText(p)),
      });
    },

    removeDraftAttachment(id) {
      const attachment = s.get().draftAttachments.find((a) => a.id === id);
      if (!attachment) return;
      s.draftFiles.delete(id);
      if (attachment.previewUrl) revokeObjectUrl(attachment.previewUrl);
      s.set((state) => ({ draftAttachments: state.draftAttachments.filter((a) => a.id !== id), attachmentErrors: [] }));
    },
  };
}
