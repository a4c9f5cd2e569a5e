import { lazy } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { useSession } from "./auth/session";
import { Layout } from "./components/Layout";
import { RequireAdmin } from "./components/RequireAdmin";
import { Loading } from "./components/Status";
import { AlertsPage } from "./pages/AlertsPage";
import { ComparisonPage } from "./pages/ComparisonPage";
import { ComparisonsPage } from "./pages/ComparisonsPage";
import { LinesPage } from "./pages/LinesPage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { PipelinePage } from "./pages/PipelinePage";
import { UploadsPage } from "./pages/UploadsPage";
import { UsersPage } from "./pages/UsersPage";

// The chart library is loaded only by the pages that draw charts.
const OverviewPage = lazy(() => import("./pages/OverviewPage").then((m) => ({ default: m.OverviewPage })));
const CutoverPage = lazy(() => import("./pages/CutoverPage").then((m) => ({ default: m.CutoverPage })));

function RequireSession() {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) return <Loading what="your session" />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <Layout />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<OverviewPage />} />
        <Route path="lines" element={<LinesPage />} />
        <Route path="comparisons" element={<ComparisonsPage />} />
        <Route path="comparisons/:comparisonId" element={<ComparisonPage />} />
        <Route path="pipeline" element={<PipelinePage />} />
        <Route path="alerts" element={<AlertsPage />} />
        <Route path="uploads" element={<UploadsPage />} />
        <Route path="cutover" element={<CutoverPage />} />
        <Route
          path="users"
          element={
            <RequireAdmin>
              <UsersPage />
            </RequireAdmin>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
