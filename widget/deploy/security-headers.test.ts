import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath } from '../../config/load.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import { validateDeploymentConfig } from '../../config/validate.ts';
import { widgetDocumentHeaders } from './security-headers.ts';

const base = (): DeploymentConfig => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as DeploymentConfig;
const directive = (csp: string | undefined, name: string) => new RegExp(`(?:^|; )${name} ([^;]+)`).exec(csp ?? '')?.[1]?.split(' ');

describe('card pictures (messages.imageOrigins)', () => {
  it('are allowed from nowhere but the widget and Twilio by default', () => {
    const csp = widgetDocumentHeaders(base(), ['https://media.us1.twilio.com'])['Content-Security-Policy'];
    expect(directive(csp, 'img-src')).toEqual(["'self'", 'blob:', 'data:', 'https://media.us1.twilio.com']);
  });

  it('load from the listed origins, which reach img-src only', () => {
    const config = { ...base(), messages: { imageOrigins: ['https://cdn.example.com', 'https://images.example.org:8443'] } };
    expect(validateDeploymentConfig(config).ok).toBe(true);
    const csp = widgetDocumentHeaders(config, ['https://media.us1.twilio.com'])['Content-Security-Policy'];
    expect(directive(csp, 'img-src')).toEqual(["'self'", 'blob:', 'data:', 'https://media.us1.twilio.com', 'https://cdn.example.com', 'https://images.example.org:8443']);
    expect(directive(csp, 'media-src')).not.toContain('https://cdn.example.com');
    expect(directive(csp, 'connect-src')).not.toContain('https://cdn.example.com');
  });

  it.each([
    ['plain http', 'http://cdn.example.com'],
    ['a path', 'https://cdn.example.com/cards'],
    ['a wildcard', 'https://*.example.com'],
    ['a second directive smuggled in', 'https://cdn.example.com; script-src *'],
    ['a scheme only', 'https:'],
  ])('refuse %s in the config', (_name, origin) => {
    const result = validateDeploymentConfig({ ...base(), messages: { imageOrigins: [origin] } });
    expect(result.ok).toBe(false);
  });
});
