import { describe, expect, it } from 'vitest';
import { MAX_SURVEY_COMMENT_LENGTH, parseSurvey, readSurveyRecord } from './survey.ts';

describe('parseSurvey', () => {
  it('takes 1–5 stars or thumbs up/down, only on the configured scale', () => {
    expect(parseSurvey({ scale: 'stars', rating: 5 }, 'stars')).toEqual({ ok: true, value: { scale: 'stars', rating: 5 } });
    expect(parseSurvey({ scale: 'thumbs', rating: 'down' }, 'thumbs')).toEqual({ ok: true, value: { scale: 'thumbs', rating: 'down' } });
    for (const rating of [0, 6, 2.5, '3', null, 'up']) {
      expect(parseSurvey({ scale: 'stars', rating }, 'stars')).toMatchObject({ ok: false, problem: { field: 'rating' } });
    }
    expect(parseSurvey({ scale: 'thumbs', rating: 'up' }, 'stars')).toMatchObject({ ok: false, problem: { field: 'scale' } });
  });

  it('trims the comment, drops an empty one, refuses a long or non-string one', () => {
    expect(parseSurvey({ scale: 'stars', rating: 3, comment: '  ok  ' }, 'stars')).toEqual({ ok: true, value: { scale: 'stars', rating: 3, comment: 'ok' } });
    expect(parseSurvey({ scale: 'stars', rating: 3, comment: '   ' }, 'stars')).toEqual({ ok: true, value: { scale: 'stars', rating: 3 } });
    expect(parseSurvey({ scale: 'stars', rating: 3, comment: 'x'.repeat(MAX_SURVEY_COMMENT_LENGTH) }, 'stars').ok).toBe(true);
    expect(parseSurvey({ scale: 'stars', rating: 3, comment: 'x'.repeat(MAX_SURVEY_COMMENT_LENGTH + 1) }, 'stars')).toMatchObject({ ok: false, problem: { field: 'comment' } });
    expect(parseSurvey({ scale: 'stars', rating: 3, comment: 7 }, 'stars')).toMatchObject({ ok: false, problem: { field: 'comment' } });
  });
});

describe('readSurveyRecord', () => {
  it('reads a recorded survey back, and nothing from anything else', () => {
    const record = { scale: 'stars', rating: 4, comment: 'Kind', submittedAt: '2026-12-05T10:00:00.000Z' };
    expect(readSurveyRecord(record)).toEqual(record);
    expect(readSurveyRecord({ ...record, submittedAt: undefined })).toBeNull();
    expect(readSurveyRecord({ ...record, rating: 9 })).toBeNull();
    expect(readSurveyRecord('stars')).toBeNull();
    expect(readSurveyRecord(null)).toBeNull();
  });
});
