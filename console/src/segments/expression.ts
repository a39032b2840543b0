/**
 * The visual segment builder's model and its mapping to segment expressions (docs/segments.md):
 * groups (AND / OR, optionally negated) of conditions (optionally negated).
 */

export type ConditionType = 'tag' | 'trait' | 'metric' | 'tier' | 'channel' | 'consent' | 'did' | 'bought' | 'segment';
export const CONDITION_TYPES: ConditionType[] = ['tag', 'trait', 'metric', 'tier', 'channel', 'consent', 'did', 'bought', 'segment'];

/** Metrics the profile publishes, with their fixed unit. */
export const METRICS: { name: string; unit: 'fen' | 'count' | 'day' | 'permille' | 'score' }[] = [
  { name: 'spend_fen', unit: 'fen' },
  { name: 'order_count', unit: 'count' },
  { name: 'aov_fen', unit: 'fen' },
  { name: 'refunded_fen', unit: 'fen' },
  { name: 'refund_rate_permille', unit: 'permille' },
  { name: 'clv_fen', unit: 'fen' },
  { name: 'rfm_r', unit: 'score' },
  { name: 'rfm_f', unit: 'score' },
  { name: 'rfm_m', unit: 'score' },
  { name: 'first_order_day', unit: 'day' },
  { name: 'last_order_day', unit: 'day' },
];
/** Channels of the segment index's default configuration (pond.segment.channels). */
export const SEGMENT_CHANNELS = ['wechat', 'wecom', 'taobao', 'douyin', 'jd', 'youzan', 'kuaishou', 'sms', 'email', 'app', 'member'];
export const CONSENT_PURPOSES = ['marketing', 'sms', 'wechat', 'data_sharing'];

export interface Condition {
  id: string;
  kind: 'cond';
  not: boolean;
  type: ConditionType;
  tag?: string;
  trait?: string;
  values?: string[];
  metric?: string;
  /** For money metrics the builder edits yuan; the expression carries fen. */
  gte?: number | null;
  lte?: number | null;
  tiers?: string[];
  program?: string;
  channel?: string;
  consent?: string;
  event?: string;
  property?: string;
  category?: string;
  atLeast?: number | null;
  inLastDays?: number | null;
  segment?: string;
}

export interface Group {
  id: string;
  kind: 'group';
  op: 'and' | 'or';
  not: boolean;
  children: Node[];
}

export type Node = Group | Condition;

let seq = 0;
export const newId = () => `n${++seq}`;

export function newCondition(type: ConditionType): Condition {
  const c: Condition = { id: newId(), kind: 'cond', not: false, type };
  if (type === 'metric') c.metric = 'spend_fen';
  if (type === 'did') {
    c.atLeast = 1;
    c.inLastDays = 30;
  }
  if (type === 'bought') {
    c.category = '*';
    c.atLeast = 1;
    c.inLastDays = 90;
  }
  if (type === 'consent') c.consent = 'marketing';
  return c;
}

export const newGroup = (op: 'and' | 'or' = 'and'): Group => ({ id: newId(), kind: 'group', op, not: false, children: [] });

const isFen = (metric?: string) => !!metric && metric.endsWith('_fen');

type Json = Record<string, unknown>;

/** The expression of a node; a condition not filled in yet, and a group with none filled in, is left out (null). */
export function toExpression(node: Node): Json | null {
  let e: Json | null;
  if (node.kind === 'group') {
    const parts = node.children.map(toExpression).filter((x): x is Json => x !== null);
    e = parts.length === 0 ? null : { [node.op]: parts }; // the API refuses an empty group

  } else {
    e = conditionExpression(node);
  }
  if (e && node.not) e = { not: e };
  return e;
}

