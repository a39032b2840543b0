import {
  AuditOutlined,
  ApartmentOutlined,
  DashboardOutlined,
  GiftOutlined,
  CrownOutlined,
  IdcardOutlined,
  ShoppingOutlined,
  ThunderboltOutlined,
  DatabaseOutlined,
  KeyOutlined,
  LogoutOutlined,
  MessageOutlined,
  TeamOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Dropdown, Layout, Menu, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';

const { Header, Sider, Content } = Layout;

export function ConsoleLayout() {
  const { me, logout } = useAuth();
  const { t, language, setLanguage } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const admin = me?.role === 'admin';

  const items = [
    { key: '/dashboard', icon: <DashboardOutlined />, label: t('menu.dashboard') },
    { key: '/persons', icon: <IdcardOutlined />, label: t('menu.persons') },
    { key: '/orders', icon: <ShoppingOutlined />, label: t('menu.orders') },
    { key: '/loyalty', icon: <CrownOutlined />, label: t('menu.loyalty') },
    { key: '/coupons', icon: <GiftOutlined />, label: t('menu.coupons') },
    { key: '/segments', icon: <ApartmentOutlined />, label: t('menu.segments') },
    { key: '/ingest', icon: <ThunderboltOutlined />, label: t('menu.ingest') },
    (admin || me?.role === 'operator') && { key: '/messages', icon: <MessageOutlined />, label: t('menu.messages') },
    admin && { key: '/users', icon: <TeamOutlined />, label: t('menu.users') },
    admin && { key: '/keys', icon: <KeyOutlined />, label: t('menu.keys') },
    { key: '/sources', icon: <DatabaseOutlined />, label: t('menu.sources') },
    admin && { key: '/audit', icon: <AuditOutlined />, label: t('menu.audit') },
  ].filter((item): item is Exclude<typeof item, false> => Boolean(item));

  const selected = items.find((i) => location.pathname.startsWith(i.key))?.key;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider breakpoint="lg" collapsedWidth={0} theme="light" width={208}>
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 18 }} data-testid="brand">
          <img src="/pond.svg" alt="" width={24} style={{ verticalAlign: -5, marginRight: 8 }} />
          {t('app.name')}
        </div>
        <Menu
          mode="inline"
          selectedKeys={selected ? [selected] : []}
          items={items}
          onClick={({ key }) => navigate(key)}
          data-testid="side-menu"
        />
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end' }}>
          <Space size="middle">
            <Button
              icon={<TranslationOutlined />}
              onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}
              data-testid="language-switch"
            >
              {t('language.switch')}
            </Button>
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  {
                    key: 'info',
                    disabled: true,
                    label: (
                      <Space direction="vertical" size={2}>
                        <span>
                          {t('account.role')}: {me && t(`role.${me.role}`)}
                        </span>
                        <span>
                          {t('account.channels')}: {me?.channels?.join(', ') ?? t('channels.all')}
                        </span>
                        {me?.sessionExpiresAt && (
                          <span>
                            {t('account.session')}: {dayjs(me.sessionExpiresAt).format('YYYY-MM-DD HH:mm')}
                          </span>
                        )}
                      </Space>
                    ),
                  },
                  { type: 'divider' },
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    label: <span data-testid="logout">{t('account.logout')}</span>,
                    onClick: async () => {
                      await logout();
                      navigate('/login');
                    },
                  },
                ],
              }}
            >
              <Button type="text" data-testid="account-menu">
                <UserOutlined /> {me?.username} <Tag style={{ marginLeft: 8 }}>{me && t(`role.${me.role}`)}</Tag>
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content style={{ margin: 24 }}>
          <Outlet />
        </Content>
        <Typography.Text type="secondary" style={{ textAlign: 'center', padding: 12 }}>
          {t('app.tagline')}
        </Typography.Text>
      </Layout>
    </Layout>
  );
}
