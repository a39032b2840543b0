/** The member center's API client: the member's own token (pond_ms_…), separate from the console session. */
import { ApiError, type Problem } from '../api';

const TOKEN_KEY = 'pond.member';

export const memberSession = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

export async function memberApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = memberSession.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem: Problem = json && json.code ? json : { status: response.status, code: 'http_' + response.status };
    if (response.status === 401 && token && !path.includes('/auth/')) memberSession.clear();
    throw new ApiError(problem);
  }
  return json as T;
}

/** An image the API serves behind the member token, as an object URL for an <img>. */
export async function memberImage(path: string): Promise<string> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${memberSession.token()}` } });
  if (!response.ok) throw new ApiError({ status: response.status, code: 'http_' + response.status });
  return URL.createObjectURL(await response.blob());
}

export interface MemberBalance {
  program: string;
  available: number;
  pending: number;
  growth: number;
  tier: string;
  tierName: string;
  expiringSoon: { expiresOn: string; points: number }[];
  nextTier?: string;
  toNextTier: number;
  progress?: string;
}

export interface Me {
  personId: number;
  phone?: string;
  memberships: { program: string; name: string; balance?: MemberBalance | null }[];
}

export interface Card {
  program: string;
  name: string;
  balance?: MemberBalance | null;
  memberCode: string;
  codeExpiresAt: string;
}

export interface PointsEntry {
  id: number;
  type: string;
  points: number;
  explanation: string;
  orderKey?: string;
  occurredAt: string;
  /** order, claim, refund, activation, redemption, reversal, expiry, adjustment, event, merge, channel */
  kind: string;
  reference?: string | null;
  availableDelta: number;
  pendingDelta: number;
  /** for earnings: pending, available, used, expired */
  state?: 'pending' | 'available' | 'used' | 'expired' | null;
  pendingUntil?: string | null;
  remaining?: number | null;
  expiresAt?: string | null;
  expiringSoon: boolean;
}

export interface Membership {
  program: string;
  name: string;
  member: boolean;
  joinedAt?: string | null;
  joinChannel?: string | null;
  joinGiftPoints: number;
  marketingConsent: boolean;
  balance?: MemberBalance | null;
}

export interface Joined {
  program: string;
  newMember: boolean;
  giftPoints: number;
  giftExplanation: string;
  balance?: MemberBalance | null;
}

export interface OrderClaim {
  id: number;
  program: string;
  channel: string;
  orderNumber: string;
  shop?: string | null;
  status: 'HELD' | 'ACCEPTED' | 'REJECTED' | 'EXPIRED';
  reasonCode?: string | null;
  reason?: string | null;
  points?: number | null;
  createdAt: string;
  expiresAt: string;
  settledAt?: string | null;
}

export interface CouponTerms {
  kind: string;
  amountOffFen: number;
  thresholdFen: number;
  payRatePermille: number;
  capFen: number;
  specialPriceFen: number;
  giftSku?: string | null;
}

export interface MemberCoupon {
  code: string;
  template: string;
  name: string;
  terms: CouponTerms;
  status: 'available' | 'locked' | 'used' | 'expired';
  source: string;
  validFrom: string;
  validUntil: string;
  issuedAt: string;
  usedAt?: string | null;
  orderKey?: string | null;
  discountFen?: number | null;
}

export interface ClaimableCoupon {
  template: string;
  name: string;
  terms: CouponTerms;
  remaining: number;
  perMemberLimit?: number | null;
  held: number;
  memberOnly: boolean;
  tiers: string[];
  newCustomerOnly: boolean;
  validFrom?: string | null;
  validUntil?: string | null;
  validDays?: number | null;
  claimable: boolean;
  refusal?: string | null;
}

export interface MallItem {
  code: string;
  name: string;
  points: number;
  cashFen: number;
  stock: number;
}
