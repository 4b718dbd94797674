/**
 * A browser without a browser, for integration tests of redirect flows: plain GETs and form POSTs with
 * redirects followed by hand (each step visible to the test), and cookies kept per origin the way a
 * browser sends them back (name=value; expired ones dropped). Paths and SameSite are not modelled.
 */
export class RedirectClient {
  private readonly jar = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(new URL(origin).origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string | null): void {
    const o = new URL(origin).origin;
    const cookies = this.jar.get(o) ?? new Map<string, string>();
    this.jar.set(o, cookies);
    if (value === null) cookies.delete(name);
    else cookies.set(name, value);
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const origin = new URL(url).origin;
    const headers: Record<string, string> = {};
    const cookies = this.jar.get(origin);
    if (cookies?.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = origin;
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      this.setCookie(origin, name, expired ? null : decodeURIComponent(pair.slice(eq + 1).trim()));
    }
    return res;
  }

  /** The absolute URL a redirect response points to (throws when it is not a redirect). */
  static location(res: Response, from: string): string {
    const loc = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !loc) throw new Error(`expected a redirect from ${from}, got ${res.status}`);
    return new URL(loc, from).href;
  }
}
