// Types of clock-pattern.mjs, for its spec and type-checked lint.
export interface ClockImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
}
export interface CellRect {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface ClockPattern {
  COLS: number;
  ROWS: number;
  BAND: number;
  CELLS: number;
  cells(ms: number): boolean[];
  cellRect(i: number, width: number, bandHeight: number): CellRect;
  bandHeight(height: number): number;
  paintLuma(plane: Uint8Array, width: number, height: number, ms: number): void;
  paintCanvas(ctx: CanvasRenderingContext2D, width: number, height: number, ms: number): void;
  decode(image: ClockImage): number | null;
}
export function clockPattern(): ClockPattern;
export const clock: ClockPattern;
