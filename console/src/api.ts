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

/** A GET whose 404 means "nothing of that kind yet" (no account, no such record): answers null then. */
export async function getOrNull<T>(path: string): Promise<T | null> {
  try {
    return await get<T>(path);
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 404) return null;
    throw e;
  }
}

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

/** A helper for query strings: drops empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Money is kept in fen; shown in yuan. */
export const yuan = (fen: number | null | undefined) => (fen == null ? '—' : `¥${(fen / 100).toFixed(2)}`);

// ---- ingestion -------------------------------------------------------------------------------

export interface SourceStats {
  sourceId: number;
  source: string;
  accepted: number;
  deduplicated: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

export interface IngestDeadLetter {
  id: number;
  sourceId: number;
  protocol: string;
  receivedAt: string;
  reason: string;
  field?: string;
  detail?: string;
  raw?: string | null;
}

export interface IngestPage<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

// ---- identity --------------------------------------------------------------------------------

export interface IdentifierTypeView {
  name: string;
  scopeKind: string;
  strength: string;
  priority: number;
  pii: string;
}

export interface IdentifierView {
  type: string;
  scope?: string;
  value: string;
  attachedAt?: string;
}

export interface PersonView {
  personId: number;
  mergedInto?: number;
  identifiers: IdentifierView[];
}

export interface MergeView {
  id: number;
  survivor: number;
  merged: number;
  evidence: number;
  kind: string;
  source: string;
  mergedAt: string;
  splitAt?: string;
  splitBy?: string;
  identifiers: number;
}

export interface GraphView {
  personId: number;
  nodes: { id: number; type: string; scope?: string; value: string }[];
  edges: { from: number; to: number; evidence: number; kind: string; source: string; occurredAt: string }[];
  merges: MergeView[];
}

export interface ConflictView {
  id: number;
  personA: number;
  personB: number;
  type: string;
  scope?: string;
  reason: string;
  evidence: number;
  foundAt: string;
  resolvedAt?: string;
  resolvedBy?: string;
  resolution?: string;
}

// ---- orders ----------------------------------------------------------------------------------

export interface OrderView {
  id: number;
  channel: string;
  shopId: string;
  platformOrderId: string;
  status: string;
  rawStatus: string;
  paidFen: number;
  discountFen: number;
  shippingFen: number;
  refundedFen: number;
  buyers: { type: string; scope?: string; value: string }[];
  lines: { lineId: string; sku: string; title: string; category?: string; quantity: number; unitPriceFen: number; paidFen: number; refundStatus: string }[];
  refunds: { refundId: string; lineId?: string; state: string; amountFen: number; modifiedAt: string }[];
  createdAt: string;
  paidAt?: string;
  completedAt?: string;
  modifiedAt: string;
  rawPayload?: string;
}

export interface OrderPage {
  items: OrderView[];
  total: number;
  page: number;
  size: number;
}

export const ORDER_STATUSES = ['CREATED', 'PAID', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'CLOSED'];
export const ORDER_CHANNELS = ['taobao', 'doudian', 'youzan', 'kuaishou', 'wechat_shop', 'jd', 'native'];

// ---- loyalty ---------------------------------------------------------------------------------

export interface ProgramView {
  code: string;
  name: string;
  version: number;
  config: {
    tiers: { code: string; name: string; threshold?: number; multiplier?: number }[];
    qualification?: { measure: string; window: string; windowMonths?: number; downgrade?: string; graceDays?: number };
    earning?: { rules?: { channel?: string; shop?: string; category?: string; pointsPerYuan: number }[] } & Record<string, unknown>;
  } & Record<string, unknown>;
}

export interface Balance {
  program: string;
  personId: number;
  available: number;
  pending: number;
  growth: number;
  tier: string;
  tierName: string;
  tierSince?: string;
  expiringSoon: { expiresOn: string; points: number }[];
  progress?: { tier: string; value: number; measure: string; nextReviewAt?: string; toKeep: number; projectedTier?: string; nextTier?: string; toNext: number; summary: string };
}

export interface LedgerEntry {
  id: number;
  type: string;
  points: number;
  available: number;
  pending: number;
  growth: number;
  source: string;
  businessType: string;
  businessId: string;
  orderKey?: string;
  rule?: string;
  multiplier?: string;
  reason?: string;
  actor?: string;
  occurredAt: string;
}
