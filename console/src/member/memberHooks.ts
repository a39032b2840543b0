import { App } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api';
import { problemMessage } from '../components/feedback';
import { useI18n } from '../i18n';

/** Loads member data; a 401 sends the member to sign in, a 404 becomes {@code error}. */
export function useMember<T>(load: () => Promise<T>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    load().then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e) => {
        if (e instanceof ApiError && e.problem.status === 401) navigate('/m/login');
        else if (e instanceof ApiError && e.problem.status === 404) setError(e.problem.detail ?? e.problem.code);
        else message.error(problemMessage(e, t('error.generic')));
      },
    );
  }, [load, navigate, message, t]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}

/** Yuan from fen, without trailing zeros: 2000 → "20", 990 → "9.9". */
export function yuan(fen: number): string {
  return String(Number((fen / 100).toFixed(2)));
}
