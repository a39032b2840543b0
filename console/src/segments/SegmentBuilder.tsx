import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Dropdown, Input, InputNumber, Segmented, Select, Space, Spin, Statistic, Switch, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, post } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import type { CountView, SegmentView, TagView } from '../opsApi';
import {
  CONDITION_TYPES, CONSENT_PURPOSES, METRICS, SEGMENT_CHANNELS, newCondition, newGroup, toExpression, update,
  type Condition, type ConditionType, type Group, type Node,
} from './expression';

export interface BuilderContext {
  tags: TagView[];
  segments: SegmentView[];
  /** The segment being edited (not offered as a condition of itself). */
  editing?: string;
}

/** The visual builder: nested AND/OR groups of conditions, each may be negated; shows the live count as it changes. */
export function SegmentBuilder({ value, onChange, context }: { value: Group; onChange: (g: Group) => void; context: BuilderContext }) {
  const { t } = useI18n();
  const expression = useMemo(() => toExpression(value), [value]);
  const json = JSON.stringify(expression);
  const [count, setCount] = useState<CountView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [counting, setCounting] = useState(false);
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    if (expression === null) {
      setCount(null);
      setError(null);
      setCounting(false);
      return;
    }
    setCounting(true);
    const timer = setTimeout(async () => {
      try {
        const c = await post<CountView>('/api/v1/segments/preview', { expression: JSON.parse(json), sample: 10 });
        if (ticket !== latest.current) return;
        setCount(c);
        setError(null);
      } catch (e) {
        if (ticket !== latest.current) return;
        setError(e instanceof ApiError ? `${e.problem.field ? e.problem.field + ': ' : ''}${e.problem.detail ?? e.problem.code}` : t('error.generic'));
      } finally {
        if (ticket === latest.current) setCounting(false);
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [json, t]); // eslint-disable-line react-hooks/exhaustive-deps -- json stands for expression

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" style={{ background: '#f6ffed', borderColor: '#b7eb8f' }}>
        <Space size="large" align="center" wrap>
          <Statistic
            title={t('segments.liveCount')}
            value={count?.count ?? '—'}
            valueRender={(node) => <span data-testid="segment-live-count" data-count={count?.count ?? ''}>{node}</span>}
          />
          {expression === null && <Typography.Text type="secondary">{t('segments.addToCount')}</Typography.Text>}
          {counting ? <Spin size="small" /> : count && <Typography.Text type="secondary">{t('segments.took', { ms: count.tookMs.toFixed(1) })}</Typography.Text>}
          {count && count.sample.length > 0 && (
            <span>
              {t('segments.sample')}:{' '}
              {count.sample.map((p) => (
                <Link key={p} to={`/persons/${p}`} style={{ marginRight: 6 }}>
                  {p}
                </Link>
              ))}
            </span>
          )}
        </Space>
        {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} data-testid="segment-error" />}
      </Card>
      <GroupEditor group={value} root={value} onChange={onChange} context={context} depth={0} />
      <details>
        <summary>{t('segments.expressionJson')}</summary>
        <pre style={{ fontSize: 12, whiteSpace: 'pre-wrap' }} data-testid="segment-json">{JSON.stringify(expression, null, 2)}</pre>
      </details>
    </Space>
  );
}

function GroupEditor({ group, root, onChange, context, depth }: { group: Group; root: Group; onChange: (g: Group) => void; context: BuilderContext; depth: number }) {
  const { t } = useI18n();
  const set = (change: (n: Node) => Node | null) => onChange(update(root, group.id, change));
  const add = (node: Node) => set((n) => ({ ...(n as Group), children: [...(n as Group).children, node] }));
  return (
    <div
      style={{ borderLeft: `3px solid ${group.op === 'and' ? '#1677ff' : '#fa8c16'}`, padding: '8px 0 8px 12px', background: depth % 2 ? '#fafafa' : undefined }}
      data-testid={depth === 0 ? 'segment-root' : undefined}
    >
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented
          size="small"
          value={group.op}
          onChange={(op) => set((n) => ({ ...(n as Group), op: op as 'and' | 'or' }))}
          options={[{ value: 'and', label: t('segments.and') }, { value: 'or', label: t('segments.or') }]}
          data-testid={`segment-op-${depth}`}
        />
        <Space size={4}>
          <Switch size="small" checked={group.not} onChange={(not) => set((n) => ({ ...n, not }))} />
          <Typography.Text type={group.not ? 'danger' : 'secondary'}>{t('segments.not')}</Typography.Text>
        </Space>
        <Dropdown
          trigger={['click']}
          menu={{
            items: CONDITION_TYPES.map((type) => ({ key: type, label: <span data-testid={`segment-add-${type}`}>{t(`segments.cond.${type}`)}</span> })),
            onClick: ({ key }) => add(newCondition(key as ConditionType)),
          }}
        >
          <Button size="small" icon={<PlusOutlined />} data-testid={depth === 0 ? 'segment-add' : undefined}>
            {t('segments.addCondition')}
          </Button>
        </Dropdown>
        {depth < 4 && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => add(newGroup(group.op === 'and' ? 'or' : 'and'))}>
            {t('segments.addGroup')}
          </Button>
        )}
        {depth > 0 && <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => set(() => null)} />}
      </Space>
      {group.children.length === 0 && <div><Typography.Text type="secondary">{t('segments.emptyGroup')}</Typography.Text></div>}
      <Space direction="vertical" style={{ width: '100%' }} size={6}>
        {group.children.map((child) =>
          child.kind === 'group' ? (
            <GroupEditor key={child.id} group={child} root={root} onChange={onChange} context={context} depth={depth + 1} />
          ) : (
            <ConditionEditor key={child.id} condition={child} onChange={(c) => onChange(update(root, child.id, () => c))} context={context} />
          ),
        )}
      </Space>
    </div>
  );
}

