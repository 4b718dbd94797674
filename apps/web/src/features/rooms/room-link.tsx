import { useEffect, useState } from 'react';

/** The shareable room URL with a copy button (falls back to selecting the text when the clipboard is unavailable). */
export function RoomLink({ roomId }: { roomId: string }) {
  const url = `${window.location.origin}/r/${roomId}`;
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (copied === 'idle') return;
    const t = setTimeout(() => setCopied('idle'), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <div className="room-link">
      <label htmlFor="room-link-input">Room link</label>
      <div className="row">
        <input id="room-link-input" type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={copy}>
          {copied === 'copied' ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <span className="sr-live" aria-live="polite">
        {copied === 'copied' ? 'Room link copied.' : copied === 'failed' ? 'Could not copy: select the link and copy it yourself.' : ''}
      </span>
    </div>
  );
}
