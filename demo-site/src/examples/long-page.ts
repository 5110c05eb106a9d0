import '../styles.css';
import './examples.css';
import { embed } from '../embed.ts';
import { pageSnippet, showSnippet } from './common.ts';

const { widgetOrigin } = __FLEXCHAT_DEPLOYMENT__;

const chapters = [
  'Planning your route',
  'Packing light',
  'Layers for changing weather',
  'Water and food',
  'Navigation without signal',
  'Camp craft',
  'Leave no trace',
  'When things go wrong',
];

const list = document.getElementById('chapters')!;
const sections = document.getElementById('sections')!;
chapters.forEach((title, i) => {
  const id = `chapter-${i + 1}`;
  const link = Object.assign(document.createElement('a'), { href: `#${id}`, textContent: title });
  list.append(Object.assign(document.createElement('li'), {}), '');
  list.lastElementChild!.append(link);
  const section = Object.assign(document.createElement('section'), { id, className: 'long-section' });
  section.setAttribute('aria-labelledby', `${id}-title`);
  section.append(Object.assign(document.createElement('h2'), { id: `${id}-title`, textContent: `${i + 1}. ${title}` }));
  for (let p = 0; p < 3; p++) {
    section.append(
      Object.assign(document.createElement('p'), {
        textContent:
          'Good trips start long before the trailhead. Check the forecast twice, tell someone your plan and your return time, ' +
          'and pack for the weather you might get rather than the weather you expect. Questions about gear? Ask us in the chat.',
      }),
    );
  }
  sections.append(section);
});

showSnippet(pageSnippet(widgetOrigin));
embed(document, widgetOrigin);
