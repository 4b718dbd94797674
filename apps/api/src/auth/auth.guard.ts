import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import { SESSION_COOKIE } from '@reelroom/contracts';
import { AuthService } from './auth.service.js';
import type { AuthContext } from './auth.types.js';

export type AuthedRequest = Request & { auth?: AuthContext };

/** The token from `Authorization: Bearer <t>` or the session cookie, in that order. */
export function tokenFromRequest(
  headers: { authorization?: string; cookie?: string },
  cookies?: Record<string, string>,
): string | undefined {
  const h = headers.authorization;
  if (h && /^Bearer\s+/i.test(h)) return h.replace(/^Bearer\s+/i, '').trim();
  if (cookies?.[SESSION_COOKIE]) return cookies[SESSION_COOKIE];
  if (headers.cookie) {
    for (const part of headers.cookie.split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === SESSION_COOKIE) return decodeURIComponent(v.join('='));
    }
  }
  return undefined;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const ctx = await this.auth.authenticate(tokenFromRequest(req.headers, req.cookies));
    if (!ctx) throw new UnauthorizedException('Sign in to continue.');
    req.auth = ctx;
    return true;
  }
}

/** The AuthContext that AuthGuard put on the request. */
export const Auth = createParamDecorator((_: unknown, context: ExecutionContext): AuthContext => {
  const req = context.switchToHttp().getRequest<AuthedRequest>();
  if (!req.auth) throw new UnauthorizedException('Sign in to continue.');
  return req.auth;
});
