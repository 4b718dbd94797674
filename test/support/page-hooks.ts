import type { PlaybackStateView } from '@reelroom/contracts';

// What tests read and write on `window` inside a page (page.evaluate, addInitScript), typed once.
// The app's own hooks mirror apps/web/src: api/resumable-upload.ts and player/hls-player.tsx.
declare global {
  interface Window {
    /** Read by the app's resumable upload: a smaller tus chunk, so a pause lands mid-file. */
    __reelroomUploadChunkSize?: number;
    /**
     * The slice of the player's Hls instance the app exposes for tests, and of the room's sync engine
     * (player/sync/sync-types.ts SyncDebug: `room`, the room state this page follows).
     */
    __reelroom?: {
      hls: {
        levels: { height: number; details?: { partList: unknown[] | null } }[];
        currentLevel: number;
        autoLevelEnabled: boolean;
        config: { lowLatencyMode: boolean };
        /** hls.js's live target distance behind the edge (seconds). */
        targetLatency: number | null;
        /** Its distance behind the playlist edge now (s). */
        latency: number;
        /** Where hls.js puts a live player that is too far behind (the target behind the edge), or null. */
        liveSyncPosition: number | null;
        /** The last media playlist: its edge (end of the last part, s) and seconds since it last grew. */
        latestLevelDetails: { edge: number; age: number; live: boolean; fragmentStart: number } | null;
        /** Fires an hls.js event, as its own controllers do (Hls.Events.ERROR is 'hlsError'). */
        trigger(event: string, data: unknown): void;
      } | null;
      sync?: { room: PlaybackStateView | null };
    };
    /** Set by live-watch.test.ts: the lowest playbackRate the player took since it was set. */
    __minRate?: number;
    /** Set by watch.test.ts: every data-status each media item showed, in order, by media id. */
    __statusLog?: Record<string, string[]>;
    /** Set by csp.test.ts from the first script on: every Content-Security-Policy violation the page saw. */
    __cspViolations?: string[];
    /** Set in every page by openPage (support/browser.ts): the last media events, for failure reports. */
    __mediaLog?: string[];
    /** Set by watch.test.ts before an action, read after it: still true means no page load happened. */
    __sameDocument?: boolean;
  }
}

export {};
