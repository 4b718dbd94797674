import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { loginBodySchema, registerBodySchema, SESSION_COOKIE, type AuthResponse, type MeView, type SessionView } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { ClientAddress } from '../common/net/client-address.js';
import { AuthService } from './auth.service.js';
import { Auth, AuthGuard } from './auth.guard.js';
import type { AuthContext } from './auth.types.js';
import { clientInfoOf, rememberDevice } from './device-cookie.js';
import { AdminPolicy } from './admin-policy.js';
import { setSessionCookie } from './session-cookie.js';

const SESSION_ID = /^[0-9a-f-]{36}$/i;

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly addresses: ClientAddress,
    private readonly admins: AdminPolicy,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('register')
  @HttpCode(201)
  async register(
    @Body(new ZodPipe(registerBodySchema)) body: { email: string; password: string; displayName: string },
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    this.assertPasswordLogin();
    const client = this.client(req);
    const result = await this.auth.register(body, client);
    this.setCookie(res, result.accessToken);
    rememberDevice(req, res, client, this.config.cookieSecure);
    return result;
  }

  @Post('login')
  @HttpCode(200)
  async login(
    @Body(new ZodPipe(loginBodySchema)) body: { email: string; password: string },
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    this.assertPasswordLogin();
    const client = this.client(req);
    const result = await this.auth.login(body, client);
    this.setCookie(res, result.accessToken);
    rememberDevice(req, res, client, this.config.cookieSecure);
    return result;
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(AuthGuard)
  async logout(@Auth() ctx: AuthContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(ctx);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** Sign out everywhere: every session of this account, and every socket it has open. */
  @Post('logout-all')
  @HttpCode(204)
  @UseGuards(AuthGuard)
  async logoutAll(@Auth() ctx: AuthContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logoutEverywhere(ctx);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('sessions')
  @UseGuards(AuthGuard)
  sessions(@Auth() ctx: AuthContext): Promise<SessionView[]> {
    return this.auth.listSessions(ctx);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @UseGuards(AuthGuard)
  async revoke(@Auth() ctx: AuthContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (!SESSION_ID.test(id)) throw new NotFoundException('This session does not exist.');
    await this.auth.revokeSession(ctx, id);
    if (id === ctx.sessionId) res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @UseGuards(AuthGuard)
  async me(@Auth() ctx: AuthContext): Promise<MeView> {
    return { ...ctx.user, isAdmin: await this.admins.isAdmin(ctx.user) };
  }

  private client(req: Request) {
    return clientInfoOf(req, this.addresses.ofRequest(req));
  }

  private setCookie(res: Response, token: string) {
    setSessionCookie(res, token, { secure: this.config.cookieSecure, maxAgeMs: this.config.sessionTtlMs });
  }

  /** PASSWORD_LOGIN=off: accounts sign in with a provider only (checked before any throttle or hash). */
  private assertPasswordLogin() {
    if (!this.config.passwordLogin) {
      throw new ForbiddenException('Password sign-in is turned off on this server. Continue with one of the sign-in providers instead.');
    }
  }
}
