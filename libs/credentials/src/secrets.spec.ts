import { generateAdminKey, generateConsoleSessionSecret, generateScimToken, generateSessionToken, isSecretOfKind, secretDigest, secretPrefix } from './secrets';

describe('secrets', () => {
  it('generates prefixed base62 secrets of 256 bits', () => {
    expect(generateScimToken()).toMatch(/^scim_[0-9A-Za-z]{43}$/);
    expect(generateAdminKey()).toMatch(/^adm_[0-9A-Za-z]{43}$/);
    expect(generateSessionToken()).toMatch(/^ses_[0-9A-Za-z]{43}$/);
    expect(generateConsoleSessionSecret()).toMatch(/^con_[0-9A-Za-z]{43}$/);
  });

  it('never repeats itself and uses the whole alphabet', () => {
    const tokens = Array.from({ length: 2000 }, generateScimToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    const seen = new Set(tokens.join('').replace(/scim_/g, ''));
    expect(seen.size).toBe(62);
  });

  it('digests as lower-case hex SHA-256', () => {
    expect(secretDigest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('keeps the kind and 8 characters as the visible prefix', () => {
    expect(secretPrefix('scim_AbCdEfGh1234567890123456789012345678901234')).toBe('scim_AbCdEfGh');
    expect(secretPrefix('adm_AbCdEfGh1234567890123456789012345678901234')).toBe('adm_AbCdEfGh');
  });

  it('recognises the kind of a well-formed secret only', () => {
    const token = generateScimToken();
    expect(isSecretOfKind(token, 'scim')).toBe(true);
    expect(isSecretOfKind(token, 'adm')).toBe(false);
    expect(isSecretOfKind(`${token}x`, 'scim')).toBe(false);
    expect(isSecretOfKind('scim_short', 'scim')).toBe(false);
  });
});
