import { useCallback, useEffect, useState } from 'react';
import { IMPORT_LINK_KINDS, type MediaView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';

export type LinkImportState =
  { status: 'idle' } | { status: 'sending' } | { status: 'accepted'; name: string } | { status: 'refused'; message: string };

/**
 * "Add by link": sends the link, and keeps the server's sentence when it refuses one (a private address,
 * a port, not http(s)...). Progress then shows on the item itself (media:progress), like an upload's.
 */
export function useLinkImport(roomId: string, onAdded: (media: MediaView) => void) {
  const [state, setState] = useState<LinkImportState>({ status: 'idle' });
  const [linkKinds, setLinkKinds] = useState(IMPORT_LINK_KINDS);

  useEffect(() => {
    let cancelled = false;
    api.media
      .importOptions()
      .then((o) => !cancelled && setLinkKinds(o.linkKinds))
      // The default sentence is right whenever the options cannot be read.
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, []);

  const submit = useCallback(
    async (url: string): Promise<boolean> => {
      const link = url.trim();
      if (link === '') {
        setState({ status: 'refused', message: 'Paste a link to a video file or an HLS playlist.' });
        return false;
      }
      setState({ status: 'sending' });
      try {
        const media = await api.media.importLink(roomId, link);
        onAdded(media);
        setState({ status: 'accepted', name: media.originalName });
        return true;
      } catch (err) {
        setState({ status: 'refused', message: errorMessage(err) });
        return false;
      }
    },
    [roomId, onAdded],
  );

  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return { state, submit, reset, linkKinds };
}
