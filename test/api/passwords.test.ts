import { describe, expect, test } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/api/passwords.ts';

describe('passwords: scrypt with a random salt, parameters kept with the hash', () => {
  test('the right password verifies, a wrong one does not, and the hash says how it was made', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(h).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  test('the same password hashes differently each time (random salt)', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  test('a hash made with other parameters still verifies (they are read from the hash)', async () => {
    const cheap = await hashPassword('older hash', { N: 1024, r: 8, p: 1 });
    expect(cheap.split('$').slice(1, 4)).toEqual(['1024', '8', '1']);
    expect(await verifyPassword('older hash', cheap)).toBe(true);
  });

  test('a malformed or foreign hash never verifies and never throws', async () => {
    for (const stored of ['', 'plain', 'scrypt$x$y$z$a$b', 'bcrypt$2b$10$abc', 'scrypt$1024$8$1$c2FsdA$']) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });
});
