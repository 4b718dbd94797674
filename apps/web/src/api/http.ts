import { apiErrorFromBody, networkError, parseRetryAfter } from './api-error';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return text;
}

/**
 * The one place the web app talks HTTP to the API. JSON in, JSON out; the session rides on the
 * httpOnly cookie (same origin), so there is no token handling here.
 */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw networkError();
  }
  const data = await readBody(res);
  if (!res.ok) throw apiErrorFromBody(res.status, data, res.statusText, parseRetryAfter(res.headers.get('retry-after')));
  // The production server answers unknown paths with index.html; an HTML reply to an API call means
  // the API is not there (or is misrouted), which is an error, not data.
  if (typeof data === 'string') throw apiErrorFromBody(502, undefined);
  return data as T;
}

/** A small multipart form (a subtitle file and its fields) through fetch: no progress bar needed. */
export async function uploadForm<T>(path: string, fields: Record<string, string | File>): Promise<T> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' }, body: form });
  } catch {
    throw networkError();
  }
  const data = await readBody(res);
  if (!res.ok) throw apiErrorFromBody(res.status, data, res.statusText, parseRetryAfter(res.headers.get('retry-after')));
  return data as T;
}

export interface UploadHandle<T> {
  promise: Promise<T>;
  abort(): void;
}

/**
 * Multipart upload through XMLHttpRequest: fetch() has no upload progress events in browsers today,
 * and the progress bar is the point.
 */
export function uploadFile<T>(path: string, field: string, file: File, onProgress: (fraction: number) => void): UploadHandle<T> {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && data !== undefined) {
        onProgress(1);
        resolve(data as T);
      } else {
        reject(apiErrorFromBody(xhr.status >= 200 && xhr.status < 300 ? 502 : xhr.status, data, xhr.statusText));
      }
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    const form = new FormData();
    form.append(field, file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
