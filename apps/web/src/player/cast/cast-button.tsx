import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { castTo, loadCastSdk } from './cast-sender';

interface Props {
  mediaId: string;
  title: string;
}

/**
 * "Cast": asks the server for a casting URL for this media (short-lived, tokenized, no cookie needed), loads
 * the Google Cast SDK (only now, from its CDN) and hands the URL to the device the person picks. Shown only
 * where a casting URL can be made (canCast).
 */
export function CastButton({ mediaId, title }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const cast = async () => {
    setBusy(true);
    setError(null);
    try {
      const { url } = await api.media.castUrl(mediaId);
      const sdk = await loadCastSdk();
      await castTo(sdk, new URL(url, window.location.origin).href, title);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="cast">
      <button type="button" className="small-button" onClick={() => void cast()} disabled={busy} aria-label={`Cast ${title} to a TV`}>
        Cast
      </button>
      {error && (
        <span className="error" role="alert" data-testid="cast-error">
          {error}
        </span>
      )}
    </span>
  );
}
