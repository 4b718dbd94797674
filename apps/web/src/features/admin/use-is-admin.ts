import { useEffect, useState } from 'react';
import { api } from '../../api/client';

/** Whether the signed-in account is an administrator (GET /api/auth/me), asked again when the user changes. */
export function useIsAdmin(userId: string | null): boolean {
  const [admin, setAdmin] = useState<{ userId: string; isAdmin: boolean } | null>(null);
  useEffect(() => {
    if (!userId) return;
    let live = true;
    api.auth
      .me()
      .then((me) => live && setAdmin({ userId, isAdmin: me?.isAdmin ?? false }))
      .catch(() => live && setAdmin({ userId, isAdmin: false }));
    return () => {
      live = false;
    };
  }, [userId]);
  return admin !== null && admin.userId === userId && admin.isAdmin;
}
