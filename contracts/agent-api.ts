// Wire types of the local Flex emulator's agent API (emulator/README.md, "Agent
// API"): what emulator/src/agent/agent-api.ts answers and the demo's agent
// console and the e2e fixtures read. Types only; imports nothing.

export interface AgentParticipant {
  sid?: string;
  identity: string;
  role: 'customer' | 'agent' | string;
  friendlyName: string | null;
  lastReadMessageIndex: number | null;
  /** Typed within the last 5 s (Twilio's typing indicator timeout). */
  isTyping?: boolean;
}

export interface AgentMedia {
  sid: string;
  filename: string | null;
  contentType: string;
  size: number;
  url: string;
}

export interface AgentMessage {
  sid: string;
  index: number;
  author: string;
  body: string | null;
  attributes?: unknown;
  dateCreated: string;
  media: AgentMedia[];
  /** HX…: the message was made from this Content template (its body is the template's text). */
  contentSid?: string;
}

/** A Content template (GET /agent/content), for an agent to pick one to send. */
export interface AgentContentTemplate {
  sid: string;
  friendlyName: string | null;
  /** Its content types, e.g. ["twilio/quick-reply", "twilio/text"]. */
  types: string[];
}

export type TaskStatus = 'pending' | 'assigned' | 'wrapping' | 'completed' | 'canceled';

export interface AgentConversation {
  sid: string;
  friendlyName: string | null;
  state: 'active' | 'inactive' | 'closed' | string;
  attributes: {
    pre_engagement_data?: Record<string, unknown>;
    from?: string;
    queue?: { position?: number | null } | null;
    [key: string]: unknown;
  };
  dateCreated?: string;
  dateUpdated?: string;
  participants: AgentParticipant[];
  messageCount: number;
  lastMessage: AgentMessage | null;
  task: { sid: string; status: TaskStatus; agentIdentity: string | null; attributes?: Record<string, unknown> } | null;
  /** Not served by the emulator yet: identities typing right now. */
  typing?: string[];
}

/** A Webchat 3 deployment key (GET/POST /agent/deployment-keys): what Flex's console shows for one. */
export interface DeploymentKeyInfo {
  /** `CV` + 32 hex digits. */
  key: string;
  friendlyName: string;
  /** IG… web chat address the key is mapped to. */
  addressSid: string;
  /** 1 to 10 origins (`scheme://host[:port]`) that may start chats with the key. */
  allowedOrigins: string[];
  dateCreated: string;
}
