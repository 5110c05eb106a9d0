// English: the reference catalogue. Every other locale has exactly these keys
// (checked by i18n.test.ts). Placeholders in {braces} are filled by format().
export const en = {
  // Overridable through the deployment config's `texts`.
  title: 'Chat with us',
  composerPlaceholder: 'Type a message…',
  sendLabel: 'Send',
  connecting: 'Connecting…',
  closeLabel: 'Close chat',
  agentFallbackName: 'Agent',
  errorGeneric: 'Something went wrong. Please try again.',
  retryLabel: 'Retry',

  // Pre-engagement form.
  formLabel: 'Pre-chat form',
  submitLabel: 'Start chat',
  selectPlaceholder: 'Choose…',
  requiredNote: 'Fields marked with * are required.',
  formHasErrors: 'Please correct the highlighted fields.',
  previousChatEnded: 'Your previous chat has ended.',
  fieldRequired: 'This field is required.',
  fieldEmail: 'Enter a valid email address.',
  fieldTel: 'Enter a valid phone number.',
  fieldTooShort: 'Enter at least {min} characters.',
  fieldTooLong: 'Enter at most {max} characters.',
  fieldPattern: 'Enter a value in the requested format.',
  fieldOption: 'Choose one of the options.',

  // Conversation.
  messagesLabel: 'Messages',
  messageLabel: 'Message',
  you: 'You',
  sending: 'Sending…',
  queuedDelivery: 'Waiting for connection…',
  sent: 'Sent',
  read: 'Read',
  failed: 'Not sent',
  typing: '{name} is typing…',
  joined: '{name} joined the chat',
  left: '{name} left the chat',
  agentMasked: 'Agent {n}',
  queueWaiting: 'Waiting for an agent…',
  queuePosition: 'You are number {position} in the queue.',
  reconnecting: 'Connection lost. Reconnecting…',
  newMessages: 'New messages',
  jumpToLatest: 'Jump to latest messages',
  jumpToLatestCount: '{count} new',
  loadingOlder: 'Loading earlier messages…',
  loadOlder: 'Load earlier messages',
  today: 'Today',
  yesterday: 'Yesterday',

  // Ending.
  endChat: 'End chat',
  endConfirmTitle: 'End this chat?',
  endConfirmBody: 'You will not be able to send more messages in this chat.',
  endConfirm: 'End chat',
  cancel: 'Cancel',
  endFailed: 'We could not end the chat. Please try again.',
  ended: 'This chat has ended.',
  endedByVisitor: 'You ended the chat.',
  endedByAgent: 'The agent ended the chat.',
  startNew: 'Start a new chat',
  downloadTranscript: 'Download transcript',
  transcriptTitle: 'Chat transcript',
  transcriptFileName: 'chat-transcript',
  transcriptAttachment: 'Attachment: {name} ({size})',

  // Offline (outside business hours).
  offlineTitle: 'We are closed right now',
  offlineBody: 'Our team answers chats during business hours.',
  offlineNext: 'We will be back {when}.',

  // Attachments.
  attach: 'Attach a file',
  removeAttachment: 'Remove {name}',
  dropFiles: 'Drop a file to attach it',
  uploading: 'Uploading…',
  uploadingPercent: 'Uploading… {percent}%',
  download: 'Download {name}',
  attachmentTooLarge: '{name} is larger than {max}.',
  attachmentType: '{name} cannot be sent. Allowed file types: {types}.',
  attachmentTooMany: 'You can attach up to {max} file(s) per message.',
  attachmentEmpty: '{name} is empty.',
  attachmentDisabled: 'Files cannot be sent in this chat.',
  attachmentUnavailable: 'This file cannot be downloaded right now.',
  attachmentFallbackName: 'file',

  // Errors.
  errorNetwork: 'We could not reach the chat service. Check your connection and try again.',
  errorBusy: 'The chat service is busy. Please try again in a moment.',
  errorSessionExpired: 'Your chat session has expired. Please start a new chat.',
  errorUnsupported: 'This chat is not available right now.',

  // Notifications (browser notification, outside the widget).
  notificationTitle: 'New message from {name}',
};

export type Strings = typeof en;
