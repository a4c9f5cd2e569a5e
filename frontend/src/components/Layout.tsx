import { Suspense, useState } from "react";
import { NavLink, Outlet, useNavigate } from "react-router";
import { useIsAdmin, useSession } from "../auth/session";
import { Loading } from "./Status";

const PAGES = [
  { to: "/", label: "Overview", admin: false },
  { to: "/lines", label: "Customs lines", admin: false },
  { to: "/comparisons", label: "Comparisons", admin: false },
  { to: "/pipeline", label: "Pipeline", admin: false },
  { to: "/alerts", label: "Alerts", admin: false },
  { to: "/uploads", label: "Uploads", admin: false },
  { to: "/cutover", label: "Cutover", admin: false },
  { to: "/users", label: "Users", admin: true },
];

export function Layout() {
  const { user, logout } = useSession();
  const admin = useIsAdmin();
  const navigate = useNavigate();
  // On a narrow screen the main navigation folds behind this button (CSS shows the button there only).
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">IOR pipeline</span>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav aria-label="Main" id="main-nav" className={menuOpen ? "open" : undefined}>
          <ul>
            {PAGES.filter((p) => admin || !p.admin).map((page) => (
              <li key={page.to}>
                <NavLink to={page.to} end={page.to === "/"} onClick={() => setMenuOpen(false)}>
                  {page.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {user?.username} <span className="muted">({user?.role})</span>
          </span>
          <button
            type="button"
            onClick={async () => {
              await logout();
              navigate("/login", { replace: true });
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
