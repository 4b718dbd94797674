import { useCallback, useSyncExternalStore, type RefObject } from 'react';

/**
 * A number the <video> element keeps (its currentTime, its duration), read as an external store: React
 * reads it while rendering and renders again when the element reports a change (timeupdate,
 * durationchange). Null while there is no element.
 */
export function useVideoValue(videoRef: RefObject<HTMLVideoElement | null>, read: (video: HTMLVideoElement) => number): number | null {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const video = videoRef.current;
      if (!video) return () => {};
      video.addEventListener('timeupdate', onChange);
      video.addEventListener('durationchange', onChange);
      return () => {
        video.removeEventListener('timeupdate', onChange);
        video.removeEventListener('durationchange', onChange);
      };
    },
    [videoRef],
  );
  return useSyncExternalStore(subscribe, () => (videoRef.current ? read(videoRef.current) : null));
}
