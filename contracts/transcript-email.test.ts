import { describe, expect, it } from 'vitest';
import { isTranscriptEmail, MAX_TRANSCRIPT_MESSAGES, transcriptLines, transcriptText } from './transcript-email.ts';

describe('transcript lines', () => {
  const at = new Date('2026-12-05T13:00:00Z');
  it('marks the visitor by identity, keeps file names, drops empty messages', () => {
    const lines = transcriptLines(
      [
        { author: 'visitor-1', body: 'Hello', dateCreated: at },
        { author: 'agent.alex', body: '', dateCreated: at },
        { author: 'agent.alex', body: '', dateCreated: '2026-12-05T13:01:00Z', media: [{ filename: 'invoice.pdf' }] },
        { author: 'agent.alex', body: 'Here you go', dateCreated: null },
      ],
      'visitor-1',
    );
    expect(lines).toEqual([
      { from: 'visitor', at: '2026-12-05T13:00:00.000Z', body: 'Hello' },
      { from: 'agent', at: '2026-12-05T13:01:00Z', body: '', files: ['invoice.pdf'] },
      { from: 'agent', at: '', body: 'Here you go' },
    ]);
    expect(transcriptText(lines, false)).toBe('[2026-12-05 13:00 UTC] You: Hello\n[2026-12-05 13:01 UTC] Support: (files: invoice.pdf)\nSupport: Here you go');
  });

  it('keeps the newest messages past the cap and says so', () => {
    const many = Array.from({ length: MAX_TRANSCRIPT_MESSAGES + 1 }, (_, i) => ({ author: 'a', body: String(i), dateCreated: null }));
    const lines = transcriptLines(many, 'v');
    expect([lines.length, lines[0]?.body]).toEqual([MAX_TRANSCRIPT_MESSAGES, '1']);
    expect(transcriptText(lines.slice(0, 1), true)).toBe(`(Only the last ${MAX_TRANSCRIPT_MESSAGES} messages.)\nSupport: 1`);
  });

  it('takes the offline message address rule', () => {
    expect(['zoe@example.com', 'a.b+c@sub.example.org'].every(isTranscriptEmail)).toBe(true);
    expect(['', 'a@b', 'a b@example.com', `${'a'.repeat(250)}@example.com`, null].some(isTranscriptEmail)).toBe(false);
  });
});
