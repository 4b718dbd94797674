import { RedirectClient } from './redirect-client.js';

const decodeHtml = (s: string) =>
  s
    .replace(/&#x2F;/gi, '/')
    .replace(/&#x3D;/gi, '=')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/**
 * Walks the test provider's pages as a person would (its sign-in form with `login`, then its consent
 * form) from `authUrl` until the provider redirects to `callbackPrefix`, and returns that callback URL
 * without visiting it, so the test may look at it, change it, or send it from another client.
 */
export async function throughProvider(client: RedirectClient, authUrl: string, login: string, callbackPrefix: string): Promise<string> {
  let url = authUrl;
  let res = await client.request(url);
  for (let step = 0; step < 20; step++) {
    if (res.status >= 300 && res.status < 400) {
      url = RedirectClient.location(res, url);
      if (url.startsWith(callbackPrefix)) return url;
      res = await client.request(url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`the provider answered ${res.status} at ${url}: ${html.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no form on the provider's page at ${url}: ${html.slice(0, 500)}`);
    const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt };
    const target = new URL(decodeHtml(action), url).href;
    res = await client.request(target, { form });
    url = target;
  }
  throw new Error(`the provider did not redirect back within 20 steps (last: ${url})`);
}
