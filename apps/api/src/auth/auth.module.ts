import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AuthGuard } from './auth.guard.js';
import { PasswordHasher } from './password.hasher.js';
import { Argon2PasswordHasher } from './argon2.password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { PrismaSessionsRepository } from './prisma-sessions.repository.js';
import { UsersRepository } from './users.repository.js';
import { PrismaUsersRepository } from './prisma-users.repository.js';
import { GuestSessions } from './guest-sessions.js';
import { SessionAuthenticator } from './session-authenticator.js';
import { SignInThrottle } from './throttle/sign-in-throttle.js';
import { KnownDevices } from './throttle/known-devices.js';
import { RedisKnownDevices } from './throttle/redis-known-devices.js';
import { AdminAccounts, AdminPolicy } from './admin-policy.js';
import { PrismaAdminAccounts } from './prisma-admin-accounts.js';
import { AdminGuard } from './admin.guard.js';
import { OidcController } from './oidc/oidc.controller.js';
import { OidcSignIn } from './oidc/oidc-sign-in.service.js';
import { OidcClient } from './oidc/oidc-client.js';
import { OpenIdClient } from './oidc/openid-client.oidc-client.js';
import { OidcFlows } from './oidc/oidc-flows.js';
import { RedisOidcFlows } from './oidc/redis-oidc-flows.js';
import { ExternalIdentities } from './oidc/external-identities.repository.js';
import { PrismaExternalIdentities } from './oidc/prisma-external-identities.js';
import { MailModule } from '../mail/mail.module.js';
import { AccountController } from './account/account.controller.js';
import { AccountService } from './account/account.service.js';
import { PasswordResets } from './account/password-resets.service.js';
import { AccountRepository, PasswordResetsRepository } from './account/account.repository.js';
import { PrismaAccountRepository, PrismaPasswordResets } from './account/prisma-account.repository.js';

@Module({
  imports: [MailModule],
  controllers: [AuthController, OidcController, AccountController],
  providers: [
    AuthService,
    AuthGuard,
    AdminPolicy,
    AdminGuard,
    { provide: AdminAccounts, useClass: PrismaAdminAccounts },
    SignInThrottle,
    { provide: KnownDevices, useClass: RedisKnownDevices },
    { provide: PasswordHasher, useClass: Argon2PasswordHasher },
    { provide: SessionsRepository, useClass: PrismaSessionsRepository },
    { provide: UsersRepository, useClass: PrismaUsersRepository },
    // Sign-in with OpenID Connect providers (auth/oidc).
    OidcSignIn,
    { provide: OidcClient, useClass: OpenIdClient },
    { provide: OidcFlows, useClass: RedisOidcFlows },
    { provide: ExternalIdentities, useClass: PrismaExternalIdentities },
    // Account basics (issue 12): name, password, reset links.
    AccountService,
    PasswordResets,
    { provide: AccountRepository, useClass: PrismaAccountRepository },
    { provide: PasswordResetsRepository, useClass: PrismaPasswordResets },
    // The narrow ports other features depend on (rooms: guest sign-up; sockets: the handshake).
    { provide: GuestSessions, useExisting: AuthService },
    { provide: SessionAuthenticator, useExisting: AuthService },
  ],
  exports: [AuthService, PasswordResets, AuthGuard, AdminPolicy, AdminGuard, PasswordHasher, GuestSessions, SessionAuthenticator],
})
export class AuthModule {}
