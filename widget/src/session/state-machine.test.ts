import { describe, expect, it } from 'vitest';
import { holdsSession, isInChat, transition, type SessionEvent, type SessionPhase } from './state-machine.ts';

const phases: SessionPhase[] = ['idle', 'pre-engagement', 'connecting', 'queued', 'active', 'ended', 'offline', 'error'];

const events: SessionEvent[] = [
  { type: 'open', businessOpen: true, resumable: false },
  { type: 'open', businessOpen: false, resumable: false },
  { type: 'open', businessOpen: false, resumable: true },
  { type: 'hoursChanged', businessOpen: true },
  { type: 'hoursChanged', businessOpen: false },
  { type: 'submit' },
  { type: 'formRejected' },
  { type: 'resume' },
  { type: 'joined', agentPresent: true },
  { type: 'joined', agentPresent: false },
  { type: 'agentJoined' },
  { type: 'requeued' },
  { type: 'closed' },
  { type: 'failed' },
  { type: 'retry' },
  { type: 'restart', businessOpen: true },
  { type: 'restart', businessOpen: false },
];

describe('session state machine', () => {
  it('walks the happy path idle → pre-engagement → connecting → queued → active → ended → pre-engagement', () => {
    let phase: SessionPhase = 'idle';
    const path: SessionPhase[] = [phase];
    for (const event of [
      { type: 'open', businessOpen: true, resumable: false },
      { type: 'submit' },
      { type: 'joined', agentPresent: false },
      { type: 'agentJoined' },
      { type: 'closed' },
      { type: 'restart', businessOpen: true },
    ] as SessionEvent[]) {
      phase = transition(phase, event)!;
      path.push(phase);
    }
    expect(path).toEqual(['idle', 'pre-engagement', 'connecting', 'queued', 'active', 'ended', 'pre-engagement']);
  });

  it('joins straight into active when an agent is already there (resume)', () => {
    expect(transition('connecting', { type: 'joined', agentPresent: true })).toBe('active');
  });

  it('opens offline outside business hours, and reopens with them', () => {
    expect(transition('idle', { type: 'open', businessOpen: false, resumable: false })).toBe('offline');
    expect(transition('offline', { type: 'hoursChanged', businessOpen: false })).toBeNull();
    expect(transition('offline', { type: 'hoursChanged', businessOpen: true })).toBe('pre-engagement');
    expect(transition('pre-engagement', { type: 'hoursChanged', businessOpen: false })).toBe('offline');
  });

  it('closing hours never interrupt a chat that is running', () => {
    for (const phase of ['connecting', 'queued', 'active'] as const) {
      expect(transition(phase, { type: 'hoursChanged', businessOpen: false })).toBeNull();
    }
  });

  it('a stored session is resumed even outside business hours', () => {
    expect(transition('idle', { type: 'open', businessOpen: false, resumable: true })).toBe('connecting');
    expect(transition('offline', { type: 'resume' })).toBe('connecting');
  });

  it('a resume from another tab never replaces a chat this tab holds', () => {
    for (const phase of phases) {
      expect(transition(phase, { type: 'resume' })).toBe(holdsSession(phase) ? null : 'connecting');
    }
  });

  it('every phase but idle has a way back to the start, and error also a retry', () => {
    for (const phase of phases.filter((p) => p !== 'idle')) {
      expect(transition(phase, { type: 'restart', businessOpen: true })).toBe('pre-engagement');
      expect(transition(phase, { type: 'restart', businessOpen: false })).toBe('offline');
    }
    expect(transition('error', { type: 'retry' })).toBe('connecting');
    expect(transition('active', { type: 'retry' })).toBeNull();
  });

  it('failures and closes apply only while a session is held', () => {
    for (const phase of phases) {
      expect(transition(phase, { type: 'failed' })).toBe(holdsSession(phase) ? 'error' : null);
      expect(transition(phase, { type: 'closed' })).toBe(holdsSession(phase) ? 'ended' : null);
    }
  });

  it('a transfer that leaves no agent goes back to the queue, and the next agent makes it active', () => {
    expect(transition('active', { type: 'requeued' })).toBe('queued');
    expect(transition('queued', { type: 'agentJoined' })).toBe('active');
    expect(transition('active', { type: 'agentJoined' })).toBeNull();
  });

  it('server-side field errors go back to the form only from connecting', () => {
    expect(transition('connecting', { type: 'formRejected' })).toBe('pre-engagement');
    expect(transition('active', { type: 'formRejected' })).toBeNull();
  });

  it('is total: every phase × event answers a phase or null, and never leaves to idle', () => {
    for (const phase of phases) {
      for (const event of events) {
        const next = transition(phase, event);
        expect(next === null || (phases.includes(next) && next !== 'idle')).toBe(true);
      }
    }
  });

  it('only queued and active are in a chat', () => {
    expect(phases.filter(isInChat)).toEqual(['queued', 'active']);
  });
});
