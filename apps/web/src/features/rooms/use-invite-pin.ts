import { useEffect, useState } from 'react';
import { pinFromHash } from './invite-link';

/**
 * The PIN an invite link carried in its fragment (`#pin=1234`), read once when the room page opens. The
 * fragment is then dropped from the address bar, so the PIN is not left on screen, in history or in a
 * link someone copies from the address bar.
 */
export function useInvitePin(): string | undefined {
  const [pin] = useState(() => pinFromHash(window.location.hash));
  useEffect(() => {
    if (pin === undefined) return;
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  }, [pin]);
  return pin;
}
