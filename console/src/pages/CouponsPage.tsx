import { GiftOutlined, MoreOutlined, PlusOutlined, ReloadOutlined, SearchOutlined, TeamOutlined } from '@ant-design/icons';
import {
  App, Button, Card, Checkbox, Col, DatePicker, Descriptions, Drawer, Dropdown, Empty, Form, Input, InputNumber, Modal, Progress, Radio, Row, Select,
  Space, Statistic, Table, Tabs, Tag, Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, get, KNOWN_CHANNELS, ORDER_CHANNELS, post, put, yuan } from '../api';
import { useAuth } from '../auth';
import { CouponTable } from '../components/CouponTable';
import { EChart } from '../components/EChart';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';
import { COUPON_KINDS, type CouponKind, type CouponStats, type CouponTemplate, type ClaimCenterItem, type IssueJob, type IssuedCoupon, type SegmentView, type WalletCoupon } from '../opsApi';

const fen = (v?: number | null) => (v == null ? undefined : Math.round(v * 100));

/** Coupons: templates (create, stock, pause), grants to a member, bulk issue to a segment or a list, issue jobs, a template's redemption stats. */
export function CouponsPage() {
  const { t } = useI18n();
  return (
    <Card title={t('coupons.title')}>
      <Tabs
        items={[
          { key: 'templates', label: t('coupons.templates'), children: <Templates /> },
          { key: 'jobs', label: t('coupons.jobs'), children: <Jobs /> },
          { key: 'center', label: t('coupons.center'), children: <ClaimCenter /> },
          { key: 'wallet', label: t('coupons.wallet'), children: <Wallet /> },
        ]}
      />
    </Card>
  );
}

function ruleText(tpl: CouponTemplate, t: ReturnType<typeof useI18n>['t']): string {
  const r = tpl.rule as Record<string, number | string | undefined>;
  const n = (k: string) => Number(r[k] ?? 0);
  const threshold = n('thresholdFen') > 0 ? t('coupons.rule.threshold', { v: yuan(n('thresholdFen')) }) : '';
  switch (tpl.kind.toLowerCase()) {
    case 'fixed':
    case 'threshold':
      return `${threshold}${t('coupons.rule.off', { v: yuan(n('amountOffFen')) })}`;
    case 'percentage':
      return `${threshold}${t('coupons.rule.rate', { v: n('payRatePermille') / 100 })}${n('capFen') > 0 ? t('coupons.rule.cap', { v: yuan(n('capFen')) }) : ''}`;
    case 'special_price':
      return `${threshold}${t('coupons.rule.special', { v: yuan(n('specialPriceFen')) })}`;
    case 'free_shipping':
      return `${threshold}${t('coupons.kind.free_shipping')}${n('capFen') > 0 ? t('coupons.rule.cap', { v: yuan(n('capFen')) }) : ''}`;
    case 'gift':
      return `${threshold}${t('coupons.rule.gift', { sku: String(r.giftSku ?? ''), v: yuan(n('giftValueFen')) })}`;
    default:
      return JSON.stringify(r);
  }
}

function validityText(tpl: CouponTemplate, t: ReturnType<typeof useI18n>['t']): string {
  const v = tpl.validity as { from?: string; until?: string; days?: number; afterDays?: number };
  const parts: string[] = [];
  if (v.days) parts.push(t('coupons.validity.relative', { days: v.days, after: v.afterDays ?? 0 }));
  if (v.from || v.until) parts.push(`${v.from ? dayjs(v.from).format('YYYY-MM-DD') : '…'} ~ ${v.until ? dayjs(v.until).format('YYYY-MM-DD') : '…'}`);
  return parts.join(' · ') || '—';
}

function scopeTags(tpl: CouponTemplate) {
  const s = tpl.scope as Record<string, string[] | undefined>;
  const all = ['channels', 'shops', 'skus', 'categories'].flatMap((k) => (s[k] ?? []).map((v) => `${k === 'channels' ? '' : k.slice(0, -1) + ':'}${v}`));
  return all.length ? all.map((x) => <Tag key={x}>{x}</Tag>) : <Tag>*</Tag>;
}

