import { EventEmitter } from 'node:events';
import { newSid } from '../ids.ts';
import type { Conversation, ConversationsModel } from '../conversations/model.ts';

// A stand-in for TaskRouter: every new web chat becomes a task that waits in
// a queue until an agent takes it. The simulated agent takes tasks after a
// delay and greets the visitor; the agent API can act for any agent.

export type TaskStatus = 'pending' | 'assigned' | 'wrapping' | 'completed';

export interface Task {
  sid: string;
  conversationSid: string;
  status: TaskStatus;
  attributes: Record<string, unknown>;
  agentIdentity: string | null;
  dateCreated: string;
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
}

export class RoutingError extends Error {
  override readonly name = 'RoutingError';
}

export class Routing extends EventEmitter<{ taskCreated: [Task]; taskAssigned: [Task] }> {
  readonly tasks = new Map<string, Task>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly model: ConversationsModel,
    private readonly options: RoutingOptions,
  ) {
    super();
    if (options.echo) {
      model.on('messageAdded', (conversation, message) => {
        const task = this.taskForConversation(conversation.sid);
        const author = this.model.findParticipant(conversation, message.author);
        if (task?.status !== 'assigned' || task.agentIdentity !== options.defaultAgent.identity || author?.role !== 'customer') return;
        setImmediate(() => {
          if (conversation.state === 'active') this.model.postMessage(conversation, { author: options.defaultAgent.identity, body: `You said: ${message.body}` });
        });
      });
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
    };
    this.tasks.set(task.sid, task);
    this.emit('taskCreated', task);
    this.publishQueuePositions();
    if (this.options.autoAcceptDelayMs >= 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        // Auto-accept may have been switched off while this chat waited.
        if (task.status === 'pending' && this.options.autoAcceptDelayMs >= 0) this.accept(task, this.options.defaultAgent, true);
      }, this.options.autoAcceptDelayMs);
      timer.unref();
      this.timers.add(timer);
    }
    return task;
  }

  taskForConversation(conversationSid: string): Task | undefined {
    for (const task of this.tasks.values()) {
      if (task.conversationSid === conversationSid && task.status !== 'completed') return task;
    }
    return undefined;
  }

  /** The agent joins the conversation; with greet, says hello as Flex agents usually do. */
  accept(task: Task, agent: AgentProfile, greet: boolean): void {
    const conversation = this.model.get(task.conversationSid);
    if (!this.model.findParticipant(conversation, agent.identity)) {
      this.model.addParticipant(conversation, { identity: agent.identity, role: 'agent', friendlyName: agent.friendlyName, attributes: { member_type: 'agent' } });
    }
    task.status = 'assigned';
    task.agentIdentity = agent.identity;
    this.emit('taskAssigned', task);
    this.publishQueuePositions();
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
    if (task) task.status = 'completed';
    this.publishQueuePositions();
  }

  /** Waiting chats learn their place in the queue through conversation attributes. */
  private publishQueuePositions(): void {
    const pending = [...this.tasks.values()].filter((task) => task.status === 'pending').sort((a, b) => a.dateCreated.localeCompare(b.dateCreated));
    const positions = new Map(pending.map((task, i) => [task.conversationSid, i + 1]));
    for (const task of this.tasks.values()) {
      const conversation = this.model.conversations.get(task.conversationSid);
      if (!conversation || conversation.state === 'closed') continue;
      const position = positions.get(task.conversationSid) ?? null;
      const current = (conversation.attributes.queue as { position?: number } | null | undefined)?.position ?? null;
      if (current === position) continue;
      this.model.updateAttributes(conversation, { ...conversation.attributes, queue: position === null ? null : { position } });
    }
  }

  clear(): void {
    this.stop();
    this.tasks.clear();
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
