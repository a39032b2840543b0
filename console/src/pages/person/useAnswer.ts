import { App } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api';
import { problemMessage } from '../../components/feedback';
import { useI18n } from '../../i18n';

/**
 * Loads one section of the person page: a 404 (no profile, no account yet) is an empty answer
 * (null), any other failure is shown once and leaves the section empty too, so the rest of the page
 * stays usable.
 */
export function useAnswer<T>(load: () => Promise<T>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await load());
    } catch (e) {
      setData(null);
      if (!(e instanceof ApiError && e.problem.status === 404)) message.error(problemMessage(e, t('error.generic')));
    } finally {
      setLoading(false);
    }
  }, [load, message, t]);
  useEffect(() => {
    reload();
  }, [reload]);
  return { data, loading, reload };
}
