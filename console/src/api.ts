/** The Pond management API, called with the console session token as a bearer credential. */

export interface Problem {
  status: number;
  code: string;
  detail?: string;
  field?: string;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.code);
    this.problem = problem;
  }
}

const TOKEN_KEY = 'pond.session';
let onUnauthenticated: (code: string) => void = () => {};

export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
  /** Called when the API refuses the session (expired, signed out elsewhere, user disabled). */
  onUnauthenticated: (handler: (code: string) => void) => {
    onUnauthenticated = handler;
  },
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem: Problem = json && json.code ? json : { status: response.status, code: 'http_' + response.status };
    if (response.status === 401 && token && !path.endsWith('/auth/login')) onUnauthenticated(problem.code);
    throw new ApiError(problem);
  }
  return json as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);

export type Role = 'admin' | 'operator' | 'analyst' | 'viewer';
export const ROLES: Role[] = ['admin', 'operator', 'analyst', 'viewer'];
/** Channels offered in the scope picker; others can be typed in. */
export const KNOWN_CHANNELS = ['tmall', 'taobao', 'jd', 'douyin', 'kuaishou', 'youzan', 'wechat', 'offline'];

export interface Me {
  kind: 'user' | 'key';
  username: string;
  role: Role;
  channels?: string[];
  sessionExpiresAt?: string;
}

export interface User {
  id: number;
  username: string;
  role: Role;
  channels?: string[];
  createdAt: string;
  disabled: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface Key {
  id: number;
  kind: 'write' | 'server';
  name: string;
  source?: string;
  role?: Role;
  prefix: string;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
}

export interface Source {
  id: number;
  name: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target?: string;
  detail?: string;
}
