import { useCallback, useEffect, useState } from "preact/hooks";
import { useSession } from "./session.js";

export interface ApiData<T> {
  readonly data: T | null;
  readonly error: Error | null;
  readonly reload: () => void;
}

/** GETs `path` now, when it changes, on reload() and every `refreshMs` if given. */
export function useApiData<T>(path: string, refreshMs?: number): ApiData<T> {
  const { api, onApiError } = useSession();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  useEffect(() => {
    let current = true;
    api.get<T>(path).then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
      },
      (reason: unknown) => {
        if (!current) return;
        const failure = reason instanceof Error ? reason : new Error(String(reason));
        onApiError(failure);
        setError(failure);
      },
    );
    return () => {
      current = false;
    };
  }, [api, path, generation, onApiError]);
  useEffect(() => {
    if (refreshMs === undefined) return;
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, reload]);
  return { data, error, reload };
}
