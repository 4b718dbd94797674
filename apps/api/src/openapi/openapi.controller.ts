import { Controller, Get, Header } from '@nestjs/common';
import { buildOpenApiDocument } from './openapi-document.js';
import { renderDocsPage } from './docs-page.js';

/**
 * GET /api/openapi.json (the OpenAPI 3.1 document) and GET /api/docs (the same as a page). Built once: the
 * route table and the schemas do not change while the process runs.
 */
@Controller('api')
export class OpenApiController {
  private readonly document = buildOpenApiDocument();
  private readonly page = renderDocsPage(this.document);

  @Get('openapi.json')
  @Header('Cache-Control', 'no-cache')
  openapi(): Record<string, unknown> {
    return this.document;
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  docs(): string {
    return this.page;
  }
}