function ConditionEditor({ condition: c, onChange, context }: { condition: Condition; onChange: (c: Condition | null) => void; context: BuilderContext }) {
  const { t } = useI18n();
  const set = (patch: Partial<Condition>) => onChange({ ...c, ...patch });
  const unit = METRICS.find((m) => m.name === c.metric)?.unit;
  const strings = (placeholder: string, value: string[] | undefined, onValues: (v: string[]) => void, options: string[] = []) => (
    <Select mode="tags" style={{ minWidth: 200 }} placeholder={placeholder} value={value} onChange={onValues} options={options.map((o) => ({ value: o, label: o }))} />
  );
  const number = (placeholder: string, value: number | null | undefined, onValue: (v: number | null) => void, min = 0) => (
    <InputNumber style={{ width: 120 }} min={min} placeholder={placeholder} value={value ?? null} onChange={(v) => onValue(v == null ? null : Number(v))} />
  );

  let fields;
  switch (c.type) {
    case 'tag':
      fields = (
        <Select
          showSearch
          style={{ minWidth: 260 }}
          placeholder={t('segments.cond.tag')}
          value={c.tag}
          onChange={(tag) => set({ tag })}
          options={context.tags.map((x) => ({ value: x.code, label: `${x.name} (${x.code}) · ${x.members}` }))}
          data-testid="segment-tag-select"
        />
      );
      break;
    case 'trait':
      fields = (
        <>
          <Input style={{ width: 140 }} placeholder={t('segments.traitName')} value={c.trait} onChange={(e) => set({ trait: e.target.value })} />
          {t('segments.equals')}
          {strings(t('segments.anyValue'), c.values, (values) => set({ values }))}
        </>
      );
      break;
    case 'metric':
      fields = (
        <>
          <Select style={{ width: 200 }} value={c.metric} onChange={(metric) => set({ metric })} options={METRICS.map((m) => ({ value: m.name, label: t(`metric.${m.name}` as MessageKey) }))} />
          {number('≥', c.gte, (gte) => set({ gte }))}
          ~
          {number('≤', c.lte, (lte) => set({ lte }))}
          <Typography.Text type="secondary">{unit && t(`segments.unit.${unit}`)}</Typography.Text>
        </>
      );
      break;
    case 'tier':
      fields = (
        <>
          {strings(t('segments.cond.tier'), c.tiers, (tiers) => set({ tiers }))}
          <Input style={{ width: 140 }} placeholder={t('loyalty.program')} value={c.program} onChange={(e) => set({ program: e.target.value || undefined })} />
        </>
      );
      break;
    case 'channel':
      fields = <Select style={{ width: 180 }} value={c.channel} placeholder={t('orders.channel')} onChange={(channel) => set({ channel })} options={SEGMENT_CHANNELS.map((x) => ({ value: x, label: x }))} data-testid="segment-channel-select" />;
      break;
    case 'consent':
      fields = <Select style={{ width: 180 }} value={c.consent} onChange={(consent) => set({ consent })} options={CONSENT_PURPOSES.map((x) => ({ value: x, label: t(`consent.${x}` as MessageKey) }))} />;
      break;
    case 'did':
      fields = (
        <>
          <Input style={{ width: 160 }} placeholder={t('segments.event')} value={c.event} onChange={(e) => set({ event: e.target.value })} data-testid="segment-event" />
          <Select allowClear style={{ width: 120 }} placeholder={t('segments.property')} value={c.property} onChange={(property) => set({ property })}
            options={['category', 'channel', 'source', 'campaign', 'sku', 'page'].map((x) => ({ value: x, label: x }))} />
          {c.property && strings(t('segments.values'), c.values, (values) => set({ values }))}
          {t('segments.atLeast')} {number('1', c.atLeast, (atLeast) => set({ atLeast }), 1)} {t('segments.times')}
          {t('segments.inLast')} {number('30', c.inLastDays, (inLastDays) => set({ inLastDays }), 1)} {t('segments.days')}
        </>
      );
      break;
    case 'bought':
      fields = (
        <>
          <Input style={{ width: 140 }} placeholder={t('segments.categoryAny')} value={c.category} onChange={(e) => set({ category: e.target.value })} />
          {t('segments.atLeast')} {number('1', c.atLeast, (atLeast) => set({ atLeast }), 1)} {t('segments.orders')}
          {t('segments.inLast')} {number('90', c.inLastDays, (inLastDays) => set({ inLastDays }), 1)} {t('segments.days')}
        </>
      );
      break;
    case 'segment':
      fields = (
        <Select showSearch style={{ minWidth: 240 }} value={c.segment} onChange={(segment) => set({ segment })}
          options={context.segments.filter((s) => s.code !== context.editing).map((s) => ({ value: s.code, label: `${s.name} (${s.code})` }))} />
      );
      break;
  }

  return (
    <Space wrap style={{ padding: '4px 8px', background: '#fff', border: '1px solid #f0f0f0', borderRadius: 6, width: '100%' }} data-testid="segment-condition">
      <Tag color={c.not ? 'red' : 'blue'} style={{ cursor: 'pointer' }} onClick={() => set({ not: !c.not })} title={t('segments.toggleNot')}>
        {c.not ? t('segments.isNot') : t('segments.is')}
      </Tag>
      <Typography.Text strong>{t(`segments.cond.${c.type}`)}</Typography.Text>
      {fields}
      <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => onChange(null)} />
    </Space>
  );
}
