import { CheckCircleFilled, ClockCircleOutlined, CloseCircleOutlined, GiftOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Empty, Form, Input, List, Radio, Result, Segmented, Space, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useState } from 'react';
import { Link, Navigate } from 'react-router';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';
import { memberApi, type ClaimableCoupon, type CouponTerms, type Joined, type MemberCoupon, type Membership, type OrderClaim } from './memberApi';
import { useMember, yuan } from './memberHooks';
import { useMemberText } from './memberText';

const page = { width: '100%', padding: 16, boxSizing: 'border-box' } as const;
const loadMembership = () => memberApi<Membership>('GET', '/api/v1/member/membership');

/** 入会: a signed-in person who is not a member joins, with the gift shown and a marketing consent box. */
export function MemberJoinBody() {
  const { t } = useI18n();
  const { mt } = useMemberText();
  const { message } = App.useApp();
  const { data, error } = useMember(loadMembership);
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState<Joined | null>(null);
  if (error) return <Result status="info" title={t('member.noProgram')} />;
  if (!data) return <Spin style={{ width: '100%', marginTop: 80 }} />;
  if (joined) {
    return (
      <Result
        status="success"
        title={<span data-testid="member-joined">{mt('m.join.done')}</span>}
        subTitle={joined.giftPoints > 0 ? mt('m.join.doneGift', { n: joined.giftPoints }) : undefined}
        extra={
          <Link to="/m">
            <Button type="primary" data-testid="member-join-to-card">
              {mt('m.join.toCard')}
            </Button>
          </Link>
        }
      />
    );
  }
  if (data.member) return <Navigate to="/m" replace />;
  const join = async () => {
    setBusy(true);
    try {
      setJoined(await memberApi<Joined>('POST', `/api/v1/member/membership/join?program=${encodeURIComponent(data.program)}`, { marketingConsent: consent }));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={page} size="middle">
      <Card style={{ borderRadius: 16, background: 'linear-gradient(135deg,#fff7e6,#ffe7ba)' }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {mt('m.join.title', { name: data.name })}
        </Typography.Title>
        <Typography.Paragraph>{mt('m.join.benefits')}</Typography.Paragraph>
        {data.joinGiftPoints > 0 && (
          <Tag icon={<GiftOutlined />} color="volcano" style={{ fontSize: 14, padding: '4px 8px' }} data-testid="member-join-gift">
            {mt('m.join.gift', { n: data.joinGiftPoints })}
          </Tag>
        )}
      </Card>
      <Card size="small">
        <Checkbox checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="member-join-consent">
          {mt('m.join.consent')}
        </Checkbox>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
          {mt('m.join.terms')}
        </Typography.Paragraph>
      </Card>
      <Button type="primary" size="large" block loading={busy} onClick={join} data-testid="member-join-submit">
        {mt('m.join.submit')}
      </Button>
    </Space>
  );
}

/** The join invitation on the card page, for a person who is not a member yet. */
export function JoinInvitation({ membership }: { membership: Membership }) {
  const { mt } = useMemberText();
  return (
    <Card size="small" style={{ borderRadius: 12, background: '#fff7e6' }} data-testid="member-join-cta">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
        <div>
          <Typography.Text strong>{mt('m.join.cta.title')}</Typography.Text>
          <div style={{ fontSize: 12, color: '#ad4e00' }}>
            {membership.joinGiftPoints > 0 ? mt('m.join.cta.gift', { n: membership.joinGiftPoints }) : mt('m.join.cta.noGift')}
          </div>
        </div>
        <Link to="/m/join">
          <Button type="primary" data-testid="member-join-open">
            {mt('m.join.cta.button')}
          </Button>
        </Link>
      </div>
    </Card>
  );
}

// ---- coupons ------------------------------------------------------------------------------------

function useTermsText() {
  const { mt } = useMemberText();
  return useCallback(
    (terms: CouponTerms) => {
      let value: string;
      switch (terms.kind) {
        case 'percentage':
          value = mt('m.coupons.rate', { n: terms.payRatePermille / 100 });
          break;
        case 'free_shipping':
          value = mt('m.coupons.freeShipping');
          break;
        case 'gift':
          value = mt('m.coupons.gift');
          break;
        case 'special_price':
          value = mt('m.coupons.special', { n: yuan(terms.specialPriceFen) });
          break;
        default:
          value = mt('m.coupons.off', { n: yuan(terms.amountOffFen) });
      }
      const parts = [terms.thresholdFen > 0 ? mt('m.coupons.threshold', { n: yuan(terms.thresholdFen) }) : mt('m.coupons.noThreshold')];
      if (terms.kind === 'percentage' && terms.capFen > 0) parts.push(mt('m.coupons.cap', { n: yuan(terms.capFen) }));
      return { value, condition: parts.join(' · ') };
    },
    [mt],
  );
}

function CouponShape({ terms, name, children, faded, testId }: { terms: CouponTerms; name: string; children?: React.ReactNode; faded?: boolean; testId?: string }) {
  const text = useTermsText()(terms);
  return (
    <div
      data-testid={testId}
      style={{ display: 'flex', background: '#fff', borderRadius: 12, overflow: 'hidden', opacity: faded ? 0.55 : 1, boxShadow: '0 1px 2px rgba(0,0,0,0.06)' }}
    >
      <div style={{ width: 104, background: faded ? '#bfbfbf' : 'linear-gradient(135deg,#ff7a45,#f5222d)', color: '#fff', display: 'flex', flexDirection: 'column', alignItems: 'center', justifyContent: 'center', padding: 8 }}>
        <div style={{ fontSize: 22, fontWeight: 600, textAlign: 'center' }}>{text.value}</div>
        <div style={{ fontSize: 11, textAlign: 'center' }}>{text.condition}</div>
      </div>
      <div style={{ flex: 1, padding: '10px 12px', minWidth: 0 }}>
        <Typography.Text strong ellipsis style={{ display: 'block' }}>
          {name}
        </Typography.Text>
        {children}
      </div>
    </div>
  );
}

const loadClaimable = () => memberApi<ClaimableCoupon[]>('GET', '/api/v1/member/coupons/claimable');
const loadCoupons = () => memberApi<MemberCoupon[]>('GET', '/api/v1/member/coupons');

type CouponTab = 'claimable' | 'available' | 'used' | 'expired';

/** 卡券: the claim center and my coupons (available / used / expired). */
export function MemberCouponsBody() {
  const { t } = useI18n();
  const { mt } = useMemberText();
  const { message } = App.useApp();
  const initial = new URLSearchParams(window.location.search).get('tab') as CouponTab | null;
  const [tab, setTab] = useState<CouponTab>(initial ?? 'claimable');
  const claimable = useMember(loadClaimable);
  const mine = useMember(loadCoupons);
  const [claiming, setClaiming] = useState<string | null>(null);

  const claim = async (c: ClaimableCoupon) => {
    setClaiming(c.template);
    try {
      await memberApi('POST', `/api/v1/member/coupons/claimable/${encodeURIComponent(c.template)}/claim`, { requestId: crypto.randomUUID() });
      message.success(mt('m.coupons.claimed'));
      claimable.reload();
      mine.reload();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
      claimable.reload();
    } finally {
      setClaiming(null);
    }
  };

  const validity = (c: ClaimableCoupon) =>
    c.validDays
      ? mt('m.coupons.validDays', { n: c.validDays })
      : c.validUntil
        ? mt('m.coupons.validUntil', { date: dayjs(c.validUntil).format('YYYY-MM-DD') })
        : '';

  const mineOf = (status: CouponTab) =>
    (mine.data ?? []).filter((c) => (status === 'available' ? c.status === 'available' || c.status === 'locked' : c.status === status));

  return (
    <div style={page}>
      <Segmented
        block
        value={tab}
        onChange={(v) => setTab(v as CouponTab)}
        data-testid="member-coupon-tabs"
        options={[
          { value: 'claimable', label: mt('m.coupons.claimable') },
          { value: 'available', label: mt('m.coupons.available') },
          { value: 'used', label: mt('m.coupons.used') },
          { value: 'expired', label: mt('m.coupons.expired') },
        ]}
      />
      <div style={{ marginTop: 12 }}>
        {tab === 'claimable' ? (
          !claimable.data ? (
            <Spin style={{ width: '100%', marginTop: 40 }} />
          ) : claimable.data.length === 0 ? (
            <Empty description={mt('m.coupons.empty')} />
          ) : (
            <Space direction="vertical" style={{ width: '100%' }} data-testid="member-claimable">
              {claimable.data.map((c) => (
                <CouponShape key={c.template} terms={c.terms} name={c.name} faded={!c.claimable} testId={`claimable-${c.template}`}>
                  <div style={{ fontSize: 12, color: '#8c8c8c' }}>{validity(c)}</div>
                  <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: 6 }}>
                    <span style={{ fontSize: 12, color: '#8c8c8c' }}>
                      {c.memberOnly && <Tag color="gold">{mt('m.coupons.memberOnly')}</Tag>}
                      {c.perMemberLimit ? mt('m.coupons.limit', { n: c.perMemberLimit, held: c.held }) : mt('m.coupons.remaining', { n: c.remaining })}
                    </span>
                    <Button
                      size="small"
                      type="primary"
                      danger
                      disabled={!c.claimable}
                      loading={claiming === c.template}
                      onClick={() => claim(c)}
                      data-testid={`claim-${c.template}`}
                    >
                      {c.claimable ? mt('m.coupons.claim') : mt(`m.refusal.${c.refusal}`, undefined, c.refusal ?? '')}
                    </Button>
                  </div>
                </CouponShape>
              ))}
            </Space>
          )
        ) : !mine.data ? (
          <Spin style={{ width: '100%', marginTop: 40 }} />
        ) : mineOf(tab).length === 0 ? (
          <Empty description={mt('m.coupons.empty')} />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }} data-testid={`member-coupons-${tab}`}>
            {mineOf(tab).map((c) => (
              <CouponShape key={c.code + c.template} terms={c.terms} name={c.name} faded={tab !== 'available'} testId={`coupon-${c.template}`}>
                <div style={{ fontSize: 12, color: '#8c8c8c' }}>
                  {mt('m.coupons.validRange', { from: dayjs(c.validFrom).format('YYYY-MM-DD'), to: dayjs(c.validUntil).format('YYYY-MM-DD') })}
                </div>
                {c.status === 'locked' && <Tag color="blue">{mt('m.coupons.locked')}</Tag>}
                {c.status === 'used' && c.orderKey && (
                  <div style={{ fontSize: 12, color: '#8c8c8c' }}>{mt('m.coupons.usedOn', { order: c.orderKey, n: yuan(c.discountFen ?? 0) })}</div>
                )}
                <Typography.Text type="secondary" copyable style={{ fontSize: 12 }}>
                  {c.code}
                </Typography.Text>
              </CouponShape>
            ))}
          </Space>
        )}
      </div>
    </div>
  );
}

