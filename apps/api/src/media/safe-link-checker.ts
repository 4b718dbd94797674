import { Inject, Injectable } from '@nestjs/common';
import { SafeFetcher } from '@reelroom/fetch';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LinkChecker } from './link-checker.js';
import { importFetchPolicy } from '@reelroom/contracts';

/** LinkChecker with @reelroom/fetch's SafeFetcher.check, under the same policy the import worker fetches with. */
@Injectable()
export class SafeLinkChecker extends LinkChecker {
  private readonly fetcher: SafeFetcher;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'import'>) {
    super();
    this.fetcher = new SafeFetcher(importFetchPolicy(config.import));
  }

  async check(url: string): Promise<void> {
    await this.fetcher.check(url);
  }
}
