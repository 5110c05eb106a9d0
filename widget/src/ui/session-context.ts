// React access to the session controller and its vanilla store.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { SessionController } from '../session/session-controller.ts';
import type { SessionState } from '../session/session-store.ts';
import type { Strings } from '../strings.ts';

export const SessionContext = createContext<SessionController | null>(null);

export function useController(): SessionController {
  const controller = useContext(SessionContext);
  if (!controller) throw new Error('useController() needs a <SessionContext.Provider>');
  return controller;
}

/** Subscribes to a slice of the session store. Selectors must return stored values, not new objects. */
export function useSession<T>(selector: (state: SessionState) => T): T {
  return useStore(useController().store, selector);
}

/** The UI strings, re-rendering when they change (FlexChat('setLocale'), a preview). */
export function useStrings(): Strings {
  return useSession((s) => s.strings);
}
