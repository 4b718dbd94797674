/**
 * A timer that fires when nothing happened for `ms`: armed while we wait for the server, disarmed while we
 * wait for our own sink, so a slow disk never counts as a silent server.
 */
export class Watchdog {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ms: number,
    private readonly onFire: () => void,
  ) {}

  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onFire();
    }, this.ms);
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