function conditionExpression(c: Condition): Json | null {
  const scale = isFen(c.metric) ? 100 : 1;
  switch (c.type) {
    case 'tag':
      return c.tag ? { tag: c.tag } : null;
    case 'trait':
      if (!c.trait) return null;
      if (!c.values || c.values.length === 0) return { trait: c.trait };
      return c.values.length === 1 ? { trait: c.trait, equals: c.values[0] } : { trait: c.trait, in: c.values };
    case 'metric': {
      if (!c.metric) return null;
      const e: Json = { metric: c.metric };
      if (c.gte != null) e.gte = Math.round(c.gte * scale);
      if (c.lte != null) e.lte = Math.round(c.lte * scale);
      return e;
    }
    case 'tier': {
      if (!c.tiers || c.tiers.length === 0) return null;
      const e: Json = { tier: c.tiers.length === 1 ? c.tiers[0] : c.tiers };
      if (c.program) e.program = c.program;
      return e;
    }
    case 'channel':
      return c.channel ? { channel: c.channel } : null;
    case 'consent':
      return c.consent ? { consent: c.consent } : null;
    case 'did': {
      if (!c.event) return null;
      const e: Json = { did: c.event };
      if (c.property && c.values && c.values.length) e.where = { [c.property]: c.values.length === 1 ? c.values[0] : c.values };
      if (c.atLeast != null) e.atLeast = c.atLeast;
      if (c.inLastDays != null) e.inLastDays = c.inLastDays;
      return e;
    }
    case 'bought': {
      if (!c.category) return null;
      const e: Json = { bought: c.category };
      if (c.atLeast != null) e.atLeast = c.atLeast;
      if (c.inLastDays != null) e.inLastDays = c.inLastDays;
      return e;
    }
    case 'segment':
      return c.segment ? { segment: c.segment } : null;
  }
}

/** The builder's tree for a stored expression; null when it uses a shape the builder cannot show. */
export function fromExpression(e: unknown): Group | null {
  const node = parse(e);
  if (!node) return null;
  if (node.kind === 'group') return node;
  const g = newGroup();
  g.children = [node];
  return g;
}

function parse(e: unknown): Node | null {
  if (!e || typeof e !== 'object' || Array.isArray(e)) return null;
  const o = e as Json;
  const strings = (v: unknown) => (Array.isArray(v) ? v.map(String) : v == null ? [] : [String(v)]);
  if ('not' in o) {
    const inner = parse(o.not);
    if (!inner || inner.not) return null;
    return { ...inner, not: true };
  }
  if ('and' in o || 'or' in o) {
    const op = 'and' in o ? 'and' : 'or';
    const children = (o[op] as unknown[]).map(parse);
    if (children.some((c) => c === null)) return null;
    return { id: newId(), kind: 'group', op, not: false, children: children as Node[] };
  }
  const c = (type: ConditionType, extra: Partial<Condition>): Condition => ({ id: newId(), kind: 'cond', not: false, type, ...extra });
  if ('tag' in o) return c('tag', { tag: String(o.tag) });
  if ('trait' in o) return c('trait', { trait: String(o.trait), values: 'equals' in o ? strings(o.equals) : strings(o.in) });
  if ('metric' in o) {
    const scale = isFen(String(o.metric)) ? 100 : 1;
    return c('metric', { metric: String(o.metric), gte: o.gte == null ? null : Number(o.gte) / scale, lte: o.lte == null ? null : Number(o.lte) / scale });
  }
  if ('tier' in o) return c('tier', { tiers: strings(o.tier), program: o.program == null ? undefined : String(o.program) });
  if ('channel' in o) return c('channel', { channel: String(o.channel) });
  if ('consent' in o) return c('consent', { consent: String(o.consent) });
  if ('did' in o) {
    const where = (o.where ?? {}) as Json;
    const property = Object.keys(where)[0];
    return c('did', {
      event: String(o.did),
      property,
      values: property ? strings(where[property]) : undefined,
      atLeast: o.atLeast == null ? null : Number(o.atLeast),
      inLastDays: o.inLastDays == null ? null : Number(o.inLastDays),
    });
  }
  if ('bought' in o) {
    return c('bought', { category: String(o.bought), atLeast: o.atLeast == null ? null : Number(o.atLeast), inLastDays: o.inLastDays == null ? null : Number(o.inLastDays) });
  }
  if ('segment' in o) return c('segment', { segment: String(o.segment) });
  return null;
}

/** Replaces the node with this id (immutably). */
export function update(root: Group, id: string, change: (n: Node) => Node | null): Group {
  const walk = (n: Node): Node | null => {
    if (n.id === id) return change(n);
    if (n.kind === 'group') return { ...n, children: n.children.map(walk).filter((x): x is Node => x !== null) };
    return n;
  };
  return walk(root) as Group;
}

/** Counts the conditions in the tree. */
export function conditions(n: Node): number {
  return n.kind === 'group' ? n.children.reduce((s, c) => s + conditions(c), 0) : 1;
}
