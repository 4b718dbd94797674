import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { AuthContext } from './auth.types.js';
import { AuthService } from './auth.service.js';
import { AdminPolicy } from './admin-policy.js';
import { tokenFromRequest, type AuthedRequest } from './auth.guard.js';

export const ADMINS_ONLY = 'Only administrators can open this.';

/** Who may use an admin surface: 401 without a session, 403 for anyone but an administrator. */
export async function adminCaller(auth: AuthService, policy: AdminPolicy, req: AuthedRequest): Promise<AuthContext> {
  const ctx = await auth.authenticate(tokenFromRequest(req.headers, req.cookies));
  if (!ctx) throw new UnauthorizedException('Sign in to continue.');
  if (!(await policy.isAdmin(ctx.user))) throw new ForbiddenException(ADMINS_ONLY);
  return ctx;
}

/** The /api/admin/* guard (the Bull Board mount uses adminCaller the same way). */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly policy: AdminPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    req.auth = await adminCaller(this.auth, this.policy, req);
    return true;
  }
}
