import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { get, query } from '../api';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

interface Message {
  id: number;
  channel: string;
  recipientMasked: string;
  purpose: string;
  body: string;
  secret: boolean;
  status: string;
  createdAt: string;
}

/** The message outbox: every message Pond sent or, with no provider configured (development), holds. */
export function MessagesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<string | undefined>();
  const [rows, setRows] = useState<Message[]>([]);
  const [cursor, setCursor] = useState<number[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);

  const before = cursor.at(-1);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const page = await get<{ items: Message[]; nextBefore?: number }>('/api/v1/messages' + query({ status, before, limit: 50 }));
      setRows(page.items);
      setNext(page.nextBefore ?? null);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [status, before, message, t]);

  useEffect(() => {
    load();
  }, [load]);

  return (
    <Card
      title={t('messages.title')}
      extra={
        <Space>
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 140 }}
            value={status}
            onChange={(v) => {
              setCursor([]);
              setStatus(v);
            }}
            options={['held', 'queued', 'sent', 'failed'].map((s) => ({ value: s, label: t(`messageStatus.${s}`) }))}
          />
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t('common.refresh')}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('messages.help')} />
      <Table<Message>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rows}
        pagination={false}
        data-testid="messages-table"
        columns={[
          { title: t('audit.at'), dataIndex: 'createdAt', width: 160, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          { title: t('messages.channel'), dataIndex: 'channel', width: 80, render: (v: string) => <Tag>{v}</Tag> },
          { title: t('messages.recipient'), dataIndex: 'recipientMasked', width: 140 },
          { title: t('messages.purpose'), dataIndex: 'purpose', width: 180 },
          { title: t('messages.body'), dataIndex: 'body', render: (v: string) => <Typography.Text>{v}</Typography.Text> },
          { title: t('common.status'), dataIndex: 'status', width: 90, render: (v: string) => <Tag color={v === 'HELD' ? 'orange' : v === 'SENT' ? 'green' : undefined}>{t(`messageStatus.${v.toLowerCase()}`)}</Tag> },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={!cursor.length} onClick={() => setCursor(cursor.slice(0, -1))}>
          {t('common.newer')}
        </Button>
        <Button disabled={next == null} onClick={() => next != null && setCursor([...cursor, next])}>
          {t('common.older')}
        </Button>
      </Space>
    </Card>
  );
}
