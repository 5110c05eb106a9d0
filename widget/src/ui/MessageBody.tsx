// Message text rendered as React elements: text nodes, safe autolinks and
// (optionally) light markdown. Never HTML strings, never dangerouslySetInnerHTML.
import { useMemo, type ReactNode } from 'react';
import { parseMessage, type MarkNode } from './markdown.ts';

function render(nodes: readonly MarkNode[]): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return <span key={i}>{node.text}</span>;
      case 'link':
        return (
          <a key={i} href={node.href} target="_blank" rel="noopener noreferrer">
            {node.text}
          </a>
        );
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'strong':
        return <strong key={i}>{render(node.children)}</strong>;
      case 'em':
        return <em key={i}>{render(node.children)}</em>;
    }
  });
}

export function MessageBody({ text, id, markdown = false }: { text: string; id?: string; markdown?: boolean }) {
  const nodes = useMemo(() => parseMessage(text, markdown), [text, markdown]);
  return (
    <p className="fc-msg-text" id={id}>
      {render(nodes)}
    </p>
  );
}
