import { globalConfig } from 'zod/v4/core';

/**
 * In the browser, which runs under a Content-Security-Policy without 'unsafe-eval' (docs/SECURITY.md):
 * zod 4 probes `new Function('')` to decide whether to compile its object parsers, and that probe, although
 * caught, is a reported CSP violation. Jitless validation never tries. The web app imports this module
 * (`@reelroom/contracts/csp`) first, before any schema is built or used; servers keep the compiled parsers.
 */
// Set on zod's shared config object directly: bundlers drop a call to z.config(), which zod marks free of
// side effects.
if (typeof window !== 'undefined') globalConfig.jitless = true;
