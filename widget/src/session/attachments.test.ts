import { describe, expect, it } from 'vitest';
import {
  acceptAttribute,
  canonicalType,
  checkFile,
  checkFiles,
  defaultAttachmentPolicy as policy,
  extensionOf,
  formatBytes,
  isImage,
} from './attachments.ts';

const file = (name: string, type: string, size = 1000) => ({ name, type, size });

describe('attachment policy', () => {
  it('mp3 is accepted whatever MIME type the browser reports, and is uploaded as audio/mpeg', () => {
    for (const type of ['audio/mpeg', 'audio/mp3', 'audio/mpga', 'audio/x-mpeg', 'audio/mpeg3', '', 'application/octet-stream']) {
      expect(checkFile(file('song.MP3', type), policy)).toEqual({ file: file('song.MP3', type), contentType: 'audio/mpeg' });
    }
  });

  it('maps every allowed extension to a canonical type', () => {
    expect(policy.extensions.map((e) => [e, canonicalType(`f.${e}`)])).toEqual([
      ['jpg', 'image/jpeg'],
      ['jpeg', 'image/jpeg'],
      ['png', 'image/png'],
      ['amr', 'audio/amr'],
      ['mp3', 'audio/mpeg'],
      ['mp4', 'video/mp4'],
      ['pdf', 'application/pdf'],
      ['heic', 'image/heic'],
      ['txt', 'text/plain'],
      ['gif', 'image/gif'],
    ]);
    expect(canonicalType('archive.zip')).toBeNull();
  });

  it('refuses other extensions, and files whose real type contradicts their name', () => {
    expect(checkFile(file('setup.exe', 'application/x-msdownload'), policy)).toMatchObject({ kind: 'type', filename: 'setup.exe' });
    expect(checkFile(file('noextension', 'text/plain'), policy)).toMatchObject({ kind: 'type' });
    expect(checkFile(file('invoice.pdf', 'image/png'), policy)).toMatchObject({ kind: 'type' });
    expect(checkFile(file('photo.jpg', 'image/jpeg; charset=binary'), policy)).toMatchObject({ contentType: 'image/jpeg' });
  });

  it('refuses empty files and files over the size limit (16 MB by default)', () => {
    expect(checkFile(file('a.txt', 'text/plain', 0), policy)).toEqual({ kind: 'empty', filename: 'a.txt' });
    expect(checkFile(file('big.mp4', 'video/mp4', 16 * 1024 * 1024 + 1), policy)).toEqual({ kind: 'too-large', filename: 'big.mp4', maxBytes: 16 * 1024 * 1024 });
    expect(checkFile(file('ok.mp4', 'video/mp4', 16 * 1024 * 1024), policy)).toMatchObject({ contentType: 'video/mp4' });
  });

  it('counts files: one per message by default, counting files already chosen', () => {
    const result = checkFiles([file('a.png', 'image/png'), file('b.png', 'image/png'), file('c.png', 'image/png')], policy);
    expect(result.accepted.map((a) => a.file.name)).toEqual(['a.png']);
    expect(result.problems).toEqual([{ kind: 'too-many', max: 1 }]);
    expect(checkFiles([file('d.png', 'image/png')], policy, 1).problems).toEqual([{ kind: 'too-many', max: 1 }]);
    expect(checkFiles([file('a.png', 'image/png'), file('b.png', 'image/png')], { ...policy, maxFiles: 2 }).accepted).toHaveLength(2);
  });

  it('a disabled policy accepts nothing and says so once', () => {
    expect(checkFiles([file('a.png', 'image/png'), file('b.png', 'image/png')], { ...policy, enabled: false })).toEqual({
      accepted: [],
      problems: [{ kind: 'disabled' }],
    });
  });

  it('honours a narrower configured list, case-insensitively', () => {
    const narrow = { ...policy, extensions: ['PDF'] };
    expect(checkFile(file('a.pdf', 'application/pdf'), narrow)).toMatchObject({ contentType: 'application/pdf' });
    expect(checkFile(file('a.png', 'image/png'), narrow)).toMatchObject({ kind: 'type', allowed: ['pdf'] });
  });

  it('builds the picker accept list from extensions and their MIME aliases', () => {
    const accept = acceptAttribute(policy).split(',');
    expect(accept).toEqual(expect.arrayContaining(['.mp3', 'audio/mpeg', 'audio/mpga', '.heic', 'application/pdf']));
    expect(new Set(accept).size).toBe(accept.length);
  });

  it('helpers', () => {
    expect(extensionOf('a.tar.GZ')).toBe('gz');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('trailing.')).toBe('');
    expect(isImage('image/png')).toBe(true);
    expect(isImage('image/heic')).toBe(false);
    expect(formatBytes(12, 'en')).toBe('12 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(16 * 1024 * 1024, 'en')).toBe('16 MB');
    expect(formatBytes(1536, 'de')).toBe('1,5 KB');
  });
});
