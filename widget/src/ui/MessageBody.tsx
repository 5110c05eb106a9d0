// Message text rendered as text nodes, with safe autolinks. Never HTML.
import { useMemo } from 'react';
import { linkify } from './linkify.ts';

export function MessageBody({ text, id }: { text: string; id?: string }) {
  const tokens = useMemo(() => linkify(text), [text]);
  return (
    <p className="fc-msg-text" id={id}>
      {tokens.map((token, i) =>
        token.type === 'link' ? (
          <a key={i} href={token.href} target="_blank" rel="noopener noreferrer">
            {token.text}
          </a>
        ) : (
          <span key={i}>{token.text}</span>
        ),
      )}
    </p>
  );
}
