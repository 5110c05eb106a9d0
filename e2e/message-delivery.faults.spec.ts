import { readFileSync } from 'node:fs';
import { chatWithAgent, expect, test } from './kit.ts';

// Issue #12 "No message lost": one chat of 500 messages (250 typed by the visitor in the
// real widget, 250 sent by the agent) with 20 forced socket drops at varied moments, some
// while a visitor message is on its way. Every message must arrive exactly once on both
// sides: at the agent (the emulator's store) and in the visitor's own transcript.
test.describe.configure({ mode: 'serial' });

const TOTAL = 500;
const DROP_EVERY = 25;

/**
 * Where the drop of each block of 25 falls: at a different message each time, and at
 * different moments around it (racing a visitor's send, just before one, right before or
 * after an agent message), so every step of a send gets hit somewhere in the run.
 */
function dropAt(n: number): 'with-visitor-send' | 'before-visitor-send' | 'before-agent-send' | 'after-agent-send' | null {
  const block = Math.floor(n / DROP_EVERY);
  if (n % DROP_EVERY !== (block * 7 + 3) % DROP_EVERY) return null;
  if (n % 2 === 0) return block % 2 === 0 ? 'with-visitor-send' : 'before-visitor-send';
  return block % 2 === 0 ? 'after-agent-send' : 'before-agent-send';
}

function countBodies(bodies: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const body of bodies) counts.set(body, (counts.get(body) ?? 0) + 1);
  return counts;
}

function missingAndDuplicated(expected: readonly string[], seen: Map<string, number>): { missing: string[]; duplicated: string[] } {
  return {
    missing: expected.filter((body) => (seen.get(body) ?? 0) === 0),
    duplicated: expected.filter((body) => (seen.get(body) ?? 0) > 1),
  };
}

test('500 messages across 20 socket drops: none lost, none duplicated, on either side', async ({ demo, agent, faults, visitor, page }) => {
  // A bound, not a target: the run takes about two minutes on an idle two-core machine.
  test.setTimeout(360_000);
  const { widget, conversation } = await chatWithAgent(demo, agent, visitor);
  const tag = visitor.email.split('@')[0]!;
  const visitorBodies: string[] = [];
  const agentBodies: string[] = [];
  let drops = 0;
  const drop = async () => {
    drops++;
    await faults.dropSockets();
  };
  // The visitor types in the composer and presses Enter, as a person does (it keeps focus after a send).
  await widget.composer.focus();
  const type = async (body: string) => {
    await page.keyboard.insertText(body);
    await page.keyboard.press('Enter');
  };

  // Visitor and agent write at the same time, a pair at a time: message 2k from the visitor, 2k+1 from the agent.
  for (let n = 0; n < TOTAL; n += 2) {
    const [mine, theirs] = [`v${n} ${tag}`, `a${n + 1} ${tag}`];
    visitorBodies.push(mine);
    agentBodies.push(theirs);
    const visitorMoment = dropAt(n);
    const agentMoment = dropAt(n + 1);
    if (visitorMoment === 'before-visitor-send' || agentMoment === 'before-agent-send') await drop();
    if (visitorMoment === 'with-visitor-send') {
      // Mid-send: the emulator holds the answer back, so the message is on the wire (shown as
      // "sending") when the socket goes. First the outbox must be idle and the connection up (an
      // earlier drop's reconnect and catch-up may still be under way): else the new one waits queued.
      await expect(widget.connectionBanner).toBeHidden({ timeout: 30_000 });
      await expect(widget.messageLog.locator('[data-delivery]:not([data-delivery="sent"])')).toHaveCount(0, { timeout: 30_000 });
      // The list is virtual: only rows near the view exist. Under this burst it can lose the bottom
      // (the widget then offers "Jump to latest"); take it, as a visitor would, to see the new row.
      const jump = widget.frame.getByRole('button', { name: /Jump to latest messages/ });
      if (await jump.isVisible()) {
        await jump.click();
        await widget.composer.focus();
      }
      await faults.latency(1_500);
      await type(mine);
      await expect(widget.messages('visitor').filter({ hasText: mine })).toHaveAttribute('data-delivery', 'sending');
      await drop();
      await faults.latency(0);
      await agent.send(conversation.sid, theirs);
    } else {
      await Promise.all([type(mine), agent.send(conversation.sid, theirs)]);
    }
    if (agentMoment === 'after-agent-send') await drop();
  }
  expect(drops).toBe(TOTAL / DROP_EVERY);

  await test.step('the agent has every visitor message exactly once', async () => {
    await expect
      .poll(async () => {
        const seen = countBodies((await agent.messages(conversation.sid)).map((m) => m.body ?? ''));
        const { missing } = missingAndDuplicated(visitorBodies, seen);
        return missing.length;
      }, { timeout: 60_000, message: 'every visitor message to reach the agent' })
      .toBe(0);
    const seen = countBodies((await agent.messages(conversation.sid)).map((m) => m.body ?? ''));
    expect(missingAndDuplicated(visitorBodies, seen)).toEqual({ missing: [], duplicated: [] });
    expect(missingAndDuplicated(agentBodies, seen)).toEqual({ missing: [], duplicated: [] });
  });

  await test.step('the widget shows nothing left unsent', async () => {
    await expect(widget.connectionBanner).toBeHidden({ timeout: 30_000 });
    // Unsent messages sort below everything the server has: the newest rows are where they would be.
    await expect(widget.messageLog.locator('[data-delivery]:not([data-delivery="sent"])')).toHaveCount(0, { timeout: 30_000 });
  });

  await test.step("the visitor's transcript has every message exactly once", async () => {
    await widget.frame.getByRole('button', { name: 'End chat' }).click();
    await widget.frame.getByRole('alertdialog').getByRole('button', { name: 'End chat' }).click();
    await widget.expectEnded();
    const download = page.waitForEvent('download');
    await widget.frame.getByRole('button', { name: 'Download transcript' }).click();
    const text = readFileSync((await (await download).path())!, 'utf8');
    // Lines look like "[12:34] You: v0 tag" / "[12:34] Alex: a1 tag".
    const bodies = text.split('\n').flatMap((line) => {
      const match = /^\[[^\]]+\] [^:]+: (.*)$/.exec(line);
      return match ? [match[1]!] : [];
    });
    const seen = countBodies(bodies);
    expect(missingAndDuplicated(visitorBodies, seen)).toEqual({ missing: [], duplicated: [] });
    expect(missingAndDuplicated(agentBodies, seen)).toEqual({ missing: [], duplicated: [] });
  });
});
