import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, useAuth } from './auth';
import { I18nProvider, useI18n } from './i18n';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { AuditPage } from './pages/AuditPage';
import { CouponsPage } from './pages/CouponsPage';
import { DashboardPage } from './pages/DashboardPage';
import { KeysPage } from './pages/KeysPage';
import { LoginPage } from './pages/LoginPage';
import { IngestPage } from './pages/IngestPage';
import { LoyaltyPage } from './pages/LoyaltyPage';
import { MessagesPage } from './pages/MessagesPage';
import { MemberApp } from './member/MemberApp';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrdersPage } from './pages/OrdersPage';
import { PersonPage } from './pages/PersonPage';
import { PersonsPage } from './pages/PersonsPage';
import { SegmentsPage } from './pages/SegmentsPage';
import { SourcesPage } from './pages/SourcesPage';
import { UsersPage } from './pages/UsersPage';
import type { Role } from './api';

function Localised({ children }: { children: ReactNode }) {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Pages behind sign-in; `roles` limits a page to those roles (the API enforces the same rule). */
function Protected({ roles }: { roles?: Role[] }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Spin style={{ marginTop: 120, width: '100%' }} />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (roles && !roles.includes(me.role)) return <Navigate to="/" replace />;
  return <Outlet />;
}

function Home() {
  return <Navigate to="/dashboard" replace />;
}

export function App() {
  return (
    <I18nProvider>
      <Localised>
        <AuthProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              {/* Member center (mobile H5): its own sign-in (phone + one-time code) and member token. */}
              <Route path="/m/*" element={<MemberApp />} />
              <Route element={<Protected />}>
                <Route element={<ConsoleLayout />}>
                  <Route index element={<Home />} />
                  <Route path="dashboard" element={<DashboardPage />} />
                  <Route path="coupons" element={<CouponsPage />} />
                  <Route path="segments" element={<SegmentsPage />} />
                  <Route path="sources" element={<SourcesPage />} />
                  <Route path="ingest" element={<IngestPage />} />
                  <Route path="persons" element={<PersonsPage />} />
                  <Route path="persons/:id" element={<PersonPage />} />
                  <Route path="orders" element={<OrdersPage />} />
                  <Route path="loyalty" element={<LoyaltyPage />} />
                  <Route element={<Protected roles={['admin', 'operator']} />}>
                    <Route path="messages" element={<MessagesPage />} />
                  </Route>
                  <Route element={<Protected roles={['admin']} />}>
                    <Route path="users" element={<UsersPage />} />
                    <Route path="keys" element={<KeysPage />} />
                    <Route path="audit" element={<AuditPage />} />
                  </Route>
                  <Route path="*" element={<NotFoundPage />} />
                </Route>
              </Route>
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </Localised>
    </I18nProvider>
  );
}
