import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { get, KNOWN_CHANNELS, post, put, ROLES, type Page, type Role, type User } from '../api';
import { useAuth } from '../auth';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

const PAGE_SIZE = 20;

interface AccessForm {
  role: Role;
  channels?: string[];
}

function ChannelsField() {
  const { t } = useI18n();
  return (
    <Form.Item name="channels" label={t('users.channels')} extra={t('users.channelsHelp')}>
      <Select mode="tags" allowClear options={KNOWN_CHANNELS.map((c) => ({ value: c, label: c }))} data-testid="user-channels" />
    </Form.Item>
  );
}

function RoleField() {
  const { t } = useI18n();
  return (
    <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
      <Select options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} data-testid="user-role" />
    </Form.Item>
  );
}

export function UsersPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const [page, setPage] = useState<Page<User> | null>(null);
  const [current, setCurrent] = useState(1);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [createForm] = Form.useForm();
  const [accessForm] = Form.useForm<AccessForm>();
  const [passwordForm] = Form.useForm<{ password: string }>();

  const load = useCallback(async (pageNumber: number) => {
    setLoading(true);
    try {
      setPage(await get<Page<User>>(`/api/v1/users?offset=${(pageNumber - 1) * PAGE_SIZE}&limit=${PAGE_SIZE}`));
      setCurrent(pageNumber);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    load(1).catch((e) => message.error(problemMessage(e, t('error.generic'))));
  }, [load, message, t]);

  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      message.success(done);
      await load(current);
      return true;
    } catch (e) {
      message.error(problemMessage(e, t('error.generic')));
      return false;
    }
  };

  const channelsOrAll = (channels?: string[]) => (channels && channels.length > 0 ? channels : null);

  return (
    <Card
      title={t('users.title')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => load(current)}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
            {t('users.create')}
          </Button>
        </Space>
      }
    >
      <Table<User>
        rowKey="id"
        loading={loading}
        dataSource={page?.items}
        data-testid="users-table"
        pagination={{
          current,
          pageSize: PAGE_SIZE,
          total: page?.total,
          showTotal: (n) => t('common.total', { n }),
          onChange: (p) => load(p),
        }}
        columns={[
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.role'), dataIndex: 'role', render: (r: Role) => <Tag color={r === 'admin' ? 'gold' : 'blue'}>{t(`role.${r}`)}</Tag> },
          {
            title: t('users.channels'),
            dataIndex: 'channels',
            render: (c?: string[]) => (c ? c.map((x) => <Tag key={x}>{x}</Tag>) : <Tag color="green">{t('channels.all')}</Tag>),
          },
          {
            title: t('common.status'),
            dataIndex: 'disabled',
            render: (d: boolean) => (d ? <Tag color="red">{t('users.disabled')}</Tag> : <Tag color="green">{t('common.active')}</Tag>),
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, user) => (
              <Space wrap>
                <Button
                  size="small"
                  onClick={() => {
                    setEditing(user);
                    accessForm.setFieldsValue({ role: user.role, channels: user.channels ?? [] });
                  }}
                >
                  {t('users.editAccess')}
                </Button>
                <Button size="small" onClick={() => setResetting(user)}>
                  {t('users.resetPassword')}
                </Button>
                {user.disabled ? (
                  <Button size="small" onClick={() => run(() => post(`/api/v1/users/${user.id}/enable`), t('users.saved'))}>
                    {t('users.enable')}
                  </Button>
                ) : (
                  <Popconfirm
                    title={t('users.disableConfirm')}
                    disabled={user.username === me?.username}
                    onConfirm={() => run(() => post(`/api/v1/users/${user.id}/disable`), t('users.saved'))}
                  >
                    <Button size="small" danger disabled={user.username === me?.username}>
                      {t('users.disable')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />

      <Modal
        open={creating}
        title={t('users.create')}
        okText={t('common.create')}
        onCancel={() => setCreating(false)}
        onOk={() => createForm.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'user-create-ok' } as Record<string, string>}
      >
        <Form
          form={createForm}
          layout="vertical"
          preserve={false}
          initialValues={{ role: 'viewer' }}
          onFinish={async (v: { username: string; password: string; role: Role; channels?: string[] }) => {
            const ok = await run(
              () => post('/api/v1/users', { ...v, channels: channelsOrAll(v.channels) }),
              t('users.created'),
            );
            if (ok) setCreating(false);
          }}
        >
          <Form.Item name="username" label={t('users.username')} rules={[{ required: true }, { pattern: /^[a-z0-9][a-z0-9._-]{1,63}$/ }]}>
            <Input data-testid="user-username" />
          </Form.Item>
          <Form.Item name="password" label={t('users.password')} rules={[{ required: true }, { min: 8 }]}>
            <Input.Password data-testid="user-password" autoComplete="new-password" />
          </Form.Item>
          <RoleField />
          <ChannelsField />
        </Form>
      </Modal>

      <Modal
        open={editing !== null}
        title={`${t('users.editAccess')} · ${editing?.username ?? ''}`}
        onCancel={() => setEditing(null)}
        onOk={() => accessForm.submit()}
        okText={t('common.save')}
      >
        <Form
          form={accessForm}
          layout="vertical"
          onFinish={async (v) => {
            const ok = await run(
              () => put(`/api/v1/users/${editing!.id}/access`, { role: v.role, channels: channelsOrAll(v.channels) }),
              t('users.saved'),
            );
            if (ok) setEditing(null);
          }}
        >
          <RoleField />
          <ChannelsField />
        </Form>
      </Modal>

      <Modal
        open={resetting !== null}
        title={`${t('users.resetPassword')} · ${resetting?.username ?? ''}`}
        onCancel={() => setResetting(null)}
        onOk={() => passwordForm.submit()}
        okText={t('common.save')}
        destroyOnHidden
      >
        <Form
          form={passwordForm}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            const ok = await run(() => post(`/api/v1/users/${resetting!.id}/password`, v), t('users.passwordReset'));
            if (ok) setResetting(null);
          }}
        >
          <Form.Item name="password" label={t('users.newPassword')} rules={[{ required: true }, { min: 8 }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
