import type { EmulatorCredentials } from '../config.ts';
import { HttpError, type HttpRequest, type Router } from '../http/http-kit.ts';
import { notFound, restRoute } from '../rest/conversations-kit.ts';
import { paginate, twilioDate } from '../rest/paging.ts';
import { formParams, jsonObjectParam, pagingParams, queryParams, type ParamTable } from '../rest/params.ts';
import { twilioRestError } from '../rest/twilio-rest.ts';
import type { Routing, Task } from './routing.ts';

// TaskRouter's Task resource, the part a token service needs to record a
// post-chat survey on the chat's task (contracts/survey.ts says why there):
//   GET  /taskrouter/v1/Workspaces/{WS}/Tasks?EvaluateTaskAttributes=…
//   GET  /taskrouter/v1/Workspaces/{WS}/Tasks/{WT}
//   POST /taskrouter/v1/Workspaces/{WS}/Tasks/{WT}   (Attributes)
// Parameter names from the twilio helper library (lib/rest/taskrouter/v1/workspace/task.js),
// behaviour from twilio.com/docs/taskrouter/api/task:
// - A completed or canceled task is deleted 5 minutes later ("a task is deleted 5
//   minutes after its completion": twilio.com/docs/flex/developer/insights/enhance-integration);
//   then it is 404 like any unknown task. Canceled alike: a guess.
// - Its attributes can still change until then (the same page: Flex Insights takes
//   task.updated events within that window). Guess, stricter reading: only
//   Attributes can change here; AssignmentStatus, Reason, Priority, TaskChannel and
//   VirtualStartTime are refused as unsupported (the routing stand-in owns status).
// - EvaluateTaskAttributes takes TaskRouter's expression language; the emulator
//   evaluates one form, `conversationSid == "CH…"` (what a web chat's task carries in
//   Flex Conversations), and refuses any other as unsupported (400), never a wrong list.
// - No ETag / If-Match versions (the Task resource has them): not emulated.

/** How long TaskRouter keeps a finished task. */
export const FINISHED_TASK_TTL_MS = 5 * 60_000;

const STATUSES = ['pending', 'reserved', 'assigned', 'canceled', 'completed', 'wrapping'] as const;

export const TASK_PARAMS = {
  list: {
    Priority: { type: 'integer', unsupported: true },
    AssignmentStatus: { type: 'array' },
    WorkflowSid: { type: 'string', unsupported: true },
    WorkflowName: { type: 'string', unsupported: true },
    TaskQueueSid: { type: 'string', unsupported: true },
    TaskQueueName: { type: 'string', unsupported: true },
    EvaluateTaskAttributes: { type: 'string' },
    RoutingTarget: { type: 'string', unsupported: true },
    Ordering: { type: 'string', enum: ['DateCreated:asc', 'DateCreated:desc'] },
    HasAddons: { type: 'boolean', unsupported: true },
    ...pagingParams(1000),
  },
  update: {
    Attributes: { type: 'string' },
    AssignmentStatus: { type: 'string', unsupported: true },
    Reason: { type: 'string', unsupported: true },
    Priority: { type: 'integer', unsupported: true },
    TaskChannel: { type: 'string', unsupported: true },
    VirtualStartTime: { type: 'string', unsupported: true },
  },
} as const satisfies Record<string, ParamTable>;