function Templates() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const mayChange = me?.role === 'admin' || me?.role === 'operator';
  const [items, setItems] = useState<CouponTemplate[]>([]);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<CouponTemplate | null>(null);
  const [issuing, setIssuing] = useState<CouponTemplate | null>(null);
  const [stock, setStock] = useState<CouponTemplate | null>(null);
  const [stats, setStats] = useState<CouponTemplate | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems(await get<CouponTemplate[]>('/api/v1/offers/templates'));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    load();
  }, [load]);

  const toggle = async (tpl: CouponTemplate) => {
    try {
      await post(`/api/v1/offers/templates/${tpl.code}/${tpl.active ? 'pause' : 'resume'}`);
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        {mayChange && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="coupon-create">
            {t('coupons.create')}
          </Button>
        )}
        <Button icon={<ReloadOutlined />} onClick={load}>
          {t('common.refresh')}
        </Button>
      </Space>
      <Table<CouponTemplate>
        rowKey="code"
        size="small"
        loading={loading}
        dataSource={items}
        data-testid="coupon-templates"
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          {
            title: t('common.name'),
            dataIndex: 'name',
            width: 170,
            render: (name: string, r) => (
              <Space direction="vertical" size={0}>
                <Typography.Link onClick={() => setStats(r)}>{name}</Typography.Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.code}</Typography.Text>
              </Space>
            ),
          },
          { title: t('coupons.kind'), dataIndex: 'kind', render: (k: string) => <Tag color="magenta">{t(`coupons.kind.${k.toLowerCase()}` as 'coupons.kind.fixed')}</Tag> },
          { title: t('coupons.rule'), key: 'rule', render: (_: unknown, r) => ruleText(r, t) },
          { title: t('coupons.scope'), key: 'scope', render: (_: unknown, r) => scopeTags(r) },
          { title: t('coupons.validity'), key: 'validity', render: (_: unknown, r) => validityText(r, t) },
          {
            title: t('coupons.stock'),
            key: 'stock',
            width: 170,
            render: (_: unknown, r) => (
              <div data-testid={`coupon-stock-${r.code}`}>
                <Progress size="small" percent={Math.round((100 * r.issued) / Math.max(1, r.totalStock))} showInfo={false} />
                {t('coupons.issuedOf', { issued: r.issued, total: r.totalStock })}
              </div>
            ),
          },
          {
            title: t('coupons.audience'),
            key: 'audience',
            render: (_: unknown, r) => (
              <>
                <Tag>{t('coupons.limit')} {r.perMemberLimit ?? '∞'}</Tag>
                {r.memberOnly && <Tag>{t('coupons.memberOnly')}</Tag>}
                {r.tiers.map((x) => <Tag color="gold" key={x}>{x}</Tag>)}
                {r.newCustomerOnly && <Tag>{t('coupons.newCustomerOnly')}</Tag>}
              </>
            ),
          },
          { title: t('common.status'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{t('coupons.active')}</Tag> : <Tag>{t('coupons.paused')}</Tag>) },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 150,
            render: (_: unknown, r) => (
              <Space size={0} wrap>
                <Button size="small" type="link" onClick={() => setStats(r)} data-testid={`coupon-stats-${r.code}`}>{t('coupons.stats')}</Button>
                {mayChange && (
                  <>
                    <Button size="small" type="link" icon={<GiftOutlined />} onClick={() => setGranting(r)} data-testid={`coupon-grant-${r.code}`}>{t('coupons.grant')}</Button>
                    <Button size="small" type="link" icon={<TeamOutlined />} onClick={() => setIssuing(r)} data-testid={`coupon-issue-${r.code}`}>{t('coupons.issue')}</Button>
                    <Dropdown
                      trigger={['click']}
                      menu={{
                        items: [
                          { key: 'stock', label: t('coupons.changeStock'), onClick: () => setStock(r) },
                          { key: 'toggle', label: r.active ? t('coupons.pause') : t('coupons.resume'), onClick: () => toggle(r) },
                        ],
                      }}
                    >
                      <Button size="small" type="link" icon={<MoreOutlined />} />
                    </Dropdown>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      <CreateTemplate open={creating} onClose={() => setCreating(false)} onCreated={load} />
      <GrantModal template={granting} onClose={() => { setGranting(null); load(); }} />
      <IssueModal template={issuing} onClose={() => { setIssuing(null); load(); }} />
      <StockModal template={stock} onClose={() => { setStock(null); load(); }} />
      <StatsDrawer template={stats} onClose={() => setStats(null)} />
    </Space>
  );
}

interface TemplateForm {
  code: string;
  name: string;
  kind: CouponKind;
  amountOff?: number;
  threshold?: number;
  payRate?: number;
  cap?: number;
  specialPrice?: number;
  giftSku?: string;
  giftValue?: number;
  channels?: string[];
  shops?: string[];
  skus?: string[];
  categories?: string[];
  validityMode: 'relative' | 'absolute';
  validDays?: number;
  validAfterDays?: number;
  validRange?: [Dayjs, Dayjs];
  totalStock: number;
  perMemberLimit?: number;
  memberOnly?: boolean;
  tiers?: string[];
  newCustomerOnly?: boolean;
  stackable?: boolean;
  refundPolicy: string;
}

function CreateTemplate({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TemplateForm>();
  const kind = Form.useWatch('kind', form);
  const mode = Form.useWatch('validityMode', form);
  const channelOptions = useMemo(() => [...new Set([...ORDER_CHANNELS, ...KNOWN_CHANNELS])].map((c) => ({ value: c, label: c })), []);

  const submit = async (v: TemplateForm) => {
    const list = (x?: string[]) => (x && x.length ? x : undefined);
    try {
      await post('/api/v1/offers/templates', {
        code: v.code,
        name: v.name,
        kind: v.kind,
        amountOffFen: fen(v.amountOff),
        thresholdFen: fen(v.threshold),
        payRatePermille: v.payRate == null ? undefined : Math.round(v.payRate * 100),
        capFen: fen(v.cap),
        specialPriceFen: fen(v.specialPrice),
        giftSku: v.giftSku || undefined,
        giftValueFen: fen(v.giftValue),
        channels: list(v.channels),
        shops: list(v.shops),
        skus: list(v.skus),
        categories: list(v.categories),
        validDays: v.validityMode === 'relative' ? v.validDays : undefined,
        validAfterDays: v.validityMode === 'relative' ? v.validAfterDays : undefined,
        validFrom: v.validityMode === 'absolute' && v.validRange ? v.validRange[0].startOf('day').toISOString() : undefined,
        validUntil: v.validityMode === 'absolute' && v.validRange ? v.validRange[1].add(1, 'day').startOf('day').toISOString() : undefined,
        totalStock: v.totalStock,
        perMemberLimit: v.perMemberLimit ?? undefined,
        memberOnly: v.memberOnly ?? false,
        tiers: list(v.tiers),
        newCustomerOnly: v.newCustomerOnly ?? false,
        stackable: v.stackable ?? false,
        refundPolicy: v.refundPolicy,
      });
      message.success(t('coupons.created'));
      form.resetFields();
      onClose();
      onCreated();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const needs = (k: CouponKind[]) => kind !== undefined && k.includes(kind);

  return (
    <Modal
      open={open}
      width={760}
      title={t('coupons.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'coupon-create-ok' } as Record<string, string>}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: 'threshold', validityMode: 'relative', validDays: 30, validAfterDays: 0, totalStock: 1000, perMemberLimit: 1, refundPolicy: 'full_refund' }}
      >
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="code" label={t('coupons.code')} rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_-]{0,63}$/i }]}>
              <Input data-testid="coupon-code" placeholder="spring-50" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
              <Input data-testid="coupon-name" placeholder={t('coupons.namePlaceholder')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="kind" label={t('coupons.kind')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" data-testid="coupon-kind" options={COUPON_KINDS.map((k) => ({ value: k, label: t(`coupons.kind.${k}`) }))} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="threshold" label={t('coupons.thresholdYuan')} rules={[{ required: kind === 'threshold' }]}>
              <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid="coupon-threshold" />
            </Form.Item>
          </Col>
          {needs(['fixed', 'threshold']) && (
            <Col span={8}>
              <Form.Item name="amountOff" label={t('coupons.amountOffYuan')} rules={[{ required: true }]}>
                <InputNumber min={0.01} precision={2} style={{ width: '100%' }} data-testid="coupon-amount" />
              </Form.Item>
            </Col>
          )}
          {needs(['percentage']) && (
            <Col span={8}>
              <Form.Item name="payRate" label={t('coupons.payRate')} rules={[{ required: true }]} extra={t('coupons.payRateHelp')}>
                <InputNumber min={0.1} max={9.9} step={0.5} precision={1} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          {needs(['percentage', 'free_shipping']) && (
            <Col span={8}>
              <Form.Item name="cap" label={t('coupons.capYuan')}>
                <InputNumber min={0} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          {needs(['special_price']) && (
            <Col span={8}>
              <Form.Item name="specialPrice" label={t('coupons.specialPriceYuan')} rules={[{ required: true }]}>
                <InputNumber min={0.01} precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          {needs(['gift']) && (
            <>
              <Col span={8}>
                <Form.Item name="giftSku" label={t('coupons.giftSku')} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="giftValue" label={t('coupons.giftValueYuan')} rules={[{ required: true }]}>
                  <InputNumber min={0} precision={2} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
        <Typography.Text strong>{t('coupons.scope')}</Typography.Text>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="channels" label={t('orders.channel')}>
              <Select mode="tags" options={channelOptions} placeholder={t('channels.all')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="shops" label={t('orders.shop')}>
              <Select mode="tags" placeholder="*" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="skus" label="SKU" rules={[{ required: kind === 'special_price' }]}>
              <Select mode="tags" placeholder="*" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="categories" label={t('orders.category')}>
              <Select mode="tags" placeholder="*" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="validityMode" label={t('coupons.validity')}>
          <Radio.Group options={[{ value: 'relative', label: t('coupons.validity.relativeMode') }, { value: 'absolute', label: t('coupons.validity.absoluteMode') }]} />
        </Form.Item>
        {mode === 'absolute' ? (
          <Form.Item name="validRange" rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
        ) : (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="validDays" label={t('coupons.validDays')} rules={[{ required: true }]}>
                <InputNumber min={1} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="validAfterDays" label={t('coupons.validAfterDays')}>
                <InputNumber min={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="totalStock" label={t('coupons.totalStock')} rules={[{ required: true }]}>
              <InputNumber min={1} style={{ width: '100%' }} data-testid="coupon-total-stock" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="perMemberLimit" label={t('coupons.limit')}>
              <InputNumber min={1} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="refundPolicy" label={t('coupons.refundPolicy')}>
              <Select options={['never', 'full_refund', 'any_refund'].map((p) => ({ value: p, label: t(`coupons.refund.${p}` as 'coupons.refund.never') }))} />
            </Form.Item>
          </Col>
        </Row>
        <Space wrap>
          <Form.Item name="memberOnly" valuePropName="checked" noStyle>
            <Checkbox>{t('coupons.memberOnly')}</Checkbox>
          </Form.Item>
          <Form.Item name="newCustomerOnly" valuePropName="checked" noStyle>
            <Checkbox>{t('coupons.newCustomerOnly')}</Checkbox>
          </Form.Item>
          <Form.Item name="stackable" valuePropName="checked" noStyle>
            <Checkbox>{t('coupons.stackable')}</Checkbox>
          </Form.Item>
          <Form.Item name="tiers" noStyle>
            <Select mode="tags" style={{ minWidth: 220 }} placeholder={t('coupons.tiers')} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function GrantModal({ template, onClose }: { template: CouponTemplate | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ personId: number }>();
  const [issued, setIssued] = useState<IssuedCoupon | null>(null);
  const [key, setKey] = useState(() => crypto.randomUUID());

  useEffect(() => {
    if (template) {
      setIssued(null);
      setKey(crypto.randomUUID());
      form.resetFields();
    }
  }, [template, form]);

  const submit = async (v: { personId: number }) => {
    try {
      const coupon = await post<IssuedCoupon>(`/api/v1/offers/templates/${template!.code}/grants`, {
        personId: v.personId,
        idempotencyKey: `console-${key}`,
      });
      setIssued(coupon);
      message.success(t('coupons.granted'));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <Modal
      open={template !== null}
      title={`${t('coupons.grant')} · ${template?.name ?? ''}`}
      onCancel={onClose}
      onOk={() => (issued ? onClose() : form.submit())}
      okText={issued ? t('common.ok') : t('coupons.grant')}
      okButtonProps={{ 'data-testid': 'coupon-grant-ok' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t('coupons.grantHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="personId" label="OneID" rules={[{ required: true }]}>
          <InputNumber min={1} style={{ width: '100%' }} data-testid="coupon-grant-person" onChange={() => { setIssued(null); setKey(crypto.randomUUID()); }} />
        </Form.Item>
      </Form>
      {issued && (
        <Descriptions size="small" bordered column={1} data-testid="coupon-granted">
          <Descriptions.Item label={t('coupons.couponCode')}>
            <Typography.Text copyable code>{issued.code}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('coupons.validity')}>
            {dayjs(issued.validFrom).format('YYYY-MM-DD HH:mm')} ~ {dayjs(issued.validUntil).format('YYYY-MM-DD HH:mm')}
          </Descriptions.Item>
        </Descriptions>
      )}
    </Modal>
  );
}

function IssueModal({ template, onClose }: { template: CouponTemplate | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ mode: 'segment' | 'list'; segment?: string; personIds?: string }>();
  const mode = Form.useWatch('mode', form);
  const [segments, setSegments] = useState<SegmentView[]>([]);
  const [job, setJob] = useState<IssueJob | null>(null);

  useEffect(() => {
    if (!template) return;
    setJob(null);
    form.resetFields();
    get<SegmentView[]>('/api/v1/segments').then(setSegments, () => setSegments([]));
  }, [template, form]);

  const submit = async (v: { mode: 'segment' | 'list'; segment?: string; personIds?: string }) => {
    const body: Record<string, unknown> = { templateCode: template!.code, idempotencyKey: `console-${crypto.randomUUID()}` };
    if (v.mode === 'segment') body.audience = `segment:${v.segment}`;
    else body.personIds = (v.personIds ?? '').split(/[\s,，]+/).filter(Boolean).map(Number);
    try {
      setJob(await post<IssueJob>('/api/v1/offers/issue-jobs', body));
      message.success(t('coupons.jobStarted'));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <Modal
      open={template !== null}
      title={`${t('coupons.issue')} · ${template?.name ?? ''}`}
      onCancel={onClose}
      onOk={() => (job ? onClose() : form.submit())}
      okText={job ? t('common.ok') : t('coupons.issue')}
      okButtonProps={{ 'data-testid': 'coupon-issue-ok' } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ mode: 'segment' }}>
        <Form.Item name="mode">
          <Radio.Group options={[{ value: 'segment', label: t('coupons.toSegment') }, { value: 'list', label: t('coupons.toList') }]} />
        </Form.Item>
        {mode === 'list' ? (
          <Form.Item name="personIds" label="OneID" rules={[{ required: true }]} extra={t('coupons.listHelp')}>
            <Input.TextArea rows={4} />
          </Form.Item>
        ) : (
          <Form.Item name="segment" label={t('segments.segment')} rules={[{ required: true }]} extra={t('coupons.segmentHelp')}>
            <Select
              showSearch
              data-testid="coupon-issue-segment"
              options={segments.map((s) => ({ value: s.code, label: `${s.name} (${s.code}) · ${s.count}` }))}
            />
          </Form.Item>
        )}
      </Form>
      {job && (
        <Typography.Paragraph>
          {t('coupons.jobSummary', { id: job.id, total: job.total })} <Link to="#jobs">{t('coupons.jobs')}</Link>
        </Typography.Paragraph>
      )}
    </Modal>
  );
}

function StockModal({ template, onClose }: { template: CouponTemplate | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [value, setValue] = useState<number | null>(null);
  useEffect(() => setValue(template?.totalStock ?? null), [template]);
  const save = async () => {
    try {
      await post(`/api/v1/offers/templates/${template!.code}/stock`, { totalStock: value });
      message.success(t('users.saved'));
      onClose();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };
  return (
    <Modal open={template !== null} title={t('coupons.changeStock')} onCancel={onClose} onOk={save}>
      <Typography.Paragraph type="secondary">{t('coupons.stockHelp', { n: template?.issued ?? 0 })}</Typography.Paragraph>
      <InputNumber min={Math.max(1, template?.issued ?? 1)} value={value} onChange={setValue} style={{ width: '100%' }} />
    </Modal>
  );
}

function StatsDrawer({ template, onClose }: { template: CouponTemplate | null; onClose: () => void }) {
  const { t } = useI18n();
  const [stats, setStats] = useState<CouponStats | null>(null);
  useEffect(() => {
    setStats(null);
    if (template) get<CouponStats>(`/api/v1/offers/templates/${template.code}/stats`).then(setStats, () => setStats(null));
  }, [template]);
  const pie = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [{ type: 'pie', radius: ['40%', '68%'], data: Object.entries(stats?.byStatus ?? {}).map(([k, v]) => ({ name: t(`couponStatus.${k}` as 'couponStatus.ISSUED'), value: v })) }],
    }),
    [stats, t],
  );
  return (
    <Drawer open={template !== null} onClose={onClose} width={560} title={`${t('coupons.stats')} · ${template?.name ?? ''}`}>
      {template && (
        <Space direction="vertical" style={{ width: '100%' }} data-testid="coupon-stats">
          <Row gutter={16}>
            <Col span={8}><Statistic title={t('coupons.issued')} value={stats?.issued ?? template.issued} /></Col>
            <Col span={8}><Statistic title={t('coupons.redeemed')} value={stats?.byStatus.REDEEMED ?? 0} /></Col>
            <Col span={8}><Statistic title={t('coupons.redemptionRate')} value={((stats?.redemptionRate ?? 0) * 100).toFixed(1)} suffix="%" /></Col>
            <Col span={8}><Statistic title={t('coupons.remaining')} value={template.remaining} /></Col>
            <Col span={16}><Statistic title={t('coupons.discountGiven')} value={yuan(stats?.redeemedDiscountFen ?? 0)} /></Col>
          </Row>
          {stats && stats.issued > 0 ? <EChart option={pie} height={240} /> : <Empty description={t('coupons.noneIssued')} />}
          {stats && (
            <Descriptions size="small" bordered column={1} title={t('coupons.bySource')}>
              {Object.entries(stats.bySource).map(([k, v]) => (
                <Descriptions.Item key={k} label={k}>{v}</Descriptions.Item>
              ))}
            </Descriptions>
          )}
          <details>
            <summary>{t('loyalty.rawConfig')}</summary>
            <pre style={{ fontSize: 12 }}>{JSON.stringify(template, null, 2)}</pre>
          </details>
        </Space>
      )}
    </Drawer>
  );
}

function Jobs() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const mayChange = me?.role === 'admin' || me?.role === 'operator';
  const [jobs, setJobs] = useState<IssueJob[]>([]);
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setJobs(await get<IssueJob[]>('/api/v1/offers/issue-jobs'));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [message, t]);
  useEffect(() => {
    load();
  }, [load]);
  const act = async (id: number, what: 'pause' | 'resume') => {
    try {
      await post(`/api/v1/offers/issue-jobs/${id}/${what}`);
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button icon={<ReloadOutlined />} onClick={load}>{t('common.refresh')}</Button>
      <Table<IssueJob>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={jobs}
        data-testid="coupon-jobs"
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: t('coupons.template'), dataIndex: 'template' },
          { title: t('coupons.source'), dataIndex: 'source', render: (s: string) => <Tag>{s}</Tag> },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'DONE' ? 'green' : s === 'RUNNING' ? 'blue' : undefined}>{s}</Tag> },
          {
            title: t('coupons.progress'),
            key: 'progress',
            render: (_: unknown, j) => (
              <Progress size="small" percent={Math.round((100 * j.processed) / Math.max(1, j.total))} format={() => `${j.processed}/${j.total}`} />
            ),
          },
          { title: t('coupons.issued'), dataIndex: 'issued', align: 'right' },
          { title: t('coupons.refused'), dataIndex: 'refused', align: 'right' },
          { title: t('keys.createdBy'), dataIndex: 'createdBy' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_: unknown, j) =>
              mayChange && (j.status === 'RUNNING' ? (
                <Button size="small" onClick={() => act(j.id, 'pause')}>{t('coupons.pause')}</Button>
              ) : j.status === 'PAUSED' ? (
                <Button size="small" onClick={() => act(j.id, 'resume')}>{t('coupons.resume')}</Button>
              ) : null),
          },
        ]}
      />
    </Space>
  );
}

/** 领券中心: which templates members may claim themselves in the member center, in which order. */
function ClaimCenter() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const mayChange = me?.role === 'admin' || me?.role === 'operator';
  const [items, setItems] = useState<ClaimCenterItem[]>([]);
  const [templates, setTemplates] = useState<CouponTemplate[]>([]);
  const [loading, setLoading] = useState(false);
  const [form] = Form.useForm<{ template: string; position?: number }>();
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [listed, all] = await Promise.all([
        get<ClaimCenterItem[]>('/api/v1/offers/claim-center'),
        get<CouponTemplate[]>('/api/v1/offers/templates'),
      ]);
      setItems(listed);
      setTemplates(all);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [message, t]);
  useEffect(() => {
    load();
  }, [load]);
  const change = async (what: () => Promise<unknown>) => {
    try {
      await what();
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };
  const listed = new Set(items.map((i) => i.template));
  const add = (v: { template: string; position?: number }) =>
    change(async () => {
      await put(`/api/v1/offers/claim-center/${encodeURIComponent(v.template)}`, v.position == null ? {} : { position: v.position });
      form.resetFields();
    });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('coupons.centerHint')}</Typography.Text>
      {mayChange && (
        <Form form={form} layout="inline" onFinish={add}>
          <Form.Item name="template" label={t('coupons.template')} rules={[{ required: true }]}>
            <Select
              showSearch
              style={{ width: 320 }}
              data-testid="center-template"
              optionFilterProp="label"
              options={templates.filter((x) => !listed.has(x.code) && x.active).map((x) => ({ value: x.code, label: `${x.name} (${x.code})` }))}
            />
          </Form.Item>
          <Form.Item name="position" label={t('coupons.position')}>
            <InputNumber min={0} max={10000} style={{ width: 100 }} data-testid="center-position" />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} data-testid="center-add">{t('coupons.centerAdd')}</Button>
        </Form>
      )}
      <Table<ClaimCenterItem>
        rowKey="template"
        size="small"
        loading={loading}
        dataSource={items}
        data-testid="center-list"
        pagination={false}
        locale={{ emptyText: <Empty description={t('coupons.centerEmpty')} /> }}
        columns={[
          { title: t('coupons.position'), dataIndex: 'position', width: 90 },
          { title: t('coupons.template'), dataIndex: 'template', render: (c: string) => <Typography.Text code>{c}</Typography.Text> },
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('coupons.remaining'), key: 'r', align: 'right', render: (_: unknown, i) => templates.find((x) => x.code === i.template)?.remaining ?? '—' },
          { title: t('keys.createdBy'), dataIndex: 'listedBy' },
          { title: t('common.createdAt'), dataIndex: 'listedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_: unknown, i) =>
              mayChange && (
                <Button size="small" danger data-testid={`center-remove-${i.template}`}
                  onClick={() => change(() => api('DELETE', `/api/v1/offers/claim-center/${encodeURIComponent(i.template)}`))}>
                  {t('coupons.centerRemove')}
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}

function Wallet() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [coupons, setCoupons] = useState<WalletCoupon[] | null>(null);
  const find = async (v: { personId: number }) => {
    try {
      setCoupons(await get<WalletCoupon[]>(`/api/v1/offers/members/${v.personId}/coupons`));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form layout="inline" onFinish={find}>
        <Form.Item name="personId" label="OneID" rules={[{ required: true }]}>
          <InputNumber min={1} style={{ width: 180 }} data-testid="coupon-wallet-person" />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="coupon-wallet-find">{t('persons.find')}</Button>
      </Form>
      {coupons && <CouponTable coupons={coupons} testId="coupon-wallet" />}
    </Space>
  );
}
