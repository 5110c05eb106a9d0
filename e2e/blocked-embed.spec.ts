import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, expectNoA11yViolations, localOrigins, test } from './kit.ts';

// Issue #12 "A blocked embed tells the site owner". The widget origin sends CSP
// frame-ancestors from allowedDomains (127.0.0.1 and localhost on the demo port).
// A third origin, a loopback server on a port of its own started here, is not
// allowed: a page there that embeds the widget, or that frames an allowed page.

let server: Server;
let blockedOrigin: string;

/** The snippet, with the queue stub and a listener that keeps every `error` event for the test. */
const hostPage = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script>window.FlexChat=window.FlexChat||function(){(window.FlexChat.q=window.FlexChat.q||[]).push(arguments)};
window.flexchatErrors=[];FlexChat('on','error',function(e){window.flexchatErrors.push(e)});</script>
<script async src="${localOrigins.widget}/loader.js"></script>
</head><body><main><h1>${title}</h1></main></body></html>`;

test.beforeAll(async () => {
  server = createServer((request, response) => {
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (request.url === '/framing.html') {
      // An allowed page (the demo), framed by this origin: frame-ancestors checks every ancestor.
      // The frame fits in the viewport: the launcher is fixed to the framed page's corner, and
      // an element fixed inside a frame is not scrolled into view by scrolling the outer page.
      response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Framing page</title>
<style>body{margin:0}h1{margin:0;padding:8px;font-size:16px}iframe{display:block;width:100%;height:calc(100vh - 48px);border:0}</style></head>
<body><main><h1>Framing page</h1><iframe id="shop" title="Shop" src="${localOrigins.demo}/"></iframe></main></body></html>`);
      return;
    }
    response.end(hostPage('Shop on an origin the widget does not allow'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  blockedOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('on a page whose origin is not allowed, the panel says so with a retry, the page hears frame_blocked and the console names the setting', async ({ demo, page }) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('[FlexChat]')) warnings.push(message.text());
  });
  await demo.goto(`${blockedOrigin}/`);
  await demo.launcher.click();

  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(/The chat could not be loaded\./, { timeout: 30_000 });
  const retry = alert.getByRole('button', { name: 'Try again' });
  await expect(retry).toBeFocused();
  await expect(demo.widgetIframe).toHaveCSS('visibility', 'hidden'); // not the browser's error page

  expect(await page.evaluate(() => (window as unknown as { flexchatErrors: unknown[] }).flexchatErrors)).toEqual([
    { code: 'frame_blocked', origin: blockedOrigin, message: expect.stringContaining(blockedOrigin) },
  ]);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(`Add ${blockedOrigin} to allowedDomains in flexchat.config.json (or FLEXCHAT_ALLOWED_DOMAINS)`);

  await expectNoA11yViolations(page, { exclude: ['iframe'] });

  await test.step('Try again loads the frame again; still refused, the message comes back without a second warning', async () => {
    await retry.click();
    await expect(alert).toBeHidden();
    await expect(page.getByRole('alert')).toHaveText(/The chat could not be loaded\./, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { flexchatErrors: Array<{ code: string }> }).flexchatErrors.map((e) => e.code))).toEqual([
      'frame_blocked',
      'frame_blocked',
    ]);
    expect(warnings).toHaveLength(1);
  });

  await test.step('closing the panel hides its message', async () => {
    await demo.launcher.click();
    await expect(page.getByRole('alert')).toBeHidden();
  });
});

test('an allowed page framed by an origin that is not allowed: the warning names the framing origin too', async ({ demo, page }) => {
  void demo; // its fixture opens the loader's closed shadow roots for the locators, in every frame
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().startsWith('[FlexChat]')) warnings.push(message.text());
  });
  await page.goto(`${blockedOrigin}/framing.html`);
  const shop = page.frameLocator('#shop');
  await shop.getByRole('button', { name: 'Chat with us' }).click();
  await expect(shop.getByRole('alert')).toHaveText(/The chat could not be loaded\./, { timeout: 30_000 });
  await expect.poll(() => warnings.length).toBe(1);
  expect(warnings[0]).toContain(`on ${localOrigins.demo}, framed by ${blockedOrigin}`);
  expect(warnings[0]).toContain(`Add ${localOrigins.demo} and ${blockedOrigin} to allowedDomains`);
});
