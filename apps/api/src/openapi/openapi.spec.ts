import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { registerBodySchema } from '@reelroom/contracts';
import { buildOpenApiDocument } from './openapi-document.js';
import { renderDocsPage } from './docs-page.js';
import { OPERATIONS } from './route-table.js';

const src = join(import.meta.dirname, '..');

function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? controllerFiles(join(dir, e.name)) : e.name.endsWith('.controller.ts') ? [join(dir, e.name)] : [],
  );
}

/** Nest's ':id' and '*path' as OpenAPI's '{id}' and '{path}'. */
const openApiPath = (...parts: string[]) =>
  ('/' + parts.filter(Boolean).join('/'))
    .replace(/\/+/g, '/')
    .replace(/\/$/, '')
    .replace(/:([A-Za-z]+)/g, '{$1}')
    .replace(/\*([A-Za-z]+)/g, '{$1}');

/** Every route the controllers declare (found by reading every *.controller.ts): "get /api/rooms/{id}". */
async function declaredRoutes(): Promise<string[]> {
  const routes: string[] = [];
  for (const file of controllerFiles(src)) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const cls of Object.values(mod)) {
      if (typeof cls !== 'function') continue;
      const base = Reflect.getMetadata(PATH_METADATA, cls) as string | undefined;
      if (base === undefined) continue;
      const proto = (cls as { prototype: Record<string, unknown> }).prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        routes.push(`${RequestMethod[method].toLowerCase()} ${openApiPath(base, path)}`);
      }
    }
  }
  return routes.sort();
}

describe('OpenAPI document', () => {
  it('documents exactly the routes the controllers declare, no more, no less', async () => {
    const documented = OPERATIONS.map((o) => `${o.method} ${o.path}`).sort();
    expect(new Set(documented).size).toBe(documented.length);
    expect(documented).toEqual(await declaredRoutes());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(buildOpenApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator does refuse a broken document (no info, a path without a leading slash).
    const broken = await new Validator().validate({ openapi: '3.1.0', paths: { 'api/x': {} } });
    expect(broken.valid).toBe(false);
  });

  it('takes request schemas from the contracts the API validates with', () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>;
    };
    const register = doc.paths['/api/auth/register'].post.requestBody!.content['application/json'].schema;
    expect(register.type).toBe('object');
    expect([...(register.required as string[])].sort()).toEqual(['displayName', 'email', 'password']);
    expect(Object.keys(register.properties as object).sort()).toEqual(Object.keys(registerBodySchema.shape).sort());
    const jobs = doc.paths['/api/admin/queues/{queue}/jobs'].get as unknown as {
      parameters: Array<{ name: string; in: string; required: boolean; schema: { enum?: string[] } }>;
    };
    expect(jobs.parameters.find((p) => p.name === 'queue')?.schema.enum).toEqual(['media', 'media-audio', 'live', 'media-import']);
    expect(jobs.parameters.find((p) => p.name === 'state')).toMatchObject({ in: 'query', required: true });
    expect(jobs.parameters.find((p) => p.name === 'limit')).toMatchObject({ in: 'query', required: false });
  });

  it('renders the docs page without scripts or inline styles (it runs under the app CSP)', () => {
    const html = renderDocsPage(buildOpenApiDocument());
    expect(html).toContain('<code>POST /api/auth/register</code>');
    expect(html).toContain('administrators only');
    expect(html).not.toMatch(/<script|style=|<style/i);
  });
});