// ---- order claims -------------------------------------------------------------------------------

const CHANNELS = ['taobao', 'jd', 'doudian', 'youzan', 'kuaishou', 'wechat_shop'];
const loadClaims = () => memberApi<OrderClaim[]>('GET', '/api/v1/member/claims?limit=50');

/** 订单换积分: channel + order number; each claim with its status (credited, held, refused with reason). */
export function MemberClaimBody() {
  const { t } = useI18n();
  const { mt } = useMemberText();
  const { message } = App.useApp();
  const membership = useMember(loadMembership);
  const claims = useMember(loadClaims);
  const [form] = Form.useForm<{ channel: string; orderNumber: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async (v: { channel: string; orderNumber: string }) => {
    setBusy(true);
    try {
      const claim = await memberApi<OrderClaim>('POST', '/api/v1/member/claims', { channel: v.channel, orderNumber: v.orderNumber.trim() });
      const text = mt(`m.claim.submitted.${claim.status}`);
      if (claim.status === 'REJECTED') message.warning(text);
      else message.success(text);
      form.resetFields(['orderNumber']);
      claims.reload();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setBusy(false);
    }
  };

  if (membership.error) return <Result status="info" title={t('member.noProgram')} />;
  if (!membership.data) return <Spin style={{ width: '100%', marginTop: 80 }} />;
  return (
    <Space direction="vertical" style={page} size="middle">
      <Card size="small" title={mt('m.claim.title')}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {mt('m.claim.help')}
        </Typography.Paragraph>
        {!membership.data.member ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text>{mt('m.claim.joinFirst')}</Typography.Text>
            <Link to="/m/join">
              <Button type="primary" block>
                {mt('m.join.cta.button')}
              </Button>
            </Link>
          </Space>
        ) : (
          <Form form={form} layout="vertical" initialValues={{ channel: 'taobao' }} onFinish={submit}>
            <Form.Item name="channel" label={mt('m.claim.channel')} rules={[{ required: true }]}>
              <Radio.Group optionType="button" buttonStyle="solid" size="small" data-testid="member-claim-channel">
                {CHANNELS.map((c) => (
                  <Radio.Button key={c} value={c} style={{ marginBottom: 4 }} data-testid={`member-claim-channel-${c}`}>
                    {mt(`m.channel.${c}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="orderNumber"
              label={mt('m.claim.order')}
              rules={[{ required: true, whitespace: true, pattern: /^\s*[A-Za-z0-9_-]{1,64}\s*$/, message: mt('m.claim.orderInvalid') }]}
            >
              <Input placeholder={mt('m.claim.orderPlaceholder')} maxLength={64} data-testid="member-claim-order" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="member-claim-submit">
              {mt('m.claim.submit')}
            </Button>
          </Form>
        )}
      </Card>
      <Card size="small" title={mt('m.claim.history')}>
        <List
          dataSource={claims.data ?? []}
          loading={!claims.data}
          locale={{ emptyText: <Empty description={mt('m.claim.empty')} /> }}
          data-testid="member-claims"
          renderItem={(c) => (
            <List.Item style={{ padding: '10px 0' }} data-testid={`member-claim-${c.orderNumber}`}>
              <List.Item.Meta
                avatar={
                  c.status === 'ACCEPTED' ? (
                    <CheckCircleFilled style={{ color: '#52c41a', fontSize: 20 }} />
                  ) : c.status === 'HELD' ? (
                    <ClockCircleOutlined style={{ color: '#1677ff', fontSize: 20 }} />
                  ) : (
                    <CloseCircleOutlined style={{ color: '#ff4d4f', fontSize: 20 }} />
                  )
                }
                title={
                  <span>
                    {mt(`m.channel.${c.channel}`, undefined, c.channel)} · {c.orderNumber}{' '}
                    <Tag color={c.status === 'ACCEPTED' ? 'green' : c.status === 'HELD' ? 'blue' : 'red'}>{mt(`m.claim.status.${c.status}`)}</Tag>
                  </span>
                }
                description={
                  <span style={{ fontSize: 12 }}>
                    {c.status === 'ACCEPTED' && mt('m.claim.credited', { n: c.points ?? 0 })}
                    {c.status === 'HELD' && mt('m.claim.heldUntil', { date: dayjs(c.expiresAt).format('YYYY-MM-DD') })}
                    {(c.status === 'REJECTED' || c.status === 'EXPIRED') && mt(`m.claim.reason.${c.reasonCode}`, undefined, c.reason ?? '')}
                    <div style={{ color: '#bfbfbf' }}>{dayjs(c.createdAt).format('YYYY-MM-DD HH:mm')}</div>
                  </span>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
