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
  defaultAgent: AgentProfile;
  greeting: (customerName: string, agent: AgentProfile) => string;
}

export class Routing extends EventEmitter<{ taskCreated: [Task]; taskAssigned: [Task] }> {
  readonly tasks = new Map<string, Task>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly model: ConversationsModel,
    private readonly options: RoutingOptions,
  ) {
    super();
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
    if (this.options.autoAcceptDelayMs >= 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (task.status === 'pending') this.accept(task, this.options.defaultAgent, true);
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
    if (greet) {
      const name = String(task.attributes.customerName ?? '').trim() || 'there';
      this.model.postMessage(conversation, { author: agent.identity, body: this.options.greeting(name, agent) });
    }
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
