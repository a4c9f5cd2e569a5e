import { type FormEvent, useState } from "react";
import { Navigate, useLocation, useNavigate } from "react-router";
import { ApiError } from "../api/client";
import { useSession } from "../auth/session";
import { useTitle } from "../components/useTitle";

/** What a failed login means to the person typing, from the API's status. */
export function loginError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 423) {
      return `This account is locked after too many failed attempts (${error.message}). Wait for the lockout to end or ask an admin.`;
    }
    if (error.status === 401) return "Wrong username or password.";
    if (error.status === 403) return `You cannot log in: ${error.message}.`;
    if (error.status === 422) return "Enter a username and a password.";
    return `The server could not log you in (HTTP ${error.status}): ${error.message}`;
  }
  return "The server could not be reached. Check your connection and try again.";
}

export function LoginPage() {
  useTitle("Log in");
  const { user, login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from ?? "/";

  if (user) return <Navigate to={from} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      navigate(from, { replace: true });
    } catch (caught) {
      setError(loginError(caught));
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="login">
      <h1>IOR pipeline</h1>
      <form onSubmit={submit} aria-describedby={error ? "login-error" : undefined} noValidate>
        <h2>Log in</h2>
        <label htmlFor="username">Username</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p id="login-error" role="alert" className="message message-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || !username || !password}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
