import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { get, post, ROLES, type Key, type Role, type Source } from '../api';
import { problemMessage } from '../components/feedback';
import { SecretModal } from '../components/SecretModal';
import { useI18n } from '../i18n';

interface NewKey {
  kind: 'server' | 'write';
  name: string;
  role?: Role;
  source?: string;
}

export function KeysPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [keys, setKeys] = useState<Key[]>([]);
  const [sources, setSources] = useState<Source[]>([]);
  const [loading, setLoading] = useState(false);
  const [kindFilter, setKindFilter] = useState<'all' | 'server' | 'write'>('all');
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [form] = Form.useForm<NewKey>();
  const kind = Form.useWatch('kind', form);

  // PERF: /api/v1/keys answers the whole list (a brand has tens of keys, not thousands); the table pages it here.
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const [k, s] = await Promise.all([get<Key[]>('/api/v1/keys'), get<Source[]>('/api/v1/sources')]);
      setKeys(k.slice().reverse());
      setSources(s);
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    load();
  }, [load]);

  const create = async (v: NewKey) => {
    try {
      const body = v.kind === 'server' ? { kind: v.kind, name: v.name, role: v.role } : { kind: v.kind, name: v.name, source: v.source };
      const created = await post<{ key: Key; secret: string }>('/api/v1/keys', body);
      setCreating(false);
      setSecret(created.secret);
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const revoke = async (key: Key) => {
    try {
      await post(`/api/v1/keys/${key.id}/revoke`);
      await load();
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
    }
  };

  const shown = kindFilter === 'all' ? keys : keys.filter((k) => k.kind === kindFilter);

  return (
    <Card
      title={t('keys.title')}
      extra={
        <Space>
          <Radio.Group value={kindFilter} onChange={(e) => setKindFilter(e.target.value)} optionType="button" size="small">
            <Radio.Button value="all">{t('common.total', { n: keys.length })}</Radio.Button>
            <Radio.Button value="server">{t('keys.kind.server')}</Radio.Button>
            <Radio.Button value="write">{t('keys.kind.write')}</Radio.Button>
          </Radio.Group>
          <Button icon={<ReloadOutlined />} onClick={load}>
            {t('common.refresh')}
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              form.setFieldsValue({ kind: 'server', role: 'viewer', name: '', source: undefined });
              setCreating(true);
            }}
            data-testid="key-create"
          >
            {t('keys.create')}
          </Button>
        </Space>
      }
    >
      <Table<Key>
        rowKey="id"
        loading={loading}
        dataSource={shown}
        data-testid="keys-table"
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('keys.kind'), dataIndex: 'kind', render: (k: Key['kind']) => t(`keys.kind.${k}`) },
          { title: t('keys.prefix'), dataIndex: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
          { title: t('keys.source'), dataIndex: 'source', render: (s?: string) => s ?? '—' },
          { title: t('keys.role'), dataIndex: 'role', render: (r?: Role) => (r ? t(`role.${r}`) : '—') },
          { title: t('keys.createdBy'), dataIndex: 'createdBy' },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          {
            title: t('common.status'),
            dataIndex: 'revokedAt',
            render: (r?: string) =>
              r ? <Tag color="red">{t('keys.revoked')} {dayjs(r).format('MM-DD HH:mm')}</Tag> : <Tag color="green">{t('common.active')}</Tag>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, key) =>
              !key.revokedAt && (
                <Popconfirm title={t('keys.revokeConfirm')} onConfirm={() => revoke(key)} okButtonProps={{ danger: true }}>
                  <Button size="small" danger data-testid={`key-revoke-${key.id}`}>
                    {t('keys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('keys.create')}
        okText={t('common.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'key-create-ok' } as Record<string, string>}
      >
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="kind" label={t('keys.kind')} extra={t('keys.kindHelp')}>
            <Radio.Group>
              <Radio value="server">{t('keys.kind.server')}</Radio>
              <Radio value="write">{t('keys.kind.write')}</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true, max: 100 }]}>
            <Input data-testid="key-name" />
          </Form.Item>
          {kind === 'write' ? (
            <Form.Item name="source" label={t('keys.source')} rules={[{ required: true }]}>
              <Select options={sources.map((s) => ({ value: s.name, label: s.name }))} />
            </Form.Item>
          ) : (
            <Form.Item name="role" label={t('keys.role')} rules={[{ required: true }]}>
              <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} data-testid="key-role" />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
