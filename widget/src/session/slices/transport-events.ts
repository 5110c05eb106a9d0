// Transport events: live messages, connection changes, participants, typing,
// queue position, the conversation closing and token expiry.
import type { ChatTransport, TransportEvent, TransportMessage } from '../../transport/chat-transport.ts';
import { indexOfCopy, mergeServerMessages, queueUnsent } from '../messages.ts';
import { addNotice, rewriteNotices } from '../notices.ts';
import { isInChat } from '../state-machine.ts';
import type { Session } from './session.ts';

export interface TransportEventsSlice {
  /** An event of `source`; ignored unless it is the current transport. */
  handleEvent(source: ChatTransport, event: TransportEvent): void;
}

export function createTransportEventsSlice(s: Session): TransportEventsSlice {
  const onMessage = (message: TransportMessage): void => {
    const before = s.get().messages;
    const copy = indexOfCopy(before, message);
    const known = copy >= 0 && before[copy]!.sid === message.sid;
    const fromAgent = message.role === 'agent';
    const unseen = !known && fromAgent && isInChat(s.get().phase) && !s.viewing();
    s.set((state) => {
      const merged = mergeServerMessages(state.messages, [message]);
      const messages = fromAgent && message.authorName !== undefined ? s.learnAgentName(merged, message.author, message.authorName) : merged;
      const key = messages[indexOfCopy(messages, message)]?.key ?? null;
      return {
        messages,
        typing: state.typing.filter((identity) => identity !== message.author),
        ...(unseen
          ? { unread: state.unread + 1, firstUnreadKey: state.unread === 0 || state.firstUnreadKey === null ? key : state.firstUnreadKey }
          : {}),
      };
    });
    if (message.clientMessageId !== undefined && message.clientMessageId === s.inDoubt) s.settleDoubtIfSeen();
    if (known || !isInChat(s.get().phase) || !fromAgent) return;
    s.notifyHost({ type: 'message', fromAgent: true, direction: 'incoming' });
    if (unseen) {
      s.notifyHost({ type: 'unread', count: s.get().unread });
      s.onUnseenMessage({ authorName: message.authorName ?? s.displayName(message.author), body: message.body });
    } else {
      s.transport?.markRead(message.index);
    }
  };

  return {
    handleEvent(source, event) {
      if (source !== s.transport) return;
      switch (event.type) {
        case 'messageAdded':
          return onMessage(s.withAuthorName(event.message));
        case 'connectionState': {
          const was = s.get().connection;
          // Messages waiting for their turn now wait for the connection (shown as such).
          s.set((state) => ({
            connection: event.state,
            messages: event.state === 'connected' ? state.messages : queueUnsent(state.messages, s.inFlight),
          }));
          if (event.state === 'denied') void s.refreshToken(true);
          // Back after a drop: catch up on what was missed, then send what was typed meanwhile.
          if (event.state === 'connected' && was !== 'connected' && was !== 'idle' && isInChat(s.get().phase)) {
            void s.resync();
          }
          return;
        }
        case 'participantJoined': {
          const p = event.participant;
          const known = s.get().participants[p.identity] !== undefined;
          const info = s.toParticipantInfo(p);
          const announce = !known && isInChat(s.get().phase) && p.role === 'agent';
          s.set((state) => {
            const messages = p.role === 'agent' ? s.learnAgentName(state.messages, p.identity, info.displayName) : state.messages;
            return {
              participants: { ...state.participants, [p.identity]: info },
              messages: announce
                ? addNotice(messages, s.noticeText('joined', info.displayName), s.now(), { kind: 'joined', identity: p.identity })
                : messages,
            };
          });
          if (p.role === 'agent' && s.dispatch({ type: 'agentJoined' })) s.updateQueueNotice();
          return;
        }
        case 'participantUpdated': {
          const p = event.participant;
          const info = s.toParticipantInfo(p);
          s.set((state) => {
            // Also news about someone no longer here (the name of an agent who wrote earlier
            // messages, found after a reload): it names those messages but makes nobody present.
            const known = state.participants[p.identity];
            // Most updates are read receipts: the same info keeps the same objects, so
            // nothing that shows participants or messages renders again for them.
            const same = known !== undefined && known.role === info.role && known.displayName === info.displayName;
            const nameChanged =
              p.role === 'agent' && !s.options.maskAgentNames && p.displayName !== undefined && known?.displayName !== info.displayName;
            const named = p.role === 'agent' ? s.learnAgentName(state.messages, p.identity, info.displayName) : state.messages;
            return {
              participants: known !== undefined && !same ? { ...state.participants, [p.identity]: info } : state.participants,
              readHorizon: p.role === 'agent' ? Math.max(state.readHorizon, p.lastReadIndex ?? -1) : state.readHorizon,
              // "Agent joined" written before the name was known becomes "Ana joined".
              messages: nameChanged ? rewriteNotices(named, p.identity, (kind) => s.noticeText(kind, info.displayName)) : named,
            };
          });
          return;
        }
        case 'participantLeft': {
          const p = event.participant;
          const known = s.get().participants[p.identity] !== undefined;
          const name = s.displayName(p.identity, p.role === 'agent' ? s.agentName(p.identity, p.displayName) : p.displayName);
          const announce = known && isInChat(s.get().phase) && p.role === 'agent';
          s.set((state) => {
            const participants = { ...state.participants };
            delete participants[p.identity];
            return {
              participants,
              typing: state.typing.filter((identity) => identity !== p.identity),
              messages: announce
                ? addNotice(state.messages, s.noticeText('left', name), s.now(), { kind: 'left', identity: p.identity })
                : state.messages,
            };
          });
          return;
        }
        case 'typing': {
          if (event.identity === s.credentials?.identity) return;
          s.set((state) => {
            const others = state.typing.filter((identity) => identity !== event.identity);
            return { typing: event.isTyping ? [...others, event.identity] : others };
          });
          return;
        }
        case 'queue': {
          s.set({ queuePosition: event.position });
          if (event.position !== null && !s.agentPresent()) s.dispatch({ type: 'requeued' });
          s.updateQueueNotice();
          return;
        }
        case 'conversationState':
          if (event.state === 'closed') s.end(s.get().ending ? 'visitor' : 'agent', true);
          return;
        case 'tokenAboutToExpire':
          void s.refreshToken(false);
          return;
        case 'tokenExpired':
          void s.refreshToken(true);
          return;
      }
    },
  };
}
