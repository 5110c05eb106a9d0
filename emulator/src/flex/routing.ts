import { EventEmitter } from 'node:events';
import type { TaskStatus } from '../../../contracts/agent-api.ts';
import { newSid } from '../ids.ts';
import type { Logger } from '../log.ts';
import type { Conversation, ConversationsModel } from '../conversations/model.ts';
import { QueuePositions } from './queue-positions.ts';

// A stand-in for TaskRouter: every new web chat becomes a task that waits in
// a queue until an agent takes it. The simulated agent takes tasks after a
// delay and greets the visitor; the agent API can act for any agent.
//
// Timers and event handlers here run outside any request: each one catches and
// logs its own errors, because an exception thrown from a timer would end the
// whole process (and under `npm start`, every local origin with it).

/** TaskRouter's task statuses that this stand-in uses (`canceled`: the chat ended before an agent took it); the agent API's contract holds them. */
export type { TaskStatus };

export interface Task {
  sid: string;
  conversationSid: string;
  status: TaskStatus;
  attributes: Record<string, unknown>;
  agentIdentity: string | null;
  dateCreated: string;
  /** ISO 8601: the last change of status or attributes. */
  dateUpdated: string;
  /** Epoch ms the task completed or was canceled; TaskRouter deletes it 5 minutes later (taskrouter-tasks.ts). */
  finishedAt?: number;
}

export interface AgentProfile {
  identity: string;
  friendlyName: string;
}

export interface RoutingOptions {
  /** How long a new task waits before the simulated agent accepts it; negative disables auto-accept. */
  autoAcceptDelayMs: number;
  /** Demo bot: the simulated agent answers every visitor message. */
  echo?: boolean;
  defaultAgent: AgentProfile;
  greeting: (customerName: string, agent: AgentProfile) => string;
  log: Logger;
}

export class RoutingError extends Error {
  override readonly name = 'RoutingError';
}

export class Routing extends EventEmitter<{ taskCreated: [Task]; taskAssigned: [Task]; taskCanceled: [Task] }> {
  readonly tasks = new Map<string, Task>();
  /** Waiting tasks in the order they arrived, and their places written to their chats (queue-positions.ts). */
  private readonly queue: QueuePositions<Task>;
  /** The tasks of each conversation, oldest first. */
  private readonly tasksByConversation = new Map<string, Task[]>();
  /** The simulated agent's auto-accept timer of each waiting task, by task SID. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Echo replies scheduled but not yet sent. */
  private readonly pendingReplies = new Set<NodeJS.Immediate>();

  constructor(
    private readonly model: ConversationsModel,
    private readonly options: RoutingOptions,
  ) {
    super();
    this.queue = new QueuePositions<Task>(
      (task, position) => this.writePosition(task, position),
      (what, work) => this.safely(what, {}, work),
    );
    // Flex cancels the task of a chat that ends (the visitor leaves, or it is closed or deleted) before an agent accepts it.
    // A closed conversation ends an accepted task too (Flex would move it to wrap-up; this stand-in has no wrap-up step: guess).
    model.on('stateChanged', (conversation) => {
      if (conversation.state !== 'active') this.cancelWaitingTask(conversation.sid, `conversation ${conversation.state}`);
      if (conversation.state === 'closed') {
        const task = this.taskForConversation(conversation.sid);
        if (task) this.finish(task, 'completed');
      }
    });
    model.on('conversationRemoved', (conversation) => this.cancelWaitingTask(conversation.sid, 'conversation deleted'));
    if (options.echo) {
      model.on('messageAdded', (conversation, message) => {
        const task = this.taskForConversation(conversation.sid);
        const author = this.model.findParticipant(conversation, message.author);
        if (task?.status !== 'assigned' || task.agentIdentity !== options.defaultAgent.identity || author?.role !== 'customer') return;
        const reply = setImmediate(() => {
          this.pendingReplies.delete(reply);
          this.safely('echo reply', { conversation: conversation.sid }, () => {
            if (conversation.state === 'active' && this.model.conversations.get(conversation.sid) === conversation) {
              this.model.postMessage(conversation, { author: options.defaultAgent.identity, body: `You said: ${message.body}` });
            }
          });
        });
        this.pendingReplies.add(reply);
      });
    }
  }

