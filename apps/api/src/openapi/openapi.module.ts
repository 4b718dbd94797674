import { Module } from '@nestjs/common';
import { OpenApiController } from './openapi.controller.js';

/** GET /api/openapi.json and GET /api/docs, generated from the contracts' zod schemas (route-table.ts). */
@Module({ controllers: [OpenApiController] })
export class OpenApiModule {}
