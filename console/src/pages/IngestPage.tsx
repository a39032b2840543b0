import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { get, query, type IngestDeadLetter, type IngestPage as Paged, type SourceStats } from '../api';
import { EChart } from '../components/EChart';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

/** Ingestion: per-source counts (accepted, deduplicated, rejected by reason) and the dead-letter store. */
export function IngestPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [stats, setStats] = useState<SourceStats[]>([]);
  const [letters, setLetters] = useState<Paged<IngestDeadLetter>>({ items: [], page: 0, size: 20, total: 0 });
  const [source, setSource] = useState<number | undefined>();
  const [page, setPage] = useState(0);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [s, d] = await Promise.all([
        get<SourceStats[]>('/api/v1/ingest/stats'),
        get<Paged<IngestDeadLetter>>('/api/v1/ingest/dead-letters' + query({ source, page, size: 20 })),
      ]);
      setStats(s);
      setLetters(d);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [message, t, source, page]);

  useEffect(() => {
    load();
  }, [load]);

  const totals = useMemo(
    () =>
      stats.reduce(
        (acc, s) => ({ accepted: acc.accepted + s.accepted, deduplicated: acc.deduplicated + s.deduplicated, rejected: acc.rejected + s.rejected }),
        { accepted: 0, deduplicated: 0, rejected: 0 },
      ),
    [stats],
  );

  const chart = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('ingest.accepted'), t('ingest.deduplicated'), t('ingest.rejected')] },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: stats.map((s) => s.source) },
      yAxis: { type: 'value' },
      series: [
        { name: t('ingest.accepted'), type: 'bar', stack: 'all', data: stats.map((s) => s.accepted) },
        { name: t('ingest.deduplicated'), type: 'bar', stack: 'all', data: stats.map((s) => s.deduplicated) },
        { name: t('ingest.rejected'), type: 'bar', stack: 'all', data: stats.map((s) => s.rejected) },
      ],
    }),
    [stats, t],
  );

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={t('ingest.title')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t('common.refresh')}
          </Button>
        }
      >
        <Row gutter={24} style={{ marginBottom: 16 }}>
          <Col span={8}>
            <Statistic title={t('ingest.accepted')} value={totals.accepted} data-testid="ingest-accepted" />
          </Col>
          <Col span={8}>
            <Statistic title={t('ingest.deduplicated')} value={totals.deduplicated} />
          </Col>
          <Col span={8}>
            <Statistic title={t('ingest.rejected')} value={totals.rejected} valueStyle={totals.rejected ? { color: '#cf1322' } : undefined} />
          </Col>
        </Row>
        <EChart option={chart} height={220} testId="ingest-chart" />
        <Table<SourceStats>
          rowKey="sourceId"
          size="small"
          loading={loading}
          dataSource={stats}
          pagination={false}
          data-testid="ingest-stats"
          columns={[
            { title: t('sources.name'), dataIndex: 'source' },
            { title: t('ingest.accepted'), dataIndex: 'accepted', align: 'right' },
            { title: t('ingest.deduplicated'), dataIndex: 'deduplicated', align: 'right' },
            { title: t('ingest.rejected'), dataIndex: 'rejected', align: 'right' },
            {
              title: t('ingest.byReason'),
              key: 'reasons',
              render: (_: unknown, s: SourceStats) =>
                Object.entries(s.rejectedByReason ?? {}).map(([reason, n]) => (
                  <Tag key={reason} color="red">
                    {reason}: {n}
                  </Tag>
                )),
            },
          ]}
        />
      </Card>
      <Card
        title={t('ingest.deadLetters')}
        extra={
          <Select
            allowClear
            placeholder={t('ingest.allSources')}
            style={{ width: 200 }}
            value={source}
            onChange={(v) => {
              setPage(0);
              setSource(v);
            }}
            options={stats.map((s) => ({ value: s.sourceId, label: s.source }))}
          />
        }
      >
        <Table<IngestDeadLetter>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={letters.items}
          data-testid="dead-letters"
          pagination={{
            current: page + 1,
            pageSize: 20,
            total: letters.total,
            showTotal: (n) => t('common.total', { n }),
            onChange: (p) => setPage(p - 1),
          }}
          expandable={{
            expandedRowRender: (d) =>
              d.raw == null ? (
                <Typography.Text type="secondary">{t('ingest.rawHidden')}</Typography.Text>
              ) : (
                <Typography.Paragraph copyable style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', margin: 0 }}>
                  {d.raw}
                </Typography.Paragraph>
              ),
          }}
          columns={[
            { title: t('audit.at'), dataIndex: 'receivedAt', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
            { title: t('sources.name'), dataIndex: 'sourceId', width: 120, render: (id: number) => stats.find((s) => s.sourceId === id)?.source ?? id },
            { title: t('ingest.protocol'), dataIndex: 'protocol', width: 100 },
            { title: t('ingest.reason'), dataIndex: 'reason', render: (v: string) => <Tag color="red">{v}</Tag> },
            { title: t('ingest.field'), dataIndex: 'field' },
            { title: t('audit.detail'), dataIndex: 'detail' },
          ]}
        />
      </Card>
    </Space>
  );
}
