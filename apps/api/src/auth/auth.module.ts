import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AuthGuard } from './auth.guard.js';
import { PasswordHasher } from './password.hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersRepository } from './users.repository.js';

@Module({
  controllers: [AuthController],
  providers: [AuthService, AuthGuard, PasswordHasher, SessionsRepository, UsersRepository],
  exports: [AuthService, AuthGuard, PasswordHasher],
})
export class AuthModule {}
