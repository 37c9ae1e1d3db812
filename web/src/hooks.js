// Small hooks the screens share: a form's values and errors, data loaded from the API, polling.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { t } from './i18n.js';

/** A problem with the whole form, not one field: `form.fail({ [PAGE]: key })`. */
export const PAGE = Symbol('page');

/** A problem's words in the current language: a catalogue key, or {key, params}. */
function say(problem) {
  if (typeof problem === 'string') return t(problem);
  const params = Object.fromEntries(
    Object.entries(problem.params || {}).map(([name, value]) => [name, value && typeof value === 'object' ? t(value.key) : value]),
  );
  return t(problem.key, params);
}

/**
 * A form: `values`, `set(name)` (an input handler), `setValue`, `errors` ({field: message}),
 * `summary` (for the ErrorSummary), `fail(problem)`, `busy`, and `submit(action)`, which runs
 * `action(values)` once at a time and shows what went wrong. Problems are kept as catalogue keys
 * and put in words at each render, so switching the language translates them too.
 *
 * fail() takes an ApiError (its field keys, else its page message), a Cognito or other Error, or
 * {field: catalogue key} (with `[PAGE]: key` for a problem with the whole form). A key may be
 * {key, params} for a message with placeholders; a param that is itself {key} is translated too.
 */
export function useForm(initial) {
  const [values, setValues] = useState(initial);
  const [problems, setProblems] = useState({});
  const [page, setPage] = useState(null);
  const [busy, setBusy] = useState(false);

  const setValue = useCallback((name, value) => setValues((v) => ({ ...v, [name]: value })), []);
  const set = (name) => (event) => setValue(name, event.currentTarget.value);

  const fail = (problem) => {
    if (problem instanceof ApiError) {
      setProblems(problem.fields);
      setPage(problem.messageKey ? { key: problem.messageKey } : { text: problem.message });
    } else if (problem instanceof Error) {
      setProblems({});
      setPage({ key: 'errors.generic' });
    } else {
      setProblems(problem);
      setPage(problem[PAGE] ? { key: problem[PAGE] } : null);
    }
  };

  const submit = (action) => async (event) => {
    if (event) event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      setProblems({});
      setPage(null);
      await action(values);
    } catch (problem) {
      fail(problem);
    } finally {
      setBusy(false);
    }
  };

  const errors = Object.fromEntries(Object.entries(problems).map(([field, key]) => [field, say(key)]));
  const fieldSummary = Object.entries(errors).map(([field, message]) => ({ field, message }));
  const pageMessage = page && (page.key ? t(page.key) : page.text);
  const summary = fieldSummary.length ? fieldSummary : pageMessage ? [{ field: null, message: pageMessage }] : [];
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

/**
 * A list route's pages (`{<plural>, next_cursor}`): `load(cursor)` answers one page and `pick`
 * takes its items. {items, error, loading, more (null when there is no next page), reload}.
 */
export function usePages(load, pick, deps = []) {
  const [state, setState] = useState({ items: null, cursor: null, error: null, loading: true });
  const generation = useRef(0);
  const fetchPage = useCallback(async (cursor, previous) => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await load(cursor);
      if (mine !== generation.current) return;
      setState({ items: [...(previous || []), ...pick(page)], cursor: page.next_cursor || null, error: null, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    fetchPage(null, null);
  }, [fetchPage]);
  const more = state.cursor ? () => fetchPage(state.cursor, state.items) : null;
  return { ...state, more, reload: () => fetchPage(null, null) };
}
