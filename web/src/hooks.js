// Small hooks the screens share: a form's values and errors, data loaded from the API, polling.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { t } from './i18n.js';

/**
 * A form: `values`, `set(name)` (an input handler), `errors` ({field: message}), `summary` (for
 * the ErrorSummary), `fail(error | {field: message})`, `busy`, and `submit(action)`, which runs
 * `action(values)` once at a time and shows what went wrong.
 */
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const [summary, setSummary] = useState([]);
  const [busy, setBusy] = useState(false);

  const setValue = useCallback((name, value) => setValues((v) => ({ ...v, [name]: value })), []);
  const set = (name) => (event) => setValue(name, event.currentTarget.value);

  const fail = (problem) => {
    if (problem instanceof ApiError || problem?.name === 'CognitoError' || problem?.fields) {
      const fields = problem.fields || {};
      setErrors(fields);
      const entries = Object.entries(fields).map(([field, message]) => ({ field, message }));
      setSummary(entries.length ? entries : [{ field: null, message: problem.message || t('errors.generic') }]);
      return;
    }
    if (problem instanceof Error) {
      setErrors({});
      setSummary([{ field: null, message: t('errors.generic') }]);
      return;
    }
    setErrors(problem);
    setSummary(Object.entries(problem).map(([field, message]) => ({ field, message })));
  };

  const submit = (action) => async (event) => {
    if (event) event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      setErrors({});
      setSummary([]);
      await action(values);
    } catch (problem) {
      fail(problem);
    } finally {
      setBusy(false);
    }
  };

  return { values, setValue, set, errors, summary, fail, busy, submit };
}

/** `load()` on mount and whenever `deps` change: {data, error, loading, reload}. */
export function useLoad(load, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const generation = useRef(0);
  const run = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await load();
      if (mine === generation.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    setState((s) => ({ ...s, loading: true }));
    run();
  }, [run]);
  return { ...state, reload: run };
}

/** Call `tick` every `seconds` while `active` (and when the page comes back into view). */
export function usePolling(tick, seconds, active) {
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(tick, seconds * 1000);
    const onVisible = () => document.visibilityState === 'visible' && tick();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [tick, seconds, active]);
}
