import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { get, post, type Key, type Source } from '../api';
import { useAuth } from '../auth';
import { problemMessage } from '../components/feedback';
import { SecretModal } from '../components/SecretModal';
import { useI18n } from '../i18n';

interface SourceRow extends Source {
  activeKeys?: Key[];
}

/** Ingestion sources; admins also see each source's active write keys and can add a source with its first key. */
export function SourcesPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const admin = me?.role === 'admin';
  const [rows, setRows] = useState<SourceRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<{ source: string; name: string }>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const sources = await get<Source[]>('/api/v1/sources');
      if (!admin) {
        setRows(sources);
        return;
      }
      const keys = await get<Key[]>('/api/v1/keys');
      setRows(sources.map((s) => ({ ...s, activeKeys: keys.filter((k) => k.kind === 'write' && k.source === s.name && !k.revokedAt) })));
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [admin, message, t]);

  useEffect(() => {
    load();
  }, [load]);

  const create = async (v: { source: string; name: string }) => {
    try {
      const created = await post<{ secret: string }>('/api/v1/keys', { kind: 'write', name: v.name, source: v.source });
      setCreating(false);
      setSecret(created.secret);
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  return (
    <Card
      title={t('sources.title')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t('common.refresh')}
          </Button>
          {admin && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                form.resetFields();
                setCreating(true);
              }}
              data-testid="source-create"
            >
              {t('sources.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<SourceRow>
        rowKey="id"
        loading={loading}
        dataSource={rows}
        data-testid="sources-table"
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 80 },
          { title: t('sources.name'), dataIndex: 'name' },
          ...(admin
            ? [
                {
                  title: t('sources.keys'),
                  key: 'keys',
                  render: (_: unknown, row: SourceRow) =>
                    row.activeKeys?.length
                      ? row.activeKeys.map((k) => (
                          <div key={k.id}>
                            {k.name} <Typography.Text code>{k.prefix}…</Typography.Text>
                          </div>
                        ))
                      : '—',
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={creating}
        title={t('sources.create')}
        okText={t('common.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'source-create-ok' } as Record<string, string>}
      >
        <Typography.Paragraph type="secondary">{t('sources.help')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="source" label={t('sources.name')} rules={[{ required: true, max: 100 }]}>
            <Input placeholder="wechat-mp" data-testid="source-name" />
          </Form.Item>
          <Form.Item name="name" label={t('sources.keyName')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="source-key-name" />
          </Form.Item>
        </Form>
      </Modal>
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
