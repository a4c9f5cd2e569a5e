import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, createContext, useContext } from "react";
import { ApiError } from "../api/client";
import { api, keys } from "../api/endpoints";
import type { User } from "../api/types";

interface SessionState {
  user: User | null;
  loading: boolean;
  login: (username: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Who is logged in, from `GET /api/me`: a 401 means nobody. */
async function whoAmI(): Promise<User | null> {
  try {
    return await api.me();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const me = useQuery({ queryKey: keys.me, queryFn: whoAmI, staleTime: 60_000, retry: false });
  const state: SessionState = {
    user: me.data ?? null,
    loading: me.isPending,
    login: async (username, password) => {
      const session = await api.login(username, password);
      const user: User = { username: session.username, role: session.role, active: true };
      client.setQueryData(keys.me, user);
      return user;
    },
    logout: async () => {
      try {
        await api.logout();
      } finally {
        // Forget what this user read; `me` stays in the cache (observed) and now says nobody.
        client.setQueryData(keys.me, null);
        client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.me[0] });
      }
    },
  };
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession outside SessionProvider");
  return state;
}

export function useIsAdmin(): boolean {
  return useSession().user?.role === "admin";
}
