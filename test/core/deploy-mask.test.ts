import { describe, expect, it } from 'vitest';
import {
  createLogLimiter,
  describeLogCut,
  formatBytes,
  replaceNul,
  sliceToBytes,
} from '../../src/core/deploy-log-limit.js';
import { createMasker, MASK, maskText, providerSecrets, selectSecrets } from '../../src/core/deploy-mask.js';

const SECRETS = selectSecrets(['hunter2-token', 'xoxb-123-abc', 'eu', undefined, 'abcabd']);

function maskInChunks(text: string, cuts: readonly number[], secrets = SECRETS): string {
  const masker = createMasker(secrets);
  let out = '';
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    out += masker.push(text.slice(from, cut));
    from = cut;
  }
  return out + masker.end();
}

describe('selectSecrets', () => {
  it('drops values too short to mask, duplicates and blanks, longest first, and splits lines', () => {
    expect(
      selectSecrets(['eu', '1234', 'abcdefgh', '1234', '', undefined, '-----BEGIN KEY-----\nMIIEpAIB\n']),
    ).toEqual(['-----BEGIN KEY-----', 'abcdefgh', 'MIIEpAIB', '1234']);
  });
});

describe('maskText', () => {
  it.each([
    ['token=hunter2-token', `token=${MASK}`],
    ['two: xoxb-123-abc and hunter2-token.', `two: ${MASK} and ${MASK}.`],
    ['eu stays: short values are not masked', 'eu stays: short values are not masked'],
    ['nothing here', 'nothing here'],
  ])('%j → %j', (text, masked) => {
    expect(maskText(text, SECRETS)).toBe(masked);
  });
});

describe('createMasker', () => {
  const text = 'start hunter2-token middle xoxb-123-abc end abcabcabd!';
  const expected = `start ${MASK} middle ${MASK} end abc${MASK}!`;

  it('masks a secret split across two chunks, at every possible split', () => {
    for (let cut = 0; cut <= text.length; cut++) expect(maskInChunks(text, [cut])).toBe(expected);
  });

  it('masks a secret split across many chunks', () => {
    expect(
      maskInChunks(
        text,
        Array.from({ length: text.length }, (_, i) => i),
      ),
    ).toBe(expected);
  });

  it('holds back only what could still become a secret, and lets it go at the end', () => {
    const masker = createMasker(SECRETS);
    expect(masker.push('done. hunt')).toBe('done. ');
    expect(masker.push('ing season')).toBe('hunting season');
    expect(masker.push('; xoxb-1')).toBe('; ');
    expect(masker.end()).toBe('xoxb-1');
  });

  it('passes text through untouched when there are no secrets', () => {
    expect(maskInChunks('anything at all', [3, 7], [])).toBe('anything at all');
  });
});

describe('the log limit', () => {
  it('keeps what fits and cuts once, at a character boundary', () => {
    const limiter = createLogLimiter(10);
    expect(limiter.take('12345')).toEqual({ text: '12345', cut: false });
    expect(limiter.take('678é€')).toEqual({ text: '678é', cut: true });
    expect(limiter.take('more')).toEqual({ text: '', cut: false });
  });

  it.each([
    ['abc', 2, 'ab'],
    ['é€😀', 5, 'é€'],
    ['😀', 3, ''],
    ['abc', 10, 'abc'],
  ])('sliceToBytes(%j, %d) → %j', (text, bytes, slice) => {
    expect(sliceToBytes(text, bytes)).toBe(slice);
  });

  it.each([
    [5 * 1024 * 1024, '5 MiB'],
    [1536 * 1024, '1.5 MiB'],
    [2048, '2 KiB'],
    [100, '100 bytes'],
  ])('formatBytes(%d) → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('says where the log was cut and why', () => {
    expect(describeLogCut(5 * 1024 * 1024)).toBe(
      '\n[deploybot] The log reached its limit of 5 MiB here; the rest of the output was not kept.\n',
    );
  });

  it('replaces NUL, which PostgreSQL text cannot hold', () => {
    expect(replaceNul('a\u0000b')).toBe('a\ufffdb');
  });
});

describe('providerSecrets', () => {
  it.each([
    [
      { type: 'script', command: ['./d'], checkout: true, timeoutSeconds: 1, env: { A: 'x1', B: 'y2' } },
      ['x1', 'y2'],
    ],
    [
      {
        type: 'http',
        url: 'https://d.example.com',
        headers: { authorization: 'Bearer t' },
        timeoutSeconds: 1,
      },
      ['Bearer t'],
    ],
    [{ type: 'external' }, []],
    [undefined, []],
  ] as const)('%j -> %j', (provider, secrets) => {
    expect(providerSecrets(provider)).toEqual(secrets);
  });
});
