import { describe, expect, it } from 'vitest';
import { mediaErrorMessage, withDeadline } from './media-errors';

describe('mediaErrorMessage', () => {
  it('says what happened and what to do for each getUserMedia failure', () => {
    expect(mediaErrorMessage({ name: 'NotAllowedError' })).toMatch(/^Access to your camera and microphone was denied\. Allow it/);
    expect(mediaErrorMessage({ name: 'NotFoundError' }, 'camera')).toBe(
      'No camera was found. Connect one, or pick another device, then try again.',
    );
    expect(mediaErrorMessage({ name: 'NotReadableError' }, 'microphone')).toMatch(/another app may be using it/);
    expect(mediaErrorMessage({ name: 'TimeoutError' })).toMatch(/did not open your camera and microphone in time/);
    expect(mediaErrorMessage(new Error('x'))).toBe('Your camera and microphone could not be started. Try again.');
  });
});

describe('withDeadline', () => {
  it('rejects with a TimeoutError when the browser never answers, and stops what arrives late', async () => {
    let resolveLate: (v: string) => void = () => undefined;
    const late: string[] = [];
    const p = withDeadline(new Promise<string>((r) => (resolveLate = r)), 10, (v) => late.push(v));
    await expect(p).rejects.toMatchObject({ name: 'TimeoutError' });
    resolveLate('stream');
    await Promise.resolve();
    expect(late).toEqual(['stream']);
    await expect(withDeadline(Promise.resolve(1), 1000)).resolves.toBe(1);
    await expect(withDeadline(Promise.reject(Object.assign(new Error('no'), { name: 'NotAllowedError' })), 1000)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });
});
