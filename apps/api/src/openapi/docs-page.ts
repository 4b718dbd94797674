type Json = Record<string, unknown>;

const CALLERS: Record<string, string> = {
  anyone: 'anyone',
  session: 'signed-in callers',
  admin: 'administrators only',
  metrics: 'Prometheus; the bearer METRICS_TOKEN when one is set',
  streamKey: "encoders, with a room's stream key as the bearer token",
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The OpenAPI document as one static HTML page, rendered on the server: no script and no inline style, so it
 * runs under the app's strict CSP unchanged (a Swagger UI bundle would need its own assets and a looser
 * policy). Each operation shows its summary, who may call it, its parameters, its request body schema and
 * its answers; the JSON document is linked for tools.
 */
export function renderDocsPage(doc: Json): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters as Array<{ name: string; in: string; required: boolean; schema: unknown }> | undefined) ?? [];
      const body = (op.requestBody as { content: Record<string, { schema: unknown }> } | undefined)?.content;
      const responses = op.responses as Record<string, { description: string }>;
      const who = CALLERS[String(op['x-reelroom-caller'])] ?? 'anyone';
      sections.push(`<section id="${escape(String(op.operationId))}">
<h3><code>${method.toUpperCase()} ${escape(path)}</code></h3>
<p>${escape(String(op.summary))} <em>(${who})</em></p>
${params.length ? `<p>Parameters:</p><ul>${params.map((p) => `<li><code>${escape(p.name)}</code> in ${p.in}${p.required ? ', required' : ''}: <code>${escape(JSON.stringify(p.schema))}</code></li>`).join('')}</ul>` : ''}
${
  body
    ? Object.entries(body)
        .map(([type, c]) => `<p>Body (${escape(type)}):</p><pre>${escape(JSON.stringify(c.schema, null, 2))}</pre>`)
        .join('')
    : ''
}
<p>Answers:</p><ul>${Object.entries(responses)
        .map(([status, r]) => `<li><code>${status}</code> ${escape(r.description)}</li>`)
        .join('')}</ul>
</section>`);
    }
  }
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(info.title)} ${escape(info.version)}</title></head>
<body>
<main>
<h1>${escape(info.title)} <small>${escape(info.version)}</small></h1>
<p>${escape(info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Operations</h2>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
