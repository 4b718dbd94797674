import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { ApiError, AuthResponse, MediaStatus, MediaView, RoomView } from '@reelroom/contracts';

/** A response's JSON body, typed as the API's contract says it is (the tests then check its content). */
export async function bodyOf<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** The body of an error response: every API error is `{ statusCode, message }`. */
export const errorOf = (res: Response): Promise<ApiError> => bodyOf<ApiError>(res);

/** A thin HTTP client over the public API, as a script or curl user would call it. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    public token?: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(this.baseUrl + path, { method, headers: h, body: payload });
  }

  /** Any method with raw bytes and exact headers (tus speaks headers and application/offset+octet-stream). */
  raw(method: string, pathOrUrl: string, headers: Record<string, string> = {}, body?: Uint8Array): Promise<Response> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : this.baseUrl + pathOrUrl;
    // fetch takes views over a plain ArrayBuffer only; a Buffer may sit on Node's shared pool: copy it.
    return fetch(url, { method, headers: h, body: body && new Uint8Array(body) });
  }

  async json<T>(method: string, path: string, body?: unknown, expectStatus?: number): Promise<T> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    if (expectStatus !== undefined ? res.status !== expectStatus : !res.ok) {
      throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async register(email = `u${Math.random().toString(36).slice(2)}@example.test`, displayName = 'Tester'): Promise<AuthResponse> {
    const r = await this.json<AuthResponse>('POST', '/api/auth/register', { email, password: 'correct horse battery', displayName }, 201);
    this.token = r.accessToken;
    return r;
  }

  /** Joins the room as a guest with this display name (the REST guest join): this client is signed in as the guest after. */
  async joinAsGuest(roomId: string, displayName: string): Promise<AuthResponse> {
    const r = await this.json<AuthResponse>('POST', `/api/rooms/${roomId}/guest`, { displayName }, 201);
    this.token = r.accessToken;
    return r;
  }

  createRoom(name = 'Movie night'): Promise<RoomView> {
    return this.json<RoomView>('POST', '/api/rooms', { name }, 201);
  }

  async uploadRequest(roomId: string, filePath: string, name = basename(filePath)): Promise<Response> {
    const form = new FormData();
    form.append('file', await openAsBlob(filePath), name);
    return this.request('POST', `/api/rooms/${roomId}/media`, form);
  }

  async upload(roomId: string, filePath: string, name?: string): Promise<MediaView> {
    const res = await this.uploadRequest(roomId, filePath, name);
    const text = await res.text();
    if (res.status !== 202) throw new Error(`upload -> ${res.status}: ${text}`);
    return JSON.parse(text) as MediaView;
  }

  /** Polls GET /api/media/:id until it reaches one of the statuses. */
  async waitForMedia(id: string, statuses: MediaStatus[] = ['ready', 'failed'], timeoutMs = 90_000): Promise<MediaView> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.json<MediaView>('GET', `/api/media/${id}`);
      if (statuses.includes(m.status)) return m;
      if (Date.now() > until) throw new Error(`media ${id} still ${m.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
