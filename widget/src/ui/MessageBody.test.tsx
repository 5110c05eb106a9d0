import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageBody } from './MessageBody.tsx';

afterEach(cleanup);

function renderBody(text: string, markdown?: boolean) {
  const { container } = render(<MessageBody text={text} {...(markdown === undefined ? {} : { markdown })} />);
  return container.querySelector('p')!;
}

const hrefs = (root: HTMLElement) => Array.from(root.querySelectorAll('a')).map((a) => a.getAttribute('href'));

describe('text', () => {
  it('shows the message text in a paragraph, with the given id (for aria-describedby)', () => {
    render(<MessageBody text="Hello, how can I help?" id="msg-1-body" />);
    const p = document.getElementById('msg-1-body')!;
    expect(p.tagName).toBe('P');
    expect(p.textContent).toBe('Hello, how can I help?');
  });

  it('shows HTML in a message literally and creates no elements from it', () => {
    const text = '<img src=x onerror=alert(1)> <b>bold</b> <script>alert(2)</script> <a href="javascript:alert(3)">x</a>';
    const p = renderBody(text);
    expect(p.textContent).toBe(text);
    expect(p.querySelector('img, b, script, a')).toBeNull();
    expect(document.querySelector('img, script')).toBeNull();
  });

  it('keeps line breaks and spacing as typed', () => {
    const p = renderBody('line one\n  line two');
    expect(p.textContent).toBe('line one\n  line two');
  });
});

describe('links', () => {
  it('makes http and https addresses links that open in a new tab without access to the widget', () => {
    const p = renderBody('See http://example.com/a and https://example.com/help?x=1#top for more');
    const links = screen.getAllByRole('link');
    expect(links.map((a) => a.textContent)).toEqual(['http://example.com/a', 'https://example.com/help?x=1#top']);
    expect(hrefs(p)).toEqual(['http://example.com/a', 'https://example.com/help?x=1#top']);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(p.textContent).toBe('See http://example.com/a and https://example.com/help?x=1#top for more');
  });

  it('makes mailto:, tel: and bare e-mail addresses links', () => {
    const p = renderBody('Write to mailto:help@example.com or ana@example.com, or call tel:+1-555-123-4567');
    expect(hrefs(p)).toEqual(['mailto:help@example.com', 'mailto:ana@example.com', 'tel:+15551234567']);
    expect(screen.getByRole('link', { name: 'tel:+1-555-123-4567' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'ana@example.com' }).getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('never makes javascript:, data:, vbscript: or file: links, whatever their case', () => {
    const text =
      'javascript:alert(1) JavaScript:alert(1) data:text/html,<script>alert(1)</script> vbscript:msgbox(1) file:///etc/passwd mailto:javascript:alert(1)';
    const p = renderBody(text);
    expect(p.querySelector('a')).toBeNull();
    expect(p.querySelector('script')).toBeNull();
    expect(p.textContent).toBe(text);
  });

  it('markdown-style links cannot smuggle a javascript: target', () => {
    const p = renderBody('[click me](javascript:alert(1))', true);
    expect(p.querySelector('a')).toBeNull();
    expect(p.textContent).toBe('[click me](javascript:alert(1))');
  });

  it('leaves sentence punctuation out of a link', () => {
    const p = renderBody('Go to https://example.com/help. Or (https://example.com/faq)!');
    expect(hrefs(p)).toEqual(['https://example.com/help', 'https://example.com/faq']);
    expect(p.textContent).toBe('Go to https://example.com/help. Or (https://example.com/faq)!');
  });

  it('addresses without a scheme stay text', () => {
    const p = renderBody('visit www.example.com or example.com');
    expect(p.querySelector('a')).toBeNull();
  });
});

describe('markdown', () => {
  it('is off by default: asterisks, underscores and backticks show as typed', () => {
    const p = renderBody('**bold** _italic_ `code`');
    expect(p.querySelector('strong, em, code')).toBeNull();
    expect(p.textContent).toBe('**bold** _italic_ `code`');
  });

  it('when on, shows bold, italic and code', () => {
    const p = renderBody('**bold** and __also bold__, *italic* and _also italic_, `npm install`', true);
    expect(Array.from(p.querySelectorAll('strong')).map((e) => e.textContent)).toEqual(['bold', 'also bold']);
    expect(Array.from(p.querySelectorAll('em')).map((e) => e.textContent)).toEqual(['italic', 'also italic']);
    expect(p.querySelector('code')?.textContent).toBe('npm install');
    expect(p.textContent).toBe('bold and also bold, italic and also italic, npm install');
  });

  it('when on, emphasis can hold a link, and the link is still safe', () => {
    const p = renderBody('**see https://example.com/a_b_c**', true);
    const strong = p.querySelector('strong')!;
    const link = strong.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://example.com/a_b_c');
    expect(link.textContent).toBe('https://example.com/a_b_c');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('target')).toBe('_blank');
  });

  it('when on, an address inside code stays code, not a link', () => {
    const p = renderBody('run `curl https://example.com/x`', true);
    expect(p.querySelector('a')).toBeNull();
    expect(p.querySelector('code')?.textContent).toBe('curl https://example.com/x');
  });

  it('when on, HTML inside emphasis is still shown as text', () => {
    const p = renderBody('**<img src=x onerror=alert(1)>**', true);
    expect(p.querySelector('img')).toBeNull();
    expect(p.querySelector('strong')?.textContent).toBe('<img src=x onerror=alert(1)>');
  });

  it('when on, snake_case and arithmetic are left alone', () => {
    const p = renderBody('set max_file_size to 2*3*4', true);
    expect(p.querySelector('strong, em')).toBeNull();
    expect(p.textContent).toBe('set max_file_size to 2*3*4');
  });

  it('re-renders when the text or the markdown setting changes', () => {
    const { container, rerender } = render(<MessageBody text="**one**" markdown />);
    expect(container.querySelector('strong')?.textContent).toBe('one');
    rerender(<MessageBody text="**one**" markdown={false} />);
    expect(container.querySelector('strong')).toBeNull();
    expect(container.textContent).toBe('**one**');
    rerender(<MessageBody text="https://example.com/two" markdown={false} />);
    expect(hrefs(container as HTMLElement)).toEqual(['https://example.com/two']);
  });
});
