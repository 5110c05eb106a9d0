import '../styles.css';
import './examples.css';
import { embed, pageNonce } from '../embed.ts';
import { pageSnippet, showSnippet } from './common.ts';

const { widgetOrigin } = __FLEXCHAT_DEPLOYMENT__;
const nonce = pageNonce(document);

// Anything the policy blocks is reported here (and by the e2e spec).
let violations = 0;
document.addEventListener('securitypolicyviolation', (event) => {
  violations++;
  document.getElementById('csp-violations')!.textContent = `${violations} CSP violation(s); last: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`;
});

showSnippet(pageSnippet(widgetOrigin, nonce === undefined ? {} : { nonce }));
void fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then((response) => {
  const policy = response.headers.get('Content-Security-Policy');
  document.getElementById('csp-header')!.textContent = policy
    ? `Content-Security-Policy: ${policy.replace(/'nonce-[^']+'/g, "'nonce-…'").split('; ').join(';\n  ')}`
    : 'No Content-Security-Policy header: serve this page with "npm start".';
});

embed(document, widgetOrigin, nonce === undefined ? {} : { nonce });
