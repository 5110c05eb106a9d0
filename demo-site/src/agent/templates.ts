// The agent console's Content template picker: the templates the emulator has
// (GET /agent/content), sent to the selected chat with the agent API, {{1}}
// set to the visitor's name (the seeded quick reply greets them with it).
import type { AgentConversation } from './agent-api.ts';
import { actingAgent, templateLabel, visitorName } from './chat-model.ts';
import { api, el, fail, state, ui } from './console-state.ts';

async function loadTemplates(): Promise<void> {
  try {
    const templates = await api.contentTemplates();
    ui.template.replaceChildren(...templates.map((t) => el('option', { value: t.sid }, templateLabel(t))));
  } catch (error) {
    fail(error);
  }
}

/** Wires the picker; `act` runs an action on the selected chat (in turn, status line, refresh). */
export function setUpTemplates(act: (what: string, action: (conversation: AgentConversation) => Promise<unknown>) => Promise<void>): void {
  void loadTemplates();
  ui.sendTemplate.addEventListener('click', () => {
    const contentSid = ui.template.value;
    if (!contentSid) {
      fail('No Content template to send: is the Flex emulator running?');
      return;
    }
    const label = ui.template.selectedOptions[0]?.textContent ?? contentSid;
    void act(`Template sent: ${label}.`, (c) => api.sendContent(c.sid, contentSid, actingAgent(c, state.me).identity, { '1': visitorName(c) }));
  });
}
