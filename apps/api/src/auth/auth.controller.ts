import { Body, Controller, Get, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { loginBodySchema, registerBodySchema, SESSION_COOKIE, type AuthResponse, type UserView } from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ZodPipe } from '../common/zod-body.pipe.js';
import { AuthService } from './auth.service.js';
import { Auth, AuthGuard } from './auth.guard.js';
import type { AuthContext } from './auth.types.js';

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('register')
  @HttpCode(201)
  async register(
    @Body(new ZodPipe(registerBodySchema)) body: { email: string; password: string; displayName: string },
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    const result = await this.auth.register(body);
    this.setCookie(res, result.accessToken);
    return result;
  }

  @Post('login')
  @HttpCode(200)
  async login(
    @Body(new ZodPipe(loginBodySchema)) body: { email: string; password: string },
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    const result = await this.auth.login(body);
    this.setCookie(res, result.accessToken);
    return result;
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(AuthGuard)
  async logout(@Auth() ctx: AuthContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(ctx);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @UseGuards(AuthGuard)
  me(@Auth() ctx: AuthContext): UserView {
    return ctx.user;
  }

  private setCookie(res: Response, token: string) {
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.cookieSecure,
      path: '/',
      maxAge: this.config.sessionTtlMs,
    });
  }
}
