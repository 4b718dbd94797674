import { Body, Controller, ForbiddenException, HttpCode, Inject, Patch, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import {
  changePasswordBodySchema,
  PASSWORD_RESET_REQUESTED,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  updateMeBodySchema,
  type MeView,
} from '@reelroom/contracts';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { ZodPipe } from '../../common/zod-body.pipe.js';
import { ClientAddress } from '../../common/net/client-address.js';
import { Auth, AuthGuard } from '../auth.guard.js';
import type { AuthContext } from '../auth.types.js';
import { AdminPolicy } from '../admin-policy.js';
import { clientInfoOf } from '../device-cookie.js';
import { AccountService } from './account.service.js';
import { PasswordResets } from './password-resets.service.js';

/** Account basics (issue 12): display name, password change, and "Forgot password?". */
@Controller('api/auth')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    private readonly resets: PasswordResets,
    private readonly addresses: ClientAddress,
    private readonly admins: AdminPolicy,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'passwordLogin'>,
  ) {}

  @Patch('me')
  @UseGuards(AuthGuard)
  async rename(@Auth() ctx: AuthContext, @Body(new ZodPipe(updateMeBodySchema)) body: { displayName: string }): Promise<MeView> {
    const user = await this.account.rename(ctx, body.displayName);
    return { ...user, isAdmin: await this.admins.isAdmin(user) };
  }

  /** Needs the current password; every other session of the account is signed out. */
  @Post('password')
  @HttpCode(200)
  @UseGuards(AuthGuard)
  async changePassword(
    @Auth() ctx: AuthContext,
    @Body(new ZodPipe(changePasswordBodySchema)) body: { currentPassword: string; newPassword: string },
    @Req() req: Request,
  ): Promise<{ otherSessionsSignedOut: number }> {
    this.assertPasswordLogin();
    const otherSessionsSignedOut = await this.account.changePassword(ctx, body, clientInfoOf(req, this.addresses.ofRequest(req)));
    return { otherSessionsSignedOut };
  }

  /** The same 202 and sentence whether or not an account has this email. */
  @Post('password-reset')
  @HttpCode(202)
  async requestReset(
    @Body(new ZodPipe(passwordResetRequestSchema)) body: { email: string },
    @Req() req: Request,
  ): Promise<{ message: string }> {
    this.assertPasswordLogin();
    await this.resets.request(body.email, this.addresses.ofRequest(req));
    return { message: PASSWORD_RESET_REQUESTED };
  }

  /** Sets the new password with a reset link's token; every session of the account is signed out. */
  @Post('password-reset/confirm')
  @HttpCode(204)
  async confirmReset(@Body(new ZodPipe(passwordResetConfirmSchema)) body: { token: string; password: string }): Promise<void> {
    this.assertPasswordLogin();
    await this.resets.confirm(body.token, body.password);
  }

  private assertPasswordLogin() {
    if (!this.config.passwordLogin) {
      throw new ForbiddenException('Password sign-in is turned off on this server. Continue with one of the sign-in providers instead.');
    }
  }
}
