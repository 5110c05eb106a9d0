// Records a post-chat survey on the chat's TaskRouter task (contracts/survey.ts
// says why the task and not the conversation: a closed conversation refuses every
// update, Twilio error 50377). Once per chat: a task that holds a survey refuses
// another (409 survey_already_sent).
//
//   GET  /v1/Workspaces/{WS}/Tasks?EvaluateTaskAttributes=conversationSid == "CH…"  (newest first)
//   POST /v1/Workspaces/{WS}/Tasks/{WT}  Attributes = the task's attributes + { survey }
//
// Read-then-write is not atomic at Twilio (TaskRouter's If-Match would make it so;
// not used yet). Within one process, writes per conversation run one after the
// other, so a double submit cannot pass both checks; across instances of the
// service two racing submits could both land (the later one wins).
import { SURVEY_ATTRIBUTE, type SurveyRating, type SurveyRecord } from '../../contracts/survey.ts';
import { HttpError } from './http-error.ts';
import type { LogEntry } from './log.ts';
import { describeUpstreamError } from './twilio-client.ts';

/** `client.taskrouter.v1.workspaces(WS).tasks`, the part used here; structurally a subset of twilio's TaskListInstance. */
export interface TaskRouterTasksApi {
  (sid: string): { update(params: { attributes: string }): Promise<{ sid: string }> };
  list(params: { evaluateTaskAttributes: string; ordering: 'DateCreated:desc'; limit: number }): Promise<Array<{ sid: string; assignmentStatus: string; attributes: string }>>;
}

/** Task statuses of a chat that is still going on: no survey yet. */
const LIVE_STATUSES = new Set(['pending', 'reserved', 'assigned']);

export type SurveyRecorder = (conversationSid: string, survey: SurveyRating & { comment?: string }, requestId: string | undefined) => Promise<SurveyRecord>;

export function createSurveyRecorder(tasks: TaskRouterTasksApi, log: (entry: LogEntry) => void, now: () => number): SurveyRecorder {
  // The tail of each conversation's chain of writes (dropped when it settles).
  const queues = new Map<string, Promise<unknown>>();

  const upstream = (requestId: string | undefined, step: string, error: unknown): HttpError => {
    log({ level: 'error', msg: 'survey_upstream_failed', requestId, step, ...describeUpstreamError(error) });
    return new HttpError('upstream_error', 'Could not record the survey with Twilio; try again shortly');
  };

  const record: SurveyRecorder = async (conversationSid, survey, requestId) => {
    let found: Array<{ sid: string; assignmentStatus: string; attributes: string }>;
    try {
      found = await tasks.list({ evaluateTaskAttributes: `conversationSid == "${conversationSid}"`, ordering: 'DateCreated:desc', limit: 1 });
    } catch (error) {
      throw upstream(requestId, 'find_task', error);
    }
    const task = found[0];
    if (!task) throw new HttpError('survey_closed', 'This chat can no longer be rated');
    if (LIVE_STATUSES.has(task.assignmentStatus)) throw new HttpError('chat_not_ended', 'The chat has not ended yet');
    let attributes: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(task.attributes);
      attributes = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      attributes = {};
    }
    if (attributes[SURVEY_ATTRIBUTE] !== undefined) throw new HttpError('survey_already_sent', 'This chat has been rated already');
    const entry: SurveyRecord = { ...survey, submittedAt: new Date(now()).toISOString() };
    try {
      await tasks(task.sid).update({ attributes: JSON.stringify({ ...attributes, [SURVEY_ATTRIBUTE]: entry }) });
    } catch (error) {
      // Deleted meanwhile (5 minutes after it finished): gone, not an upstream failure.
      if ((error as { status?: unknown }).status === 404) throw new HttpError('survey_closed', 'This chat can no longer be rated');
      throw upstream(requestId, 'update_task', error);
    }
    return entry;
  };

  return (conversationSid, survey, requestId) => {
    const previous = queues.get(conversationSid) ?? Promise.resolve();
    const next = previous.then(
      () => record(conversationSid, survey, requestId),
      () => record(conversationSid, survey, requestId),
    );
    queues.set(conversationSid, next);
    const forget = () => {
      if (queues.get(conversationSid) === next) queues.delete(conversationSid);
    };
    next.then(forget, forget);
    return next;
  };
}
