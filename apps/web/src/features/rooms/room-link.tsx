import { useEffect, useId, useState } from 'react';
import { inviteUrl } from './invite-link';
import { QrCode } from './qr-code';
import './invite.css';

const PIN_RE = /^\d{4,12}$/;

/**
 * The shareable room link with a copy button (falls back to selecting the text when the clipboard is
 * unavailable) and a QR code of it. In a PIN room the host may put the PIN into the link: it travels in
 * the fragment (`#pin=`), which browsers never send to the server.
 */
export function RoomLink({ roomId, hasPin = false, canSharePin = false }: { roomId: string; hasPin?: boolean; canSharePin?: boolean }) {
  const ids = useId();
  const [pin, setPin] = useState('');
  const [showQr, setShowQr] = useState(false);
  // Folded by default: the field and its hint would push the player below a laptop screen's fold.
  const [showPin, setShowPin] = useState(false);
  const pinOk = PIN_RE.test(pin);
  const url = inviteUrl(window.location.origin, roomId, hasPin && pinOk ? pin : undefined);
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
      <label htmlFor="room-link-input">{hasPin && pinOk ? 'Invite link (with PIN)' : 'Room link'}</label>
      <div className="row room-link-row">
        <input id="room-link-input" type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={copy}>
          {copied === 'copied' ? 'Copied' : 'Copy link'}
        </button>
        <button type="button" aria-expanded={showQr} aria-controls={`${ids}-qr`} onClick={() => setShowQr((s) => !s)}>
          {showQr ? 'Hide QR code' : 'QR code'}
        </button>
        {hasPin && canSharePin && (
          <button type="button" aria-expanded={showPin} aria-controls={`${ids}-pin-box`} onClick={() => setShowPin((s) => !s)}>
            {showPin ? 'Hide PIN option' : 'PIN in the link'}
          </button>
        )}
      </div>
      {hasPin && canSharePin && showPin && (
        <div className="room-link-pin" id={`${ids}-pin-box`}>
          <label htmlFor={`${ids}-pin`}>Put the PIN in the link (optional)</label>
          <input
            id={`${ids}-pin`}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={12}
            value={pin}
            aria-describedby={`${ids}-pin-hint`}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
          <p className="hint" id={`${ids}-pin-hint`}>
            {pin && !pinOk
              ? 'A PIN has 4 to 12 digits.'
              : 'Whoever has this link joins without typing the PIN. It rides after "#", which browsers never send to the server.'}
          </p>
        </div>
      )}
      {showQr && (
        <div className="room-qr" id={`${ids}-qr`}>
          <QrCode text={url} label={hasPin && pinOk ? 'QR code of the invite link with the PIN' : 'QR code of the room link'} />
        </div>
      )}
      <span className="sr-live" aria-live="polite">
        {copied === 'copied' ? 'Room link copied.' : copied === 'failed' ? 'Could not copy: select the link and copy it yourself.' : ''}
      </span>
    </div>
  );
}
