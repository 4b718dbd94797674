// Scripts that run inside Chromium pages for bench/live.mjs: a viewer that reads the clock from each
// displayed frame, and a host camera that paints the clock live. Both are init scripts (they run before the
// page's own code) built from self-contained functions plus clockPattern's source, so the page decodes and
// paints with exactly the code the unit spec checks.
import { clockPattern } from './clock-pattern.mjs';

/** Size of the canvas the viewer draws the band into: 8 x 8 pixels per cell. */
const PROBE = { width: 26 * 8, height: 2 * 8 };

/**
 * Viewer: on every frame the room's player presents (requestVideoFrameCallback), draw the clock band into
 * a small canvas, decode it, and keep [time it is shown (epoch ms), time burned in, frame height]. The
 * time it is shown is the callback's expectedDisplayTime moved onto Date.now()'s clock, the same clock
 * the publisher stamped with (one machine). Frames without a readable clock are counted, not kept.
 * `window.__g2g.reset()` starts a new window of samples.
 */
function viewerProbe({ width, height }) {
  const clock = window.__clock;
  const state = { samples: [], unread: 0, shown: 0, hooked: 0 };
  state.reset = () => {
    state.samples = [];
    state.unread = 0;
    state.shown = 0;
  };
  window.__g2g = state;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const hook = (video) => {
    if (video.__g2gHooked) return;
    video.__g2gHooked = true;
    state.hooked++;
    const onFrame = (now, meta) => {
      video.requestVideoFrameCallback(onFrame);
      const shownAt = Date.now() + (meta.expectedDisplayTime - performance.now());
      const vw = video.videoWidth;
      const vh = video.videoHeight;
      if (!vw || !vh) return;
      state.shown++;
      ctx.drawImage(video, 0, 0, vw, clock.bandHeight(vh), 0, 0, width, height);
      const burned = clock.decode(ctx.getImageData(0, 0, width, height));
      if (burned === null) state.unread++;
      else state.samples.push([shownAt, burned, vh]);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  new MutationObserver(() => {
    const v = document.querySelector('video[data-testid="player"]');
    if (v) hook(v);
  }).observe(document, { subtree: true, childList: true });
}

/**
 * Host: "Use my camera" gets a live picture with the clock instead of Chromium's fake camera (which
 * loops a file and so cannot carry a live clock): a 1280x720 canvas repainted 30 times a second, the
 * clock stamped at each paint (the moment this "camera" captures), a moving bar under it, and a tone
 * for the microphone. Everything downstream is the product's own browser path (MediaRecorder, the publish
 * socket, the relay).
 */
function clockCamera({ width, height, fps }) {
  const clock = window.__clock;
  const media = navigator.mediaDevices;
  media.getUserMedia = async () => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    let n = 0;
    const paint = () => {
      n++;
      ctx.fillStyle = '#404850';
      ctx.fillRect(0, 0, width, height);
      ctx.fillStyle = `hsl(${(n * 7) % 360} 70% 50%)`;
      ctx.fillRect((n * 13) % width, height / 4, width / 6, height / 2);
      clock.paintCanvas(ctx, width, height, Date.now());
    };
    paint();
    setInterval(paint, 1000 / fps);
    const stream = canvas.captureStream(fps);
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const out = audio.createMediaStreamDestination();
    tone.connect(out);
    tone.start();
    for (const t of out.stream.getAudioTracks()) stream.addTrack(t);
    return stream;
  };
}

const withClock = (fn, arg) => `window.__clock = (${clockPattern.toString()})();\n(${fn.toString()})(${JSON.stringify(arg)});`;

/** Init script for a viewer page (page.addInitScript({ content })). */
export const viewerProbeScript = () => withClock(viewerProbe, PROBE);

/** Init script for the host page going live from the browser. */
export const clockCameraScript = ({ width = 1280, height = 720, fps = 30 } = {}) => withClock(clockCamera, { width, height, fps });
