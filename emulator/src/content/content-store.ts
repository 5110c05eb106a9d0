import { newSid } from '../ids.ts';
import { ModelError, type Conversation, type ConversationsModel, type Message } from '../conversations/model.ts';
import type { MediaStore } from '../media/media-store.ts';
import { TWILIO_HOSTS, twilioDate } from '../rest/paging.ts';
import { chatVariant, checkContentTypes, checkVariables, richMediaType, substitute, type ContentTypes } from './content-types.ts';

// Content templates (Content API, content.twilio.com/v1/Content) and how a
// message made from one reaches the Conversations SDK: the message body is the
// template's text, and a "body" media of type application/x-vnd.com.twilio.rich.<type>
// holds `{ "data": <the type's fields> }`, which Message.getContentData() downloads
// and parses (node_modules/@twilio/conversations/builds/lib.js: getContentData
// reads `json.data`; anything else in the document: guess, none is sent).

export const CONTENT_API = `${TWILIO_HOSTS.content}/v1`;

export interface ContentRecord {
  sid: string;
  friendlyName: string | null;
  language: string;
  variables: Record<string, string>;
  types: ContentTypes;
  dateCreated: string;
  dateUpdated: string;
}

/** Templates every emulator starts with (one per chat type), so the agent console and tests have some. */
export const SEEDED_CONTENT: ReadonlyArray<Omit<ContentRecord, 'dateCreated' | 'dateUpdated'>> = [
  {
    sid: 'HX00000000000000000000000000000001',
    friendlyName: 'Quick reply: topic',
    language: 'en',
    variables: { '1': 'there' },
    types: {
      'twilio/quick-reply': {
        body: 'Hi {{1}}! What can we help you with?',
        actions: [
          { title: 'Billing', id: 'topic_billing' },
          { title: 'Technical issue', id: 'topic_tech' },
          { title: 'Something else', id: 'topic_other' },
        ],
      },
      'twilio/text': { body: 'Hi {{1}}! What can we help you with? Billing, technical issue or something else?' },
    },
  },
  {
    sid: 'HX00000000000000000000000000000002',
    friendlyName: 'Call to action: help centre',
    language: 'en',
    variables: {},
    types: {
      'twilio/call-to-action': {
        body: 'You can also find answers in our help centre or call us.',
        actions: [
          { type: 'URL', title: 'Help centre', url: 'https://example.com/help' },
          { type: 'PHONE_NUMBER', title: 'Call us', phone: '+15551234567' },
        ],
      },
    },
  },
  {
    sid: 'HX00000000000000000000000000000003',
    friendlyName: 'List picker: plan',
    language: 'en',
    variables: {},
    types: {
      'twilio/list-picker': {
        body: 'Which plan are you on?',
        button: 'Choose a plan',
        items: [
          { item: 'Starter', id: 'plan_starter', description: 'Up to 3 seats' },
          { item: 'Team', id: 'plan_team', description: 'Up to 25 seats' },
          { item: 'Enterprise', id: 'plan_enterprise', description: 'Unlimited seats' },
        ],
      },
    },
  },
  {
    sid: 'HX00000000000000000000000000000004',
    friendlyName: 'Card: order',
    language: 'en',
    variables: {},
    types: {
      'twilio/card': {
        title: 'Your order has shipped',
        subtitle: 'Arrives on Friday',
        media: ['https://example.com/parcel.png'],
        actions: [
          { type: 'URL', title: 'Track parcel', url: 'https://example.com/track' },
          { type: 'QUICK_REPLY', title: 'Thanks!', id: 'order_thanks' },
        ],
      },
    },
  },
];

export class ContentStore {
  private readonly records = new Map<string, ContentRecord>();

  constructor(private readonly accountSid: string) {
    this.reset();
  }

  /** Back to the seeded templates. */
  reset(): void {
    this.records.clear();
    const now = new Date().toISOString();
    for (const seed of SEEDED_CONTENT) this.records.set(seed.sid, { ...seed, dateCreated: now, dateUpdated: now });
  }

  list(): ContentRecord[] {
    return [...this.records.values()];
  }

  get(sid: string): ContentRecord | undefined {
    return this.records.get(sid);
  }

  remove(sid: string): boolean {
    return this.records.delete(sid);
  }

  /** A create request's JSON body (friendly_name, language, variables, types), checked. */
  create(input: unknown): ContentRecord {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ModelError(400, 20001, 'The body must be a JSON object');
    const body = input as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (!['friendly_name', 'language', 'variables', 'types'].includes(key)) throw new ModelError(400, 20001, `Unknown parameter ${key.slice(0, 60)}`);
    }
    if (body.friendly_name !== undefined && (typeof body.friendly_name !== 'string' || body.friendly_name.length > 256)) {
      throw new ModelError(400, 20001, 'friendly_name must be a string of at most 256 characters');
    }
    // ISO 639-1 (two letters), optionally with a region: Twilio says "Two-letter (ISO 639-1) language code"; regions: guess.
    if (typeof body.language !== 'string' || !/^[a-z]{2}([_-][A-Za-z]{2})?$/.test(body.language)) {
      throw new ModelError(400, 20001, 'language is required: a two-letter ISO 639-1 code such as en');
    }
    const types = checkContentTypes(body.types);
    const variables = checkVariables('variables', body.variables);
    const now = new Date().toISOString();
    const record: ContentRecord = {
      sid: newSid('HX'),
      friendlyName: (body.friendly_name as string | undefined) ?? null,
      language: body.language,
      variables,
      types,
      dateCreated: now,
      dateUpdated: now,
    };
    this.records.set(record.sid, record);
    return record;
  }

  describe(record: ContentRecord): Record<string, unknown> {
    const url = `${CONTENT_API}/Content/${record.sid}`;
    return {
      date_created: twilioDate(record.dateCreated),
      date_updated: twilioDate(record.dateUpdated),
      sid: record.sid,
      account_sid: this.accountSid,
      friendly_name: record.friendlyName,
      language: record.language,
      variables: record.variables,
      types: record.types,
      url,
      links: { approval_create: `${url}/ApprovalRequests/whatsapp`, approval_fetch: `${url}/ApprovalRequests` },
    };
  }

  /**
   * Posts a message made from a template: `variables` (ContentVariables) over
   * the template's defaults. Unknown template: 400/20001 (Twilio's code for an
   * unknown ContentSid is not documented: guess).
   */
  send(
    model: ConversationsModel,
    media: MediaStore,
    conversation: Conversation,
    input: { author: string; contentSid: string; variables?: Record<string, string>; attributes?: Record<string, unknown> },
  ): Message {
    const record = this.records.get(input.contentSid);
    if (!record) throw new ModelError(400, 20001, `ContentSid ${input.contentSid} is not a Content resource of this account`);
    const variant = chatVariant(substitute(record.types, { ...record.variables, ...input.variables }));
    const document = Buffer.from(JSON.stringify({ data: variant.data }), 'utf8');
    const stored = media.add({ serviceSid: conversation.serviceSid, contentType: richMediaType(variant.type), filename: null, author: input.author, category: 'body', bytes: document });
    const ref = { sid: stored.sid, category: stored.category, filename: null, contentType: stored.contentType, size: stored.size };
    const message = model.postMessage(conversation, {
      author: input.author,
      body: variant.body,
      contentSid: record.sid,
      media: [ref],
      ...(input.attributes ? { attributes: input.attributes } : {}),
    });
    media.attach(stored.sid, conversation.sid, message.sid);
    return message;
  }
}
