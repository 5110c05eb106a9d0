import { expect, test } from './fixtures/test.ts';
import { formValues } from './fixtures/visitor-data.ts';

// The log is a virtual list: rows are placed by the sizes the widget measures. A message
// that joins its author's group changes the row before it (which then shows no time), so
// the rows move each time; in a real browser they must still tile, with the end in view.
test('rows tile without gaps or overlaps and the log follows its end as a group grows', async ({ demo, agent, visitor }) => {
  await demo.goto();
  const widget = await demo.openChat();
  await widget.startChat(formValues(visitor));
  const conversation = await agent.waitForConversation((c) => c.attributes.pre_engagement_data?.email === visitor.email);
  await widget.expectMessage('agent', new RegExp(`Hi ${visitor.name}`));

  // More than the panel holds: the later ones scroll the log.
  for (let i = 1; i <= 10; i++) {
    const line = i % 3 === 0 ? `Line ${i}, long enough to wrap onto a second line in the narrow panel of the widget.` : `Line ${i}.`;
    await agent.send(conversation.sid, line);
    await widget.expectMessage('agent', line);
    await expect
      .poll(
        async () => {
          const { gaps, belowView, lastRowInView } = await widget.logLayout();
          return { rowsDrawn: gaps.length + 1, gapsAndOverlaps: gaps.filter((gap) => gap !== 0), belowView, lastRowInView };
        },
        { message: `the rows after "${line}"` },
      )
      .toMatchObject({ gapsAndOverlaps: [], belowView: 0, lastRowInView: true });
  }
  const { gaps } = await widget.logLayout();
  expect(gaps.length).toBeGreaterThanOrEqual(10);
});
