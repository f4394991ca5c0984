import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { HttpProblem } from '@bogholder/service-kit';
import { constantTimeEqual } from '../../common/secrets';
import { GatewayEnv } from '../../config/env';
import { IS_PUBLIC } from './public.decorator';

/**
 * Every route registered under `/api` needs `Authorization: Bearer <ADMIN_TOKEN>` unless it is
 * marked @Public(). The decision uses the route's registered path (not the request's spelling, which
 * Express matches case-insensitively), and the token is compared in constant time.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(
    private readonly env: GatewayEnv,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const routePath = String((req.route as { path?: unknown } | undefined)?.path ?? req.path).toLowerCase();
    if (routePath !== '/api' && !routePath.startsWith('/api/')) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;

    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (match && constantTimeEqual(match[1]!, this.env.ADMIN_TOKEN)) return true;

    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="bogholder"');
    const message = header === undefined
      ? 'missing Authorization header: send "Authorization: Bearer <ADMIN_TOKEN>"'
      : match
        ? 'the bearer token is not valid: send the gateway\'s ADMIN_TOKEN'
        : 'the Authorization header must look like "Bearer <ADMIN_TOKEN>"';
    throw new HttpProblem(401, message, [{ field: 'authorization', message }], 'unauthorized');
  }
}
