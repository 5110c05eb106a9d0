// The flexchat QA kit: one import for a new spec (see e2e/README.md).
//
//   import { test, expect, formValues } from './kit.ts';
//   test('…', async ({ demo, agent, agentConsole, visitor }) => { … });
export { test, expect, openClosedShadowRoots, type FlexchatFixtures } from './fixtures/test.ts';
export { AgentApi, type AgentConversation, type AgentMessage } from './fixtures/agent-api.ts';
export { FaultsApi, type FailRule, type FaultState } from './fixtures/faults.ts';
export { expectNoA11yViolations, tabUntilFocused, A11Y_TAGS, WIDGET_KNOWN_ISSUES, type A11yOptions } from './fixtures/a11y.ts';
export { newVisitor, formValues, type VisitorData } from './fixtures/visitor-data.ts';
export { chatWithAgent, transferChat } from './fixtures/journeys.ts';
export { agents, type AgentIdentity } from './fixtures/agents.ts';
export { readTranscript, type Transcript, type TranscriptEntry } from './fixtures/transcript.ts';
export { widgetStrings, formatString, type WidgetStrings } from './fixtures/widget-strings.ts';
export { NetworkGuard } from './fixtures/network-guard.ts';
export { LegacyTokenService, legacyTest, type LegacyWorkerFixtures, type ForwardedRequest } from './fixtures/legacy-token-service.ts';
export { DemoPage, WIDGET_IFRAME, isWidgetDocument } from './pages/demo-page.ts';
export { WidgetFrame, type MessageRole } from './pages/widget-frame.ts';
export { AgentConsole } from './pages/agent-console.ts';
export { localOrigins, localPorts } from '../scripts/local-origins.ts';
