// Views the form does not need (the chat, the end-of-chat dialog, the offline
// screen) are chunks of their own, so the first chunk holds what the form needs.
// `lazyView(load, fallback)` renders the view at once when its chunk is here, the
// fallback (given the view's props) while it downloads, and an alert with Retry if the download failed (a
// dropped connection must not take the whole widget down). `preload()` starts the
// download early, e.g. while the visitor types.
import { createElement, useEffect, useReducer, type ComponentType, type ReactElement } from 'react';
import { useStrings } from './session-context.ts';

export interface LazyView<P extends object> {
  (props: P): ReactElement | null;
  preload(): Promise<void>;
}

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>, fallback: (props: P) => ReactElement | null = () => null): LazyView<P> {
  let component: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  let failed = false;
  const mounted = new Set<() => void>();
  const changed = () => {
    for (const rerender of [...mounted]) rerender();
  };
  const start = (): Promise<ComponentType<P>> => {
    loading ??= load().then(
      (loaded) => {
        component = loaded;
        changed();
        return loaded;
      },
      (error: unknown) => {
        loading = undefined; // Retry (or the next preload) asks again
        failed = true;
        changed();
        throw error;
      },
    );
    return loading;
  };
  const retry = () => {
    failed = false;
    changed();
    start().catch(() => undefined);
  };

  function View(props: P): ReactElement | null {
    const [, rerender] = useReducer((n: number) => n + 1, 0);
    useEffect(() => {
      mounted.add(rerender);
      if (!component && !failed) start().catch(() => undefined);
      return () => void mounted.delete(rerender);
    }, []);
    if (component) return createElement(component, props);
    if (failed) return <LoadFailed onRetry={retry} />;
    return fallback(props);
  }
  View.preload = () => start().then(() => undefined);
  return View;
}

function LoadFailed({ onRetry }: { onRetry: () => void }) {
  const strings = useStrings();
  return (
    <div className="fc-status fc-status--error">
      <p role="alert">{strings.errorGeneric}</p>
      <button type="button" className="fc-button fc-button--primary" onClick={onRetry}>
        {strings.retryLabel}
      </button>
    </div>
  );
}
