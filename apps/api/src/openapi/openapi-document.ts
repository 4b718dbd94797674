import { z } from 'zod';
import { OPERATIONS, type Operation } from './route-table.js';

type Json = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: 'The request is invalid; the message says what is wrong.',
  401: 'Sign in first (or the metrics token is missing).',
  403: 'Not allowed for this account.',
  404: 'Not found.',
  409: 'Not in a state that allows this.',
  410: 'The room was closed.',
  411: 'Content-Length is required.',
  413: 'Too large, or over the quota.',
  415: 'Not a content type this route takes (a video or audio file for uploads, application/sdp for WHIP).',
  422: 'The link cannot be fetched (private address, unknown name).',
  429: 'Too many attempts; try again later.',
  503: 'A dependency (database, Redis, the queue) is unavailable.',
};

/** A request schema as JSON Schema 2020-12 (what OpenAPI 3.1 uses); what the client sends, before transforms. */
const input = (schema: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};
const output = (schema: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Json;
  return rest;
};

const security: Record<Operation['caller'], Json[] | undefined> = {
  anyone: [],
  session: [{ sessionCookie: [] }, { bearer: [] }],
  admin: [{ sessionCookie: [] }, { bearer: [] }],
  metrics: [{}, { metricsToken: [] }],
  streamKey: [{ streamKey: [] }],
};

function operation(op: Operation): Json {
  const parameters: Json[] = [];
  for (const [name, schema] of Object.entries(op.params ?? {})) {
    parameters.push({ name, in: 'path', required: true, schema: schema ? input(schema) : { type: 'string' } });
  }
  if (op.query) {
    const shape = op.query.shape as Record<string, z.ZodType>;
    for (const [name, schema] of Object.entries(shape)) {
      parameters.push({ name, in: 'query', required: !schema.safeParse(undefined).success, schema: input(schema) });
    }
  }
  const out: Json = {
    tags: [op.tag],
    summary: op.summary,
    operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    security: security[op.caller],
    'x-reelroom-caller': op.caller,
    responses: {
      [String(op.ok.status)]: {
        description: op.ok.description,
        ...(op.ok.status !== 204 && {
          content: {
            [op.ok.contentType ?? 'application/json']: op.ok.schema
              ? { schema: op.ok.array ? { type: 'array', items: output(op.ok.schema) } : output(op.ok.schema) }
              : {},
          },
        }),
      },
      ...Object.fromEntries(
        (op.errors ?? []).map((s) => [
          String(s),
          {
            description: ERROR_TEXT[s] ?? 'Error.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
          },
        ]),
      ),
    },
  };
  if (op.caller === 'admin') out.description = 'Administrators only: the first account registered, or an email listed in ADMIN_EMAILS.';
  if (parameters.length) out.parameters = parameters;
  if (op.body) out.requestBody = { required: true, content: { 'application/json': { schema: input(op.body) } } };
  if (op.sdp) out.requestBody = { required: true, content: { 'application/sdp': { schema: { type: 'string' } } } };
  if (op.multipart) {
    out.requestBody = {
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } },
          },
        },
      },
    };
  }
  return out;
}

/** The OpenAPI 3.1 document of the API, built from the route table and the contracts' zod schemas. */
export function buildOpenApiDocument(version = '0.1.0'): Json {
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reelroom API',
      version,
      description:
        'Self-hosted watch parties. Requests are validated with the zod schemas of packages/contracts; this document is generated from the same schemas. Realtime events (socket.io at /socket.io) and resumable uploads (tus 1.0 at /api/uploads) are described in docs/ARCHITECTURE.md.',
    },
    tags: ['auth', 'rooms', 'media', 'subtitles', 'live', 'admin', 'operations'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'reelroom_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The accessToken from register or login.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the operator set one.' },
        streamKey: { type: 'http', scheme: 'bearer', description: "A room's stream key (the Go live panel), as an encoder sends it." },
      },
      schemas: {
        ApiError: {
          type: 'object',
          required: ['statusCode', 'message'],
          properties: { statusCode: { type: 'integer' }, message: { type: 'string', description: 'A sentence for people.' } },
        },
      },
    },
  };
}
