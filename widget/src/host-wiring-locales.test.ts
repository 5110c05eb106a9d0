import { describe, expect, it, vi } from 'vitest';
import type { HostBridge, HostCommand, WidgetEvent } from './bridge/host-bridge.ts';
import type { DeploymentPreview, PreviewParse } from './bridge/preview.ts';
import { createHostWiring } from './host-wiring.ts';
import { harness } from './testing/fixtures.ts';

// Every language but English is a chunk of its own (i18n/locales.ts): the host's
// setLocale and a previewed locale wait for it, and of overlapping switches only the
// latest lands. The catalogue loader is scripted here to arrive when the test says.
const loads = vi.hoisted(() => [] as Array<{ locale: string; arrive: () => void; fail: () => void }>);
vi.mock('./i18n/locales.ts', async (original) => ({
  ...(await original<typeof import('./i18n/locales.ts')>()),
  loadCatalogue: (locale: string) =>
    new Promise<void>((arrive, fail) => loads.push({ locale, arrive: () => arrive(), fail: () => fail(new Error('chunk failed')) })),
}));

function fakeBridge() {
  const sent: WidgetEvent[] = [];
  let listener: ((command: HostCommand) => void) | null = null;
  const bridge: HostBridge = {
    send: (event) => sent.push(event),
    onCommand: (l) => {
      listener = l;
      return () => (listener = null);
    },
    close: () => {},
  };
  return { bridge, sent, command: (c: HostCommand) => listener?.(c) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('language switches wait for their catalogue', () => {
  it('setLocale lands once the catalogue arrives; of overlapping switches only the latest', async () => {
    loads.length = 0;
    const fake = fakeBridge();
    const h = harness();
    createHostWiring(fake.bridge).attach(h.controller);
    fake.command({ type: 'setLocale', locale: 'de' } as unknown as HostCommand);
    fake.command({ type: 'setLocale', locale: 'fr' } as unknown as HostCommand);
    expect(loads.map((l) => l.locale)).toEqual(['de', 'fr']);
    await flush();
    expect(h.controller.state.locale).toBe('en'); // nothing switches before its strings are here

    loads[1]!.arrive();
    await flush();
    expect(h.controller.state.locale).toBe('fr');
    loads[0]!.arrive(); // the older switch, late: dropped
    await flush();
    expect(h.controller.state.locale).toBe('fr');
  });

  it('a catalogue that cannot be fetched leaves the language as it was', async () => {
    loads.length = 0;
    const fake = fakeBridge();
    const h = harness();
    createHostWiring(fake.bridge).attach(h.controller);
    fake.command({ type: 'setLocale', locale: 'ar' } as unknown as HostCommand);
    loads[0]!.fail();
    await flush();
    expect([h.controller.state.locale, h.controller.state.dir, h.controller.strings.sendLabel]).toEqual(['en', 'ltr', 'Send']);
  });

  it('a preview with a locale lands once its catalogue arrives', async () => {
    loads.length = 0;
    const fake = fakeBridge();
    const h = harness();
    const parse = (settings: unknown): Promise<PreviewParse> => Promise.resolve({ ok: true, preview: settings as DeploymentPreview });
    createHostWiring(fake.bridge, parse).attach(h.controller);
    fake.command({ type: 'preview', settings: { locale: 'es', texts: { title: 'Vista previa' } } } as unknown as HostCommand);
    await flush();
    expect(loads.map((l) => l.locale)).toEqual(['es']);
    expect(h.controller.config.texts?.title).not.toBe('Vista previa');
    loads[0]!.arrive();
    await flush();
    expect(h.controller.state.locale).toBe('es');
    expect(h.controller.strings.title).toBe('Vista previa');
  });
});
