import { test, type Page } from '@playwright/test';

// Narration for the stakeholder demo: each step's title is shown as a caption on
// every page in the scene (so the recorded video tells the story) and becomes a
// test.step (so the HTML report and the trace read like a script).

const CAPTION_ID = 'flexchat-demo-caption';

export async function caption(page: Page, text: string): Promise<void> {
  await page
    .evaluate(
      ({ id, text }) => {
        let box = document.getElementById(id);
        if (!box) {
          box = document.createElement('div');
          box.id = id;
          box.setAttribute('aria-hidden', 'true');
          // CSSOM, not a style attribute: works under a strict style-src too.
          Object.assign(box.style, {
            position: 'fixed',
            left: '50%',
            top: '12px',
            transform: 'translateX(-50%)',
            maxWidth: '90vw',
            padding: '10px 18px',
            borderRadius: '10px',
            background: 'rgba(20, 24, 28, 0.92)',
            color: '#fff',
            font: '600 18px/1.35 system-ui, sans-serif',
            zIndex: '2147483647',
            pointerEvents: 'none',
            boxShadow: '0 4px 18px rgba(0,0,0,0.35)',
            textAlign: 'center',
          });
          document.body.append(box);
        }
        box.textContent = text;
      },
      { id: CAPTION_ID, text },
    )
    .catch(() => undefined); // a page mid-navigation simply shows no caption
}

/** A narrated step: `title` is shown on each page of the scene, then `body` runs. */
export async function scene<T>(pages: Page[], title: string, body: () => Promise<T>): Promise<T> {
  return test.step(title, async () => {
    await Promise.all(pages.map((page) => caption(page, title)));
    const result = await body();
    // Give a human watching (or the video) a moment to read.
    await pages[0]?.waitForTimeout(Number(process.env.DEMO_PAUSE_MS ?? 800));
    return result;
  });
}
