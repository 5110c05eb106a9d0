// A tiny client-side router: the widget must survive route changes without reloads.
import '../styles.css';
import './examples.css';
import { embed } from '../embed.ts';
import { pageSnippet, showSnippet } from './common.ts';

const { widgetOrigin } = __FLEXCHAT_DEPLOYMENT__;

interface Route {
  title: string;
  body: string;
}

function routeFor(pathname: string): Route {
  const order = /^\/spa\/orders\/(\d+)$/.exec(pathname);
  if (order) return { title: `Order #${order[1]}`, body: 'Shipped yesterday with Trail Express. Expected delivery: in two days.' };
  switch (pathname.replace(/\/$/, '')) {
    case '/spa/orders':
      return { title: 'Orders', body: 'Your last three orders: #1042 (shipped), #1031 (delivered), #1007 (delivered).' };
    case '/spa/help':
      return { title: 'Help', body: 'Questions about an order? Open the chat: it stays with you on every page of this app.' };
    default:
      return { title: 'Overview', body: 'Welcome back. This is a single-page app: links change the route without reloading.' };
  }
}

function render(focus: boolean): void {
  const route = routeFor(location.pathname);
  document.getElementById('route-title')!.textContent = route.title;
  document.getElementById('route-body')!.replaceChildren(Object.assign(document.createElement('p'), { textContent: route.body }));
  document.title = `${route.title} · Acme app · flexchat SPA demo`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-route]')) {
    if (new URL(link.href).pathname.replace(/\/$/, '') === location.pathname.replace(/\/$/, '')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (focus) document.getElementById('main')!.focus();
}

document.addEventListener('click', (event) => {
  const link = (event.target as Element).closest?.('a[data-route]') as HTMLAnchorElement | null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  if (link.href !== location.href) history.pushState(null, '', link.href);
  render(true);
});
window.addEventListener('popstate', () => render(true));

render(false);
showSnippet(pageSnippet(widgetOrigin));
embed(document, widgetOrigin);
