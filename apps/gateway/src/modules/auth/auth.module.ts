import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminAuthGuard } from './admin-auth.guard';

/** The bearer guard on every `/api` route (global). */
@Module({
  providers: [{ provide: APP_GUARD, useClass: AdminAuthGuard }],
})
export class AuthModule {}
