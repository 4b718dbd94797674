import { Injectable } from '@nestjs/common';

/**
 * Whether this API process is shutting down (SIGTERM, graceful-shutdown.ts): readiness answers 503 from
 * the first moment, so load balancers stop sending it traffic before its listener closes.
 */
@Injectable()
export class ShutdownState {
  private began = false;

  begin(): void {
    this.began = true;
  }

  get shuttingDown(): boolean {
    return this.began;
  }
}
