import { describe, expect, it } from 'vitest';
import { AdminAccounts, AdminPolicy } from './admin-policy.js';

class FakeAccounts extends AdminAccounts {
  lookups = 0;
  constructor(public first: string | null) {
    super();
  }
  firstAccountId(): Promise<string | null> {
    this.lookups++;
    return Promise.resolve(this.first);
  }
}

const user = (id: string, email: string | null = `${id}@example.test`, isGuest = false) => ({ id, email, isGuest });

describe('AdminPolicy', () => {
  it('makes the first registered account an administrator, and nobody else by default', async () => {
    const policy = new AdminPolicy(new FakeAccounts('u1'), { adminEmails: [] });
    expect(await policy.isAdmin(user('u1'))).toBe(true);
    expect(await policy.isAdmin(user('u2'))).toBe(false);
  });

  it('adds every account whose email is in ADMIN_EMAILS, whatever its case', async () => {
    const policy = new AdminPolicy(new FakeAccounts('u1'), { adminEmails: ['ops@example.test'] });
    expect(await policy.isAdmin(user('u9', 'Ops@Example.TEST'))).toBe(true);
    expect(await policy.isAdmin(user('u8', 'other@example.test'))).toBe(false);
  });

  it('never makes a guest an administrator', async () => {
    const policy = new AdminPolicy(new FakeAccounts('g1'), { adminEmails: [] });
    expect(await policy.isAdmin(user('g1', null, true))).toBe(false);
  });

  it('looks the first account up until one exists, then remembers it', async () => {
    const accounts = new FakeAccounts(null);
    const policy = new AdminPolicy(accounts, { adminEmails: [] });
    expect(await policy.isAdmin(user('u1'))).toBe(false);
    accounts.first = 'u1';
    expect(await policy.isAdmin(user('u1'))).toBe(true);
    expect(await policy.isAdmin(user('u1'))).toBe(true);
    expect(accounts.lookups).toBe(2);
  });
});
