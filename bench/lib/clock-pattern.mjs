// A wall clock burned into video frames and read back from a displayed frame (bench/live.mjs, glass to
// glass). The top eighth of the frame is a band of 2 x 26 black/white cells: two reference cells (white,
// black: the threshold adapts to whatever levels survived the encodes), 42 bits of epoch milliseconds
// (enough until the year 2109), and a CRC-8 of them (a frame read while the picture is half decoded, or a
// cell smeared by a low rung, fails the check instead of giving a wrong time). Cells are big (about
// 49 x 45 px at 720p, 12 x 11 px at 180p) and only their middle half is read, so scaling and compression
// blur the edges without changing a bit.
//
// Everything is built by one self-contained factory so that a page can run the very same code:
// `page.addInitScript(`window.__clock = (${clockPattern})();`)` (no imports, no outer names).

/** The pattern's layout and functions. Pure: no clocks, no DOM. */
export function clockPattern() {
  const COLS = 26;
  const ROWS = 2;
  const BITS = 42;
  const CRC_BITS = 8;
  /** The band is this fraction of the frame's height, from the top. */
  const BAND = 1 / 8;
  const CELLS = COLS * ROWS;

  /** CRC-8 (polynomial 0x07) of the value's 6 bytes, most significant first. */
  const crc8 = (value) => {
    let crc = 0;
    for (let j = 5; j >= 0; j--) {
      crc ^= Math.floor(value / 2 ** (8 * j)) % 256;
      for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
    return crc;
  };

  /** The 52 cells for a time (true = white): white, black, 42 bits of ms (MSB first), 8 bits of CRC. */
  const cells = (ms) => {
    if (!Number.isInteger(ms) || ms < 0 || ms >= 2 ** BITS) throw new RangeError(`clock value out of range: ${ms}`);
    const out = [true, false];
    for (let k = BITS - 1; k >= 0; k--) out.push(Math.floor(ms / 2 ** k) % 2 === 1);
    const crc = crc8(ms);
    for (let k = CRC_BITS - 1; k >= 0; k--) out.push(((crc >> k) & 1) === 1);
    return out;
  };

  /** Cell i's rectangle in a band `width` x `bandHeight` pixels (integer edges; cells tile the band). */
  const cellRect = (i, width, bandHeight) => {
    const col = i % COLS;
    const row = Math.floor(i / COLS);
    const x0 = Math.floor((col * width) / COLS);
    const x1 = Math.floor(((col + 1) * width) / COLS);
    const y0 = Math.floor((row * bandHeight) / ROWS);
    const y1 = Math.floor(((row + 1) * bandHeight) / ROWS);
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  };

  /** Height of the band in a frame `height` pixels tall. */
  const bandHeight = (height) => Math.max(ROWS, Math.round(height * BAND));

  /**
   * Paints the clock into an 8-bit luma plane (a yuv420p frame's Y plane, `width` x `height`): white is
   * 235 and black 16 (limited range). The chroma under the band is left as it is.
   */
  const paintLuma = (plane, width, height, ms) => {
    const bits = cells(ms);
    const bh = bandHeight(height);
    for (let i = 0; i < CELLS; i++) {
      const r = cellRect(i, width, bh);
      const v = bits[i] ? 235 : 16;
      for (let y = r.y; y < r.y + r.h; y++) plane.fill(v, y * width + r.x, y * width + r.x + r.w);
    }
  };

  /** Paints the clock on a 2D canvas context (the top of a `width` x `height` picture). */
  const paintCanvas = (ctx, width, height, ms) => {
    const bits = cells(ms);
    const bh = bandHeight(height);
    for (let i = 0; i < CELLS; i++) {
      const r = cellRect(i, width, bh);
      ctx.fillStyle = bits[i] ? '#fff' : '#000';
      ctx.fillRect(r.x, r.y, r.w, r.h);
    }
  };

  /**
   * Reads the time back from an RGBA image of the band alone (`{ data, width, height }`, as
   * CanvasRenderingContext2D.getImageData returns; any size, the band scaled to fill it). Returns the epoch
   * milliseconds, or null when the frame carries no readable clock (no contrast between the reference
   * cells, or the CRC does not match).
   */
  const decode = (image) => {
    const { data, width, height } = image;
    const mean = (i) => {
      const r = cellRect(i, width, height);
      // The middle half of the cell: its edges are where scaling and block artefacts land.
      const xs = r.x + Math.floor(r.w / 4);
      const xe = Math.max(xs + 1, r.x + Math.ceil((3 * r.w) / 4));
      const ys = r.y + Math.floor(r.h / 4);
      const ye = Math.max(ys + 1, r.y + Math.ceil((3 * r.h) / 4));
      let sum = 0;
      let n = 0;
      for (let y = ys; y < ye; y++)
        for (let x = xs; x < xe; x++) {
          const o = (y * width + x) * 4;
          sum += 0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2];
          n++;
        }
      return sum / n;
    };
    const white = mean(0);
    const black = mean(1);
    if (white - black < 64) return null;
    const threshold = (white + black) / 2;
    let ms = 0;
    for (let k = 0; k < BITS; k++) ms = ms * 2 + (mean(2 + k) > threshold ? 1 : 0);
    let crc = 0;
    for (let k = 0; k < CRC_BITS; k++) crc = crc * 2 + (mean(2 + BITS + k) > threshold ? 1 : 0);
    return crc === crc8(ms) ? ms : null;
  };

  return { COLS, ROWS, BAND, CELLS, cells, cellRect, bandHeight, paintLuma, paintCanvas, decode };
}

export const clock = clockPattern();
