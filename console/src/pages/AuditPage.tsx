import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { get, type AuditEntry } from '../api';
import { EChart, type ChartOption } from '../components/EChart';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

const PAGE_SIZE = 50;

/** The audit log, newest first, paged with the API's 'before' cursor. */
export function AuditPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  // cursors of the pages seen so far: cursors[i] is the 'before' that loads page i (undefined: newest)
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [index, setIndex] = useState(0);
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (before: number | undefined) => {
      setLoading(true);
      try {
        setEntries(await get<AuditEntry[]>(`/api/v1/audit?limit=${PAGE_SIZE}${before === undefined ? '' : `&before=${before}`}`));
      } catch (e) {
        message.error(problemMessage(e, t('error.generic')));
      } finally {
        setLoading(false);
      }
    },
    [message, t],
  );

  useEffect(() => {
    load(cursors[index]);
  }, [load, cursors, index]);

  const older = () => {
    const last = entries[entries.length - 1];
    setCursors((c) => [...c.slice(0, index + 1), last.id]);
    setIndex(index + 1);
  };

  const chart = useMemo<ChartOption>(() => {
    const counts = new Map<string, number>();
    entries.forEach((e) => counts.set(e.action, (counts.get(e.action) ?? 0) + 1));
    const actions = [...counts.keys()].sort();
    return {
      tooltip: {},
      grid: { left: 140, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: actions },
      series: [{ type: 'bar', data: actions.map((a) => counts.get(a)), itemStyle: { color: '#1677ff' } }],
    };
  }, [entries]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={t('audit.title')}
        extra={
          <Space>
            <Button onClick={() => setIndex(index - 1)} disabled={index === 0 || loading} data-testid="audit-newer">
              {t('common.newer')}
            </Button>
            <Button onClick={older} disabled={entries.length < PAGE_SIZE || loading} data-testid="audit-older">
              {t('common.older')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => load(cursors[index])}>
              {t('common.refresh')}
            </Button>
          </Space>
        }
      >
        <Table<AuditEntry>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={entries}
          pagination={false}
          data-testid="audit-table"
          columns={[
            { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
            { title: t('audit.actor'), dataIndex: 'actor', width: 160 },
            { title: t('audit.action'), dataIndex: 'action', width: 180, render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
            { title: t('audit.target'), dataIndex: 'target', width: 180 },
            { title: t('audit.detail'), dataIndex: 'detail', ellipsis: true },
          ]}
        />
      </Card>
      {entries.length > 0 && (
        <Card title={t('audit.chart')} size="small">
          <EChart option={chart} height={Math.max(120, new Set(entries.map((e) => e.action)).size * 28 + 40)} testId="audit-chart" />
        </Card>
      )}
    </Space>
  );
}
