import { LockOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';

export function LoginPage() {
  const { me, login, endedBecause } = useAuth();
  const { t, language, setLanguage } = useI18n();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';

  if (me) return <Navigate to={target} replace />;

  const submit = async ({ username, password }: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      navigate(target, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.problem.status === 401 ? t('login.failed') : t('error.generic'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f5ff' }}>
      <Card style={{ width: 380 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            <img src="/pond.svg" alt="" width={28} style={{ verticalAlign: -5, marginRight: 8 }} />
            {t('app.name')}
          </Typography.Title>
          <Button
            size="small"
            icon={<TranslationOutlined />}
            onClick={() => setLanguage(language === 'en' ? 'zh-CN' : 'en')}
            data-testid="language-switch"
          >
            {t('language.switch')}
          </Button>
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('login.title')}
        </Typography.Paragraph>
        {endedBecause === 'session_expired' && <Alert type="info" message={t('login.expired')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
