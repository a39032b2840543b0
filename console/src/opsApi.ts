/** Types of the dashboard, coupon and segment APIs the operations pages use (see docs/console.md). */

// ---- analytics ---------------------------------------------------------------------------------

export interface DashboardView {
  from: string;
  to: string;
  zone: string;
  granularity: 'DAY' | 'WEEK';
  program?: string;
  programs: string[];
  members: {
    before: number;
    added: number;
    total: number;
    series: { period: string; added: number; total: number }[];
    addedByChannel: Record<string, number>;
  };
  gmv: {
    orders: number;
    paidFen: number;
    refundedFen: number;
    byChannel: { channel: string; orders: number; paidFen: number; refundedFen: number }[];
    series: { period: string; orders: number; paidFen: number; paidFenByChannel: Record<string, number> }[];
  };
  membership: {
    memberOrders: number;
    memberFen: number;
    otherOrders: number;
    otherFen: number;
    series: { period: string; memberFen: number; otherFen: number }[];
  };
  tiers: { tier: string; name: string; members: number }[];
}

export const AIPL_STAGES = ['aware', 'interest', 'purchase', 'loyal'] as const;

export interface AiplView {
  day: string;
  counts: Record<string, number>;
}

export interface AiplFlow {
  from: string;
  to: string;
  transitions: Record<string, Record<string, number>>;
}

// ---- offers ------------------------------------------------------------------------------------

export const COUPON_KINDS = ['fixed', 'threshold', 'percentage', 'special_price', 'free_shipping', 'gift'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

export interface CouponTemplate {
  code: string;
  name: string;
  kind: string;
  rule: Record<string, unknown>;
  scope: Record<string, unknown>;
  validity: Record<string, unknown>;
  totalStock: number;
  issued: number;
  remaining: number;
  perMemberLimit?: number;
  memberOnly: boolean;
  tiers: string[];
  newCustomerOnly: boolean;
  stackable: boolean;
  refundPolicy: string;
  codeSource: string;
  active: boolean;
  createdAt: string;
}

export interface CouponStats {
  template: string;
  issued: number;
  remaining: number;
  byStatus: Record<string, number>;
  bySource: Record<string, number>;
  redeemedDiscountFen: number;
  redemptionRate: number;
}

export interface IssuedCoupon {
  id?: number;
  code: string;
  template?: string;
  status?: string;
  validFrom?: string;
  validUntil?: string;
}

export interface IssueJob {
  id: number;
  idempotencyKey: string;
  template: string;
  source: string;
  status: string;
  total: number;
  processed: number;
  issued: number;
  refused: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  replayed: boolean;
}

/** A template listed in the claim center (领券中心). */
export interface ClaimCenterItem {
  template: string;
  name: string;
  position: number;
  listedAt: string;
  listedBy: string;
}

export interface WalletCoupon {
  id: number;
  code: string;
  template: string;
  templateName: string;
  kind: string;
  status: string;
  source: string;
  validFrom: string;
  validUntil: string;
  issuedAt: string;
  orderKey?: string;
  discountFen?: number;
  expired: boolean;
}

// ---- segments ----------------------------------------------------------------------------------

export interface TagView {
  code: string;
  name: string;
  kind: 'manual' | 'rule' | 'model';
  expression?: unknown;
  members: number;
  createdBy?: string;
  createdAt?: string;
  refreshedAt?: string;
}

export interface SegmentView {
  code: string;
  name: string;
  expression: unknown;
  count: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  tookMs: number;
}

export interface CountView {
  count: number;
  sample: number[];
  tookMs: number;
}

export interface OverlapView {
  counts: Record<string, number>;
  pairs: { a: string; b: string; both: number }[];
  union: number;
  all: number;
  tookMs: number;
}

export interface ExportPage {
  segment: string;
  total: number;
  phone: string;
  rows: Record<string, unknown>[];
  nextAfter?: number;
}

// ---- profile (customer 360) ----------------------------------------------------------------------

export const CONSENT_PURPOSES = ['marketing', 'sms', 'wechat', 'data_sharing'] as const;
export const TIMELINE_KINDS = ['event', 'order', 'refund', 'points', 'message', 'consent', 'trait'] as const;

/** A trait as the API shows it: personal ones (pii) masked unless the caller is an admin. */
export interface TraitView {
  name: string;
  value: string;
  pii: boolean;
  source: string;
  observedAt: string;
}

/** Metric values in fixed units: money in fen, dates as epoch days in the brand's time zone, rates in per-mille, RFM scores 1–5. */
export interface MetricsView {
  personId: number;
  metrics: Record<string, number | null>;
  favouriteChannel?: string;
  favouriteCategory?: string;
  computedAt?: string;
}

export interface ProfileView {
  personId: number;
  pseudonym?: string;
  traits: TraitView[];
  consents: Record<string, boolean>;
  /** absent for a caller whose data scope is limited to some channels */
  metrics?: MetricsView;
}

export interface ConsentView {
  purpose: string;
  granted: boolean;
  source: string;
  actor?: string;
  note?: string;
  occurredAt: string;
}

export interface ConsentsView {
  personId: number;
  granted: Record<string, boolean>;
  current: ConsentView[];
  /** oldest first */
  history: ConsentView[];
}

export interface TimelineItem {
  at: string;
  kind: string;
  summary: string;
  detail: Record<string, unknown>;
}

export interface TimelinePage {
  personId: number;
  page: number;
  size: number;
  more: boolean;
  items: TimelineItem[];
}

export interface PersonTags {
  personId: number;
  tags: { tag: string; kind: string; since: string }[];
  history: { tag: string; personId: number; action: string; source: string; at: string }[];
}

export interface ErasureView {
  personId: number;
  pseudonym: string;
  erasedAt: string;
  erasedBy: string;
  identifiersErased: number;
  ordersScrubbed: number;
  traitsErased: number;
  eventsScrubbed: number;
}
