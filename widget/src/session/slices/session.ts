// The session core assembled from its slices, zustand's slices pattern without
// React: each slice is a function of the whole (`s`) returning its part (state it
// owns and its actions); slices reach each other through `s`. The store is the
// only state the UI reads; the fields here are the session's working state.
import { createAgentsSlice, type AgentsSlice } from './agents.ts';
import { createCatchUpSlice, type CatchUpSlice } from './catch-up.ts';
import { createComposingSlice, type ComposingSlice } from './composing.ts';
import { createConnectSlice, type ConnectSlice } from './connect.ts';
import { createCore, type Core, type SessionControllerOptions } from './core.ts';
import { createCredentialsSlice, type CredentialsSlice } from './credentials.ts';
import { createCrossTabSlice, type CrossTabSlice } from './cross-tab.ts';
import { createEndingSlice, type EndingSlice } from './ending.ts';
import { createFormSlice, type FormSlice } from './form.ts';
import { createHoursSlice, type HoursSlice } from './hours.ts';
import { createInitSlice, type InitSlice } from './init.ts';
import { createLanguageSlice, type LanguageSlice } from './language.ts';
import { createLifecycleSlice, type LifecycleSlice } from './lifecycle.ts';
import { createOutboxSlice, type OutboxSlice } from './outbox.ts';
import { createPreviewSlice, type PreviewSlice } from './preview.ts';
import { createReadingSlice, type ReadingSlice } from './reading.ts';
import { createTransportEventsSlice, type TransportEventsSlice } from './transport-events.ts';

export interface Session
  extends Core,
    LanguageSlice,
    PreviewSlice,
    FormSlice,
    HoursSlice,
    LifecycleSlice,
    InitSlice,
    ConnectSlice,
    AgentsSlice,
    CrossTabSlice,
    TransportEventsSlice,
    EndingSlice,
    CredentialsSlice,
    CatchUpSlice,
    OutboxSlice,
    ComposingSlice,
    ReadingSlice {}

const slices: ReadonlyArray<(s: Session) => object> = [
  createLanguageSlice,
  createPreviewSlice,
  createFormSlice,
  createHoursSlice,
  createLifecycleSlice,
  createInitSlice,
  createConnectSlice,
  createAgentsSlice,
  createCrossTabSlice,
  createTransportEventsSlice,
  createEndingSlice,
  createCredentialsSlice,
  createCatchUpSlice,
  createOutboxSlice,
  createComposingSlice,
  createReadingSlice,
];

export function createSession(options: SessionControllerOptions): Session {
  const s = createCore(options) as Session;
  for (const create of slices) Object.assign(s, create(s));
  return s;
}
