import { Controller, Get, HttpException, Inject, NotFoundException, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { oidcStartQuerySchema, SIGN_IN_ERROR_COOKIE, type AuthOptions, type AuthProviderView } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { ClientAddress } from '../../common/net/client-address.js';
import { clientInfoOf, rememberDevice } from '../device-cookie.js';
import { setSessionCookie } from '../session-cookie.js';
import { FLOW_TTL_MS, OidcSignIn, SignInRefusedError } from './oidc-sign-in.service.js';
import { ZodPipe } from '../../common/zod-body.pipe.js';
import { publicBase } from '../../common/public-base.js';

/** The browser's handle on its pending sign-in (OidcFlows): sent back only to the callback. */
export const OIDC_FLOW_COOKIE = 'reelroom_oidc';
const FLOW_COOKIE_PATH = '/api/auth/oidc';

/**
 * Sign-in with OpenID Connect providers (issue 13). Both routes are top-level browser navigations (GET):
 * the start redirects to the provider, the callback sets the session cookie and redirects into the web
 * app, or to /login with a sentence saying why not.
 */
@Controller('api/auth')
export class OidcController {
  constructor(
    private readonly signIn: OidcSignIn,
    private readonly addresses: ClientAddress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('providers')
  providers(): AuthProviderView[] {
    return this.config.oidcProviders.map((p) => ({ id: p.id, name: p.name }));
  }

  @Get('options')
  options(): AuthOptions {
    return {
      password: this.config.passwordLogin,
      providers: this.providers(),
      passwordReset: this.config.mail.smtpUrl ? 'email' : 'admin',
    };
  }

  @Get('oidc/:provider')
  async start(
    @Param('provider') id: string,
    @Query(new ZodPipe(oidcStartQuerySchema)) query: { next: string },
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const provider = this.signIn.provider(id);
    if (!provider) throw new NotFoundException('There is no sign-in provider with this name.');
    const returnTo = query.next;
    try {
      const { url, flowId } = await this.signIn.start(
        provider,
        this.redirectUri(req, provider.id),
        returnTo,
        this.addresses.ofRequest(req),
      );
      res.cookie(OIDC_FLOW_COOKIE, flowId, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.cookieSecure,
        path: FLOW_COOKIE_PATH,
        maxAge: FLOW_TTL_MS,
      });
      this.redirect(res, url.href);
    } catch (err) {
      this.refused(res, err, returnTo);
    }
  }

  @Get('oidc/:provider/callback')
  async callback(@Param('provider') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const provider = this.signIn.provider(id);
    if (!provider) throw new NotFoundException('There is no sign-in provider with this name.');
    const cookies = req.cookies as Record<string, string | undefined> | undefined;
    res.clearCookie(OIDC_FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
    const query = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
    const client = clientInfoOf(req, this.addresses.ofRequest(req));
    try {
      const { auth, returnTo } = await this.signIn.finish(provider, cookies?.[OIDC_FLOW_COOKIE], query, client);
      setSessionCookie(res, auth.accessToken, { secure: this.config.cookieSecure, maxAgeMs: this.config.sessionTtlMs });
      rememberDevice(req, res, client, this.config.cookieSecure);
      this.redirect(res, returnTo);
    } catch (err) {
      this.refused(res, err, '/');
    }
  }

  /**
   * The callback URL registered at the provider: under PUBLIC_URL when set (set it in production), else
   * on the host this request came to (a local instance), as the provider must list it either way.
   */
  private redirectUri(req: Request, providerId: string): string {
    const base = publicBase(req, this.config.publicUrl);
    return `${base}/api/auth/oidc/${encodeURIComponent(providerId)}/callback`;
  }

  private redirect(res: Response, location: string) {
    res.set('Cache-Control', 'no-store').redirect(302, location);
  }

  /** Back to the sign-in page with the sentence (SIGN_IN_ERROR_COOKIE); an unexpected error goes to the exception filter. */
  private refused(res: Response, err: unknown, returnTo: string) {
    if (!(err instanceof SignInRefusedError) && !(err instanceof HttpException)) throw err;
    res.cookie(SIGN_IN_ERROR_COOKIE, err.message, {
      httpOnly: false,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      path: '/login',
      maxAge: 60_000,
    });
    this.redirect(res, returnTo === '/' ? '/login' : `/login?${new URLSearchParams({ next: returnTo }).toString()}`);
  }
}
