import { newSid } from '../ids.ts';
import { readerOf, type SyncStore } from '../sync/sync-store.ts';
import { checkFriendlyName, checkIdentity } from './limits.ts';
import { ModelError } from './model-error.ts';
import type { User } from './types.ts';

// The users of each Conversations service, and the Sync objects the SDKs read
// about them (the user info map, the my-conversations map). Users are per
// service: the same identity in two services is two users.

export class UserDirectory {
  /** By `readerOf(serviceSid, identity)`. */
  private readonly users = new Map<string, User>();

  /** `defaultServiceSid`: users of this service keep plain Sync object names. */
  constructor(
    private readonly sync: SyncStore,
    private readonly defaultServiceSid: string,
  ) {}

  get(serviceSid: string, identity: string): User | undefined {
    return this.users.get(readerOf(serviceSid, identity));
  }

  bySid(serviceSid: string, sid: string): User | undefined {
    for (const user of this.users.values()) {
      if (user.serviceSid === serviceSid && user.sid === sid) return user;
    }
    return undefined;
  }

  /** The service's users, oldest first. */
  list(serviceSid: string): User[] {
    return [...this.users.values()].filter((u) => u.serviceSid === serviceSid);
  }

  clear(): void {
    this.users.clear();
  }

  /** The user, created on first use (a participant, a token's first connect, REST). */
  ensure(serviceSid: string, identity: string, friendlyName?: string): User {
    const existing = this.get(serviceSid, identity);
    if (existing) {
      if (friendlyName !== undefined && friendlyName !== existing.friendlyName) this.update(existing, { friendlyName });
      return existing;
    }
    const key = readerOf(serviceSid, identity);
    // Objects of the default service keep their plain names; another service's are prefixed with its SID.
    const prefix = serviceSid === this.defaultServiceSid ? identity : `${serviceSid}.${identity}`;
    const infoMap = this.sync.create('map', `${prefix}.userInfo`, { everyoneIn: serviceSid });
    const myConversations = this.sync.create('map', `${prefix}.myConversations`, new Set([key]));
    const now = new Date().toISOString();
    const user: User = { sid: newSid('US'), serviceSid, identity, friendlyName: friendlyName ?? null, attributes: {}, infoMap, myConversations, dateCreated: now, dateUpdated: now };
    this.sync.writeItem(infoMap, 'friendlyName', { value: user.friendlyName });
    this.sync.writeItem(infoMap, 'attributes', { value: '{}' });
    this.sync.writeItem(infoMap, 'reachability', { online: false, notifiable: false });
    this.users.set(key, user);
    return user;
  }

  /** A REST create: the identity must be new (50201). */
  create(serviceSid: string, input: { identity: string; friendlyName?: string; attributes?: Record<string, unknown> }): User {
    if (this.get(serviceSid, input.identity)) throw new ModelError(409, 50201, 'User already exists');
    checkIdentity(input.identity);
    if (input.friendlyName !== undefined) checkFriendlyName(input.friendlyName);
    const user = this.ensure(serviceSid, input.identity, input.friendlyName);
    if (input.attributes) this.update(user, { attributes: input.attributes });
    return user;
  }

  /** Changes what the user info map says; subscribed SDKs see the user updated. */
  update(user: User, input: { friendlyName?: string | null; attributes?: Record<string, unknown> }): void {
    if (input.friendlyName) checkFriendlyName(input.friendlyName);
    if (input.friendlyName !== undefined) {
      user.friendlyName = input.friendlyName;
      this.sync.writeItem(user.infoMap, 'friendlyName', { value: user.friendlyName });
    }
    if (input.attributes !== undefined) {
      user.attributes = input.attributes;
      this.sync.writeItem(user.infoMap, 'attributes', { value: JSON.stringify(user.attributes) });
    }
    user.dateUpdated = new Date().toISOString();
  }

  /** Forgets the user (the caller removes its memberships first). */
  remove(user: User): void {
    this.users.delete(readerOf(user.serviceSid, user.identity));
  }
}
