import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { harness } from '../testing/fixtures.ts';
import { lazyView } from './lazy-view.tsx';
import { SessionContext } from './session-context.ts';

// A view in a chunk of its own: the fallback until the chunk arrives, the view at
// once when it is here already, and an alert with Retry when the download failed.

afterEach(cleanup);

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const Greeting = ({ name }: { name: string }) => <p>Hello {name}</p>;
const withController = (node: React.ReactNode) => <SessionContext.Provider value={harness().controller}>{node}</SessionContext.Provider>;

describe('lazyView', () => {
  it('shows the fallback until the chunk arrives, then the view with its props; one download for all', async () => {
    const chunk = deferred<typeof Greeting>();
    let loads = 0;
    const View = lazyView(
      () => {
        loads += 1;
        return chunk.promise;
      },
      () => <p>Loading</p>,
    );
    render(
      withController(
        <>
          <View name="Zoë" />
          <View name="Ana" />
        </>,
      ),
    );
    expect(screen.getAllByText('Loading')).toHaveLength(2);
    await act(async () => chunk.resolve(Greeting));
    expect(screen.getByText('Hello Zoë')).toBeTruthy();
    expect(screen.getByText('Hello Ana')).toBeTruthy();
    expect(loads).toBe(1);
  });

  it('renders at once when preloaded', async () => {
    const View = lazyView(() => Promise.resolve(Greeting), () => <p>Loading</p>);
    await View.preload();
    render(withController(<View name="Ana" />));
    expect(screen.getByText('Hello Ana')).toBeTruthy();
    expect(screen.queryByText('Loading')).toBeNull();
  });

  it('says so when the download fails, and Retry asks again', async () => {
    let attempt = 0;
    const chunks = [deferred<typeof Greeting>(), deferred<typeof Greeting>()];
    const View = lazyView(() => chunks[attempt++]!.promise);
    render(withController(<View name="Kim" />));
    await act(async () => chunks[0]!.reject(new Error('offline')));
    expect(screen.getByRole('alert').textContent).toBe('Something went wrong. Please try again.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.queryByRole('alert')).toBeNull();
    await act(async () => chunks[1]!.resolve(Greeting));
    expect(screen.getByText('Hello Kim')).toBeTruthy();
    expect(attempt).toBe(2);
  });
});
