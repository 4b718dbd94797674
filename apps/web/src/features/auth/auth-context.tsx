import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LoginBody, RegisterBody, UserView } from '@reelroom/contracts';
import { api, errorMessage } from '../../api/client';
import { resetSocket } from '../../socket/room-socket';

export type AuthState = { status: 'loading' } | { status: 'signed-out'; error?: string } | { status: 'signed-in'; user: UserView };

interface AuthContextValue {
  state: AuthState;
  login: (body: LoginBody) => Promise<void>;
  register: (body: RegisterBody) => Promise<void>;
  logout: () => Promise<void>;
  /** Signs out every session of the account (this one included). */
  logoutEverywhere: () => Promise<void>;
  /** Signs in a session the server already opened (a guest joining a room: the reply set the cookie). */
  adopt: (user: UserView) => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    api.auth
      .me()
      .then((user) => {
        if (!cancelled) setState(user ? { status: 'signed-in', user } : { status: 'signed-out' });
      })
      .catch((err: unknown) => {
        // The server is unreachable: treat as signed out but keep the reason for the UI.
        if (!cancelled) setState({ status: 'signed-out', error: errorMessage(err) });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const login = useCallback(async (body: LoginBody) => {
    const { user } = await api.auth.login(body);
    resetSocket();
    setState({ status: 'signed-in', user });
  }, []);

  const register = useCallback(async (body: RegisterBody) => {
    const { user } = await api.auth.register(body);
    resetSocket();
    setState({ status: 'signed-in', user });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.auth.logout();
    } finally {
      resetSocket();
      setState({ status: 'signed-out' });
    }
  }, []);

  const logoutEverywhere = useCallback(async () => {
    try {
      await api.auth.logoutAll();
    } finally {
      resetSocket();
      setState({ status: 'signed-out' });
    }
  }, []);

  const adopt = useCallback((user: UserView) => {
    resetSocket();
    setState({ status: 'signed-in', user });
  }, []);

  const value = useMemo(
    () => ({ state, login, register, logout, logoutEverywhere, adopt }),
    [state, login, register, logout, logoutEverywhere, adopt],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const ctx = use(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}
