import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { authAs } from '../testing/fake-socket.js';
import { UploadContexts, type TusRequest } from './upload-context.js';

/** tus hands its hooks a web Request carrying the node request at runtime.node.req (srvx). */
function tusRequest(node: IncomingMessage | undefined): TusRequest {
  return Object.assign(new Request('http://localhost/api/uploads'), { runtime: { name: 'node', node: node ? { req: node } : undefined } });
}

describe(UploadContexts.name, () => {
  it("carries the middleware's context to tus's hooks through the node request", () => {
    const contexts = new UploadContexts();
    const node = new IncomingMessage(new Socket());
    contexts.set(node, { auth: authAs('ana'), upload: null });
    expect(contexts.of(tusRequest(node))).toEqual({ auth: authAs('ana'), upload: null });
  });

  it('refuses a hook call for a request that did not pass the middleware', () => {
    const contexts = new UploadContexts();
    expect(() => contexts.of(tusRequest(new IncomingMessage(new Socket())))).toThrow(/without passing the uploads middleware/);
    expect(() => contexts.of(tusRequest(undefined))).toThrow(/without its node request/);
  });
});
