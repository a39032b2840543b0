import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, DatePicker, Row, Segmented, Select, Space, Statistic, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { get, query, yuan } from '../api';
import { EChart, type ChartOption } from '../components/EChart';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';
import { AIPL_STAGES, type AiplView, type DashboardView } from '../opsApi';

/** The landing page: member growth, GMV by channel, members' vs others' GMV, tiers and AIPL, for a range of local dates. */
export function DashboardPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  // null until the first answer: the API's default range is the last 30 days in the brand's time zone, not the browser's
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [today, setToday] = useState<Dayjs>(() => dayjs());
  const [granularity, setGranularity] = useState<'day' | 'week'>('day');
  const [program, setProgram] = useState<string | undefined>();
  const [data, setData] = useState<DashboardView | null>(null);
  const [aipl, setAipl] = useState<AiplView | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const q = query({ from: range?.[0].format('YYYY-MM-DD'), to: range?.[1].format('YYYY-MM-DD'), granularity, program });
      const [d, a] = await Promise.all([
        get<DashboardView>(`/api/v1/analytics/dashboard${q}`),
        get<AiplView>('/api/v1/aipl').catch(() => null),
      ]);
      setData(d);
      setAipl(a);
      if (!range) {
        setToday(dayjs(d.to));
        setRange([dayjs(d.from), dayjs(d.to)]);
      }
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [range, granularity, program, message, t]);

  useEffect(() => {
    load();
  }, [load]);

  const channelName = useCallback((c: string) => {
    const key = `channel.${c}` as const;
    const name = t(key);
    return name === key ? c : name;
  }, [t]);

  const growth = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [t('dash.newMembers'), t('dash.totalMembers')] },
    grid: { left: 48, right: 56, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: data?.members.series.map((p) => p.period) ?? [] },
    yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', minInterval: 1 }],
    series: [
      { name: t('dash.newMembers'), type: 'bar', data: data?.members.series.map((p) => p.added) ?? [] },
      { name: t('dash.totalMembers'), type: 'line', yAxisIndex: 1, data: data?.members.series.map((p) => p.total) ?? [] },
    ],
  }), [data, t]);

  const channels = data?.gmv.byChannel.map((c) => c.channel) ?? [];
  const gmvByChannel = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => yuan(Math.round(v * 100)) },
    legend: { top: 0, type: 'scroll', data: channels.map(channelName) },
    grid: { left: 64, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: data?.gmv.series.map((p) => p.period) ?? [] },
    yAxis: { type: 'value' },
    series: channels.map((c) => ({
      name: channelName(c),
      type: 'bar',
      stack: 'gmv',
      data: data?.gmv.series.map((p) => (p.paidFenByChannel[c] ?? 0) / 100) ?? [],
    })),
  }), [data, channels, channelName]);

  const channelPie = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'item', valueFormatter: (v: number) => yuan(Math.round(v * 100)) },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['40%', '68%'], data: data?.gmv.byChannel.map((c) => ({ name: channelName(c.channel), value: c.paidFen / 100 })) ?? [] }],
  }), [data, channelName]);

  const membership = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => yuan(Math.round(v * 100)) },
    legend: { top: 0, data: [t('dash.memberGmv'), t('dash.otherGmv')] },
    grid: { left: 64, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: data?.membership.series.map((p) => p.period) ?? [] },
    yAxis: { type: 'value' },
    series: [
      { name: t('dash.memberGmv'), type: 'bar', stack: 'm', data: data?.membership.series.map((p) => p.memberFen / 100) ?? [] },
      { name: t('dash.otherGmv'), type: 'bar', stack: 'm', data: data?.membership.series.map((p) => p.otherFen / 100) ?? [] },
    ],
  }), [data, t]);

  const tiers = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: '68%', data: data?.tiers.map((x) => ({ name: `${x.name} (${x.tier})`, value: x.members })) ?? [] }],
  }), [data]);

  const aiplChart = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    grid: { left: 80, right: 24, top: 16, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: AIPL_STAGES.map((s) => t(`aipl.${s}`)) },
    series: [{ type: 'bar', data: AIPL_STAGES.map((s) => aipl?.counts[s] ?? 0), label: { show: true, position: 'right' } }],
  }), [aipl, t]);

  const memberShare = data && data.membership.memberFen + data.membership.otherFen > 0
    ? Math.round((1000 * data.membership.memberFen) / (data.membership.memberFen + data.membership.otherFen)) / 10
    : 0;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="dashboard">
      <Card
        title={t('dash.title')}
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              allowClear={false}
              value={range}
              onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
              presets={[
                { label: t('dash.last7'), value: [today.subtract(6, 'day'), today] },
                { label: t('dash.last30'), value: [today.subtract(29, 'day'), today] },
                { label: t('dash.last90'), value: [today.subtract(89, 'day'), today] },
              ]}
              data-testid="dash-range"
            />
            <Segmented
              value={granularity}
              onChange={(v) => setGranularity(v as 'day' | 'week')}
              options={[{ value: 'day', label: t('dash.byDay') }, { value: 'week', label: t('dash.byWeek') }]}
              data-testid="dash-granularity"
            />
            {data && data.programs.length > 1 && (
              <Select style={{ width: 160 }} value={program ?? data.program} onChange={setProgram} options={data.programs.map((p) => ({ value: p, label: p }))} />
            )}
            <Button icon={<ReloadOutlined />} onClick={load} loading={loading} />
          </Space>
        }
      >
        <Row gutter={24}>
          <Col xs={12} md={6}>
            <Statistic title={t('dash.totalMembers')} value={data?.members.total ?? 0} data-testid="dash-members-total" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('dash.newMembers')} value={data?.members.added ?? 0} prefix="+" data-testid="dash-members-added" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('dash.gmv')} value={yuan(data?.gmv.paidFen ?? 0)} data-testid="dash-gmv" />
            <Typography.Text type="secondary">
              {t('dash.orders', { n: data?.gmv.orders ?? 0 })} · {t('dash.refunded')} {yuan(data?.gmv.refundedFen ?? 0)}
            </Typography.Text>
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('dash.memberShare')} value={memberShare} suffix="%" data-testid="dash-member-share" />
          </Col>
        </Row>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {data && t('dash.note', { zone: data.zone, program: data.program ?? '—' })}
        </Typography.Text>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('dash.growth')}>
            <EChart option={growth} height={280} testId="chart-growth" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('dash.gmvByChannel')}>
            <EChart option={gmvByChannel} height={280} testId="chart-gmv" />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('dash.channelShare')}>
            <EChart option={channelPie} height={260} testId="chart-channel-share" />
          </Card>
        </Col>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('dash.membership')}>
            <EChart option={membership} height={260} testId="chart-membership" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('dash.tiers')}>
            <EChart option={tiers} height={260} testId="chart-tiers" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('dash.aipl')} extra={aipl && <Typography.Text type="secondary">{aipl.day}</Typography.Text>}>
            <EChart option={aiplChart} height={260} testId="chart-aipl" />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
