/**
 * Google Cast (Chromecast) sender: the SDK script is loaded from Google's CDN only when someone presses
 * Cast, never with the page (the CSP allows https://www.gstatic.com for scripts for this; docs/SECURITY.md).
 * The receiver is Google's Default Media Receiver, which fetches the stream from its own origin without our
 * cookie: it gets the tokenized casting URL (POST /api/media/:id/cast), and the operator lists the receiver's
 * origin in MEDIA_CORS_ORIGINS. https://developers.google.com/cast/docs/web_sender/integrate
 */
export const CAST_SDK_URL = 'https://www.gstatic.com/cv/js/sender/v1/cast_sender.js?loadCastFramework=1';

/** The slice of the Cast sender SDK we use (cast.framework + chrome.cast.media), typed here once. */
interface CastSdk {
  cast: {
    framework: {
      CastContext: {
        getInstance(): {
          setOptions(o: { receiverApplicationId: string; autoJoinPolicy: string }): void;
          requestSession(): Promise<unknown>;
          getCurrentSession(): { loadMedia(request: unknown): Promise<unknown> } | null;
        };
      };
    };
  };
  chrome: {
    cast: {
      AutoJoinPolicy: { ORIGIN_SCOPED: string };
      media: {
        DEFAULT_MEDIA_RECEIVER_APP_ID: string;
        MediaInfo: new (contentId: string, contentType: string) => Record<string, unknown>;
        LoadRequest: new (media: unknown) => unknown;
        HlsSegmentFormat: { FMP4: string };
        HlsVideoSegmentFormat: { FMP4: string };
      };
    };
  };
}

type CastWindow = Window & Partial<CastSdk> & { __onGCastApiAvailable?: (available: boolean) => void };

let loading: Promise<CastSdk> | null = null;

/** Loads the SDK once; rejects with a sentence for people when it cannot be loaded or this browser cannot cast. */
export function loadCastSdk(): Promise<CastSdk> {
  loading ??= new Promise<CastSdk>((resolve, reject) => {
    // Through unknown: the player library declares its own (narrower) global `chrome` for its Cast support.
    const w = window as unknown as CastWindow;
    w.__onGCastApiAvailable = (available) => {
      if (available && w.cast && w.chrome?.cast) resolve({ cast: w.cast, chrome: w.chrome });
      else reject(new Error('This browser cannot cast. Casting works in Chrome with a Chromecast on the same network.'));
    };
    const script = document.createElement('script');
    script.src = CAST_SDK_URL;
    script.async = true;
    script.onerror = () => reject(new Error('Casting is not available right now: the Google Cast library could not be loaded.'));
    document.head.append(script);
  }).catch((err: unknown) => {
    loading = null; // a later press tries again
    throw err;
  });
  return loading;
}

/** Asks the person to pick a device, then has it play `absoluteUrl` (fMP4 HLS). */
export async function castTo(sdk: CastSdk, absoluteUrl: string, title: string): Promise<void> {
  const context = sdk.cast.framework.CastContext.getInstance();
  context.setOptions({
    receiverApplicationId: sdk.chrome.cast.media.DEFAULT_MEDIA_RECEIVER_APP_ID,
    autoJoinPolicy: sdk.chrome.cast.AutoJoinPolicy.ORIGIN_SCOPED,
  });
  await context.requestSession();
  const session = context.getCurrentSession();
  if (!session) throw new Error('No cast device was chosen.');
  const media = new sdk.chrome.cast.media.MediaInfo(absoluteUrl, 'application/vnd.apple.mpegurl');
  // Our segments are fragmented MP4, which the Default Media Receiver must be told (it assumes TS).
  media.hlsSegmentFormat = sdk.chrome.cast.media.HlsSegmentFormat.FMP4;
  media.hlsVideoSegmentFormat = sdk.chrome.cast.media.HlsVideoSegmentFormat.FMP4;
  media.metadata = { metadataType: 0, title };
  await session.loadMedia(new sdk.chrome.cast.media.LoadRequest(media));
}
