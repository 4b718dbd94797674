/**
 * What to tell a person when the browser would not give us a camera or microphone. getUserMedia rejects
 * with a DOMException whose `name` says why; anything else gets a generic sentence.
 */
export function mediaErrorMessage(err: unknown, what: 'camera' | 'microphone' | 'camera and microphone' = 'camera and microphone'): string {
  const name = typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Access to your ${what} was denied. Allow it for this site in the browser's address bar or settings, then try again.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${what} was found. Connect one, or pick another device, then try again.`;
    case 'NotReadableError':
    case 'AbortError':
      return `Your ${what} could not be started; another app may be using it. Close it, then try again.`;
    case 'TimeoutError':
      return `The browser did not open your ${what} in time. If it is asking for permission, answer it, then try again.`;
    case 'TypeError':
      return 'Cameras need a secure page (https) in this browser.';
    default:
      return `Your ${what} could not be started. Try again.`;
  }
}

/** getUserMedia with a deadline: a prompt nobody answers, or a driver that never returns, must not hang the call. */
export function withDeadline<T>(p: Promise<T>, ms: number, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(Object.assign(new Error('timed out'), { name: 'TimeoutError' }));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        if (done) onLate?.(v);
        else resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        if (!done) reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
