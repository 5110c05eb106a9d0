import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TWILIO_ERRORS } from './twilio-errors.ts';

// FIDELITY.md is the emulator's account of itself: every Twilio error code the
// emulator can answer with has a row there (with its source), and no row
// names a code the emulator does not use.

const fidelity = readFileSync(resolve(import.meta.dirname, '../FIDELITY.md'), 'utf8');

function errorTableCodes(): number[] {
  const section = fidelity.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| (\d{5}) \|/gm)].map((match) => Number(match[1]));
}

describe('FIDELITY.md', () => {
  it('has one row per error code the emulator uses, each with its Twilio title', () => {
    const documented = errorTableCodes();
    const used = Object.keys(TWILIO_ERRORS).map(Number);
    expect([...documented].sort()).toEqual([...used].sort());
    expect(new Set(documented).size).toBe(documented.length);
    for (const [code, title] of Object.entries(TWILIO_ERRORS)) {
      const row = fidelity.split('\n').find((line) => line.startsWith(`| ${code} |`)) ?? '';
      expect(row, `row of ${code}`).toContain(`| ${title} |`);
    }
  });

  it('gives every row a source or says guess', () => {
    const section = fidelity.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
    for (const row of section.split('\n').filter((line) => /^\| \d{5} \|/.test(line))) {
      const source = row.split('|').at(-2) ?? '';
      expect(source.trim(), row).toMatch(/Error \d{5}|limits|twilsock|spec|guess/);
    }
  });
});
