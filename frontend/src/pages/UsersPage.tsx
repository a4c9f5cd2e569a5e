import { useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { type FormEvent, useState } from "react";
import { api, keys, useUsers } from "../api/endpoints";
import type { User } from "../api/types";
import { useSession } from "../auth/session";
import { Badge } from "../components/Badge";
import { DataTable } from "../components/DataTable";
import { ErrorMessage, Loading } from "../components/Status";
import { useTitle } from "../components/useTitle";

const column = createColumnHelper<User>();

export function UsersPage() {
  useTitle("Users");
  const users = useUsers();
  const { user: me } = useSession();
  const client = useQueryClient();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function act(work: () => Promise<unknown>, done: string) {
    try {
      await work();
      setResult({ ok: true, text: done });
      await client.invalidateQueries({ queryKey: keys.users });
    } catch (error) {
      setResult({ ok: false, text: error instanceof Error ? error.message : String(error) });
    }
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const username = String(data.get("username"));
    await act(
      () => api.addUser({
          username,
          role: String(data.get("role")) as User["role"],
          password: String(data.get("password")),
          active: true,
        }),
      `Added ${username}.`,
    );
    form.reset();
  }

  const columns = [
    column.accessor("username", { header: "Username" }),
    column.accessor("role", { header: "Role" }),
    column.accessor("active", {
      header: "Active",
      cell: (c) => <Badge tone={c.getValue() ? "good" : "neutral"}>{c.getValue() ? "active" : "inactive"}</Badge>,
    }),
    column.display({
      id: "actions",
      header: "Actions",
      cell: (c) =>
        c.row.original.username === me?.username ? (
          <span className="muted">you</span>
        ) : (
          <button
            type="button"
            className="danger"
            aria-label={`Delete ${c.row.original.username}`}
            onClick={() => {
              const name = c.row.original.username;
              if (window.confirm(`Delete ${name}?`)) void act(() => api.deleteUser(name), `Deleted ${name}.`);
            }}
          >
            Delete
          </button>
        ),
    }),
  ];

  return (
    <section aria-labelledby="us-title">
      <h1 id="us-title">Users</h1>
      {users.isPending && <Loading what="the users" />}
      {users.isError && <ErrorMessage error={users.error} what="the users" />}
      {users.data && <DataTable caption="Dashboard users" data={users.data} columns={columns} rowKey={(u) => u.username} />}
      <form className="filters" onSubmit={add} aria-labelledby="add-title">
        <h2 id="add-title" className="full">
          Add a user
        </h2>
        <div>
          <label htmlFor="u-name">Username</label>
          <input id="u-name" name="username" required pattern="[a-z][a-z0-9._\-]{1,63}" autoComplete="off" />
        </div>
        <div>
          <label htmlFor="u-role">Role</label>
          <select id="u-role" name="role" defaultValue="operator">
            <option value="operator">operator</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <div>
          <label htmlFor="u-password">Password (12 characters or more)</label>
          <input id="u-password" name="password" type="password" minLength={12} required autoComplete="new-password" />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Add user
          </button>
        </div>
      </form>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`message ${result.ok ? "message-ok" : "message-error"}`}>
          {result.text}
        </p>
      )}
    </section>
  );
}
