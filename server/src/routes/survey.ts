// POST /webchat/survey: the visitor rates the chat that just ended (once).
// Who may: only the visitor of that conversation, proven as for /webchat/end and
// /webchat/transcript (the session proof, or our token plus Twilio's participant
// list). Recorded on the chat's TaskRouter task (survey-recorder.ts); a second
// submission is 409 survey_already_sent. Not configured (survey off in
// flexchat.config.json, no TaskRouter workspace, legacy Flex chat): 501.
import { Hono } from 'hono';
import { parseSurvey, type SurveyScale, type WebChatSurveyResponse } from '../../../contracts/survey.ts';
import type { AppContext } from '../app-context.ts';
import { HttpError } from '../http-error.ts';
import { isPlainObject, jsonResponse } from '../json.ts';
import type { TokenServiceEnv } from '../middleware/types.ts';
import { parseSessionBody } from '../session.ts';

export function surveyRoute(ctx: AppContext): Hono<TokenServiceEnv> {
  const survey = ctx.survey;
  if (survey === null) {
    return new Hono<TokenServiceEnv>().post('/webchat/survey', ctx.requireAllowedOrigin, () => {
      throw new HttpError('not_configured', 'The post-chat survey is not set up on this token service (survey.enabled, TWILIO_TASKROUTER_WORKSPACE_SID)');
    });
  }
  const scale: SurveyScale = survey.scale;
  return new Hono<TokenServiceEnv>().post('/webchat/survey', ctx.browserPost('survey'), async (c) => {
    const requestId = c.get('requestId');
    const body = c.get('body');
    if (!isPlainObject(body)) throw new HttpError('invalid_body', 'The request body must be a JSON object');
    const { scale: _scale, rating: _rating, comment: _comment, ...session } = body;
    const parsed = parseSurvey(body, scale);
    if (!parsed.ok) throw new HttpError('invalid_body', parsed.problem.message, { field: parsed.problem.field });
    if (parsed.value.comment !== undefined && !survey.comment) {
      throw new HttpError('invalid_body', 'This survey takes no comment', { field: 'comment' });
    }
    const input = parseSessionBody(session, 'survey', ctx.flow);
    await ctx.verifySession(input, 'survey', requestId);
    const recorded = await survey.record(input.conversationSid, parsed.value, requestId);
    // Never the comment in the log.
    ctx.log({ level: 'info', msg: 'survey_recorded', requestId, scale: recorded.scale, hasComment: recorded.comment !== undefined });
    const answer: WebChatSurveyResponse = { status: 'recorded', survey: recorded };
    return jsonResponse(c, 200, answer);
  });
}