/** The one expression form evaluated: conversationSid == "CH…" (single or double quotes). */
const CONVERSATION_EXPRESSION = /^\s*conversationSid\s*==\s*(["'])(CH[0-9a-fA-F]{32})\1\s*$/;

export function registerTaskRouterTasks(router: Router, options: { credentials: EmulatorCredentials; routing: Routing; now?: () => number }): void {
  const { credentials, routing } = options;
  const now = options.now ?? Date.now;
  const route = restRoute(router, credentials);
  const base = '/taskrouter/v1/Workspaces/:workspaceSid/Tasks';

  const exists = (task: Task) => task.finishedAt === undefined || now() - task.finishedAt < FINISHED_TASK_TTL_MS;

  const workspaceOr404 = (request: HttpRequest): string => {
    const sid = request.params.workspaceSid ?? '';
    if (sid !== credentials.taskRouterWorkspaceSid) throw notFound(`/Workspaces/${sid.slice(0, 64)}`);
    return sid;
  };

  const taskOr404 = (request: HttpRequest): Task => {
    const workspace = workspaceOr404(request);
    const sid = request.params.taskSid ?? '';
    const task = routing.tasks.get(sid);
    if (!task || !exists(task)) throw notFound(`/Workspaces/${workspace}/Tasks/${sid.slice(0, 64)}`);
    return task;
  };

  const describe = (task: Task) => ({
    account_sid: credentials.accountSid,
    workspace_sid: credentials.taskRouterWorkspaceSid,
    sid: task.sid,
    assignment_status: task.status,
    attributes: JSON.stringify(task.attributes),
    age: Math.floor((now() - Date.parse(task.dateCreated)) / 1000),
    date_created: twilioDate(task.dateCreated),
    date_updated: twilioDate(task.dateUpdated),
    priority: 0,
    reason: task.status === 'completed' ? 'chat ended' : null,
    task_channel_unique_name: 'chat',
    url: `https://taskrouter.twilio.com/v1/Workspaces/${credentials.taskRouterWorkspaceSid}/Tasks/${task.sid}`,
  });

  route('GET', base, (request) => {
    workspaceOr404(request);
    const query = queryParams(request, TASK_PARAMS.list);
    let conversationSid: string | undefined;
    if (query.EvaluateTaskAttributes !== undefined) {
      const match = CONVERSATION_EXPRESSION.exec(query.EvaluateTaskAttributes);
      if (!match) {
        throw new HttpError(twilioRestError(400, 20001, 'EvaluateTaskAttributes: the Flex emulator evaluates only conversationSid == "CH…"'));
      }
      conversationSid = match[2];
    }
    const statuses = query.AssignmentStatus;
    for (const status of statuses ?? []) {
      if (!(STATUSES as readonly string[]).includes(status)) throw new HttpError(twilioRestError(400, 20001, `Invalid AssignmentStatus: ${status.slice(0, 40)}`));
    }
    const tasks = [...routing.tasks.values()]
      .filter(exists)
      .filter((task) => conversationSid === undefined || task.attributes.conversationSid === conversationSid)
      .filter((task) => !statuses?.length || statuses.includes(task.status))
      .sort((a, b) => a.dateCreated.localeCompare(b.dateCreated));
    if (query.Ordering === 'DateCreated:desc') tasks.reverse();
    const filters = { EvaluateTaskAttributes: query.EvaluateTaskAttributes, Ordering: query.Ordering };
    const { page, meta } = paginate(tasks, query, { key: 'tasks', baseUrl: `https://taskrouter.twilio.com/v1/Workspaces/${credentials.taskRouterWorkspaceSid}/Tasks`, filters });
    return { status: 200, body: { tasks: page.map(describe), meta } };
  });

  route('GET', `${base}/:taskSid`, (request) => {
    queryParams(request, {});
    const task = taskOr404(request);
    return { status: 200, body: describe(task) };
  });

  route('POST', `${base}/:taskSid`, (request) => {
    const task = taskOr404(request);
    const params = formParams(request, TASK_PARAMS.update);
    if (request.headers['if-match'] !== undefined) throw new HttpError(twilioRestError(400, 20001, 'If-Match is not supported by the Flex emulator'));
    if (params.Attributes !== undefined) {
      const attributes = jsonObjectParam('Attributes', params.Attributes);
      if (attributes === undefined) throw new HttpError(twilioRestError(400, 20001, 'Attributes must be a JSON object'));
      task.attributes = attributes;
      task.dateUpdated = new Date(now()).toISOString();
    }
    return { status: 200, body: describe(task) };
  });
}
