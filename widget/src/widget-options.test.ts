import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath } from '../../config/load.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import { defaultWidgetOptions, resolveWidgetOptions } from './widget-options.ts';

const base = (): DeploymentConfig => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as DeploymentConfig;

describe('resolveWidgetOptions', () => {
  it('a config without behaviour settings gets the safe defaults: always open, no sound, no notifications', () => {
    const { businessHours, messages, attachments, notifications, offline, ...bare } = base();
    void [businessHours, messages, attachments, notifications, offline];
    expect(resolveWidgetOptions(bare)).toEqual(defaultWidgetOptions);
    expect(defaultWidgetOptions).toMatchObject({ businessHours: null, sound: false, browserNotifications: false, offlineMode: 'leaveMessage' });
  });

  it('takes every setting from the deployment config, keeping defaults for what it leaves out', () => {
    const hours = { timezone: 'America/New_York', weekly: { mon: [['09:00', '17:00']] as Array<[string, string]> } };
    const options = resolveWidgetOptions({
      ...base(),
      preEngagement: { ...base().preEngagement, skipForm: true },
      messages: { maskAgentNames: true, historyPageSize: 20, maxLength: 4000 },
      attachments: { maxFiles: 3, extensions: ['mp3'] },
      notifications: { sound: true },
      businessHours: hours,
      offline: { mode: 'closedMessage' },
    });
    expect(options).toEqual({
      businessHours: hours,
      offlineMode: 'closedMessage',
      maskAgentNames: true,
      markdown: false,
      skipForm: true,
      attachments: { ...defaultWidgetOptions.attachments, maxFiles: 3, extensions: ['mp3'] },
      sound: true,
      browserNotifications: false,
      historyPageSize: 20,
      maxMessageLength: 4000,
    });
  });

  it('explicit overrides (tests, embedding code) win over the config', () => {
    expect(resolveWidgetOptions({ ...base(), messages: { markdown: true } }, { markdown: false }).markdown).toBe(false);
  });
});
