// Outside business hours: the offline screen, with the leave-a-message form
// (offline.mode leaveMessage). A chunk of its own (App.tsx): most visitors never see it.
import { useRef } from 'react';
import { format } from '../strings.ts';
import { useTakeOverLostFocus } from './focus.ts';
import { LeaveMessage } from './LeaveMessageForm.tsx';
import { useSession, useStrings } from './session-context.ts';

/** Outside business hours: says so, when the team is back, and (offline.mode leaveMessage) takes a message. */
export function OfflineView() {
  const strings = useStrings();
  const nextOpening = useSession((s) => s.nextOpening);
  const locale = useSession((s) => s.locale);
  const ref = useRef<HTMLDivElement>(null);
  useTakeOverLostFocus(ref);
  const leaveMessage = useSession((s) => s.options.offlineMode === 'leaveMessage');
  return (
    <div ref={ref} className={leaveMessage ? 'fc-status fc-offline fc-offline--form' : 'fc-status fc-offline'} tabIndex={-1}>
      <h2 className="fc-offline-title">{strings.offlineTitle}</h2>
      <p>{strings.offlineBody}</p>
      {nextOpening !== null ? <p>{format(strings.offlineNext, { when: formatWhen(nextOpening, locale) })}</p> : null}
      {leaveMessage ? <LeaveMessage /> : null}
    </div>
  );
}

function formatWhen(epochMs: number, locale: string): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', hour: 'numeric', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(locale, options).format(new Date(epochMs));
  } catch {
    return new Intl.DateTimeFormat('en', options).format(new Date(epochMs));
  }
}