  /** Runs background work (a timer, a deferred reply): an error is logged, never thrown into the event loop. */
  private safely(what: string, fields: Record<string, unknown>, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.options.log.error(`routing: ${what} failed`, { ...fields, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }

  /** Turns the simulated agent's auto-accept on (after delayMs) or off at run time. */
  setAutoAccept(delayMs: number): void {
    this.options.autoAcceptDelayMs = delayMs;
  }

  get autoAcceptDelayMs(): number {
    return this.options.autoAcceptDelayMs;
  }

  createTask(conversation: Conversation, attributes: Record<string, unknown>): Task {
    const task: Task = {
      sid: newSid('WT'),
      conversationSid: conversation.sid,
      status: 'pending',
      attributes,
      agentIdentity: null,
      dateCreated: new Date().toISOString(),
      dateUpdated: new Date().toISOString(),
    };
    this.tasks.set(task.sid, task);
    const ofConversation = this.tasksByConversation.get(conversation.sid);
    if (ofConversation) ofConversation.push(task);
    else this.tasksByConversation.set(conversation.sid, [task]);
    this.emit('taskCreated', task);
    // Last in the queue: no other chat's place changes.
    this.queue.join(task);
    if (this.options.autoAcceptDelayMs >= 0) {
      const timer = setTimeout(() => {
        this.timers.delete(task.sid);
        this.safely('auto-accept', { task: task.sid, conversation: task.conversationSid }, () => this.autoAccept(task));
      }, this.options.autoAcceptDelayMs);
      timer.unref();
      this.timers.set(task.sid, timer);
    }
    return task;
  }

  private autoAccept(task: Task): void {
    // Auto-accept may have been switched off, or an agent may have taken the chat, while it waited.
    if (task.status !== 'pending' || this.options.autoAcceptDelayMs < 0) return;
    const conversation = this.model.conversations.get(task.conversationSid);
    if (conversation?.state !== 'active') {
      // Normally canceled already by the state change; this covers a chat that ended without one.
      this.cancel(task, conversation ? `conversation ${conversation.state}` : 'conversation deleted');
      return;
    }
    this.accept(task, this.options.defaultAgent, true);
  }

  private cancelWaitingTask(conversationSid: string, reason: string): void {
    for (const task of this.tasksByConversation.get(conversationSid) ?? []) {
      if (task.status === 'pending') this.cancel(task, reason);
    }
  }

  private cancel(task: Task, reason: string): void {
    const timer = this.timers.get(task.sid);
    if (timer) clearTimeout(timer);
    this.timers.delete(task.sid);
    this.finish(task, 'canceled');
    this.options.log.info('routing: task canceled before an agent accepted it', { task: task.sid, conversation: task.conversationSid, reason });
    this.emit('taskCanceled', task);
    this.safely('queue positions', { task: task.sid }, () => this.queue.leave(task));
  }

  /** The conversation's open task (waiting, assigned or wrapping), if any. */
  taskForConversation(conversationSid: string): Task | undefined {
    return this.tasksByConversation.get(conversationSid)?.find((task) => task.status !== 'completed' && task.status !== 'canceled');
  }

  /** The conversation's newest task, whatever its status. */
  latestTaskFor(conversationSid: string): Task | undefined {
    return this.tasksByConversation.get(conversationSid)?.at(-1);
  }

  /** The agent joins the conversation; with greet, says hello as Flex agents usually do. */
  accept(task: Task, agent: AgentProfile, greet: boolean): void {
    const conversation = this.model.get(task.conversationSid);
    if (task.status !== 'pending') throw new RoutingError(`Task ${task.sid} is ${task.status}; only a waiting task can be accepted`);
    if (conversation.state !== 'active') throw new RoutingError(`The chat is ${conversation.state}; it can no longer be accepted`);
    if (!this.model.findParticipant(conversation, agent.identity)) {
      this.model.addParticipant(conversation, { identity: agent.identity, role: 'agent', friendlyName: agent.friendlyName, attributes: { member_type: 'agent' } });
    }
    task.status = 'assigned';
    task.dateUpdated = new Date().toISOString();
    task.agentIdentity = agent.identity;
    this.emit('taskAssigned', task);
    this.queue.leave(task);
    if (greet) {
      const name = String(task.attributes.customerName ?? '').trim() || 'there';
      this.model.postMessage(conversation, { author: agent.identity, body: this.options.greeting(name, agent) });
    }
  }

  /** Hands the chat to another agent: the current one leaves, the new one joins. */
  transfer(task: Task, to: AgentProfile): void {
    const conversation = this.model.get(task.conversationSid);
    if (task.status !== 'assigned') throw new RoutingError(`Task ${task.sid} is ${task.status}; only an assigned task can be transferred`);
    if (task.agentIdentity === to.identity) throw new RoutingError(`${to.identity} already has this chat`);
    const current = task.agentIdentity ? this.model.findParticipant(conversation, task.agentIdentity) : undefined;
    if (current) this.model.removeParticipant(conversation, current);
    if (!this.model.findParticipant(conversation, to.identity)) {
      this.model.addParticipant(conversation, { identity: to.identity, role: 'agent', friendlyName: to.friendlyName, attributes: { member_type: 'agent' } });
    }
    task.agentIdentity = to.identity;
  }

  /** The agent ends the chat: inactive, then closed; customers leave; the task completes. */
  end(conversationSid: string): void {
    const conversation = this.model.get(conversationSid);
    const task = this.taskForConversation(conversationSid);
    if (conversation.state === 'closed') throw new RoutingError('The chat has already ended');
    this.model.setState(conversation, 'inactive');
    this.model.setState(conversation, 'closed');
    for (const participant of [...conversation.participants.values()]) {
      if (participant.role === 'customer') this.model.removeParticipant(conversation, participant);
    }
    // A task still waiting was canceled by the state change above; an accepted one is done.
    if (task && task.status !== 'canceled') this.finish(task, 'completed');
  }

  /** The task is done (completed) or dropped (canceled); from then on TaskRouter keeps it 5 minutes. */
  finish(task: Task, status: 'completed' | 'canceled'): void {
    if (task.status === status) return;
    task.status = status;
    task.finishedAt = Date.now();
    task.dateUpdated = new Date(task.finishedAt).toISOString();
  }

  /** Writes a chat's place in the queue (null: it left); false when there was nothing to write. */
  private writePosition(task: Task, position: number | null): boolean {
    const conversation = this.model.conversations.get(task.conversationSid);
    if (!conversation || conversation.state === 'closed') return false;
    const current = (conversation.attributes.queue as { position?: number } | null | undefined)?.position ?? null;
    if (current === position) return false;
    this.model.updateAttributes(conversation, { ...conversation.attributes, queue: position === null ? null : { position } });
    return true;
  }

  clear(): void {
    this.stop();
    this.tasks.clear();
    this.queue.clear();
    this.tasksByConversation.clear();
  }

  stop(): void {
    this.queue.stop();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const reply of this.pendingReplies) clearImmediate(reply);
    this.pendingReplies.clear();
  }
}
