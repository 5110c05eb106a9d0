// The post-chat survey: what the widget sends to POST /webchat/survey, what the
// token service records, and the checks both sides share. Plain data and
// functions; imports nothing.
//
// Where it is recorded (server/README.md, "POST /webchat/survey"): in the
// attributes of the chat's TaskRouter task, under `survey`, not in the
// conversation's. A chat the agent ends is `closed`, and Twilio refuses every
// update to a closed conversation (error 50377: "Conversation state is set
// manually or by timer to 'closed' which means that conversation can't be
// updated anymore", twilio.com/docs/api/errors/50377); the task's attributes
// may still be updated ("You may update the task attributes",
// twilio.com/docs/flex/developer/conversations/best-practices), they carry
// `conversationSid` in Flex Conversations (the Interactions API's task example),
// and Flex Insights reads task attributes on task.updated for 5 minutes after
// completion (twilio.com/docs/flex/developer/insights/enhance-integration).

export type SurveyScale = 'stars' | 'thumbs';

/** A star rating 1–5, or thumbs up / down. */
export type SurveyRating = { scale: 'stars'; rating: 1 | 2 | 3 | 4 | 5 } | { scale: 'thumbs'; rating: 'up' | 'down' };

/** POST /webchat/survey body: the session credentials of /webchat/end, the rating, an optional comment. */
export type WebChatSurveyRequest = {
  token?: string;
  sessionProof?: string;
  identity: string;
  conversationSid: string;
  comment?: string;
} & SurveyRating;

/** What the task's attributes hold under `survey` (and what the agent console shows). */
export type SurveyRecord = SurveyRating & {
  /** Trimmed; absent when the visitor wrote none. */
  comment?: string;
  /** ISO 8601, the token service's clock. */
  submittedAt: string;
};

/** POST /webchat/survey 200 body. */
export interface WebChatSurveyResponse {
  status: 'recorded';
  survey: SurveyRecord;
}

/** Longest comment, in characters (our limit, well inside TaskRouter's attributes size). */
export const MAX_SURVEY_COMMENT_LENGTH = 500;

/** The key in the task's attributes. */
export const SURVEY_ATTRIBUTE = 'survey';

/** Why a survey body is refused: the field and a sentence. */
export interface SurveyProblem {
  field: 'scale' | 'rating' | 'comment';
  message: string;
}

/**
 * Checks the survey part of a body (scale, rating, comment) against the scale the
 * deployment asks for; the parsed rating and trimmed comment, or the first problem.
 */
export function parseSurvey(body: Record<string, unknown>, expected: SurveyScale): { ok: true; value: SurveyRating & { comment?: string } } | { ok: false; problem: SurveyProblem } {
  const { scale, rating, comment } = body;
  if (scale !== expected) return { ok: false, problem: { field: 'scale', message: `scale must be "${expected}", as configured` } };
  let parsed: SurveyRating;
  if (expected === 'stars') {
    if (rating !== 1 && rating !== 2 && rating !== 3 && rating !== 4 && rating !== 5) {
      return { ok: false, problem: { field: 'rating', message: 'rating must be a whole number from 1 to 5' } };
    }
    parsed = { scale: 'stars', rating };
  } else {
    if (rating !== 'up' && rating !== 'down') return { ok: false, problem: { field: 'rating', message: 'rating must be "up" or "down"' } };
    parsed = { scale: 'thumbs', rating };
  }
  if (comment === undefined) return { ok: true, value: parsed };
  if (typeof comment !== 'string') return { ok: false, problem: { field: 'comment', message: 'comment must be a string' } };
  const trimmed = comment.trim();
  if (trimmed.length > MAX_SURVEY_COMMENT_LENGTH) {
    return { ok: false, problem: { field: 'comment', message: `comment must be at most ${MAX_SURVEY_COMMENT_LENGTH} characters` } };
  }
  return { ok: true, value: trimmed === '' ? parsed : { ...parsed, comment: trimmed } };
}

/** A recorded survey read back from untrusted attributes (the agent console), or null. */
export function readSurveyRecord(raw: unknown): SurveyRecord | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const record = raw as Record<string, unknown>;
  if (record.scale !== 'stars' && record.scale !== 'thumbs') return null;
  const parsed = parseSurvey(record, record.scale);
  if (!parsed.ok || typeof record.submittedAt !== 'string') return null;
  return { ...parsed.value, submittedAt: record.submittedAt };
}
