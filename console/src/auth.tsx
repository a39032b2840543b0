import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, post, session, type Me } from './api';

interface Auth {
  me: Me | null;
  loading: boolean;
  /** Why the last session ended without a sign-out ('session_expired'…), to tell the user. */
  endedBecause: string | null;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [endedBecause, setEndedBecause] = useState<string | null>(null);

  useEffect(() => {
    session.onUnauthenticated((code) => {
      session.clear();
      setMe(null);
      setEndedBecause(code);
    });
    if (!session.token()) {
      setLoading(false);
      return;
    }
    get<Me>('/api/v1/auth/me')
      .then(setMe)
      .catch(() => session.clear())
      .finally(() => setLoading(false));
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const answer = await post<{ token: string; user: Me }>('/api/v1/auth/login', { username, password });
    session.set(answer.token);
    setEndedBecause(null);
    setMe(await get<Me>('/api/v1/auth/me'));
  }, []);

  const logout = useCallback(async () => {
    try {
      await post('/api/v1/auth/logout');
    } finally {
      session.clear();
      setMe(null);
    }
  }, []);

  const value = useMemo(() => ({ me, loading, endedBecause, login, logout }), [me, loading, endedBecause, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
